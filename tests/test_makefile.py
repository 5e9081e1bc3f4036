"""The Makefile's set-up on a fresh machine: it installs only what is missing.

On a fresh machine of this kind npm comes with nodejs's own package and chromium is absent; asking
apt for Debian's `npm` there fails the whole install ("held broken packages"). `make -n` shows what
`browser` would run, with PATH holding only the tools a test machine is given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")


def would_install(tmp_path: Path, tools: list[str]) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        exe = bin_dir / tool
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    assert MAKE, "make is needed to run the Makefile"
    res = subprocess.run([MAKE, "-n", "--no-print-directory", "browser"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PATH": str(bin_dir)}, check=True)
    return res.stdout


def test_only_chromium_where_npm_came_with_nodejs(tmp_path) -> None:
    out = would_install(tmp_path, ["npm", "node"])
    assert 'missing="chromium"' in out


def test_both_on_a_bare_machine(tmp_path) -> None:
    assert 'missing="chromium npm"' in would_install(tmp_path, [])


def test_nothing_where_both_are_there(tmp_path) -> None:
    assert 'missing=""' in would_install(tmp_path, ["npm", "chromium"])
