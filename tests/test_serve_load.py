"""`serve` under a burst (issue 24): twenty searches at once all answer, and none of them fails the check
that runs meanwhile. A real server process on a free port, the real judge, real threads as clients."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from browsing import served
from conftest import EXAMPLES, needs_model

CLAIMS = ["the garrison backed the committee", "the Winter Palace was taken on 25 October",
          "Kerensky left Petrograd", "the cruiser Aurora fired a blank shot", "the Congress of Soviets met"]


def get(url: str, timeout: float = 300) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:
            return res.status, res.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def post_check(base: str, text: str) -> str:
    body = urllib.parse.urlencode({"text": text, "format": "auto"}).encode()
    with urllib.request.urlopen(urllib.request.Request(base + "/check", data=body), timeout=60) as res:
        return res.url.rsplit("/", 1)[1]


def status(base: str, job: str) -> dict:
    return json.loads(get(f"{base}/jobs/{job}/status", timeout=60)[1])


@pytest.fixture
def server(demo_library: Path):
    yield from served(demo_library, stop_timeout=60)


@needs_model
def test_twenty_searches_at_once_all_answer_and_the_check_meanwhile_finishes(server: str) -> None:
    doc = "\n".join((EXAMPLES / "october-days.md").read_text(encoding="utf-8").splitlines() * 3)
    job = post_check(server, doc)
    deadline = time.monotonic() + 120
    while status(server, job)["state"] == "queued":
        assert time.monotonic() < deadline, "the check never started"
        time.sleep(0.1)
    start = threading.Barrier(20)
    answers: list[tuple[int, str]] = [(0, "")] * 20

    def search(i: int) -> None:
        start.wait()  # all twenty at once
        answers[i] = get(server + "/find?q=" + urllib.parse.quote(CLAIMS[i % len(CLAIMS)]))

    threads = [threading.Thread(target=search, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    codes = [code for code, _ in answers]
    assert codes == [200] * 20, [(c, body[-300:]) for c, body in answers if c != 200]
    # Each answer is the page of results for its own claim, with passages from the library in it.
    for i, (_, body) in enumerate(answers):
        assert CLAIMS[i % len(CLAIMS)] in body and "Notes on the October Days" in body
    # The same claim gets the same results whichever search thread ran it (nothing shared went wrong).
    assert answers[0][1] == answers[5][1] == answers[10][1]
    while (state := status(server, job))["state"] in ("queued", "running"):
        assert time.monotonic() < deadline + 600, "the check did not finish"
        time.sleep(0.2)
    assert state["state"] == "done" and state["error"] is None, state
    assert state["done"] == state["total"] == 24
