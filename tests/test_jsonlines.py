"""One JSON Lines reader: a bad line reads the same in `judge`, `find`, `quote`, `check` (a JSON
Lines document) and `add` (JSON Lines sources), and exits 2 naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main

BAD = '{"claim": "ok", "quote": "ok", "title": "t", "text": "x"}\n\n{"claim": oops}\n'


def _call(cmd: str, path: Path, library: Path) -> list[str]:
    return {
        "judge": ["judge", "--input", str(path)],
        "find": ["find", "--input", str(path), "--library", str(library), "--no-rescore"],
        "quote": ["quote", "--input", str(path), "--library", str(library)],
        "check": ["check", str(path), "--library", str(library)],
        "add": ["add", str(path), "--library", str(library)],
    }[cmd]


@pytest.mark.parametrize("cmd", ["judge", "find", "quote", "check", "add"])
def test_a_bad_line_reads_the_same_everywhere(cmd: str, tmp_path: Path, demo_library: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(BAD, encoding="utf-8")
    library = demo_library if cmd != "add" else tmp_path / "new.db"
    res = CliRunner().invoke(main, _call(cmd, path, library))
    assert res.exit_code == 2, res.output
    assert f"{path}:3: not valid JSON: Expecting value (column 11)" in res.output


@pytest.mark.parametrize("cmd,field", [("judge", "claim"), ("quote", "quote"), ("check", "claim")])
def test_a_missing_field_is_named(cmd: str, field: str, tmp_path: Path, demo_library: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": 1}\n', encoding="utf-8")
    res = CliRunner().invoke(main, _call(cmd, path, demo_library))
    assert res.exit_code == 2
    assert f'{path}:1: each line needs a "{field}" field' in res.output


def test_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('["claim"]\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["judge", "--input", str(path)])
    assert res.exit_code == 2 and f"{path}:1: each line must be a JSON object" in res.output
