"""Starting `sourcecheck serve` as a real process on a free port: for the browser tests, the benchmark
and the README's screenshots, which all need the server as a user runs it (not an in-process app).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(library: Path, port: int, *extra: str, timeout: float = 60, log: IO | None = None) -> subprocess.Popen:
    """`sourcecheck serve` on ``port``; returns once it answers, or raises RuntimeError saying why not.

    Its output goes to ``proc.stdout`` (a pipe, for a test that reads what it printed), or to ``log``,
    an open file, for a long run that reads nothing: a server that logs more than a pipe holds (64 kB
    of tracebacks) and is never read would block on its next write and stop answering."""
    proc = subprocess.Popen([sys.executable, "-m", "sourcecheck.cli", "serve", "--library", str(library),
                             "--port", str(port), *extra], stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.communicate()[0] if log is None else "(see its log)"  # it has exited: all it printed
            raise RuntimeError(f"sourcecheck serve exited with {proc.returncode}: {output}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/app.css", timeout=1)
            return proc
        except urllib.error.HTTPError:  # it answers (a token-guarded server says 401)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"sourcecheck serve did not answer on port {port} within {timeout} s")


def chromium_path() -> str:
    """Debian's chromium: the only browser the tests and screenshots drive (none is downloaded)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Debian's chromium is not installed: run `make test` (it apt-installs it) "
                           "or `apt-get install chromium`")
    return path
