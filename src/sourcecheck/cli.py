"""The command line: thin commands over the library functions (as sqlite-utils is over Database).

Exit codes (DESIGN.md): 0 ran and nothing reached --fail-on; 1 something did; 2 the input or the
call was wrong, with one line that says what and where.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from .engine.commands import engine_options
from .errors import InputError, from_system_error
from .jsonlines import read_rows
from .text import escape_controls
from .tuning import PER_SOURCE_CAP

DEFAULT_LIBRARY = Path(".sourcecheck") / "library.db"
LEVELS = {"none": set(), "error": {"error"}, "warning": {"error", "warning"}}


def library_target(option: str | None) -> str:
    """The library a command uses: --library, else $SOURCECHECK_LIBRARY, else the default file."""
    return option or os.environ.get("SOURCECHECK_LIBRARY") or str(DEFAULT_LIBRARY)


def library_path(option: str | None) -> Path:
    """The library as a path, for messages about a file (a URL stays as written)."""
    return Path(library_target(option))


def open_library(option: str | None, must_exist: bool = True, read_only: bool = False):
    """The library (a file path, sqlite:///..., or postgresql://...); read-only for the checking commands."""
    from .library import open_library as open_store

    return open_store(library_target(option), read_only=read_only, must_exist=must_exist)


class Command(click.Command):
    """Turns InputError into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            click.echo(f"sourcecheck: error: {escape_controls(str(err))}", err=True)
            ctx.exit(2)
        except (OSError, sqlite3.DatabaseError) as err:  # disk full, damaged library: one line too
            mapped = from_system_error(err, library_path(ctx.params.get("library")))
            if mapped is None:
                raise
            click.echo(f"sourcecheck: error: {escape_controls(str(mapped))}", err=True)
            ctx.exit(2)


from_option = click.option("--from", "from_", type=click.Choice(["outline", "markdown", "pandoc", "wikitext", "jsonl"]),
                           default=None, help="Document format (default: by extension and content).")
bib_option = click.option("--bib", "bib", multiple=True, type=click.Path(dir_okay=False),
                          help="Bibliography (BibTeX .bib, CSL-JSON .json, RIS .ris) mapping citation keys to sources.")
library_option = click.option("--library", "-l", "library", default=None,
                              help="Library file, sqlite:///PATH or postgresql://URL (default: $SOURCECHECK_LIBRARY or ./.sourcecheck/library.db).")


def report_formats() -> list[str]:
    from .report import format_names

    return format_names()


def read_text_or_none(path: str) -> str | None:
    """The document's text for reports that show its lines (it was read once already; a race is harmless)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def emit(text: str, output: str | None) -> None:
    if output:
        from .safeio import write_text

        write_text(output, text)
    else:
        click.echo(text, nl=False)


@click.group()
@click.version_option(package_name="sourcecheck")
def main() -> None:
    """Check writing against its sources: quotations, support, dates, evidence."""


def build_quote_index(lib) -> None:
    from .quotes.index import build_quote_index as build

    build(lib)


@main.command(cls=Command)
@click.argument("paths", nargs=-1)
@library_option
@click.option("--title")
@click.option("--author")
@click.option("--year", type=int)
@bib_option
@click.option("--limit", "limits", multiple=True, metavar="NAME=N",
              help="Raise or lower a limit on one source: text_mb, epub_member_mb, epub_book_mb, pdf_pages, html_depth.")
def add(paths: tuple[str, ...], library: str | None, title: str | None, author: str | None, year: int | None,
        bib: tuple[str, ...], limits: tuple[str, ...]) -> None:
    """Add source files or folders (txt, md, html, epub, pdf, jsonl) to the library.

    Every file is tried; the summary lists what was added and what failed, with reasons (exit 2 if any failed).

    Example: sourcecheck add books/ --bib zotero-export.bib --limit pdf_pages=10000
    """
    from .adding import add_paths

    if not paths and not bib:
        raise InputError(None, "give source files or folders to add, or --bib FILE")
    add_paths(paths, library_target(library), title, author, year, limits, bib)


@main.command(cls=Command)
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def sources(library: str | None, fmt: str) -> None:
    """List the sources in the library."""
    from .library.citekeys import KeyStore

    with open_library(library, read_only=True) as lib:
        refs = lib.refs()
        keys = KeyStore(lib).keys_by_source()
    if fmt == "json":
        from .report.jsonout import source_json

        click.echo(json.dumps([{**source_json(r), "keys": keys.get(r.id, [])} for r in refs], indent=2))
    else:
        for r in refs:
            click.echo(escape_controls(f"{r.id}\t{r.title}\t{r.author or ''}\t{r.year or ''}\t{' '.join(keys.get(r.id, []))}",
                                       keep_newlines=False))


@main.command(cls=Command)
@click.argument("source")
@library_option
def remove(source: str, library: str | None) -> None:
    """Remove a source (by id or title) from the library."""
    with open_library(library) as lib:
        ref = lib.remove(source)
        build_quote_index(lib)
    click.echo(f"removed {ref.id}  {ref.title}", err=True)


@main.command(cls=Command)
@click.argument("documents", nargs=-1, required=True)
@library_option
@click.option("--format", "fmt", type=click.Choice(report_formats()), default="text",
              help="Report format (from the report registry).")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["none", "warning", "error"]), default="error")
