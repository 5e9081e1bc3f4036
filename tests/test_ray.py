"""Batch on Ray, on a real local Ray cluster: ``judge --engine ray`` and ``check --engine ray DOC...``
give the lines of a plain run (same claims, order and verdicts) even when a worker is killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.tuning import RAY_OBJECT_STORE_BYTES, RAY_WORKER_NICENESS

pytestmark = needs_model


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray cluster of 2 CPUs for this module; the commands join it instead of starting one."""
    try:
        import ray
    except ImportError as err:
        pytest.fail(f"Ray is not installed (make test installs the [ray] extra): {err}")
    try:
        ray.init(num_cpus=2, include_dashboard=False, object_store_memory=RAY_OBJECT_STORE_BYTES, log_to_driver=False,
                 _system_config={"worker_niceness": RAY_WORKER_NICENESS})
    except Exception as err:
        pytest.fail(f"a local Ray cluster could not start: {err}")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def claims(tmp_path_factory, shared) -> Path:
    """24 WiCE dev claims (3 Ray batches), each with its supporting sentences as evidence (real rows,
    short to judge)."""
    rows = []
    for line in (shared / "bench/wice/dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        keep = sorted({i for group in r["supporting_sentences"] for i in group})
        evidence = [r["evidence"][i] for i in keep] or r["evidence"][:3]
        rows.append({"id": f"wice-{len(rows)}", "claim": r["claim"], "evidence": evidence})
        if len(rows) == 24:
            break
    path = tmp_path_factory.mktemp("ray") / "claims.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _worker_pids(name: str) -> list[int]:
    """Processes of Ray actors of class ``name`` busy with a task (Ray titles them ``ray::Name.run``)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(f"ray::{name}.run".encode()):
                pids.append(int(entry.name))
    return pids


def _lines_so_far(output: Path) -> int:
    """Lines written so far: ``-o`` goes to a temporary file beside it until the run ends."""
    files = [*output.parent.glob(f".{output.name}.*.tmp"), output]
    return max((f.read_text(encoding="utf-8").count("\n") for f in files if f.exists()), default=0)


def _kill_a_worker_when(output: Path, lines: int, name: str, killed: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            done = _lines_so_far(output)
        except OSError:  # the temporary file was renamed between glob and read
            continue
        pids = _worker_pids(name)
        if done >= lines and pids:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])
            return
        time.sleep(0.05)


def test_judge_on_ray_survives_a_killed_worker(ray_cluster, claims: Path, tmp_path: Path) -> None:
    plain = CliRunner().invoke(main, ["judge", "-i", str(claims)])
    assert plain.exit_code == 0, plain.output
    out = tmp_path / "ray.jsonl"
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(target=_kill_a_worker_when, args=(out, 8, "JudgeWorker", killed, stop))
    killer.start()
    try:
        res = CliRunner().invoke(main, ["judge", "-i", str(claims), "-o", str(out), "--engine", "ray", "--workers", "2"])
    finally:
        stop.set()
        killer.join()
    assert res.exit_code == 0, res.output
    assert killed, "no worker was killed mid-run (the run ended before the first batches were written)"
    ours = out.read_text(encoding="utf-8").splitlines()
    theirs = [ln for ln in plain.output.splitlines() if ln.startswith("{")]
    assert [json.loads(x)["id"] for x in ours] == [f"wice-{i}" for i in range(24)]  # none lost, none twice
    for a, b in zip(map(json.loads, ours), map(json.loads, theirs)):
        assert (a["id"], a["verdict"], a["uncovered"]) == (b["id"], b["verdict"], b["uncovered"])
        # Scores may differ a little between processes (seen once: 0.3135 in the plain run of this test
        # against 0.3276 on Ray and in a plain run on its own, one claim): the model runtime's, not Ray's.
        assert abs(a["support"] - b["support"]) < 0.03 and abs(a["contradiction"] - b["contradiction"]) < 0.03
    assert "judging on Ray" in res.output  # progress on stderr


def _second_document(tmp_path: Path) -> Path:
    doc = tmp_path / "garrison.md"
    doc.write_text(
        "# The garrison\n\n"
        "- The Petrograd garrison sided with the Military Revolutionary Committee.\n"
        "    - \u201cthe garrison declared for the Military Revolutionary Committee\u201d "
        "(The Petrograd Garrison)\n"
        "- The Winter Palace fell in the night.\n",
        encoding="utf-8",
    )
    return doc


def test_check_several_documents_on_ray_in_input_order(ray_cluster, demo_library: Path, tmp_path: Path) -> None:
    docs = [str(EXAMPLES / "october-days.md"), str(_second_document(tmp_path)), str(EXAMPLES / "october-days.md")]
    plain = []
    for d in docs:
        r = CliRunner().invoke(main, ["check", d, "--library", str(demo_library), "--format", "json", "--fail-on", "none"])
        assert r.exit_code == 0, r.output
        plain.append(json.loads(r.output[r.output.index("{"):]))
    out = tmp_path / "reports.jsonl"
    res = CliRunner().invoke(main, ["check", *docs, "--library", str(demo_library), "--engine", "ray",
                                    "--workers", "2", "-o", str(out), "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    reports = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["document"] for r in reports] == [p["document"] for p in plain]
    assert reports == plain  # one report per document, each the plain run's


def test_local_engine_writes_the_same_json_lines(demo_library: Path, tmp_path: Path) -> None:
    docs = [str(EXAMPLES / "october-days.md"), str(_second_document(tmp_path))]
    res = CliRunner().invoke(main, ["check", *docs, "--library", str(demo_library), "--fail-on", "none",
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    reports = [json.loads(x) for x in res.output.splitlines() if x.startswith("{")]
    assert [r["document"] for r in reports] == docs


def test_fail_on_counts_every_document(demo_library: Path, tmp_path: Path) -> None:
    docs = [str(_second_document(tmp_path)), str(EXAMPLES / "october-days.md")]
    for level in ("error", "warning"):
        alone = [CliRunner().invoke(main, ["check", d, "--library", str(demo_library), "--fail-on", level]).exit_code
                 for d in docs]
        res = CliRunner().invoke(main, ["check", *docs, "--library", str(demo_library), "--fail-on", level])
        assert res.exit_code == max(alone), (level, alone)


def test_without_ray_the_option_says_how_to_get_it(monkeypatch, claims: Path, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if it were not installed
    out = tmp_path / "never.jsonl"
    res = CliRunner().invoke(main, ["judge", "-i", str(claims), "--engine", "ray", "-o", str(out)])
    assert res.exit_code == 2
    assert "pip install 'sourcecheck[ray]'" in res.output
    assert not out.exists()  # nothing half-written


def test_a_markdown_report_is_not_silently_dropped(demo_library: Path, tmp_path: Path) -> None:
    """Several documents in Markdown: one report after another (issue 13), none dropped."""
    docs = [str(EXAMPLES / "october-days.md"), str(_second_document(tmp_path))]
    res = CliRunner().invoke(main, ["check", *docs, "--library", str(demo_library), "--format", "md",
                                    "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    assert res.output.count("# sourcecheck report") == 2 and "garrison.md" in res.output
