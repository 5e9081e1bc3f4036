"""The wheel stands alone (issue 13 §1): built once per session, installed in a fresh venv, run outside the repo.

Also the tokenizers pin: the pinned version gives the same token ids as the version before the pin,
on 1,000 sentences of ../shared, both ways the package tokenizes (bench/token_ids.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, needs_model

REFERENCE_TOKENIZERS = "0.23.3"  # the version installed before the pin (it needs huggingface_hub)
DOWNLOADERS = {"huggingface-hub", "huggingface_hub", "hf-xet", "httpx", "httpx2", "requests", "fsspec"}


def sh(*cmd: str | Path, cwd: Path | None = None, input: str | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    res = subprocess.run([str(c) for c in cmd], cwd=cwd, input=input, capture_output=True, text=True, timeout=timeout)
    if res.returncode not in (0, 1):
        pytest.fail(f"{' '.join(map(str, cmd))} exited {res.returncode}:\n{res.stderr[-3000:]}")
    return res


def fresh_venv(path: Path, *packages: str) -> Path:
    venv.create(path, with_pip=True)
    py = path / "bin" / "python"
    res = subprocess.run([str(py), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        pytest.fail(f"pip install {' '.join(packages)} failed (is the package registry reachable?):\n{res.stderr[-3000:]}")
    return py


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # From a copy without build outputs: setuptools reuses build/lib, where a file since deleted lingers.
    tree = tmp_path_factory.mktemp("tree") / "sourcecheck"
    shutil.copytree(ROOT, tree, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", ".sourcecheck", "__pycache__", ".pytest_cache", "out"))
    sh(sys.executable, "-m", "build", "--wheel", "--outdir", out, tree)
    (found,) = out.glob("sourcecheck-*.whl")
    return found


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A fresh venv with only the wheel (and its dependencies) in it: its bin folder."""
    py = fresh_venv(tmp_path_factory.mktemp("venv") / "v", str(wheel))
    return py.parent


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "sourcecheck/__main__.py" in names
    assert {"sourcecheck/examples/october-days.md", "sourcecheck/examples/sources/notes-on-the-october-days.txt",
            "sourcecheck/examples/sources/the-petrograd-garrison.txt"} <= set(names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: Apache-2.0" in meta
    for extra in ("serve", "postgres", "ray", "train", "bench"):
        assert f"Provides-Extra: {extra}" in meta


def test_wheel_under_pypi_limit(wheel: Path) -> None:
    """PyPI refuses files over 100 MiB by default; the models (issue 9) are what weigh."""
    assert wheel.stat().st_size < 100 * 2**20, f"{wheel.stat().st_size / 2**20:.1f} MiB is over PyPI's 100 MiB"


def test_no_download_client_installed(installed: Path) -> None:
    res = sh(installed / "python", "-m", "pip", "list", "--format", "json")
    have = {p["name"].lower() for p in json.loads(res.stdout)}
    assert "tokenizers" in have and "sourcecheck" in have
    if sys.version_info < (3, 12):  # newer Pythons take a current tokenizers (see pyproject.toml)
        assert not have & DOWNLOADERS, have & DOWNLOADERS


@needs_model
def test_demo_and_judge_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    res = sh(installed / "sourcecheck", "demo", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "MISQUOTED" in res.stdout and "bundled example" in res.stdout and "Summary:" in res.stdout
    assert list(tmp_path.iterdir()) == []  # the temporary library is gone
    line = json.dumps({"id": 1, "claim": "The garrison stayed in its barracks.",
                       "evidence": "Most of the garrison stayed in their barracks and waited."})
    res = sh(installed / "sourcecheck", "judge", cwd=tmp_path, input=line + "\n")
    verdict = json.loads(res.stdout)
    assert res.returncode == 0 and verdict["id"] == 1 and 0 <= verdict["support"] <= 1
    assert verdict["verdict"] in ("supported", "partially_supported", "contradicted", "not_addressed")
    res = sh(installed / "python", "-m", "sourcecheck", "--help", cwd=tmp_path)
    assert res.returncode == 0 and "Usage: sourcecheck" in res.stdout


def test_demo_copy_from_the_wheel_gives_the_help_examples_files(installed: Path, tmp_path: Path) -> None:
    """A pip user's `demo --copy demo`, then the first examples of `--help`, outside the repository."""
    res = sh(installed / "sourcecheck", "demo", "--copy", "demo", cwd=tmp_path)
    assert res.returncode == 0 and (tmp_path / "demo" / "october-days.md").is_file(), res.stderr
    res = sh(installed / "sourcecheck", "add", "demo/sources", "--library", "demo.db", cwd=tmp_path)
    assert res.returncode == 0 and "2 added" in res.stderr
    res = sh(installed / "sourcecheck", "dates", "demo/october-days.md", "--library", "demo.db", cwd=tmp_path)
    assert res.returncode == 0 and "1917-11-07" in res.stdout


def test_token_ids_unchanged_by_the_pin(shared: Path, tmp_path_factory) -> None:
    """Same ids from the pinned tokenizers as from the reference version, judge pairs and static embedding."""
    ref = fresh_venv(tmp_path_factory.mktemp("tokref") / "v", f"tokenizers=={REFERENCE_TOKENIZERS}")
    script = ROOT / "bench" / "token_ids.py"
    ours = json.loads(sh(sys.executable, script, "--shared", shared).stdout)
    theirs = json.loads(sh(ref, script, "--shared", shared).stdout)
    assert theirs["version"] == REFERENCE_TOKENIZERS and ours["version"] != theirs["version"]
    assert ours["sentences"] == theirs["sentences"] == 1000
    for kind in ("judge_pairs", "claims", "static"):
        assert ours[kind] == theirs[kind], kind
        assert sum(map(len, ours[kind])) > 10 * len(ours[kind])  # real sentences, not empty encodings