@click.option("--suggest", type=int, default=0, help="Suggest up to N library passages for weak claims.")
@engine_options
@from_option
@bib_option
def check(documents: tuple[str, ...], library: str | None, fmt: str, output: str | None, fail_on: str, suggest: int,
          engine: str, address: str | None, workers: int | None, from_: str | None, bib: tuple[str, ...]) -> None:
    """Check a document's claims, quotations and dates against the library.

    Several documents (or --engine ray) give JSON Lines: one JSON report per document, in input order.

    Example: sourcecheck check a.md b.md --engine ray --workers 2 -o reports.jsonl
    Example: sourcecheck check essay.md --bib refs.bib --fail-on warning
    """
    from .check import Checker, severity
    from .document import read_document
    from .judge import get_judge
    from .library.citekeys import keys_for
    from .report import WriteOptions, render

    if output:
        from .safeio import check_output

        check_output(output)  # a folder or a missing folder is said now, not after the whole run
    if len(documents) > 1 or engine == "ray":
        from .engine.commands import run_check_many

        if from_ or bib:  # the engines read each document by its own extension and YAML bibliography
            raise InputError(None, "--from and --bib apply to one document checked without --engine ray")
        if click.get_current_context().get_parameter_source("fmt").name != "DEFAULT" and fmt != "json":
            raise InputError(None, "several documents or --engine ray write JSON Lines: use --format json")
        open_library(library, read_only=True).close()  # a missing library is named before any worker starts
        severities = run_check_many(documents, library_target(library), suggest, output, engine, address, workers)
        if any(s in LEVELS[fail_on] for s in severities):
            sys.exit(1)
        return
    document = documents[0]
    doc = read_document(document, from_)
    with open_library(library, read_only=True) as lib:
        report = Checker(lib, get_judge(), suggest=suggest, keys=keys_for(lib, list(bib))).check(doc)
    options = WriteOptions(colour=output is None and sys.stdout.isatty(), document_text=read_text_or_none(document))
    emit(render(report, fmt, options), output)
    if any(severity(f) in LEVELS[fail_on] for f in report.findings):
        sys.exit(1)


@main.command(cls=Command)
@click.option("--input", "-i", "input_", default="-", help="JSON Lines {id, claim, evidence} (default stdin).")
@click.option("-o", "--output", default=None)
@click.option("--batch", type=int, default=16, help="Rows per progress step.")
@engine_options
def judge(input_: str, output: str | None, batch: int, engine: str, address: str | None, workers: int | None) -> None:
    """Judge claims against evidence: JSON Lines in, JSON Lines out, in input order, each line as soon as it is made.

    Example: sourcecheck judge -i claims.jsonl -o verdicts.jsonl --engine ray --workers 2
    """
    from .engine.batch import read_claim_rows
    from .engine.commands import run_judge

    if output:
        from .safeio import check_output

        check_output(output)
    run_judge(read_claim_rows(input_), output, engine, address, workers, batch)


