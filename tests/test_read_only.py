"""The checking commands never write to the library (issue 13 §2).

``check``, ``quote``, ``find``, ``sources``, ``dates`` and ``judge`` open the library
read-only (``cite`` too, by the same path as ``check``): the file's bytes are the same before and after, and no -wal/-shm file appears beside it.
Run through the CLI, on a real library file, with the library named both ways (option and
$SOURCECHECK_LIBRARY).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@needs_model
def test_checking_commands_leave_the_library_file_as_it_was(tmp_path):
    lib = tmp_path / "lib" / "library.db"
    runner = CliRunner()
    r = runner.invoke(main, ["add", str(EXAMPLES / "sources"), "--library", str(lib)])
    assert r.exit_code == 0, r.output
    before, files = digest(lib), beside(lib)
    assert files == ["library.db"]
    doc = tmp_path / "doc.md"
    shutil.copy(EXAMPLES / "october-days.md", doc)
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"claim": "The garrison obeyed the committee.",
                                  "evidence": "One regiment after another declared that it would obey the committee."})
                      + "\n", encoding="utf-8")
    quote = "By 23 October the committee could count on most of the garrison"
    calls = [
        ["check", str(doc), "--library", str(lib), "--fail-on", "none"],
        ["quote", quote, "--library", str(lib)],
        ["quote", quote, "--source", "Notes on the October Days", "--library", str(lib), "--format", "json"],
        ["find", "The garrison obeyed the committee", "--library", str(lib), "--no-rescore"],
        ["sources", "--library", str(lib)],
        ["dates", str(doc)],
        ["judge", "--input", str(claims)],
    ]
    for args in calls:
        r = runner.invoke(main, args, env={"SOURCECHECK_LIBRARY": str(lib)})
        assert r.exit_code in (0, 1), (args, r.output)
        assert digest(lib) == before, args
        assert beside(lib) == files, args  # no cache file, no -wal/-shm
    found = runner.invoke(main, ["quote", quote], env={"SOURCECHECK_LIBRARY": str(lib)}).output
    assert "in Notes on the October Days, line" in found  # $SOURCECHECK_LIBRARY named the library


def test_read_only_quote_finds_sources_the_index_does_not_cover(tmp_path):
    """A library whose quotation index is missing (an older file) is read, not repaired, by `quote`."""
    from sourcecheck.library import Library

    lib = tmp_path / "library.db"
    with Library(lib) as store:  # added through the API: no quotation index is built
        store.add(EXAMPLES / "sources")
        assert store.quote_index_hashes() == {}
    before = digest(lib)
    quote = "their arrival settled any doubt about who held the city"
    r = CliRunner().invoke(main, ["quote", quote, "--library", str(lib), "--format", "json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.output)
    assert found["quote_status"] in ("exact", "normalized")
    with Library(lib, read_only=True) as store:
        assert quote in " ".join(store.get(found["source"]["id"]).text.split())
    assert digest(lib) == before
