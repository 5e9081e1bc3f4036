"""How the CLI talks to a person: colour, verbosity and progress, by the conventions of ruff and pytest.

Colour: ``--color always|never`` wins; under ``auto`` a non-empty ``NO_COLOR`` turns it off, a
non-empty ``FORCE_COLOR`` on (for CI logs that render ANSI), else colour only on a terminal. This
keeps escape codes out of files, pipes and logs that would show them as garbage.

Progress goes to stderr. On a terminal it is click's progress bar (with its estimate of the time
left), once a job has run ~2 seconds, so that quick runs see nothing but the result. Off a terminal
(a CI log, a JSON report piped on) a long job writes a plain line every PROGRESS_LOG_EVERY_S instead
(no carriage returns or escapes to garble a log), so that a 5,000-claim check does not look hung;
jobs shorter than that write nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

import click

COLOR_CHOICES = ("auto", "always", "never")
PROGRESS_AFTER_S = 2.0
PROGRESS_LOG_EVERY_S = 10.0  # off a terminal: one line this often, the first after as long


def wants_colour(choice: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """The colour decision for one output stream (see the module docstring for the order)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


@dataclass
class Progress:
    """click's progress bar on stderr (``label [####----] done/total  hh:mm:ss`` left, and a note),
    shown only on a terminal and once a job has run ``after`` seconds, redrawn at most 10 times a second.

    click's bar counts every step from the start, hidden, so its estimate of the time left is the
    whole run's pace when it first appears; ``clock`` decides only when it is drawn.
    """

    label: str
    total: int | None = None
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Callable[[], float] = time.monotonic
    after: float = PROGRESS_AFTER_S
    done: int = 0
    shown: bool = False

    def __post_init__(self) -> None:
        import itertools

        self.start = self.clock()
        self.last = 0.0
        self.live = self.stream.isatty()
        # An unknown total (``add`` of a folder) is a count with a moving mark instead of a bar.
        # Typed by click after its iterable's items (int); its "current item" here is the note.
        self.bar: Any = click.progressbar(itertools.count() if self.total is None else None, length=self.total,
                                     label=self.label, file=self.stream, hidden=True, show_eta=True,
                                     show_pos=True, item_show_func=lambda note: note)

    def update(self, n: int = 1, note: str = "") -> None:
        self.done += n
        self.bar.update(n, note[:40] or None)  # hidden: counts and times the step, draws nothing
        now = self.clock()
        if not self.live:
            self._log_line(now)
            return
        if now - self.start < self.after or (self.shown and now - self.last < 0.1):
            return
        self.bar.hidden = False
        self.bar.render_progress()
        self.bar.hidden = True
        self.shown, self.last = True, now

    def _log_line(self, now: float) -> None:
        """A plain ``sourcecheck: label done/total, 60 s, about 190 s left`` line, every PROGRESS_LOG_EVERY_S."""
        elapsed = now - self.start
        if elapsed < PROGRESS_LOG_EVERY_S or now - self.last < PROGRESS_LOG_EVERY_S:
            return
        count = f"{self.done}/{self.total}" if self.total else str(self.done)
        left = ""
        if self.total and 0 < self.done < self.total:
            left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        self.stream.write(f"sourcecheck: {self.label} {count}, {elapsed:.0f} s{left}\n")
        self.stream.flush()
        self.last = now

    def close(self) -> None:
        if self.shown:  # clear the line (and show the cursor click hid) so that the report starts clean
            self.stream.write("\r\x1b[2K\x1b[?25h")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Console:
    """The options every command shares: --color, -q, -v."""

    color: str = "auto"
    verbosity: int = 0  # -1 with -q (only problems), 1 with -v (scores and timings)

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 0

    def colour_for(self, output: str | None) -> bool:
        """Colour for the report: never into a file given with -o."""
        return output is None and wants_colour(self.color, sys.stdout)

    def info(self, message: str) -> None:
        """A note on stderr that -q silences."""
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        """A note on stderr that only -v shows (scores, timings)."""
        if self.verbose:
            click.echo(message, err=True)

    def progress(self, label: str, total: int | None = None) -> Progress:
        return Progress(label, total, stream=sys.stderr)


def console_options(f: Callable) -> Callable:
    """Adds --color, -q and -v to a command, handed to it as one ``console`` argument."""
    import functools

    @click.option("--color", "color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
                  help="Colour the output; auto: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).")
    @click.option("-q", "--quiet", is_flag=True, help="Only problems: no passing claims, no notes.")
    @click.option("-v", "--verbose", is_flag=True, help="Also scores and timings (on stderr).")
    @functools.wraps(f)
    def wrapper(*args: object, color: str, quiet: bool, verbose: bool, **kwargs: object) -> object:
        if quiet and verbose:
            from .errors import InputError

            raise InputError(None, "-q and -v contradict each other; give one")
        return f(*args, console=Console(color, -1 if quiet else 1 if verbose else 0), **kwargs)

    return wrapper
