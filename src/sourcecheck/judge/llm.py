"""A second judge: any LLM behind an OpenAI-compatible chat endpoint (``--judge openai``).

Ollama, llama.cpp's server, vLLM, LM Studio and hosted APIs all answer ``POST /v1/chat/completions``
and ``GET /v1/models``; that is all this module uses, through the standard library (no client
package, nothing downloaded; the only network traffic goes to the URL the user gives).

How it reads a claim, and why:

- The claim is cut into parts by the shipped rules (decompose.py), so both judges report the same
  parts and ``cascade`` can hand single parts over. The model gets the numbered parts and the
  evidence (a long evidence is cut to its best windows, windows.py, within ``max-evidence-chars``),
  and the versioned prompt ``prompts/llm-v1.txt``.
- It answers, per part, a verdict and the deciding words, through a JSON schema
  (``response_format``); a server that refuses the schema is asked again without it, and the answer
  is read tolerantly (code fences, prose around the JSON, a numbered list).
- Deciding words that are not in the evidence (in order, up to punctuation, case and ``...``) are
  refused: that part is not addressed, with the note REFUSED. A model that invents its quotation
  must not make a claim "supported".
- The claim's verdict follows from its parts by ``claim_verdict`` (judge.py), as for the shipped
  judge. An LLM gives verdicts, not probabilities: a part's support is 1.0 when supported, else 0.0,
  and its contradiction 1.0 when contradicted.
- 429 and 5xx, a dropped connection and a timeout are retried with exponential backoff (a
  ``Retry-After`` is honoured); then one line (errors.InputError) and exit 2. ``concurrency``
  requests run at once.
- Every answer is kept in an SQLite cache keyed by model, prompt version and the request (claim,
  parts and evidence): a rerun costs nothing.
- The server is asked for ``/v1/models`` when the judge is made: an unreachable server, an
  unknown model or a refused key is one line and exit 2 before any work starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Judgement, PartEvidence, PartJudgement, Verdict
from .backends import JudgeBackend
from .decompose import clean_claim, decompose_parts
from .windows import best_windows, content_words, prepare

PROMPT_FILE = Path(__file__).parent / "prompts" / "llm-v1.txt"
PROMPT_NAME = PROMPT_FILE.stem
REFUSED = "the model quoted words that are not in the evidence"
NO_WORDS = "the model gave no deciding words"
UNREADABLE = "the model's answer could not be read"
RETRY_STATUS = (429, 500, 502, 503, 504)
DEFAULTS: dict[str, Any] = {
    "api-key-env": None, "concurrency": 4, "timeout": 60.0, "retries": 4, "backoff": 0.5,
    "max-evidence-chars": 6000, "max-tokens": 512, "cache": None, "temperature": 0.0,
}
SETTINGS = ("url", "model", *DEFAULTS)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"parts": {"type": "array", "items": {
        "type": "object",
        "properties": {"part": {"type": "integer"},
                       "verdict": {"type": "string", "enum": ["supported", "contradicted", "not_addressed"]},
                       "quote": {"type": "string"}},
        "required": ["part", "verdict", "quote"], "additionalProperties": False}}},
    "required": ["parts"], "additionalProperties": False,
}
FORMATS: list[dict[str, Any] | None] = [
    {"type": "json_schema", "json_schema": {"name": "judgement", "strict": True, "schema": SCHEMA}},
    {"type": "json_object", "schema": SCHEMA},
    None,
]
VERDICT_WORDS = {"supported": Verdict.SUPPORTED, "support": Verdict.SUPPORTED, "true": Verdict.SUPPORTED,
                 "entailed": Verdict.SUPPORTED, "contradicted": Verdict.CONTRADICTED,
                 "contradiction": Verdict.CONTRADICTED, "refuted": Verdict.CONTRADICTED, "false": Verdict.CONTRADICTED}


def prompt_version(text: str | None = None) -> str:
    """The prompt's name and the hash of its text: an edited prompt never reads an old cache."""
    text = PROMPT_FILE.read_text(encoding="utf-8") if text is None else text
    return f"{PROMPT_NAME}:{hashlib.sha256(text.encode()).hexdigest()[:10]}"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sourcecheck" / "llm-judge.sqlite"


