"""`check`'s options for which problems count: --select/--ignore by code, --baseline, --write-baseline.

The settings file holds the same three (``select``, ``ignore``, ``baseline``); the command line wins,
and a code given in either is checked against the problem table with the place it was written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..console import Console
from ..errors import InputError
from ..pipeline import config
from ..pipeline.accept import Selection
from ..pipeline.baseline import Baseline
from ..records import Report

CODES_HELP = "problem codes, comma-separated or repeated (the README's table)"


def acceptance_options(f: Callable) -> Callable:
    """The four options, handed to the command as one ``accepting`` mapping (None/() where not given)."""

    @click.option("--select", "select", multiple=True, metavar="CODES",
                  help=f"Report only these {CODES_HELP} [config: select; default: all].")
    @click.option("--ignore", "ignore", multiple=True, metavar="CODES",
                  help=f"Do not report these {CODES_HELP} [config: ignore].")
    @click.option("--baseline", "baseline", default=None, type=click.Path(dir_okay=False), metavar="FILE",
                  help="Accept the findings this baseline file lists; only new ones count [config: baseline].")
    @click.option("--write-baseline", "write_baseline", default=None, type=click.Path(dir_okay=False), metavar="FILE",
                  help="Write every finding of this run to FILE as accepted (then the run reports them baselined).")
    @functools.wraps(f)
    def wrapper(*args: object, select: tuple[str, ...], ignore: tuple[str, ...], baseline: str | None,
                write_baseline: str | None, **kwargs: Any) -> object:
        accepting = {"select": select, "ignore": ignore, "baseline": baseline, "write_baseline": write_baseline}
        return f(*args, accepting=accepting, **kwargs)

    return wrapper


def in_force(accepting: dict[str, Any], start: str | Path | None) -> dict[str, Any]:
    """The options given, else the settings file's, each with the place it came from (for messages)."""
    found = config.resolve({"select": accepting["select"] or None, "ignore": accepting["ignore"] or None,
                            "baseline": accepting["baseline"]}, start)
    return {k: found[k] for k in ("select", "ignore", "baseline")} | {"write_baseline": accepting["write_baseline"]}


def refuse_on_engine(accepting: dict[str, Any], start: str | Path | None) -> None:
    """--engine ray writes each worker's report as it is made: nothing here could be applied to it."""
    s = in_force(accepting, start)
    if s["select"].value is not None or s["ignore"].value or s["baseline"].value or s["write_baseline"]:
        raise InputError(None, "--select, --ignore and baselines apply to documents checked without --engine ray")


@dataclass
class Acceptance:
    """What a run accepts, read and checked before any claim is judged: a bad code or baseline costs nothing."""

    selection: Selection
    baseline: Baseline | None
    write_to: str | None

    def apply(self, reports: Sequence[Report], console: Console) -> list[Report]:
        """The reports with the codes not selected left out, then the baseline's findings accepted.

        --write-baseline writes what the run reports (after --select/--ignore and inline comments, before
        any --baseline), and the run then reports those findings as baselined."""
        from ..pipeline.accept import select

        out = [select(r, self.selection) for r in reports]
        baseline = self.baseline
        if self.write_to:
            baseline = Baseline.of(self.write_to, out)
            baseline.write()
            console.info(f"sourcecheck: wrote {sum(baseline.entries.values())} findings to {self.write_to}")
        return baseline.take(out) if baseline is not None else out


def prepare(accepting: dict[str, Any], start: str | Path | None) -> Acceptance:
    s = in_force(accepting, start)

    def where(name: str) -> str:  # the option, or the settings file, that named the code
        return f"--{name}" if s[name].origin == "command line" else s[name].origin

    chosen = Selection.of(s["select"].value, [], where("select")).select if s["select"].value is not None else None
    ignored = Selection.of(None, s["ignore"].value, where("ignore")).ignore
    if s["write_baseline"]:
        from ..safeio import check_output

        check_output(s["write_baseline"])
    baseline = Baseline.load(s["baseline"].value) if s["baseline"].value else None
    return Acceptance(Selection(chosen, ignored), baseline, s["write_baseline"])
