"""Hostile input of the web app (issues 22 and 24) as runnable cases: each starts a real `sourcecheck serve`
process on a free port, attacks it as a client would, and checks what came back.

One table serves two masters, as hostile_cases.py does: ``bench/hostile_bench.py`` runs each case and
reports its time, the server's peak memory and the outcome (BENCHMARKS.md), and
``tests/test_serve_hostile.py`` runs the same cases and fails on any unexpected outcome. A case returns
what the server said, in a few words; it raises AssertionError when the server did anything else.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.hostile_cases import EVIDENCE, EXAMPLES, library
from sourcecheck.serve.launch import chromium_path, free_port, start_server

CAP = 100_000  # --max-upload for the cases: small, so going past it is cheap
PAYLOAD = '<script>window.__pwned = "{}"</script><img src=x onerror="window.__pwned=\'{}\'">'


@dataclass
class ServeOutcome:
    says: str  # what the server answered, in a few words
    seconds: float
    server_peak_mb: float  # the server's own high-water mark (VmHWM), read before it stops


@dataclass
class ServeCase:
    name: str
    what: str  # the hostile input, in a few words
    run: Callable[[Path, dict], str]  # (a folder, the server) -> what it said; AssertionError when unexpected
    extra: tuple[str, ...] = ()  # more `serve` options
    judge: bool = False  # runs checks (loads the judge's model)
    hostile_library: bool = False  # a source whose title and author are markup


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def server(lib: Path, *extra: str) -> Iterator[dict]:
    port = free_port()
    proc = start_server(lib, port, *extra)
    info = {"base": f"http://127.0.0.1:{port}", "port": port, "proc": proc}
    try:
        yield info
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def request(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 120) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def raw_exchange(port: int, head: bytes, body: Iterator[bytes]) -> tuple[int, str, int]:
    """Send ``head`` and then ``body`` on a plain socket while reading the answer (a server that refuses
    early closes the connection mid-send): (status, answer text, body bytes the client got out)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sent = [0]

    def send() -> None:
        try:
            sock.sendall(head)
            for chunk in body:
                sock.sendall(chunk)
                sent[0] += len(chunk)
        except OSError:  # refused and closed by the server: what a cap should do
            pass

    writer = threading.Thread(target=send)
    writer.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer or len(answer) < answer.find(b"\r\n\r\n") + 200:
            got = sock.recv(65536)
            if not got:
                break
            answer += got
    finally:
        writer.join(timeout=60)
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer.decode("utf-8", "replace"), sent[0]


def multipart_head(boundary: str) -> bytes:
    return (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\n'
            "Content-Type: text/markdown\r\n\r\n").encode()