@dataclass
class Usage:
    """What the judge cost so far: shown by ``-v``."""

    requests: int = 0
    cached: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  # wall-clock time spent in requests (summed over threads)
    refused: int = 0
    unreadable: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: float) -> None:
        with self.lock:
            for k, v in counts.items():
                setattr(self, k, getattr(self, k) + v)

    def line(self, name: str) -> str:
        return (f"judge {name}: {self.requests} requests ({self.cached} from the cache, {self.retries} retried), "
                f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens, "
                f"{self.seconds:.1f} s in requests; {self.refused} quotations refused, {self.unreadable} answers unreadable")


class AnswerCache:
    """Answers on disk, keyed by model, prompt version and request; thread-safe."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self.db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, model TEXT, prompt TEXT, "
                        "answer TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, created REAL)")
        self.db.commit()
        self.lock = threading.Lock()

    @staticmethod
    def key(model: str, prompt: str, request: str) -> str:
        return hashlib.sha256(json.dumps([model, prompt, request]).encode()).hexdigest()

    def get(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, model: str, prompt: str, answer: str, usage: dict[str, int]) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (key, model, prompt, answer, usage.get("prompt_tokens", 0),
                             usage.get("completion_tokens", 0), time.time()))
            self.db.commit()

    def close(self) -> None:
        with self.lock:
            self.db.close()


def api_base(url: str) -> str:
    """``http://host:port`` or ``.../v1``: the base that ``/models`` and ``/chat/completions`` follow."""
    url = url.rstrip("/")
    if not re.match(r"https?://", url):
        raise InputError(None, f"the judge's URL must start with http:// or https://, not {url!r}")
    if re.fullmatch(r"https?://[^/]+", url):
        url += "/v1"
    return url


class ServerError(Exception):
    """A request that failed for good (after its retries); the judge turns it into an InputError."""


