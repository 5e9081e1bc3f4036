"""Settings files (issue 13 §4): found upward, overridden by the command line, shown by `sourcecheck config`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env={"SOURCECHECK_LIBRARY": "", **(env or {})}, catch_exceptions=False)


def shown(*args: str) -> dict:
    return json.loads(run("config", *args, "--format", "json").stdout)


def test_pyproject_found_upward_and_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "essays"\n\n[tool.sourcecheck]\n'
                                             'library = "libs/main.db"\nfail-on = "warning"\nper-source = 2\n')
    deep = tmp_path / "essays" / "1917"
    deep.mkdir(parents=True)
    doc = deep / "essay.md"
    doc.write_text("- A claim.\n")
    got = shown(str(doc))
    assert got["library"] == {"value": str(tmp_path / "libs/main.db"), "origin": f"{tmp_path / 'pyproject.toml'} [tool.sourcecheck]"}
    assert got["fail-on"]["value"] == "warning" and got["per-source"]["value"] == 2
    assert got["format"] == {"value": "text", "origin": "default"}
    # A nearer sourcecheck.toml wins; a pyproject.toml without the table is passed over.
    (deep / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert shown(str(doc))["fail-on"]["value"] == "warning"
    (tmp_path / "essays" / "sourcecheck.toml").write_text('fail-on = "none"\n')
    got = shown(str(doc))
    assert got["fail-on"] == {"value": "none", "origin": str(tmp_path / "essays" / "sourcecheck.toml")}
    assert got["library"]["origin"] == "default"  # one file in force, not a merge of several
    text = run("config", str(doc)).stdout
    assert re.search(r'^fail-on += "none"', text, re.M) and f"# {tmp_path / 'essays' / 'sourcecheck.toml'}" in text


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    (tmp_path / "sourcecheck.toml").write_text('library = "a.db"\n')
    res = run("config", str(tmp_path), "--format", "json", env={"SOURCECHECK_LIBRARY": "/x/env.db"})
    assert json.loads(res.stdout)["library"] == {"value": "/x/env.db", "origin": "$SOURCECHECK_LIBRARY"}


def test_bad_settings_are_input_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "sourcecheck.toml"
    for text, expect in [('fail-on = "sometimes"\n', "fail-on must be one of"), ('colour = "red"\n', "unknown setting"),
                         ('per-source = "3"\n', "per-source must be a int"), ("library = \n", "not valid TOML")]:
        cfg.write_text(text)
        res = run("config", str(tmp_path))
        assert res.exit_code == 2 and str(cfg) in res.stderr and expect in res.stderr, res.stderr


@needs_model
def test_check_uses_the_file_and_the_command_line_wins(tmp_path: Path, demo_library: Path) -> None:
    shutil.copy(demo_library, tmp_path / "lib.db")
    (tmp_path / "sourcecheck.toml").write_text('library = "lib.db"\nformat = "json"\nfail-on = "none"\n')
    doc = tmp_path / "essay.md"
    doc.write_text((EXAMPLES / "october-days.md").read_text())
    res = run("check", str(doc))
    assert res.exit_code == 0  # fail-on none from the file
    assert json.loads(res.stdout)["library"] == str(tmp_path / "lib.db")
    res = run("check", str(doc), "--fail-on", "error", "--format", "text")
    assert res.exit_code == 1 and res.stdout.startswith("sourcecheck: ")
