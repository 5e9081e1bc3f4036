"""`serve` without a browser: the token, the upload cap, the queue, the hint without the extra (real library files)."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from browsing import free_port, start_server
from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.serve import is_loopback
from sourcecheck.serve.app import create_app

DOC = EXAMPLES / "october-days.md"


def wait(client: TestClient, location: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(location + "/status").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"{location} did not finish in {timeout} s")


def submit(client: TestClient, text: str, fmt: str = "auto"):
    return client.post("/check", data={"text": text, "format": fmt}, files={"file": ("", b"")}, follow_redirects=False)


@needs_model
def test_concurrent_checks_are_queued_and_none_is_lost(demo_library: Path) -> None:
    app = create_app(demo_library, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        text = DOC.read_text()
        locations = [submit(client, text).headers["location"] for _ in range(4)]
        assert len(set(locations)) == 4
        # One runs, the others wait their turn in order.
        positions = [client.get(loc + "/status").json()["position"] for loc in locations]
        assert positions[-1] >= 1 or all(client.get(loc + "/status").json()["state"] == "done" for loc in locations)
        states = [wait(client, loc) for loc in locations]
        assert [s["state"] for s in states] == ["done"] * 4 and all(s["done"] == s["total"] == 8 for s in states)
        reports = [client.get(loc + "/report.json").json() for loc in locations]
        assert all(r["summary"] == reports[0]["summary"] for r in reports)


def test_bad_input_and_oversized_uploads_get_a_clear_page(demo_library: Path) -> None:
    app = create_app(demo_library, max_upload=10_000, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        res = submit(client, "")
        assert res.status_code == 400 and "Paste a document or choose a file" in res.text
        res = client.post("/check", data={"format": "auto"}, files={"file": ("notes.md", b"claim \x80\x81 bad bytes \xc3")})
        assert res.status_code == 400 and "notes.md:1: not valid UTF-8" in res.text
        res = client.post("/check", data={"format": "auto"}, files={"file": ("big.md", b"- claim\n" * 5000)})
        assert res.status_code == 413 and "takes at most 10,000" in res.text
        assert client.get("/jobs/nope").status_code == 404
        # A form posted from another site is refused (the server acts for whoever runs it).
        res = client.post("/check", data={"text": "- a claim"}, headers={"origin": "http://evil.example"})
        assert res.status_code == 403


def test_a_token_guards_every_page(demo_library: Path) -> None:
    app = create_app(demo_library, token="s3cret")
    with TestClient(app) as client:
        assert client.get("/").status_code == 401
        assert client.get("/sources?token=wrong").status_code == 401
        res = client.get("/sources?token=s3cret", follow_redirects=False)
        assert res.status_code == 303 and "token" not in res.headers["location"]
        assert client.get("/sources").status_code == 200  # the cookie now carries it
        assert "Notes on the October Days" in client.get("/sources").text


def test_loopback_by_default_and_a_token_is_printed_for_any_other_host(demo_library: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    port = free_port()
    proc = start_server(demo_library, port, "--host", "0.0.0.0")
    try:
        first = proc.stdout.readline()
        assert f":{port}/?token=" in first, first
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/")
        assert err.value.code == 401
        token = first.split("token=")[1].split()[0]
        browser_like = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())  # keeps the cookie it sets
        assert browser_like.open(f"http://127.0.0.1:{port}/sources?token={token}").status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_without_its_extra_says_how_to_get_it(demo_library: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if `pip install sourcecheck` without [serve]
    res = CliRunner().invoke(main, ["serve", "--library", str(demo_library)])
    assert res.exit_code == 2 and "pip install 'sourcecheck[serve]'" in res.stderr
    assert "Examples:\n    sourcecheck serve " in CliRunner().invoke(main, ["serve", "--help"]).stdout
