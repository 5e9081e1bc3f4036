"""A process stopped mid-write (issue 24): a killed writer's journal never makes a whole library look like
"an SQLite file without its tables", and `serve` stopped with SIGTERM leaves the library as it found it.

Real processes and real signals on real library files: the writer is killed with SIGKILL while its
transaction has pages in the file, and the server gets SIGTERM while a check and searches run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from browsing import free_port, start_server
from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.library.sqlite import SQLiteStore

# A writer in the library's mode at rest (a rollback journal): a tiny page cache makes SQLite write the
# transaction's pages into the file before it commits, so a kill leaves the file changed and the journal hot.
WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 2")
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM passages")
conn.execute("UPDATE sources SET text = text || text")
conn.execute("DELETE FROM meta")
print("writing", flush=True)
time.sleep(600)
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def killed_writer(library: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(library)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)


def test_a_writer_killed_mid_write_leaves_a_library_that_opens_whole(demo_library: Path, tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    shutil.copy(demo_library, library)
    with SQLiteStore(library, read_only=True) as lib:
        before = [(r.id, r.title) for r in lib.refs()]
        passages = len(lib.passages(before[0][0]))
    killed_writer(library)
    journal = library.with_name("library.db-journal")
    assert journal.exists() and journal.stat().st_size > 0  # hot: the kill really came mid-write
    res = CliRunner().invoke(main, ["sources", "--library", str(library)])
    assert res.exit_code == 0, res.output
    assert "not a sourcecheck library" not in res.output
    assert not journal.exists()  # rolled back: the file is at its last commit again
    with SQLiteStore(library, read_only=True) as lib:
        assert [(r.id, r.title) for r in lib.refs()] == before
        assert len(lib.passages(before[0][0])) == passages  # the killed DELETE is undone


@needs_model
def test_serve_stopped_with_sigterm_during_a_check_and_searches_leaves_the_library_as_it_was(
        demo_library: Path, tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    shutil.copy(demo_library, library)
    digest = sha256(library)
    port = free_port()
    proc = start_server(library, port)
    base = f"http://127.0.0.1:{port}"
    try:
        long_doc = "\n".join((EXAMPLES / "october-days.md").read_text(encoding="utf-8").splitlines() * 8)
        body = urllib.parse.urlencode({"text": long_doc, "format": "auto"}).encode()
        with urllib.request.urlopen(urllib.request.Request(base + "/check", data=body), timeout=60) as res:
            job = res.url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 120
        while json.load(urllib.request.urlopen(f"{base}/jobs/{job}/status", timeout=30))["state"] != "running":
            assert time.monotonic() < deadline, "the check never started"
            time.sleep(0.1)
        answers: list[int | str] = []

        def search() -> None:
            try:
                with urllib.request.urlopen(base + "/find?q=" + urllib.parse.quote("the garrison backed the committee"),
                                            timeout=60) as res:
                    answers.append(res.status)
            except urllib.error.HTTPError as err:
                answers.append(err.code)
            except OSError as err:  # the server closed the connection on its way down: not an error page
                answers.append(type(err).__name__)

        searches = [threading.Thread(target=search) for _ in range(4)]
        for t in searches:
            t.start()
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=60)
        for t in searches:
            t.join(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = proc.stdout.read() if proc.stdout else ""
    # uvicorn raises the signal again once it has shut down gracefully: the exit status of a SIGTERM
    assert rc in (0, -signal.SIGTERM), said
    assert "sourcecheck serve: stopped; 1 check cut short; the library is as it was" in said, said
    assert "Traceback" not in said
    assert all(a == 200 or isinstance(a, str) for a in answers), answers  # never a 500
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["library.db"], left  # no -journal, -wal or -shm
    assert sha256(library) == digest  # serve never writes
    res = CliRunner().invoke(main, ["check", str(EXAMPLES / "october-days.md"), "--library", str(library),
                                    "--fail-on", "none", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["summary"]["claims"] == 8