class OpenAIJudge:
    """The ``Judge`` protocol over an OpenAI-compatible chat endpoint."""

    def __init__(self, url: str, model: str | None = None, api_key: str | None = None, *, api_key_env: str | None = None,
                 concurrency: int = 4, timeout: float = 60.0, retries: int = 4, backoff: float = 0.5,
                 max_evidence_chars: int = 6000, max_tokens: int = 512, temperature: float = 0.0,
                 cache: str | Path | bool | None = None, probe: bool = True):
        self.base = api_base(url)
        self.api_key = api_key
        self.key_source = f"${api_key_env}" if api_key_env else "the key"
        self.concurrency = max(1, int(concurrency))
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.max_evidence_chars = int(max_evidence_chars)
        self.max_tokens = int(max_tokens)
        self.temperature = float(temperature)
        self.prompt = PROMPT_FILE.read_text(encoding="utf-8")
        self.prompt_version = prompt_version(self.prompt)
        self.format_index = 0  # into FORMATS: the structured output the server takes
        self.usage = Usage()
        self._pool: ThreadPoolExecutor | None = None
        self.model_id = self._probe(model) if probe else (model or "")
        self.name = f"openai {self.model_id} ({self.prompt_version}) at {self.base}"
        path = None if cache is False or cache == "" else default_cache() if cache in (None, True) else Path(str(cache))
        self.cache = AnswerCache(path) if path else None

    # -- HTTP ------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        h = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            h["Authorization"] = f"Bearer {self.api_key}"
        return h

    def _request(self, path: str, body: dict | None = None, retries: int | None = None) -> dict:
        """One call with retries on 429, 5xx, a dropped connection and a timeout; ServerError after."""
        data = json.dumps(body).encode() if body is not None else None
        tries = (self.retries if retries is None else retries) + 1
        last = ""
        for attempt in range(tries):
            if attempt:
                self.usage.add(retries=1)
            req = urllib.request.Request(self.base + path, data=data, headers=self._headers(),
                                         method="POST" if data is not None else "GET")
            wait = self.backoff * 2 ** attempt
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
                self.usage.add(seconds=time.perf_counter() - t0)
                try:
                    out = json.loads(raw)
                except ValueError:
                    raise ServerError(f"the server's reply to {path} is not JSON: {raw[:80]!r}") from None
                if not isinstance(out, dict):
                    raise ServerError(f"the server's reply to {path} is not a JSON object")
                return out
            except urllib.error.HTTPError as err:
                self.usage.add(seconds=time.perf_counter() - t0)
                detail = _error_text(err)
                if err.code in (401, 403):
                    raise ServerError(f"HTTP {err.code}: the server refused {self.key_source}{detail}") from None
                # llama-cpp-python 0.3.36 answers a response_format it does not know with HTTP 500 and a
                # validation error naming it: that is a refusal of the form, not a fault worth a retry.
                if err.code not in RETRY_STATUS or _refuses_format(body, detail):
                    raise _HTTPRefusal(err.code, detail) from None
                last = f"HTTP {err.code}{detail}"
                after = err.headers.get("Retry-After") if err.headers else None
                if after and after.isdigit():
                    wait = min(float(after), 30.0)
            except (urllib.error.URLError, OSError) as err:  # refused, reset, timed out
                self.usage.add(seconds=time.perf_counter() - t0)
                reason = getattr(err, "reason", err)
                last = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else str(reason)
            if attempt + 1 < tries:
                time.sleep(wait)
        raise ServerError(f"{last} (after {tries} {'try' if tries == 1 else 'tries'})")

    def _probe(self, model: str | None) -> str:
        """The model's id as the server names it; InputError if the server, model or key is wrong."""
        try:
            listing = self._request("/models", retries=min(self.retries, 1))
        except (ServerError, _HTTPRefusal) as err:
            raise InputError(None, f"cannot use the judge at {self.base}: {err}; is the server running, "
                                   "and is the URL its OpenAI-compatible base (e.g. http://127.0.0.1:11434/v1)?") from None
        ids = [str(m.get("id")) for m in listing.get("data", []) if isinstance(m, dict)]
        if model is None:
            if len(ids) == 1:
                return ids[0]
            raise InputError(None, f"the judge at {self.base} serves {len(ids)} models; name one with --judge-model "
                                   f"or [tool.sourcecheck.judge] model ({', '.join(ids[:10]) or 'none listed'})")
        if model in ids or f"{model}:latest" in ids or not ids:
            return model if model in ids or not ids else f"{model}:latest"
        raise InputError(None, f"the judge at {self.base} has no model {model!r} (it serves: {', '.join(ids[:10])})")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    # -- one request -------------------------------------------------------------------------
    def evidence_text(self, parts: Sequence[str], pieces: list[str]) -> str:
        """The evidence the model reads: all of it, or its best windows within ``max_evidence_chars``."""
        text = "\n\n".join(pieces)
        if len(text) <= self.max_evidence_chars:
            return text
        prep = prepare(text)
        chosen: list[tuple[int, int]] = []
        used = 0
        for w in sorted(best_windows(" ".join(parts), prep, 12), key=lambda w: -w.score):
            if any(s < w.end and w.start < e for s, e in chosen) or used + len(w.text) > self.max_evidence_chars:
                continue
            chosen.append((w.start, w.end))
            used += len(w.text)
        if not chosen:
            return text[: self.max_evidence_chars]
        return "\n[...]\n".join(text[s:e] for s, e in sorted(chosen))

    def user_message(self, claim: str, parts: Sequence[str], evidence: str) -> str:
        numbered = "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1))
        return f"Evidence:\n\"\"\"\n{evidence}\n\"\"\"\n\nClaim: {claim}\n\nParts of the claim:\n{numbered}\n\nAnswer with JSON only."

    def ask(self, message: str) -> str | None:
        """The model's answer to one user message (from the cache when it was asked before)."""
        key = AnswerCache.key(self.model_id, self.prompt_version, message)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.usage.add(cached=1)
                return hit
        body: dict[str, Any] = {"model": self.model_id, "temperature": self.temperature, "max_tokens": self.max_tokens,
                                "messages": [{"role": "system", "content": self.prompt},
                                             {"role": "user", "content": message}]}
        try:
            out = self._post_structured(body)
        except _HTTPRefusal as err:
            raise InputError(None, f"the judge at {self.base} refused the request: HTTP {err.code}{err.detail}") from None
        except ServerError as err:
            raise InputError(None, f"the judge at {self.base} failed: {err}") from None
        usage = out.get("usage") or {}
        self.usage.add(requests=1, prompt_tokens=int(usage.get("prompt_tokens") or 0),
                       completion_tokens=int(usage.get("completion_tokens") or 0))
        try:
            answer = out["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            return None
        if self.cache is not None:
            self.cache.put(key, self.model_id, self.prompt_version, answer, usage)
        return answer

    def _post(self, body: dict) -> dict:
        return self._request("/chat/completions", body)

    def _post_structured(self, body: dict) -> dict:
        """With OpenAI's ``json_schema`` format, else the ``json_object`` + ``schema`` form of llama.cpp's
        Python server, else none; the first form the server takes is kept for the rest of the run."""
        while self.format_index < len(FORMATS):
            fmt = FORMATS[self.format_index]
            try:
                return self._post({**body, "response_format": fmt} if fmt else body)
            except _HTTPRefusal as err:
                if fmt is None or not (err.code in (400, 422) or _refuses_format(body | {"response_format": fmt}, err.detail)):
                    raise
                with self.usage.lock:
                    self.format_index = max(self.format_index, FORMATS.index(fmt) + 1)
        return self._post(body)

    @property
    def structured(self) -> bool:
        """Whether the server took a JSON schema (False: the tolerant parse reads free text)."""
        return FORMATS[min(self.format_index, len(FORMATS) - 1)] is not None

    # -- the Judge protocol ------------------------------------------------------------------
    def judge_parts(self, claim: str, parts: Sequence[tuple[str, str]], evidence: str | Sequence[str]) -> list[PartJudgement]:
        """Verdicts on ``parts`` (text, kind) of ``claim``: what ``cascade`` asks for its weak parts."""
        pieces = [evidence] if isinstance(evidence, str) else [e for e in evidence if e]
        texts = [t for t, _ in parts]
        answer = self.ask(self.user_message(claim, texts, self.evidence_text(texts, pieces)))
        read = parse_answer(answer, len(parts)) if answer is not None else None
        if read is None:
            self.usage.add(unreadable=1)
            return [PartJudgement(t, Verdict.NOT_ADDRESSED, 0.0, 0.0, None, k, note=UNREADABLE) for t, k in parts]
        out = []
        for (text, kind), (verdict, quote) in zip(parts, read):
            note = ""
            found: tuple[int, str] | None = None
            if verdict != Verdict.NOT_ADDRESSED:
                found = locate_words(quote, pieces) if quote.strip() else None
                if found is None:
                    note = REFUSED if quote.strip() else NO_WORDS
                    verdict = Verdict.NOT_ADDRESSED
                    self.usage.add(refused=1)
            ev = PartEvidence(found[0] if not isinstance(evidence, str) else 0, None, None, found[1]) if found else None
            sup = 1.0 if verdict == Verdict.SUPPORTED else 0.0
            con = 1.0 if verdict == Verdict.CONTRADICTED else 0.0
            out.append(PartJudgement(text, verdict, sup, con, ev, kind, note=note))
        return out

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        claim = clean_claim(claim)
        parts = [(p.text, p.kind) for p in decompose_parts(claim)]
        return judgement_of(self.judge_parts(claim, parts, evidence), evidence)

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        """``judge`` on each evidence, ``concurrency`` requests at once."""
        if len(evidences) <= 1 or self.concurrency == 1:
            return [self.judge(claim, e) for e in evidences]
        futures = [self.pool.submit(self.judge, claim, e) for e in evidences]
        return [f.result() for f in futures]

    def judge_pairs(self, pairs: Iterable[tuple[str, str | Sequence[str]]]) -> Iterator[Judgement]:
        """``judge`` on each (claim, evidence), in order, each as soon as it and all before it are done,
        with ``concurrency`` requests in flight: what ``sourcecheck judge`` and the bench use."""
        return _ordered(self.pool, self.judge, pairs, self.concurrency * 2)

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="llm-judge")
        return self._pool

    def usage_line(self) -> str:
        return self.usage.line(self.model_id)


