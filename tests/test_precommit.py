"""The repository's .pre-commit-hooks.yaml, run by pre-commit itself on a scratch git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, needs_model

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


@needs_model
def test_pre_commit_runs_check_on_changed_markdown(tmp_path: Path, demo_library: Path) -> None:
    if not PRE_COMMIT.exists():
        pytest.fail("pre-commit is not installed in this venv (make install installs the [test] extra)")
    repo = tmp_path / "essays"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(demo_library, repo / "sources.db")
    (repo / "sourcecheck.toml").write_text('library = "sources.db"\nfail-on = "none"\n')
    lines = (EXAMPLES / "october-days.md").read_text().splitlines(True)
    (repo / "good.md").write_text("".join(lines[:2]))  # its quotation is verbatim
    (repo / "bad.md").write_text("".join(lines[6:8]))  # a misquotation (drift): an error whatever the judge says
    (repo / "notes.txt").write_text("not Markdown: the hook leaves it alone\n")
    # The project's committed hook definition, as a user's config names it (one install for both runs).
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: sourcecheck\n")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def hook(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(PRE_COMMIT), "run", "sourcecheck", "--verbose", "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=1200)

    res = hook("good.md", "bad.md", "notes.txt")  # fail-on none: reports, passes
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Passed" in res.stdout and "All: 2 documents" in res.stdout and "notes.txt" not in res.stdout.split("sourcecheck (")[1]
    (repo / "sourcecheck.toml").write_text('library = "sources.db"\nfail-on = "error"\n')
    res = hook("bad.md", "notes.txt")
    assert res.returncode == 1 and "Failed" in res.stdout and "MISQUOTED" in res.stdout
