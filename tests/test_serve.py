"""`serve` without a browser: the token, the upload cap, the queue, the hint without the extra (real library files)."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from browsing import free_port, start_server, wait_for_job
from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.serve import is_loopback
from sourcecheck.serve.app import create_app

DOC = EXAMPLES / "october-days.md"




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
        states = [wait_for_job(client, loc) for loc in locations]
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


def multipart(name: str, data: bytes, boundary: str = "XXsourcecheckXX") -> tuple[bytes, dict[str, str]]:
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/markdown\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


def test_an_upload_named_dot_dot_gets_one_clear_400(demo_library: Path) -> None:
    app = create_app(demo_library)
    with TestClient(app, raise_server_exceptions=True) as client:
        for name in ("..", ".", "../..", "/"):
            body, headers = multipart(name, b"- a claim\n")
            res = client.post("/check", content=body, headers=headers, follow_redirects=False)
            assert res.status_code == 400, (name, res.status_code)
            assert "names no file" in res.text and "such as essay.md" in res.text
        body, headers = multipart("../../etc/notes.md", b"- a claim\n")  # a path: only its last part is kept
        assert client.post("/check", content=body, headers=headers, follow_redirects=False).status_code == 303


def test_a_chunked_upload_without_a_length_gets_a_reason(demo_library: Path) -> None:
    app = create_app(demo_library, max_upload=10_000)

    def chunked(data: bytes):  # an iterator: httpx sends it with Transfer-Encoding: chunked, no Content-Length
        for i in range(0, len(data), 1000):
            yield data[i: i + 1000]

    with TestClient(app) as client:
        body, headers = multipart("big.md", b"- claim\n" * 5000)
        res = client.post("/check", content=chunked(body), headers=headers, follow_redirects=False)
        assert res.status_code == 413 and "sent without a length" in res.text and "at most 10,000" in res.text
        body, headers = multipart("small.md", b"- a claim\n")
        assert client.post("/check", content=chunked(body), headers=headers, follow_redirects=False).status_code == 303
        res = client.post("/check", content=chunked(b"--XX\r\nnot a part"), follow_redirects=False,
                          headers={"content-type": "multipart/form-data; boundary=XX"})
        assert res.status_code in (303, 400) and "could not be read: ." not in res.text


def test_host_and_origin_are_checked_against_the_address_served(demo_library: Path) -> None:
    app = create_app(demo_library)  # the test client's connection comes in on "testserver"
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
        res = client.get("/", headers={"host": "evil.example"})
        assert res.status_code == 400 and "does not answer to the name 'evil.example'" in res.text
        assert client.get("/", headers={"host": "evil.example:80"}).status_code == 400
        form = {"text": "- a claim", "format": "auto"}
        for origin in ("null", "http://evil.example", "http://testserver.evil.example", "http://testserver:8080"):
            res = client.post("/check", data=form, headers={"origin": origin}, follow_redirects=False)
            assert res.status_code == 403 and "from another site" in res.text, origin
        res = client.post("/check", data=form, headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
        assert res.status_code == 403
        # A sandboxed frame elsewhere sends "null" with cross-site; the app's own form may send "null" too
        # (Chromium does under a no-referrer policy), and then the browser says same-origin.
        res = client.post("/check", data=form, headers={"origin": "null", "sec-fetch-site": "cross-site"},
                          follow_redirects=False)
        assert res.status_code == 403
        res = client.post("/check", data=form, headers={"origin": "null", "sec-fetch-site": "same-origin"},
                          follow_redirects=False)
        assert res.status_code == 303
        res = client.post("/check", data=form, headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
                          follow_redirects=False)
        assert res.status_code == 303


def test_a_server_on_every_address_refuses_other_names_and_null_origins(demo_library: Path) -> None:
    port = free_port()
    proc = start_server(demo_library, port, "--host", "0.0.0.0")
    try:
        token = proc.stdout.readline().split("token=")[1].split()[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        assert opener.open(f"http://127.0.0.1:{port}/sources?token={token}").status == 200  # sets the cookie

        def status(path: str, **headers: str) -> int:
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers,
                                         data=b"text=-+a+claim&format=auto" if "Origin" in headers else None)
            try:
                return opener.open(req).status
            except urllib.error.HTTPError as err:
                return err.code

        assert status("/sources", Host="evil.example") == 400  # DNS rebinding: a name pointed at us
        assert status("/sources", Host=f"evil.example:{port}") == 400
        assert status("/sources", Host=f"localhost:{port}") == 200  # came in on loopback
        assert status("/check", Origin="null") == 403
        assert status("/check", Origin=f"http://evil.example:{port}") == 403
        assert status("/check", Origin=f"http://127.0.0.1:{port}") == 200  # the form itself: to its job page
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_port_in_use_is_one_line_and_exit_2(demo_library: Path) -> None:
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "sourcecheck.cli", "serve", "--library", str(demo_library),
                              "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [
        f"sourcecheck: error: --port {port}: in use by another program on 127.0.0.1; stop it, or choose another port"]
    assert res.stdout == ""  # the address is not printed for a server that never listened
