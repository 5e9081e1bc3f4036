"""Issue 22, "After pip install": what a user without a checkout has, and what the help tells them.

`sourcecheck demo --copy DIR` writes the bundled example out; every `--help` example names only
files that copy holds (never `examples/...`, `tests/fixtures/...` or `../shared`), and the examples
run as written from the folder the copy was made in. The pre-commit hook a pip user can write
(`repo: local`, `language: system`) runs for real, and a Markdown file that cites nothing is what
the README says it is.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main

PATHISH = re.compile(r"\.(md|txt|jsonl|bib|json|ris|tex|docx|wiki)$")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def epilogs() -> dict[str, str]:
    """Every command's and group's examples, the top-level group's included."""
    out = {"sourcecheck": main.epilog or ""}
    for name, cmd in main.commands.items():
        out[name] = cmd.epilog or ""
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            out[f"{name} {sub}"] = (subcmd.help or "").split("Examples:")[-1] if "Examples:" in (subcmd.help or "") else ""
    return out


def example_lines() -> list[str]:
    """The example commands, each once (a group's examples repeat in its command's help)."""
    lines: list[str] = []
    for text in epilogs().values():
        for line in text.splitlines():
            line = line.strip()
            if line.startswith(("sourcecheck ", "cat ", "echo ")) and line not in lines:
                lines.append(line)
    return lines


def test_copy_writes_the_bundled_example(tmp_path: Path) -> None:
    res = run("demo", "--copy", str(tmp_path / "demo"))
    assert res.exit_code == 0, res.output
    bundled = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    written = sorted(p.relative_to(tmp_path / "demo") for p in (tmp_path / "demo").rglob("*") if p.is_file())
    assert written == bundled and len(written) >= 5
    for rel in written:
        assert (tmp_path / "demo" / rel).read_bytes() == (EXAMPLES / rel).read_bytes()
    assert f"wrote {len(written)} files" in res.stdout and "sourcecheck add" in res.stdout


def test_copy_never_overwrites_and_writes_nothing_when_a_file_is_there(tmp_path: Path) -> None:
    dest = tmp_path / "demo"
    (dest / "sources").mkdir(parents=True)
    (dest / "sources" / "notes-on-the-october-days.txt").write_text("my own notes\n")
    res = run("demo", "--copy", str(dest))
    assert res.exit_code == 2
    (line,) = res.stderr.strip().splitlines()
    assert "notes-on-the-october-days.txt: already exists" in line
    assert (dest / "sources" / "notes-on-the-october-days.txt").read_text() == "my own notes\n"
    assert sorted(p.name for p in dest.rglob("*")) == ["notes-on-the-october-days.txt", "sources"]  # nothing else
    (tmp_path / "file").write_text("x")
    res = run("demo", "--copy", str(tmp_path / "file"))
    assert res.exit_code == 2 and "is not a folder" in res.stderr


def test_help_examples_name_only_files_the_copy_holds(tmp_path: Path) -> None:
    assert run("demo", "--copy", str(tmp_path / "demo")).exit_code == 0
    named = 0
    for line in example_lines():
        words = line.split("#")[0].split()
        for before, word in zip([""] + words, words):
            word = word.strip("`'\",()")
            assert not word.startswith(("examples/", "tests/", "../", ".sourcecheck/")), line
            if before in ("-o", "--output", "-l", "--library", "--write-baseline", "--baseline") or not PATHISH.search(word):
                continue
            assert word.startswith("demo/") and (tmp_path / word).is_file(), (line, word)
            named += 1
    assert named >= 15  # the examples do name the copy's files


@needs_model
def test_help_examples_run_as_written_after_demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example line, from the folder where `demo --copy demo` was run (Ray, serve and the
    PostgreSQL URL need a cluster or a server and are run by their own tests)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    assert run("demo", "--copy", "demo").exit_code == 0
    lines = [ln for ln in example_lines() if not re.search(r"--engine ray|serve |postgresql://|demo --copy|^sourcecheck demo", ln)]
    # the libraries first, as a user would make them; `remove` last, since it changes demo.db
    lines.sort(key=lambda ln: (not ln.startswith("sourcecheck add"), "remove" in ln))
    ran = 0
    for line in lines:
        command = line.split("  #")[0].strip()
        stdin = None
        if "|" in command:
            feed, command = (part.strip() for part in command.split("|", 1))
            feed_args = shlex.split(feed)
            stdin = Path(feed_args[1]).read_text() if feed_args[0] == "cat" else feed_args[1] + "\n"
        command, _, redirect = command.partition(" > ")  # "... > sources.csv": the shell's redirection
        args = shlex.split(command)[1:]
        res = CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
        assert res.exit_code in (0, 1), (line, res.output[-1500:])
        if redirect:
            Path(redirect.strip()).write_text(res.stdout)
        ran += 1
    assert ran >= 20