class _HTTPRefusal(Exception):
    """A 4xx other than 401/403/429: the server understood and said no (e.g. no structured output)."""

    def __init__(self, code: int, detail: str):
        super().__init__(f"HTTP {code}{detail}")
        self.code = code
        self.detail = detail


def _refuses_format(body: dict | None, detail: str) -> bool:
    """Whether an error answers a request's ``response_format`` (the server validated it and said no)."""
    return bool(body) and "response_format" in (body or {}) and "response_format" in detail


def _error_text(err: urllib.error.HTTPError) -> str:
    try:
        body = err.read(300).decode("utf-8", "replace").strip()
    except (OSError, ValueError):
        body = ""
    return f" ({' '.join(body.split())[:160]})" if body else ""


def _ordered(pool: ThreadPoolExecutor, fn: Any, pairs: Iterable[tuple[str, Any]], window: int) -> Iterator[Judgement]:
    pending: list[Future] = []
    for claim, evidence in pairs:
        pending.append(pool.submit(fn, claim, evidence))
        if len(pending) >= window:
            yield pending.pop(0).result()
    while pending:
        yield pending.pop(0).result()


def judgement_of(parts: list[PartJudgement], evidence: str | Sequence[str]) -> Judgement:
    """The claim's judgement from its parts (CLAIM RULE of judge.py, without the WORD RULE)."""
    from .judge import claim_verdict

    verdict = claim_verdict([p.verdict for p in parts])
    page = (evidence if isinstance(evidence, str) else " ".join(evidence)).lower()
    uncovered = [w for p in parts if p.verdict != Verdict.SUPPORTED for w in content_words(p.text)
                 if w.lower() not in page]
    best = next((p.evidence.text for p in parts if p.evidence and p.verdict == Verdict.SUPPORTED), None)
    return Judgement(verdict, min((p.support for p in parts), default=0.0),
                     max((p.contradiction for p in parts), default=0.0),
                     uncovered=list(dict.fromkeys(uncovered)), best_span=best, parts=parts)


