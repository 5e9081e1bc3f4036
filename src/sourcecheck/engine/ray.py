"""Batch judging and checking on a Ray cluster: ``--engine ray`` of ``judge`` and ``check``.

Ray does the distributed work; this module only says what runs where:

- one actor per worker (:class:`JudgeWorker`, :class:`CheckWorker`) loads the model once and then
  takes batch after batch: loading the judge costs about a second, judging a claim about a third;
- Ray's own :class:`ray.util.ActorPool` hands each batch to the next free actor;
- a worker that dies is restarted by Ray (``max_restarts``) and the batch it held is sent again
  (``max_task_retries``): nothing here retries by hand;
- results come back as they finish and are written in input order, each as soon as it and all
  before it are done. ActorPool's ordered ``map`` would do that too, but it leaves a worker idle
  until the results before its own are taken; so results are taken unordered and held in a small
  reorder buffer (at most the batches in flight), which is bookkeeping, not scheduling.

Ray is an optional extra (``pip install 'sourcecheck[ray]'``); nothing imports it until a command
asks for ``--engine ray``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InputError
from ..records import Document
from ..tuning import (
    RAY_BATCH,
    RAY_IN_FLIGHT,
    RAY_OBJECT_STORE_BYTES,
    RAY_RETRIES,
    RAY_THREADS_PER_WORKER,
    RAY_WORKER_NICENESS,
)
from .batch import ClaimRow, judge_rows, judgement_line, report_line

if TYPE_CHECKING:
    from ..pipeline.wiring import Wiring

__all__ = ["CheckWorker", "JudgeWorker", "RayRun", "check_on_ray", "judge_on_ray", "require_ray"]

INSTALL_HINT = "--engine ray needs Ray, an optional extra: pip install 'sourcecheck[ray]'"

T = TypeVar("T")
R = TypeVar("R")


def require_ray() -> Any:
    """The ``ray`` module, or an InputError that says how to get it."""
    try:
        import ray
    except ImportError:
        raise InputError(None, INSTALL_HINT) from None
    return ray


def _with_threads(wiring: Wiring, threads: int) -> Wiring:
    """The same settings with the worker's share of the cores (a judge without use for it ignores it)."""
    import dataclasses

    return dataclasses.replace(wiring, judge_options={**wiring.judge_options, "threads": threads})


class JudgeWorker:
    """A Ray actor: one judge made once from the ``Wiring`` (any registered judge), then batches in turn."""

    def __init__(self, wiring: Wiring, threads: int):
        from ..judge.longclaim import windowed

        self.judge = windowed(_with_threads(wiring, threads).judge())

    def run(self, task: tuple[int, list[ClaimRow]]) -> tuple[int, list[str]]:
        i, rows = task
        return i, [judgement_line(r, res) for r, res in zip(rows, judge_rows(self.judge, rows))]


class CheckWorker:
    """A Ray actor: the library opened and the judge loaded once, then whole documents checked."""

    def __init__(self, wiring: Wiring, suggest: int, threads: int):
        wiring = _with_threads(wiring, threads)
        self.library = wiring.open_store()
        self.checker = wiring.checker(self.library, suggest=suggest)

    def run(self, task: tuple[int, Document]) -> tuple[int, tuple[str, list[str]]]:
        from ..pipeline.check import severity

        i, doc = task
        report = self.checker.check(doc)
        return i, (report_line(report), [severity(f) for f in report.findings])