# -- the pre-commit hook of a pip install ------------------------------------------------------

LOCAL_HOOK = """repos:
- repo: local
  hooks:
  - id: sourcecheck
    name: sourcecheck
    entry: sourcecheck check
    language: system
    types: [markdown]
    files: ^essays/
    require_serial: true
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


def readme_local_hook() -> str:
    """The README's `repo: local` block, as a user copies it."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(repos:\n- repo: local\n.*?)```", readme, re.S)
    assert len(blocks) == 1, "the README shows one repo: local hook"
    return blocks[0]


def test_readme_shows_the_local_hook_that_is_tested() -> None:
    assert readme_local_hook() == LOCAL_HOOK


@needs_model
def test_local_pre_commit_hook_runs_the_installed_command(tmp_path: Path, demo_library: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.fail("pre-commit is not installed in this venv (the [test] extra installs it)")
    repo = tmp_path / "repo"
    (repo / "essays").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "sources.db").write_bytes(demo_library.read_bytes())
    (repo / "sourcecheck.toml").write_text('library = "sources.db"\nfail-on = "error"\n')
    lines = (EXAMPLES / "october-days.md").read_text().splitlines(True)
    (repo / "essays" / "good.md").write_text("".join(lines[:2]))  # a verbatim quotation
    (repo / "essays" / "bad.md").write_text("".join(lines[6:8]))  # a misquotation: an error whatever the judge says
    (repo / "README.md").write_text("# Essays\n\nThese essays are checked by sourcecheck.\n")  # outside files:
    (repo / ".pre-commit-config.yaml").write_text(readme_local_hook())
    git(repo, "add", ".")
    # `language: system` runs `sourcecheck` from PATH, as a pip install puts it there; nothing is fetched
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def hook(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(pre_commit), "run", "sourcecheck", "--verbose", "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    res = hook("essays/good.md", "README.md")
    assert res.returncode == 0 and "Passed" in res.stdout, res.stdout + res.stderr
    assert "README.md" not in res.stdout.split("sourcecheck.")[-1]  # files: ^essays/ left it out
    res = hook("essays/good.md", "essays/bad.md")
    assert res.returncode == 1 and "Failed" in res.stdout and "MISQUOTED" in res.stdout, res.stdout + res.stderr
    assert "All: 2 documents" in res.stdout


# -- Markdown that cites nothing ------------------------------------------------------------------

def test_markdown_without_claims_is_an_input_error(tmp_path: Path) -> None:
    """Headings, code and rules only: nothing to check, one line, exit 2 (as the README says)."""
    doc = tmp_path / "CHANGELOG.md"
    doc.write_text("# Changelog\n\n## 0.1.0\n\n```\nmake demo\n```\n\n---\n", encoding="utf-8")
    res = run("check", str(doc), "--library", str(tmp_path / "lib.db"))
    assert res.exit_code == 2
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith(f"sourcecheck: error: {doc}: no claims found")


@needs_model
def test_markdown_prose_that_cites_nothing_is_claims_without_evidence(tmp_path: Path, demo_library: Path) -> None:
    """A README's sentences are claims (each sentence of prose is); with no evidence each is a
    NO EVIDENCE warning, which fails only --fail-on warning, as the README says."""
    doc = tmp_path / "README.md"
    doc.write_text("# Essays\n\nThese essays are about 1917. They are checked before each commit.\n", encoding="utf-8")
    res = run("check", str(doc), "--library", str(demo_library), "--format", "json")
    assert res.exit_code == 0, res.output
    import json

    report = json.loads(res.stdout)
    assert [c["verdict"] for c in report["claims"]] == ["no_evidence", "no_evidence"]
    assert run("check", str(doc), "--library", str(demo_library), "--fail-on", "warning").exit_code == 1
