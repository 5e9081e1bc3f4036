"""`dates`: every claim's dates in both calendars, on one timeline."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import Console, console_options
from .common import Command, example, from_option, library_option, library_target, open_library


def _declared_calendar(doc, library: str | None) -> str | None:
    """The calendar the cited sources declare, where they agree: read dates the way `check` does."""
    target = library_target(library, doc.path)
    if library is None and "://" not in target and not Path(target).exists():
        return None  # no library at hand: dates are read from the document alone
    from ..library.citekeys import library_keys

    with open_library(library, start=doc.path, read_only=True) as lib:
        keys = library_keys(lib)
        found = set()
        for claim in doc.claims:
            for ev in claim.evidence:
                ref = keys.resolve(ev.citation) if ev.citation else None
                src = lib.get(ref.id) if ref else None
                if src is not None and src.calendar:
                    found.add(src.calendar)
    return found.pop() if len(found) == 1 else None


@click.command(cls=Command, epilog=example("sourcecheck dates demo/october-days.md",
                                          "sourcecheck dates demo/october-days.md --library demo.db --format json"))
@click.argument("document")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@from_option
@console_options
def dates(document: str, library: str | None, fmt: str, from_: str | None, console: Console) -> None:
    """Every claim's dates in both calendars, sorted into one timeline.

    With a library, dates without a stated calendar are read in the calendar the cited sources declare.
    """
    from ..dates.timeline import document_timeline, timeline_text
    from .stdin import read_one

    doc = read_one(document, from_)
    timeline = document_timeline(doc, default_calendar=_declared_calendar(doc, library))
    if fmt == "json":
        click.echo(timeline.to_json())
        return
    click.echo("\n".join(timeline_text(timeline)))