class RayRun:
    """A connection to a Ray cluster for one command: the given ``address``, or a local cluster
    of ``workers`` CPUs started here and stopped after (``ray.init`` is Ray's own launcher)."""

    def __init__(self, address: str | None, workers: int | None):
        self.ray = require_ray()
        self.address = address
        self.started = False
        self.workers = workers or 0

    def __enter__(self) -> RayRun:
        ray = self.ray
        if not ray.is_initialized():
            quiet = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
            try:
                if self.address:
                    ray.init(address=self.address, logging_level=logging.ERROR, log_to_driver=False)
                else:
                    cpus = (self.workers or os.cpu_count() or 1) * RAY_THREADS_PER_WORKER
                    ray.init(num_cpus=cpus, object_store_memory=RAY_OBJECT_STORE_BYTES,
                             _system_config={"worker_niceness": RAY_WORKER_NICENESS}, **quiet)
            except ConnectionError as err:
                raise InputError(None, f"cannot reach the Ray cluster at {self.address}: {err}") from None
            self.started = True
        if not self.workers:  # as many actors as the cluster has CPUs for
            cpus = int(ray.cluster_resources().get("CPU", 1))
            self.workers = max(1, cpus // RAY_THREADS_PER_WORKER)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:
            self.ray.shutdown()

    def ordered(self, worker: type, init: Sequence[Any], tasks: Iterable[T],
                done: Callable[[T, R], None] | None = None) -> Iterator[R]:
        """Each task's result through a pool of ``worker`` actors, in task order, each as soon as it
        and all before it are done. ``done(task, result)`` is called in that order (progress)."""
        from ray.util import ActorPool

        remote = self.ray.remote(worker).options(
            num_cpus=RAY_THREADS_PER_WORKER, max_restarts=RAY_RETRIES, max_task_retries=RAY_RETRIES)
        actors = [remote.remote(*init) for _ in range(self.workers)]
        pool = ActorPool(actors)
        queue = enumerate(tasks)
        sent: dict[int, T] = {}

        def send() -> bool:
            nxt = next(queue, None)
            if nxt is None:
                return False
            sent[nxt[0]] = nxt[1]
            pool.submit(lambda actor, task: actor.run.remote(task), nxt)
            return True

        try:
            for _ in range(self.workers * RAY_IN_FLIGHT):
                if not send():
                    break
            held: dict[int, R] = {}
            want = 0
            while pool.has_next():
                i, result = pool.get_next_unordered()
                send()
                held[i] = result
                while want in held:
                    out = held.pop(want)
                    if done is not None:
                        done(sent.pop(want), out)
                    yield out
                    want += 1
        finally:
            for actor in actors:
                self.ray.kill(actor)


def _batches(rows: Sequence[ClaimRow], size: int) -> Iterator[list[ClaimRow]]:
    for b in range(0, len(rows), size):
        yield list(rows[b: b + size])


def _shipped() -> Wiring:
    """The shipped judge's wiring: ``judge`` needs no library."""
    from ..pipeline.wiring import Wiring

    return Wiring("")


def judge_on_ray(rows: Sequence[ClaimRow], address: str | None, workers: int | None,
                 progress: Callable[[int], None] | None = None, batch: int = RAY_BATCH,
                 wiring: Wiring | None = None) -> Iterator[str]:
    """The output lines of ``sourcecheck judge`` for ``rows``, judged on Ray, in input order."""
    with RayRun(address, workers) as run:
        def done(task: list[ClaimRow], lines: list[str]) -> None:
            if progress is not None:
                progress(len(task))

        for lines in run.ordered(JudgeWorker, (wiring or _shipped(), RAY_THREADS_PER_WORKER), _batches(rows, batch), done):
            yield from lines


def check_on_ray(docs: Sequence[Document], wiring: Wiring, suggest: int, address: str | None,
                 workers: int | None, progress: Callable[[int], None] | None = None
                 ) -> Iterator[tuple[str, list[str]]]:
    """One ``(JSON report line, severities)`` per document, checked on Ray, in input order.

    ``wiring.library`` must name the same library on every node: a path on a shared file system, or a
    database URL the nodes can reach.
    """
    with RayRun(address, workers) as run:
        def done(task: Document, result: tuple[str, list[str]]) -> None:
            if progress is not None:
                progress(1)

        yield from run.ordered(CheckWorker, (wiring, suggest, RAY_THREADS_PER_WORKER), docs, done)