@main.command(cls=Command)
@click.argument("text", required=False)
@click.option("--source", "-s", default=None, help="Library id, title or file path of the cited source.")
@click.option("--input", "-i", "input_", default=None, help="JSON Lines {id, quote, source?}.")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def quote(text: str | None, source: str | None, input_: str | None, library: str | None, fmt: str) -> None:
    """Find a quotation in its source (or anywhere in the library)."""
    from .quotelib import quote_library
    from .quotes import QuoteIndex, locate_quote
    from .report.jsonout import match_json

    if (text is None) == (input_ is None):
        raise InputError(None, "give either a quotation TEXT or --input FILE")
    rows = read_rows(input_, "quote") if input_ is not None else []
    with quote_library(library_target(library), [source] + [r.get("source") for _, r in rows]) as lib:
        elsewhere = QuoteIndex(lib)

        def one(q: str, src: str | None, where: str) -> dict:
            cited = lib.find_source(src) if src else None
            if src and cited is None:
                if input_ is None:
                    raise InputError(None, f"no source \u201c{src}\u201d in the library (see `sourcecheck sources`)")
            m = locate_quote(q, cited, elsewhere, cited_missing=bool(src) and cited is None)
            return {"quote": q, **match_json(m)}

        if input_ is not None:
            lines = []
            for n, row in rows:
                if not isinstance(row["quote"], str) or not isinstance(row.get("source", ""), (str, type(None))):
                    raise InputError(input_, "\"quote\" and \"source\" must be strings", line=n)
                res = one(row["quote"], row.get("source"), f"{input_}:{n}")
                lines.append(json.dumps({"id": row.get("id", n), **res}, ensure_ascii=False))
            click.echo("\n".join(lines))
            return
        res = one(text, source, "")
    if fmt == "json":
        click.echo(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        loc = res["location"]
        where = f" in {res['source']['title']}, line {loc['line']}" if loc and res["source"] else ""
        click.echo(escape_controls(f"{res['quote_status']}{where} (similarity {res['similarity']:.2f})", False))
        if res["context"]:
            click.echo(f"  {escape_controls(res['context'], False)}")


@main.command(cls=Command)
@click.argument("claim", required=False)
@click.option("-k", type=int, default=5)
@click.option("--input", "-i", "input_", default=None, help="JSON Lines {id, claim}.")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--no-rescore", is_flag=True, help="BM25 only, without the judge.")
@click.option("--per-source", type=int, default=PER_SOURCE_CAP, show_default=True,
              help="Passages of one source before others get their turn (0: no cap).")
def find(claim: str | None, k: int, input_: str | None, library: str | None, fmt: str, no_rescore: bool,
         per_source: int) -> None:
    """Search the library for passages that support a claim."""
    from .judge import get_judge
    from .longclaim import windowed
    from .report.jsonout import suggestion_json
    from .search import find_evidence

    if (claim is None) == (input_ is None):
        raise InputError(None, "give either a CLAIM or --input FILE")
    with open_library(library, read_only=True) as lib:
        j = None if no_rescore else windowed(get_judge())
        if input_ is not None:
            for n, row in read_rows(input_, "claim"):
                res = find_evidence(lib, j, row["claim"], k=k, rescore=not no_rescore, per_source=per_source or None)
                click.echo(json.dumps({"id": row.get("id", n), "results": [suggestion_json(r) for r in res]},
                                      ensure_ascii=False))
            return
        res = find_evidence(lib, j, claim, k=k, rescore=not no_rescore, per_source=per_source or None)
    if fmt == "json":
        click.echo(json.dumps([suggestion_json(r) for r in res], indent=2, ensure_ascii=False))
        return
    for i, r in enumerate(res, 1):
        click.echo(escape_controls(f"{i}. [{r.verdict or 'bm25'} {r.support:.2f}] {r.source.title}, line {r.location.line}", False))
        click.echo(f"   \u201c{escape_controls(' '.join(r.text.split()), False)}\u201d")


@main.command(cls=Command)
@click.argument("document")
@library_option
@click.option("-o", "--output", default=None)
@click.option("--dry-run", is_flag=True, help="Show the diff instead of writing.")
@click.option("-k", type=int, default=1, help="Quotations to add per claim.")
@from_option
@bib_option
def cite(document: str, library: str | None, output: str | None, dry_run: bool, k: int, from_: str | None,
         bib: tuple[str, ...]) -> None:
    """Write the document back with supporting quotations added to weak claims, in its own form.

    Example: sourcecheck cite article.wiki --dry-run
    """
    from .check import Checker
    from .cite import choose_citations
    from .decode import decode_text
    from .document import read_document
    from .document.writeback import WRITERS, additions_from, write_back
    from .judge import get_judge
    from .library.citekeys import keys_for
    from .safeio import check_output
    from .textdiff import unified_diff
    from .tuning import CITE_CANDIDATES

    if output and not dry_run:
        check_output(output)
    doc = read_document(document, from_)
    if doc.format not in WRITERS:
        raise InputError(document, f"cite writes back {', '.join(WRITERS)} documents (this one is {doc.format})")
    original = decode_text(Path(document).read_bytes(), document)
    with open_library(library, read_only=True) as lib:
        keys = keys_for(lib, list(bib) + doc.bibliographies)
        plan = choose_citations(Checker(lib, get_judge(), suggest=max(k, CITE_CANDIDATES), keys=keys), doc.claims, k)
    for claim in plan.uncited:
        click.echo(f"claim {claim.id} (line {claim.line}): no supporting passage found in the library", err=True)
    new = write_back(doc, original, additions_from(plan.passages, keys))
    if dry_run:
        click.echo(escape_controls(unified_diff(original, new, document)), nl=False)
    else:
        emit(new, output)


@main.command(cls=Command)
@click.argument("document")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@from_option
def dates(document: str, fmt: str, from_: str | None) -> None:
    """Every claim's dates in both calendars, sorted into one timeline."""
    from .dates.timeline import document_timeline, timeline_text
    from .document import read_document

    timeline = document_timeline(read_document(document, from_))
    if fmt == "json":
        click.echo(timeline.to_json())
        return
    click.echo("\n".join(timeline_text(timeline)))


@main.command(cls=Command)
@library_option
def index(library: str | None) -> None:
    """Compute dense passage vectors for sources that lack them (resumable: rerun after a kill)."""
    from .embed import TOKENIZER, get_static_encoder
    from .library.vectors import index_library, pending_sources

    if not TOKENIZER.exists():
        raise InputError(TOKENIZER, "the sentence encoder's tokenizer is missing; reinstall sourcecheck")
    with open_library(library) as lib:
        build_quote_index(lib)  # a library made before `add` kept it gets it here
        todo = pending_sources(lib)
        if not todo:
            click.echo("every source already has its vectors")
            return
        with click.progressbar(length=len(todo), label="indexing", file=sys.stderr) as bar:
            done = index_library(lib, get_static_encoder(), progress=lambda r: bar.update(1))
        click.echo(f"indexed {len(done)} sources, {sum(r.passages for r in done)} passages")


@main.command(cls=Command)
@library_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Any host but loopback needs a token.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--token", default=None, help="Required of visitors; made and printed when --host is not loopback.")
@click.option("--max-upload", type=int, default=None, help="Largest upload in bytes (default 2 MB).")
def serve(library: str | None, host: str, port: int, token: str | None, max_upload: int | None) -> None:
    """A local web app: paste or upload a document, read its report, search the sources.

    Example: sourcecheck serve --library .sourcecheck/demo.db --port 8000
    """
    from .serve import serve as run_server

    with open_library(library, read_only=True) as lib:  # says "no library here" before the server starts
        path = getattr(lib, "path", None)
    if path is None:  # the web app opens the file itself, per request
        raise InputError(lib.name, "serve reads a library file: make one with `sourcecheck library copy URL FILE`")
    run_server(path, host=host, port=port, token=token, max_upload=max_upload, echo=click.echo)


from .library_command import library_group  # noqa: E402  (handed this module's Command below)

main.add_command(library_group(Command, build_quote_index))

if __name__ == "__main__":
    main()
