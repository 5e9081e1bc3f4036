"""``sourcecheck add``: every file tried, one exact summary, exit 2 when any failed.

Chosen over all-or-nothing: a 5,922-article corpus with one bad line should not lose the other
5,921, and each source still goes in with its own transaction, so a killed add keeps what it
finished. The summary names each failure with its reason; a library file this call created and
left empty is removed, so a failed first add leaves nothing behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console import Console
from ..errors import InputError
from ..limits import Limits
from ..text import escape_controls


def _remove_empty_library(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            p.unlink()


def add_paths(paths: tuple[str, ...], target: str, title: str | None, author: str | None, year: int | None,
              limit_items: tuple[str, ...], bib: tuple[str, ...] = (), console: Console | None = None) -> None:
    """Progress and notes go through ``console`` (-q silences the notes, never the failures)."""
    from ..library import is_url, open_library

    console = console or Console()
    path = None if is_url(target) else Path(target.removeprefix("sqlite:///"))
    limits = Limits().parse(limit_items)
    for p in paths:
        if not Path(p).exists():
            raise InputError(p, "no such file or folder")
    created = path is not None and not path.exists()
    tty = sys.stderr.isatty()
    counts: dict[str, int] = {}
    failures: list[str] = []
    warnings: dict[str, str] = {}  # a missing attachment's path -> its one warning line

    def show(r) -> None:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status == "failed":
            failures.append(f"{r.path}{f':{r.line}' if r.line else ''}: {r.reason}")
        # A terminal gets the live count after ~2 s (a 5,922-article corpus would print 5,922 lines);
        # a log one line a source.
        bar.update(1, ", ".join(f"{n} {s}" for s, n in counts.items()))
        if not tty and r.status != "failed":
            extra = f"  ({escape_controls(r.reason)})" if r.reason else ""
            console.info(f"{r.status:9} {r.source_id}  {escape_controls(r.title, False)}{extra}")

    lib = open_library(target)
    try:
        with console.progress("adding") as bar:
            for p in paths:
                lib.add(p, title=title, author=author, year=year, progress=show, limits=limits, keep_going=True)
            for b in bib:
                from ..library.bibadd import add_bibliography

                for a in add_bibliography(lib, b, progress=show):
                    console.info(f"{'key':9} {a.entry.key} -> {a.source_id or 'no source in the library'}")
                    kind = "keys attached" if a.source_id else "keys without a source"
                    counts[kind] = counts.get(kind, 0) + 1
                    for f in a.missing:
                        warnings.setdefault(f, f"{b}: entry {a.entry.key!r} names a file that does not exist: {f} "
                                               "(the entry is attached without it)")
        empty = not lib.refs()
        if not empty:
            from ..quotes.index import build_quote_index

            build_quote_index(lib)  # here, so that the read-only commands find it ready
    finally:
        lib.close()
    if created and empty and path is not None:
        _remove_empty_library(path)
    if warnings:
        counts["attachments missing" if len(warnings) > 1 else "attachment missing"] = len(warnings)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to add"
    console.info(f"sourcecheck: {summary}")
    for line in warnings.values():  # said even under -q: a file the user meant to add is not there
        click.echo(f"sourcecheck: warning: {escape_controls(line, False)}", err=True)
    for line in failures:
        click.echo(f"sourcecheck: error: {escape_controls(line, False)}", err=True)
    if failures:
        sys.exit(2)
