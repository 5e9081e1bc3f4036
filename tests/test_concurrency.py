"""The judge shared between threads (issue 24): serve's requests, its check worker and a library user's
pool all call one model; none may fail another's call, and the answers are the ones one thread gets."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from conftest import needs_model

EVIDENCE = "By 23 October the committee could count on most of the garrison without having fired a shot. "
PAIRS = [(EVIDENCE * (1 + i % 3), "The garrison backed the committee.") for i in range(24)]


@needs_model
def test_one_model_called_from_many_threads_at_once_never_fails() -> None:
    from sourcecheck.judge.model import get_cross_encoder

    model = get_cross_encoder()
    widths = [48, 64, 96, 128]  # each call its own truncation width: the change that raised "Already borrowed"
    alone = {w: model.predict(PAIRS, batch=8, max_len=w) for w in widths}
    start = threading.Barrier(8)

    def call(i: int) -> np.ndarray:
        start.wait()  # all eight at once
        return model.predict(PAIRS, batch=8, max_len=widths[i % 4])

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(call, range(16)))
    for i, probs in enumerate(got):
        np.testing.assert_allclose(probs, alone[widths[i % 4]], atol=1e-5)


@needs_model
def test_the_model_is_loaded_once_when_several_threads_ask_first() -> None:
    from sourcecheck.judge import model as model_module

    model_module._load.cache_clear()
    start = threading.Barrier(4)

    def load(_: int) -> object:
        start.wait()
        return model_module.get_cross_encoder(threads=1)

    with ThreadPoolExecutor(4) as pool:
        loaded = list(pool.map(load, range(4)))
    assert all(m is loaded[0] for m in loaded)


@needs_model
def test_the_judge_from_several_threads_gives_the_one_thread_verdicts() -> None:
    from sourcecheck.judge import get_judge

    judge = get_judge()
    claims = ["The garrison backed the committee.", "The committee fired on the garrison.",
              "Most of the garrison sided with the committee by 23 October."]
    alone = [judge.judge(c, EVIDENCE) for c in claims]
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda i: judge.judge(claims[i % 3], EVIDENCE), range(12)))
    assert [g.verdict for g in got] == [alone[i % 3].verdict for i in range(12)]
    assert all(abs(g.support - alone[i % 3].support) < 1e-4 for i, g in enumerate(got))


@needs_model
def test_one_judge_and_one_static_encoder_when_several_threads_ask_first() -> None:
    from sourcecheck.judge import judge as judge_module
    from sourcecheck.library import embed

    judge_module._JUDGE = None
    embed._load.cache_clear()
    start = threading.Barrier(4)

    def ask(_: int) -> tuple[object, object]:
        start.wait()
        return judge_module.get_judge(), embed.get_static_encoder()

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(ask, range(4)))
    assert all(j is got[0][0] and e is got[0][1] for j, e in got)