# -- the cases ----------------------------------------------------------------------------------
def _over_cap_with_length(tmp: Path, srv: dict) -> str:
    boundary = "XXsc"
    size = 50 * 1024 * 1024  # announced, never sent: the server must answer from the header alone
    head = (f"POST /check HTTP/1.1\r\nHost: 127.0.0.1:{srv['port']}\r\nContent-Length: {size}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode() + multipart_head(boundary)
    status, answer, _ = raw_exchange(srv["port"], head, iter(()))
    assert status == 413, answer[:400]
    assert f"takes at most {CAP:,}" in answer and "--max-upload" in answer, answer[-600:]
    return f"413: the upload is {size:,} bytes; this server takes at most {CAP:,}"


def _over_cap_chunked(tmp: Path, srv: dict) -> str:
    boundary = "XXsc"
    head = (f"POST /check HTTP/1.1\r\nHost: 127.0.0.1:{srv['port']}\r\nTransfer-Encoding: chunked\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode()
    line = b"- a claim that goes on and on\n" * 2000  # 60 kB a chunk

    def chunks() -> Iterator[bytes]:
        first = multipart_head(boundary)
        yield f"{len(first):x}\r\n".encode() + first + b"\r\n"
        for _ in range(300):  # 18 MB in all, 180 times the cap, unless the server stops it first
            yield f"{len(line):x}\r\n".encode() + line + b"\r\n"

    status, answer, sent = raw_exchange(srv["port"], head, chunks())
    assert status == 413, answer[:400]
    assert sent < 300 * len(line), "the server read the whole refused body"  # it closed the connection
    assert "sent without a length" in answer and f"at most {CAP:,}" in answer, answer[-600:]
    assert request(srv["base"] + "/app.css")[0] == 200  # and it goes on serving
    return f"413 (sent without a length); the client got {sent / 1e6:.1f} MB out before the server closed"


def _upload_burst(tmp: Path, srv: dict) -> str:
    from sourcecheck.serve.jobs import MAX_WAITING

    n = MAX_WAITING + 16
    doc = f"- The committee could count on the garrison.\n    - `{EVIDENCE}` - Notes on the October Days\n".encode()
    boundary = "XXsc"
    body = (multipart_head(boundary).replace(b"big.md", b"one.md") + doc + f"\r\n--{boundary}--\r\n".encode())
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    start = threading.Barrier(n)
    answers: list[tuple[int, str]] = [(0, "")] * n

    def upload(i: int) -> None:
        start.wait()
        answers[i] = request(srv["base"] + "/check", body, headers)

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    codes = [c for c, _ in answers]
    assert set(codes) <= {200, 503}, sorted(set(codes))  # 200: the job's page, after the redirect; 503: busy
    assert all("checks are already waiting" in text for c, text in answers if c == 503)
    queued = codes.count(200)
    deadline = time.monotonic() + 600
    while True:  # every check taken is finished, none lost
        with urllib.request.urlopen(srv["base"] + "/", timeout=60) as res:
            page = res.read().decode()
        if "<td>queued</td>" not in page and "<td>running</td>" not in page:
            break
        assert time.monotonic() < deadline, "the queued checks did not finish"
        time.sleep(0.5)
    assert page.count("<td>done</td>") == queued, (page.count("<td>done</td>"), queued)
    return f"{n} at once: {queued} queued and checked, {codes.count(503)} told busy (503), none lost"


def _no_token(tmp: Path, srv: dict) -> str:
    proc: subprocess.Popen = srv["proc"]
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "?token=" in first, first  # a token was made and printed: the server is never open
    token = first.split("token=")[1].split()[0]
    base = srv["base"]
    pages = ["/", "/sources", "/find?q=garrison", "/jobs/0123456789ab", "/app.css"]
    refused = [request(base + p)[0] for p in pages] + [request(base + "/check", b"text=-+a+claim&format=auto")[0]]
    assert refused == [401] * len(refused), refused
    assert request(base + "/sources?token=wrong")[0] == 401
    assert request(base + f"/sources?token={token}", headers={"Host": "evil.example"})[0] == 400  # rebinding
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    assert opener.open(base + f"/sources?token={token}", timeout=60).status == 200
    return f"every page and the form 401 without the token ({len(refused)} tried); a foreign Host 400"


def _hostile_pages(tmp: Path, srv: dict) -> str:
    """In a thread of its own: Playwright's sync API refuses a thread whose event loop runs (a test
    session's own browser fixture holds one in the main thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_hostile_pages_in_thread, tmp, srv).result()


def _hostile_pages_in_thread(tmp: Path, srv: dict) -> str:
    from playwright.sync_api import sync_playwright

    base = srv["base"]
    doc = (f"- The committee met {PAYLOAD.format('claim', 'claim')} every night in Smolny.\n"
           f"    - `The committee met every night {PAYLOAD.format('evidence', 'evidence')} in Smolny.` - "
           f"{PAYLOAD.format('cite', 'cite')}, Nobody, 1917\n")
    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page()
        page.on("dialog", lambda d: (seen.append(f"dialog {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: seen.append(f"error {e}"))
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else seen.append(f"request {r.url}"))

        def clean(where: str, shows: str | None = None) -> None:
            pwned = page.evaluate("window.__pwned")
            assert pwned is None, f"{where}: ran {pwned!r}"
            assert page.locator("main script, main img:not([src^='data:'])").count() == 0, where
            if shows is not None:
                text = page.inner_text("body") + (page.input_value("#text") if page.locator("#text").count() else "")
                assert shows in text, f"{where}: {shows!r} not shown as text"

        page.goto(base + "/")
        page.fill("#text", doc)
        page.click("button[type=submit]")
        page.locator("article.card").first.wait_for(timeout=300_000)  # the report of the hostile document
        clean("the report page", '<script>window.__pwned = "claim"</script>')
        page.goto(base + "/")  # the form again, with the hostile check in its table
        clean("the form")
        page.goto(base + "/sources")
        clean("the sources", '<script>window.__pwned = "title"</script>')
        page.goto(base + "/find?q=" + urllib.parse.quote(PAYLOAD.format("query", "query") + " committee"))
        clean("a search", '<script>window.__pwned = "query"</script>')
        page.goto(base + "/jobs/" + urllib.parse.quote(PAYLOAD.format("path", "path")))
        clean("a missing page")
        page.goto(base + "/")
        page.select_option("#format", "jsonl")
        page.fill("#text", json.dumps({"claim": PAYLOAD.format("jsonl", "jsonl")}) + "\n" + PAYLOAD.format("bad", "bad"))
        page.click("button[type=submit]")
        assert page.locator("[role=alert]").count() == 1, "the input error is not said"
        clean("an input error", '"claim": "<script>')
        page.goto(base + "/")
        page.set_input_files("#file", [{"name": PAYLOAD.format("name", "name") + ".md", "mimeType": "text/markdown",
                                              "buffer": doc.encode()}])
        page.click("button[type=submit]")
        page.locator("article.card").first.wait_for(timeout=300_000)
        clean("a hostile file name")
        browser.close()
    assert seen == [], seen
    return "7 pages in Chromium: nothing ran, no request left the server, the markup shown as text"


CASES: list[ServeCase] = [
    ServeCase("serve_over_cap_length", "upload announcing 50 MB (Content-Length) to `serve --max-upload 100000`",
              _over_cap_with_length, ("--max-upload", str(CAP))),
    ServeCase("serve_over_cap_chunked", "18 MB chunked upload without a length, cap 100 kB",
              _over_cap_chunked, ("--max-upload", str(CAP))),
    ServeCase("serve_upload_burst", "80 uploads at once (64 may wait)", _upload_burst, judge=True),
    ServeCase("serve_hostile_pages", "<script> and onerror in a document, a source title, a search, a path, "
              "a JSON Lines error and a file name, in Chromium", _hostile_pages, judge=True, hostile_library=True),
    ServeCase("serve_no_token", "`serve --host 0.0.0.0 --token ''`: every page without the token",
              _no_token, ("--host", "0.0.0.0", "--token", "")),
]


def hostile_library(tmp: Path) -> Path:
    """The example's sources plus one whose title and author are markup (the sources page and search show them)."""
    path = library(tmp)
    notes = tmp / "notes.txt"
    notes.write_text("The committee met every night in Smolny and decided nothing at all.\n", encoding="utf-8")
    from sourcecheck.library import Library

    with Library(path) as lib:
        lib.add(notes, title=PAYLOAD.format("title", "title"), author="<i>Nobody</i>", year=1917)
    return path


def run_serve_case(case: ServeCase, tmp: Path) -> tuple[ServeOutcome | None, str]:
    """(outcome, "as expected"), or (outcome or None, "UNEXPECTED: why")."""
    lib = hostile_library(tmp) if case.hostile_library else library(tmp)
    t0 = time.perf_counter()
    says, verdict, peak = "", "as expected", float("nan")
    try:
        with server(lib, *case.extra) as srv:
            try:
                says = case.run(tmp, srv)
            finally:
                peak = peak_mb(srv["proc"].pid)
    except (AssertionError, RuntimeError, OSError) as err:
        verdict = f"UNEXPECTED: {str(err).splitlines()[0][:160] if str(err) else type(err).__name__}"
    return ServeOutcome(says, time.perf_counter() - t0, peak), verdict


__all__ = ["CASES", "EXAMPLES", "ServeCase", "ServeOutcome", "run_serve_case"]
