"""Shared fixtures: paths to the project's example and to ../shared, and a demo library."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
MODEL = ROOT / "src/sourcecheck/models/judge/model.onnx"

needs_model = pytest.mark.skipif(not MODEL.exists(), reason="the judge model is not exported yet (make train)")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def demo_library(tmp_path_factory) -> Path:
    """The bundled example sources in a real library file (built once per test session)."""
    from sourcecheck.library import Library

    path = tmp_path_factory.mktemp("demo") / "library.db"
    with Library(path) as lib:
        lib.add(EXAMPLES / "sources")
    return path


@pytest.fixture(scope="session")
def shared_library(tmp_path_factory, shared) -> Path:
    """../shared/library ingested into a real library file (once per test session)."""
    from sourcecheck.library import Library

    path = tmp_path_factory.mktemp("shared") / "library.db"
    with Library(path) as lib:
        lib.add(shared / "library")
    return path


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL server for the whole run (tests/pg_cluster.py); fails, never skips."""
    import pg_cluster as pg

    try:
        cluster = pg.start()
    except (pg.ClusterError, OSError, subprocess.SubprocessError) as err:
        pytest.fail(f"the PostgreSQL test server could not start: {err}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_database(pg_cluster, request) -> str:
    """The URL of a new, empty database on the test server, named after the test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50] + f"_{next(_DB_SERIAL)}"
    return pg_cluster.create_database(name)


_DB_SERIAL = itertools.count()


@pytest.fixture
def fake_judge(monkeypatch):
    """The rule-table judge (judge/fake.py) in place of the shipped one, for every command of the test:
    pipeline tests of check, reports and cite that need no ONNX. Set ``.rules`` to decide verdicts."""
    import sourcecheck.judge as judge_pkg
    from sourcecheck.judge import backends
    from sourcecheck.judge.fake import FakeJudge

    fake = FakeJudge()
    monkeypatch.setattr(judge_pkg, "get_judge", lambda: fake)
    monkeypatch.setattr(backends, "get_judge", lambda: fake)  # the cross-encoder backend, as the Wiring makes it
    return fake