# -- reading the answer ------------------------------------------------------------------------
FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
LINE = re.compile(r"(?:part\s*)?(\d+)\s*[.):\-]*\s*\W*(supported|contradicted|not[ _-]?addressed)\W*\s*(?:[-:,]?\s*[\"“'](.+?)[\"”']\s*)?$",
                  re.I | re.M)


def _verdict(word: Any) -> Verdict:
    w = str(word or "").strip().lower().replace("-", "_").replace(" ", "_")
    return VERDICT_WORDS.get(w, Verdict.NOT_ADDRESSED)


def _json_objects(text: str) -> Iterator[Any]:
    dec = json.JSONDecoder()
    for m in re.finditer(r"[\[{]", text):
        try:
            yield dec.raw_decode(text, m.start())[0]
        except ValueError:
            continue


def parse_answer(answer: str, n: int) -> list[tuple[Verdict, str]] | None:
    """(verdict, quote) for each of ``n`` parts, or None when nothing in the answer can be read.

    Tolerant: JSON anywhere in the text (in a code fence, after prose, a bare list), part numbers
    as given or by position, a numbered list of verdicts; a part the answer leaves out is not addressed.
    """
    text = answer.strip()
    fenced = FENCE.search(text)
    candidates = ([fenced.group(1)] if fenced else []) + [text]
    for cand in candidates:
        for obj in _json_objects(cand):
            items = obj.get("parts", obj.get("answers")) if isinstance(obj, dict) else obj
            if isinstance(obj, dict) and items is None and "verdict" in obj:
                items = [obj]
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items) or not items:
                continue
            out: list[tuple[Verdict, str]] = [(Verdict.NOT_ADDRESSED, "")] * n
            for pos, item in enumerate(items):
                num = item.get("part", item.get("id", item.get("index")))
                idx = int(num) - 1 if isinstance(num, int | float) or (isinstance(num, str) and num.isdigit()) else pos
                if 0 <= idx < n:
                    quote = item.get("quote", item.get("words", item.get("evidence", "")))
                    out[idx] = (_verdict(item.get("verdict")), quote if isinstance(quote, str) else "")
            return out
    lines = LINE.findall(text)
    if lines:
        out = [(Verdict.NOT_ADDRESSED, "")] * n
        for num, word, quote in lines:
            if 0 < int(num) <= n:
                out[int(num) - 1] = (_verdict(word), quote or "")
        return out
    return None


