"""Report writers by name: ``--format NAME`` looks a writer up here instead of switching on names.

A writer turns all the reports of one call (one per document) into one output, because the CI
formats combine them (one SARIF log, one JUnit file) while JSON becomes JSON Lines. Minimal on
purpose: the report issue (12) owns this registry and may widen a writer's signature.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Report


@dataclass(frozen=True)
class RenderOptions:
    colour: bool = False


@dataclass(frozen=True)
class Writer:
    name: str
    render: Callable[[Sequence[Report], RenderOptions], str]
    help: str


WRITERS: dict[str, Writer] = {}


def register(name: str, help: str) -> Callable:
    def add(render: Callable[[Sequence[Report], RenderOptions], str]) -> Callable:
        WRITERS[name] = Writer(name, render, help)
        return render

    return add


def writer(name: str) -> Writer:
    from . import builtin, github, junit, sarif  # noqa: F401  (importing registers them)

    return WRITERS[name]


def names() -> list[str]:
    from . import builtin, github, junit, sarif  # noqa: F401

    return list(WRITERS)
