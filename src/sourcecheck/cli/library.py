"""Commands that change or list the library: add, sources, remove, index, and `library copy`."""

from __future__ import annotations

import json
import sys

import click

from ..console import Console, console_options
from ..errors import InputError
from ..text import escape_controls
from .common import Command, bib_option, build_quote_index, example, library_option, library_target, open_library


@click.command(cls=Command, epilog=example(
    "sourcecheck add demo/sources --library demo.db",
    "sourcecheck add demo/sources/the-petrograd-garrison.txt --title 'The Petrograd Garrison' --year 2026 -l demo.db",
    "sourcecheck add demo/papers/sources --bib demo/papers/refs.bib -l papers.db --limit pdf_pages=10000"))
@click.argument("paths", nargs=-1)
@library_option
@click.option("--title", help="Title of the source (one file); default: read from the file.")
@click.option("--author", help="Author of the source (one file).")
@click.option("--year", type=int, help="Year of publication (one file).")
@bib_option
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help="Raise or lower a limit on one source: text_mb, epub_member_mb, epub_book_mb, pdf_pages, html_depth.")
@console_options
def add(paths: tuple[str, ...], library: str | None, title: str | None, author: str | None, year: int | None,
        bib: tuple[str, ...], limits: tuple[str, ...], console: Console) -> None:
    """Add source files or folders (txt, md, html, epub, pdf, jsonl) to the library.

    Every file is tried; the summary lists what was added and what failed, with reasons (exit 2 if any failed).
    """
    from ..pipeline.adding import add_paths

    if not paths and not bib:
        raise InputError(None, "give source files or folders to add, or --bib FILE")
    add_paths(paths, library_target(library), title, author, year, limits, bib, console=console)


SOURCE_COLUMNS = ("id", "title", "author", "year", "keys")


@click.command(cls=Command, epilog=example("sourcecheck sources --library demo.db",
                                          "sourcecheck sources --library demo.db --format csv > sources.csv",
                                          "sourcecheck sources --library demo.db --format json"))
@library_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format: a table with a header, CSV or TSV with a header row, or JSON.")
@console_options
def sources(library: str | None, fmt: str, console: Console) -> None:
    """List the sources in the library, with their bibliography keys (one row a source, under a header)."""
    from ..library.citekeys import KeyStore

    with open_library(library, read_only=True) as lib:
        refs = lib.refs()
        keys = KeyStore(lib).keys_by_source()
    if fmt == "json":
        from ..report.jsonout import source_json

        click.echo(json.dumps([{**source_json(r), "keys": keys.get(r.id, [])} for r in refs], indent=2))
        return
    rows = [[escape_controls(str(v), keep_newlines=False) for v in
             (r.id, r.title, r.author or "", r.year or "", " ".join(keys.get(r.id, [])))] for r in refs]
    if fmt in ("csv", "tsv"):
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerows([list(SOURCE_COLUMNS), *rows])
        click.echo(buf.getvalue(), nl=False)
    else:  # tabulate, as sqlite-utils prints its tables; an empty library still shows the header
        from tabulate import tabulate

        click.echo(tabulate(rows, headers=list(SOURCE_COLUMNS), tablefmt="simple", disable_numparse=True))


@click.command(cls=Command, epilog=example("sourcecheck remove notes-on-the-october-days --library demo.db"))
@click.argument("source")
@library_option
@console_options
def remove(source: str, library: str | None, console: Console) -> None:
    """Remove a source (by id or title) from the library."""
    with open_library(library) as lib:
        ref = lib.remove(source)
        build_quote_index(lib)
    console.info(escape_controls(f"removed {ref.id}  {ref.title}", keep_newlines=False))


@click.command(cls=Command, epilog=example("sourcecheck index --library demo.db"))
@library_option
@console_options
def index(library: str | None, console: Console) -> None:
    """Compute dense passage vectors for sources that lack them (resumable: rerun after a kill)."""
    from ..library.embed import TOKENIZER, get_static_encoder
    from ..library.vectors import index_library, pending_sources

    if not TOKENIZER.exists():
        raise InputError(TOKENIZER, "the sentence encoder's tokenizer is missing; reinstall sourcecheck")
    with open_library(library) as lib:
        build_quote_index(lib)  # a library made before `add` kept it gets it here
        todo = pending_sources(lib)
        if not todo:
            console.info("every source already has its vectors")
            return
        with console.progress("indexing", len(todo)) as bar:
            done = index_library(lib, get_static_encoder(), progress=lambda r: bar.update(1))
        click.echo(f"indexed {len(done)} sources, {sum(r.passages for r in done)} passages")


@click.group(epilog="\b\nExamples:\n  sourcecheck library copy demo.db copy.db\n"
                    "  sourcecheck library copy demo.db postgresql://me@dbhost/sources")
def library() -> None:
    """Commands on a whole library (SQLite file or PostgreSQL database)."""

@library.command(cls=Command)
@click.argument("src")
@click.argument("dst")
@click.option("--replace", is_flag=True, help="Overwrite sources of the same id that DST already holds.")
def copy(src: str, dst: str, replace: bool) -> None:
    """Copy every source (texts, passages, vectors, bibliography keys) from SRC to DST,
    one transaction per source.

    SRC and DST are library files, sqlite:///PATH or postgresql:// URLs, in either direction.

    \b
    Examples:
      sourcecheck library copy demo.db copy.db
      sourcecheck library copy demo.db postgresql://me@dbhost/sources
    """
    from ..library import open_library
    from ..library.copy import copy_library

    with open_library(src, read_only=True, must_exist=True) as source, open_library(dst) as target:
        tty = sys.stderr.isatty()
        n = copy_library(source, target, replace=replace,
                         progress=(lambda s: click.echo(f"\rcopied {s.source.id[:60]:60}", err=True, nl=False))
                         if tty else None)
        build_quote_index(target)
        if tty:
            click.echo("", err=True)
        click.echo(f"copied {n} sources from {source.name} to {target.name}", err=True)
