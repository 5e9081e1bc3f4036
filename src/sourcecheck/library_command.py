"""``sourcecheck library ...``: commands on a library as a whole (today: copy between backends).

Built by :func:`library_group` with the CLI's command class handed in, so this module never
imports ``cli`` (which registers it): ``python -m sourcecheck.cli`` would import it twice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click


def library_group(command_cls: type[click.Command], build_quote_index: Callable[[object], None]) -> click.Group:
    @click.group(epilog="\b\nExamples:\n  sourcecheck library copy .sourcecheck/library.db copy.db\n"
                        "  sourcecheck library copy .sourcecheck/library.db postgresql://me@dbhost/sources")
    def library() -> None:
        """Commands on a whole library (SQLite file or PostgreSQL database)."""

    @library.command(cls=command_cls)
    @click.argument("src")
    @click.argument("dst")
    @click.option("--replace", is_flag=True, help="Overwrite sources of the same id that DST already holds.")
    def copy(src: str, dst: str, replace: bool) -> None:
        """Copy every source (texts, passages, vectors, bibliography keys) from SRC to DST,
        one transaction per source.

        SRC and DST are library files, sqlite:///PATH or postgresql:// URLs, in either direction.

        \b
        Examples:
          sourcecheck library copy .sourcecheck/library.db copy.db
          sourcecheck library copy .sourcecheck/library.db postgresql://me@dbhost/sources
        """
        from .library import open_library
        from .library.copy import copy_library

        with open_library(src, read_only=True, must_exist=True) as source, open_library(dst) as target:
            tty = sys.stderr.isatty()
            n = copy_library(source, target, replace=replace,
                             progress=(lambda s: click.echo(f"\rcopied {s.source.id[:60]:60}", err=True, nl=False))
                             if tty else None)
            build_quote_index(target)
            if tty:
                click.echo("", err=True)
            click.echo(f"copied {n} sources from {source.name} to {target.name}", err=True)

    return library
