"""The README's examples run as written (issue 13 §6), in order, against the libraries they name.

The shell blocks run as one bash script (as a newcomer types them into one shell, so activating
the venv in the first block holds for the rest) in a scratch folder that looks like a checkout:
links to this checkout's .venv, examples, Makefile and sources, and ../shared beside it. The
Python block runs after them; the TOML block is read by `sourcecheck config`.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, needs_model

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCK.findall((ROOT / "README.md").read_text()) if kind == lang]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory, shared: Path) -> Path:
    top = tmp_path_factory.mktemp("readme")
    (top / "shared").symlink_to(SHARED)
    work = top / "work"
    work.mkdir()
    for name in (".venv", "examples", "Makefile", "src", "README.md"):
        (work / name).symlink_to(ROOT / name)
    # A copy no newer than the venv, so `make demo` uses this venv as it is instead of rebuilding it.
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    (work / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    os.utime(work / "pyproject.toml", (stamp - 1, stamp - 1))
    return work


def test_readme_has_runnable_blocks() -> None:
    assert len(blocks("sh")) >= 4 and len(blocks("python")) == 1
    assert any(". .venv/bin/activate" in b for b in blocks("sh"))


@needs_model
def test_shell_and_python_examples_run_as_written(checkout: Path) -> None:
    script = "set -euo pipefail\n" + "\n".join(blocks("sh"))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "SOURCECHECK_LIBRARY")}
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if not p.startswith(str(ROOT)))  # as a fresh shell
    res = subprocess.run(["bash", "-c", script], cwd=checkout, env=env, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, f"exit {res.returncode}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    assert "normalized in Notes on the October Days" in res.stdout  # the quotation is found, in the library named
    assert (checkout / "report.json").exists() and (checkout / "sourcecheck.sarif").exists()
    assert '"verdict"' in (checkout / "verdicts.jsonl").read_text()
    assert (checkout / ".sourcecheck" / "demo.db").exists() and (checkout / ".sourcecheck" / "library.db").exists()
    res = subprocess.run([str(checkout / ".venv" / "bin" / "python"), "-c", blocks("python")[0]], cwd=checkout,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert re.match(r"1 [a-z_]+ \['normalized'\]\n3 ", res.stdout) and "Judgement(verdict=" in res.stdout


def test_toml_example_is_a_valid_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(blocks("toml")[0])
    res = subprocess.run([str(ROOT / ".venv" / "bin" / "sourcecheck"), "config", "--format", "json"], cwd=tmp_path,
                         capture_output=True, text=True, env={**os.environ, "SOURCECHECK_LIBRARY": ""})
    assert res.returncode == 0, res.stderr
    assert '"origin": "' + str(tmp_path / "pyproject.toml") + ' [tool.sourcecheck]"' in res.stdout