WORD = re.compile(r"\w+")
ELLIPSIS = re.compile(r"\.\.\.|\u2026|\[\s*\.\.\.\s*\]")


def locate_words(quote: str, pieces: Sequence[str]) -> tuple[int, str] | None:
    """(piece index, the evidence's own words) where the quotation's words stand in order in one
    piece, up to case and punctuation (``...`` may skip words); None if they do not."""
    chunks = [WORD.findall(c) for c in ELLIPSIS.split(quote)]
    chunks = [c for c in chunks if c]
    if not chunks:
        return None
    patterns = [re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, c)) + r"(?!\w)", re.I) for c in chunks]
    for i, piece in enumerate(pieces):
        pos, start, end = 0, None, 0
        for p in patterns:
            m = p.search(piece, pos)
            if m is None:
                break
            start = m.start() if start is None else start
            pos = end = m.end()
        else:
            return i, piece[start:end]
    return None


# -- cascade ---------------------------------------------------------------------------------
WEAK_BAND = 0.15  # a part whose support (or contradiction) is this close to its threshold is weak


class CascadeJudge:
    """The shipped judge decides; only its weak parts (near a threshold) go to the LLM.

    A part is weak when its calibrated support is within ``band`` of ``t_support``, or, for a part
    judged contradicted, its contradiction within ``band`` of ``t_contradiction``: there the shipped
    judge is least sure (BENCHMARKS.md measures how many parts that is and what it saves).
    """

    def __init__(self, first: Any, second: OpenAIJudge, band: float = WEAK_BAND):
        self.first = first
        self.second = second
        self.band = band
        self.name = f"cascade: {first.name}, weak parts to {second.name}"
        self.parts_seen = 0
        self.parts_sent = 0
        self.claims_sent = 0
        self.lock = threading.Lock()

    @property
    def model(self) -> Any:  # the shipped judge's tokenizer, for longclaim's windows
        return getattr(self.first, "model", None)

    def weak(self, p: PartJudgement) -> bool:
        t_s, t_c = self.first.thresholds() if hasattr(self.first, "thresholds") else (0.5, 0.6)
        if abs(p.support - t_s) < self.band:
            return True
        return p.verdict == Verdict.CONTRADICTED and p.contradiction - t_c < self.band

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        return self.refine(claim, self.first.judge(claim, evidence), evidence)

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        many = getattr(self.first, "judge_many", None)
        firsts = many(claim, evidences) if many else [self.first.judge(claim, e) for e in evidences]
        if len(evidences) <= 1 or self.second.concurrency == 1:
            return [self.refine(claim, j, e) for j, e in zip(firsts, evidences)]
        futures = [self.second.pool.submit(self.refine, claim, j, e) for j, e in zip(firsts, evidences)]
        return [f.result() for f in futures]

    def judge_pairs(self, pairs: Iterable[tuple[str, str | Sequence[str]]]) -> Iterator[Judgement]:
        """``judge`` on each pair, in order: the shipped judge here, one claim after another (its model
        is not shared between threads), the weak parts' requests ``concurrency`` at a time."""
        pending: list[Future] = []
        for claim, evidence in pairs:
            first = self.first.judge(claim, evidence)
            pending.append(self.second.pool.submit(self.refine, claim, first, evidence))
            if len(pending) >= self.second.concurrency * 2:
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()

    def refine(self, claim: str, first: Judgement, evidence: str | Sequence[str]) -> Judgement:
        weak = [i for i, p in enumerate(first.parts) if self.weak(p)]
        with self.lock:
            self.parts_seen += len(first.parts)
            self.parts_sent += len(weak)
            self.claims_sent += bool(weak)
        if not weak:
            return first
        asked = self.second.judge_parts(clean_claim(claim), [(first.parts[i].text, first.parts[i].kind) for i in weak], evidence)
        parts = list(first.parts)
        for i, p in zip(weak, asked):
            parts[i] = p
        out = judgement_of(parts, evidence)
        if out.verdict == Verdict.NOT_ADDRESSED and first.verdict == Verdict.PARTIALLY_SUPPORTED \
                and not any(p.verdict == Verdict.SUPPORTED for p in first.parts):
            out.verdict = Verdict.PARTIALLY_SUPPORTED  # the shipped judge's WORD RULE still holds
        out.uncovered = first.uncovered
        out.best_span = out.best_span or first.best_span
        return out

    def usage_line(self) -> str:
        return (f"cascade: {self.parts_sent} of {self.parts_seen} parts ({self.claims_sent} claims) sent to the LLM; "
                + self.second.usage_line())

    def close(self) -> None:
        self.second.close()


