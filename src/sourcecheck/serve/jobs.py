"""Checks waiting and running for `serve`: one worker, a FIFO queue, every job kept until the server stops.

One worker thread, because a check is CPU-bound (the judge) and two at once would only share the
cores and both finish later; the queue makes a burst of uploads wait in order instead of failing.
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline.wiring import Wiring

from ..records import Document, Report

MAX_WAITING = 64  # a bound, so a script that uploads in a loop gets "busy" rather than eating memory


@dataclass
class Job:
    id: str
    name: str  # the document's name as the user gave it
    document: Document
    text: str  # the document itself, for the HTML report's lines
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    report: Report | None = None
    error: str | None = None
    folder: Path | None = None  # its uploaded bibliographies (uploads.py), removed when the check ends
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None

    @property
    def seconds(self) -> float | None:
        return None if self.finished is None else self.finished - self.submitted


class Busy(Exception):
    """More checks are waiting than MAX_WAITING."""


class Stopped(Exception):
    """The server is stopping: the running check ends at its next claim."""


STOPPED_BEFORE = "the server stopped before this check ran"
STOPPED_DURING = "the server stopped during this check"
STOP_WAIT = 30.0  # seconds a stopping server waits for its check worker (one claim takes well under that)


class JobQueue:
    def __init__(self, wiring: Wiring):
        self.wiring = wiring
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: dict[str, Job] = {}
        self._order: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="sourcecheck-checks", daemon=True)
        self._thread.start()

    def submit(self, name: str, document: Document, text: str, folder: Path | None = None) -> Job:
        with self._lock:
            if sum(1 for j in self._jobs.values() if j.state == "queued") >= MAX_WAITING:
                raise Busy(f"{MAX_WAITING} checks are already waiting; try again when some have finished")
            job = Job(uuid.uuid4().hex[:12], name, document, text, total=len(document.claims), folder=folder)
            self._jobs[job.id] = job
            self._order.append(job.id)
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def position(self, job: Job) -> int:
        """How many checks run or wait before this one (0: it is running or finished)."""
        with self._lock:
            ahead = [self._jobs[i] for i in self._order[: self._order.index(job.id)]]
        return sum(1 for j in ahead if j.state in ("queued", "running")) if job.state == "queued" else 0

    def jobs(self) -> list[Job]:
        return [self._jobs[i] for i in self._order]

    def stop(self, wait: float = STOP_WAIT) -> int:
        """End the worker: the running check stops at its next claim, waiting ones are dropped, and the
        library is closed before the process exits (the worker is not left to die mid-query).
        Returns how many checks were cut short or dropped, for the line the server prints."""
        self._stopping.set()
        self._queue.put(None)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(wait)
        return sum(1 for j in self.jobs() if j.error in (STOPPED_BEFORE, STOPPED_DURING))

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._run(job)
            finally:
                if job.folder is not None:
                    shutil.rmtree(job.folder, ignore_errors=True)

    def _run(self, job: Job) -> None:
        from ..errors import InputError

        if self._stopping.is_set():
            job.state, job.error = "failed", STOPPED_BEFORE
            return
        job.state, job.started = "running", time.monotonic()
        try:
            # Read-only, like `check`: serve never writes, so a server stopped in any way leaves
            # the library as it found it (no journal, no half-written quotation index).
            with self.wiring.open_store() as lib:
                job.report = self.wiring.checker(lib).check(job.document, progress=self._progress(job))
            job.report.document = job.name
            job.state = "done"
        except Stopped:
            job.state, job.error = "failed", STOPPED_DURING
        except InputError as err:
            job.state, job.error = "failed", str(err)
        except Exception as err:  # the server keeps serving; the page says what went wrong
            job.state, job.error = "failed", f"the check failed: {err.__class__.__name__}: {err}"
        job.finished = time.monotonic()

    def _progress(self, job: Job):
        def update(done: int, total: int) -> None:
            job.done, job.total = done, total
            if self._stopping.is_set():
                raise Stopped
        return update
