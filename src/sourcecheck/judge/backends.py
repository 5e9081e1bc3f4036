"""The ``JudgeBackend`` record: what a judge registers (plugins.judges), and the shipped one.

A backend turns the judge's settings (the ``[tool.sourcecheck.judge]`` table, or ``--judge-*``
options) into a ``Judge``. It is asked once per process per settings, by ``pipeline.wiring``; a
backend that needs a server says so there, before any work starts (one line, exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .judge import Judge, get_judge

DEFAULT_JUDGE = "cross-encoder"


@dataclass(frozen=True)
class JudgeBackend:
    name: str
    make: Callable[[Mapping[str, Any]], Judge]  # judge options -> a judge
    description: str


def _cross_encoder(options: Mapping[str, Any]) -> Judge:
    """The ONNX model shipped in the package: one per process (loading costs about a second).

    ``threads`` (a Ray worker's share of the cores) makes a judge of its own with that many threads.
    """
    if options.get("threads"):
        from .judge import CrossEncoderJudge

        return CrossEncoderJudge(threads=int(options["threads"]))
    return get_judge()


CROSS_ENCODER = JudgeBackend(DEFAULT_JUDGE, _cross_encoder, "the shipped cross-encoder, read part by part (default)")