# -- settings -> judge: the two backends registered in pyproject (sourcecheck.judges) -------------------
def _setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    if value is None:
        value = settings.get(name.replace("-", "_"))
    return DEFAULTS.get(name) if value is None else value


# Options the Wiring may hand every judge that this one has no use for (a Ray worker's share of cores).
_IGNORED = {"name", "threads"}


def make_llm_judge(settings: Mapping[str, Any]) -> OpenAIJudge:
    """The LLM judge from settings: ``url`` (required), ``model``, ``api-key-env``, ``concurrency``,
    ``timeout``, ``retries``, ``cache`` (a file; ``""`` or False: none), ``max-evidence-chars``.
    Unknown keys, a missing URL or key variable: InputError before anything is asked."""
    settings = {k: v for k, v in settings.items() if v is not None}
    unknown = sorted(k for k in settings if k.replace("_", "-") not in SETTINGS and k not in _IGNORED)
    if unknown:
        raise InputError(None, f"unknown judge setting {', '.join(unknown)} (known: {', '.join(SETTINGS)})")
    url = settings.get("url")
    if not url:
        raise InputError(None, "--judge openai needs the server's URL: --judge-url URL or [tool.sourcecheck.judge] url "
                               "(e.g. http://127.0.0.1:11434/v1 for Ollama)")
    env = _setting(settings, "api-key-env")
    key = None
    if env:
        key = os.environ.get(env)
        if not key:
            raise InputError(None, f"the judge's key variable ${env} is not set (api-key-env)")
    try:
        return OpenAIJudge(str(url), settings.get("model") or None, key, api_key_env=env,
                           concurrency=int(_setting(settings, "concurrency")), timeout=float(_setting(settings, "timeout")),
                           retries=int(_setting(settings, "retries")), backoff=float(_setting(settings, "backoff")),
                           max_evidence_chars=int(_setting(settings, "max-evidence-chars")),
                           max_tokens=int(_setting(settings, "max-tokens")),
                           temperature=float(_setting(settings, "temperature")), cache=_setting(settings, "cache"))
    except (TypeError, ValueError) as err:
        raise InputError(None, f"a judge setting has the wrong type: {err}") from None


def make_cascade_judge(settings: Mapping[str, Any], first: Any = None) -> CascadeJudge:
    """The shipped judge (or ``first``) with the LLM of ``settings`` for its weak parts.

    The shipped judge comes through its own backend, so a Ray worker's ``threads`` reaches it."""
    second = make_llm_judge({k: v for k, v in settings.items() if k != "band"})
    if first is None:
        from .backends import CROSS_ENCODER

        first = CROSS_ENCODER.make({"threads": settings.get("threads")})
    from .longclaim import windowed

    return CascadeJudge(windowed(first), second, float(settings.get("band") or WEAK_BAND))


OPENAI = JudgeBackend("openai", make_llm_judge, "any LLM behind an OpenAI-compatible chat endpoint (--judge-url)")
CASCADE = JudgeBackend("cascade", make_cascade_judge, "the shipped judge; only its weak parts go to the LLM")
