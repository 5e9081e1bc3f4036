"""The ``--engine`` side of the ``judge`` and ``check`` commands, so that the CLI stays a thin shell.

``local`` is today's behaviour. ``ray`` writes each line as soon as it and all before it are done
(to stdout or to ``-o``, flushed), shows progress on stderr, and needs the ``[ray]`` extra.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..judge.longclaim import windowed
from . import ENGINES
from .batch import ClaimRow, judge_rows, judgement_line, report_line, write_lines

if TYPE_CHECKING:
    from ..pipeline.wiring import Wiring

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["engine_options", "run_check_many", "run_judge"]


def engine_options(f: F) -> F:
    """``--engine``, ``--address`` and ``--workers``, the same on every batch command."""
    f = click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Ray actors (one model each); default: one per CPU of the cluster.")(f)
    f = click.option("--address", default=None,
                     help="Ray cluster to join (e.g. auto, ray://head:10001); default: start a local one.")(f)
    f = click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="Where to run: here, or on a Ray cluster (pip install 'sourcecheck[ray]').")(f)
    return f


def _open_output(output: str | None) -> Any:
    """stdout, or a temporary file in the output's folder that replaces it only when all went well."""
    if output is None:
        return nullcontext(sys.stdout)
    from ..safeio import atomic_writer

    return atomic_writer(output)


def _bar(length: int, label: str) -> Any:
    return click.progressbar(length=length, label=label, file=sys.stderr)


def run_judge(rows: Sequence[ClaimRow], output: str | None, engine: str, address: str | None,
              workers: int | None, batch: int, wiring: Wiring) -> None:
    """Judge ``rows`` here or on Ray, writing each line as soon as it and all before it are done."""
    if engine == "ray":
        from .ray import judge_on_ray, require_ray

        require_ray()  # before the output file is opened: a missing extra leaves nothing behind
        with _open_output(output) as out, _bar(len(rows), "judging on Ray") as bar:
            write_lines(judge_on_ray(rows, address, workers, progress=bar.update, wiring=wiring), out)
        return
    results = judge_rows(windowed(wiring.judge()), rows)  # a claim longer than the model reads: in windows

    def lines(bar: Any) -> Iterator[str]:
        for row, res in zip(rows, results):
            yield judgement_line(row, res)
            if bar is not None:
                bar.update(1)

    with _open_output(output) as out, _bar(len(rows), "judging") if len(rows) > batch else nullcontext() as bar:
        write_lines(lines(bar), out)


def run_check_many(documents: Sequence[str], wiring: Wiring, suggest: int, output: str | None,
                   engine: str, address: str | None, workers: int | None) -> list[str]:
    """Several documents (or any on Ray): one JSON report per line, in input order; the severity of
    every finding, for ``--fail-on``. Every document is read before any is checked."""
    from ..document import read_document

    docs = [read_document(d) for d in documents]
    severities: list[str] = []
    with _open_output(output) as out, _bar(len(docs), "checking") as bar:
        if engine == "ray":
            from .ray import check_on_ray, require_ray

            require_ray()
            results = check_on_ray(docs, wiring, suggest, address, workers, progress=bar.update)
        else:
            results = _check_local(docs, wiring, suggest, bar.update)
        for line, sev in results:
            write_lines([line], out)
            severities += sev
    return severities


def _check_local(docs: Sequence[Any], wiring: Wiring, suggest: int,
                 progress: Callable[[int], None]) -> Iterator[tuple[str, list[str]]]:
    from ..pipeline.check import severity

    with wiring.open_store() as lib:
        checker = wiring.checker(lib, suggest=suggest)
        for doc in docs:
            report = checker.check(doc)
            progress(1)
            yield report_line(report), [severity(f) for f in report.findings]
