"""Every library command against a real PostgreSQL server, and ``library copy`` both ways.

The server is the session's throwaway cluster (tests/pg_cluster.py); without it these fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.library import open_library
from sourcecheck.library.segment import make_passages
from test_store_contract import stored

QUOTE = "their arrival settled any doubt about who held the city"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_commands_take_a_postgresql_url(pg_database, tmp_path):
    r = run("add", str(EXAMPLES / "sources"), "--library", pg_database)
    assert r.exit_code == 0, r.output
    env = {"SOURCECHECK_LIBRARY": pg_database}
    listed = json.loads(run("sources", "--format", "json", env=env).output)
    assert sorted(s["id"] for s in listed) == ["notes-on-the-october-days", "the-petrograd-garrison-in-1917"]
    found = json.loads(run("quote", QUOTE, "--format", "json", env=env).output)
    assert found["quote_status"] in ("exact", "normalized") and found["location"]["line"] > 1
    missing = json.loads(run("quote", "the cruiser fired on the palace at noon precisely", "--format", "json",
                             env=env).output)
    assert missing["quote_status"] in ("absent", "drift")
    r = run("find", "Sailors came from Kronstadt", "--no-rescore", "--format", "json", "-k", "2", env=env)
    assert r.exit_code == 0, r.output
    assert any("Kronstadt" in hit["quote"] for hit in json.loads(r.output))
    r = run("index", env=env)
    assert r.exit_code == 0 and "indexed 2 sources" in r.output, r.output
    with open_library(pg_database, read_only=True) as lib:
        assert lib.vector_count() == lib.stats()["passages"] > 0
    r = run("find", "Sailors came from Kronstadt", "--no-rescore", "--format", "json", "-k", "2", env=env)
    assert any("Kronstadt" in hit["quote"] for hit in json.loads(r.output))  # hybrid, with pgvector
    assert run("remove", "the-petrograd-garrison-in-1917", env=env).exit_code == 0
    listed = json.loads(run("sources", "--format", "json", env=env).output)
    assert [s["id"] for s in listed] == ["notes-on-the-october-days"]


@needs_model
def test_check_against_postgresql_matches_sqlite(pg_database, tmp_path):
    db = str(tmp_path / "lib.db")
    for target in (db, pg_database):
        assert run("add", str(EXAMPLES / "sources"), "--library", target).exit_code == 0
    reports = []
    for target in (db, pg_database):
        r = run("check", str(EXAMPLES / "october-days.md"), "--format", "json", "--fail-on", "none", "--library", target)
        assert r.exit_code == 0, r.output
        report = json.loads(r.output)
        reports.append([(c.get("verdict"), [e.get("quote_status") for e in c.get("evidence", [])])
                        for c in report["claims"]])
    assert reports[0] == reports[1] and reports[0]


def test_library_copy_both_ways_loses_nothing(pg_database, tmp_path):
    first, back = str(tmp_path / "first.db"), str(tmp_path / "back.db")
    assert run("add", str(EXAMPLES / "sources"), "--library", first).exit_code == 0
    assert run("index", "--library", first).exit_code == 0  # vectors travel too
    r = run("library", "copy", first, pg_database)
    assert r.exit_code == 0, r.output
    r = run("library", "copy", pg_database, f"sqlite:///{back}")
    assert r.exit_code == 0, r.output
    with open_library(first) as a, open_library(pg_database) as b, open_library(back) as c:
        assert stored(a) == stored(b) == stored(c)
        assert stored(a)[0][11]  # the vectors' model: vectors were there to compare
        assert b.quote_index_hashes() == a.source_hashes()  # the target's quotation index was built
    found = json.loads(run("quote", QUOTE, "--format", "json", "--library", pg_database).output)
    assert found["quote_status"] in ("exact", "normalized")
    again = run("library", "copy", first, pg_database)
    assert again.exit_code == 2 and "--replace" in again.output
    assert run("library", "copy", first, pg_database, "--replace").exit_code == 0


def test_two_writers_at_once_leave_no_half_source(pg_database, tmp_path):
    """Two processes add overlapping folders to one database at the same moment."""
    folders = []
    for w in range(2):
        d = tmp_path / f"w{w}"
        d.mkdir()
        for i in range(8):
            n = i if i < 4 else 10 * w + i  # four files the same in both folders, four not
            (d / f"s{n}.txt").write_text(f"Source {n}\n\n" + f"Sentence {n} of the shared test. " * 300, encoding="utf-8")
        folders.append(d)
    assert run("add", str(folders[0] / "s0.txt"), "--library", pg_database).exit_code == 0  # the schema first
    exe = str(Path(sys.executable).parent / "sourcecheck")
    procs = [subprocess.Popen([exe, "add", str(d), "--library", pg_database],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for d in folders]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    with open_library(pg_database, read_only=True) as lib:
        sources = lib.sources()
        # 16 files, 4 of them the same text in both folders: kept once ("duplicate"), even when
        # both writers add it at the same moment
        assert len(sources) == 12 and len({s.sha256 for s in sources}) == 12
        for s in sources:
            assert [(p.start, p.end) for p in lib.passages(s.id)] == \
                [(p.start, p.end) for p in make_passages(s.id, s.text)]


def test_unreachable_server_is_one_line_and_exit_2(tmp_path):
    r = run("sources", "--library", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and "cannot connect" in r.output and "secret" not in r.output


def test_read_only_commands_do_not_write_to_postgresql(pg_database):
    with open_library(pg_database) as lib:  # through the API: the quotation index is not built
        lib.add(EXAMPLES / "sources")
        before = (stored(lib), lib.quote_index_hashes(), lib.revision())
    assert before[1] == {}
    found = json.loads(run("quote", QUOTE, "--format", "json", "--library", pg_database).output)
    assert found["quote_status"] in ("exact", "normalized")  # read from the texts, the index left alone
    assert run("find", "Kronstadt sailors", "--no-rescore", "--library", pg_database).exit_code == 0
    with open_library(pg_database) as lib:
        assert (stored(lib), lib.quote_index_hashes(), lib.revision()) == before
