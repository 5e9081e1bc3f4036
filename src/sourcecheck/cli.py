"""The command line: thin commands over the library functions (as sqlite-utils is over Database).

Exit codes (DESIGN.md): 0 ran and nothing reached --fail-on; 1 something did; 2 the input or the
call was wrong, with one line that says what and where. With several documents, the worst of them.

Conventions shared by every command (console.py): ``-`` is stdin, ``--color``/``NO_COLOR``/``FORCE_COLOR``,
``-q``/``-v``, ``-l/--library``, ``-k`` (passages per claim), ``-o`` (output file); settings from a
``sourcecheck.toml`` or ``[tool.sourcecheck]`` (config.py) under the command line.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from . import config
from .config import FAIL_ON
from .console import Console, console_options
from .engine.commands import engine_options
from .engine.judge_options import JudgeChoice, judge_options
from .errors import InputError, from_system_error
from .jsonlines import read_rows
from .text import escape_controls

LEVELS = {"none": set(), "error": {"error"}, "warning": {"error", "warning"}}


def settings(start: str | Path | None = None, **cli: Any) -> dict[str, Any]:
    """The values in force: the command line's, else the environment's, the config file's, the default."""
    found = config.resolve(cli, start)
    return {name: s.value for name, s in found.items()}


def start_of(documents: tuple[str, ...]) -> str | None:
    """Where the config search starts: the first document's folder (stdin: the current one)."""
    return next((d for d in documents if d != "-"), None)


def library_target(option: str | None, start: str | Path | None = None) -> str:
    """The library a command uses: --library, else $SOURCECHECK_LIBRARY, the config file's, the default.

    A path, ``sqlite:///PATH`` or ``postgresql://URL``; a URL stays a string (``Path`` would fold its ``//``).
    """
    return str(settings(start, library=option)["library"])


def library_path(option: str | None, start: str | Path | None = None) -> Path:
    """The library as a path, for messages about a file."""
    return Path(library_target(option, start))


def open_library(option: str | None, must_exist: bool = True, read_only: bool = False,
                 start: str | Path | None = None):
    """The library (a file path, sqlite:///..., or postgresql://...); read-only for the checking commands."""
    from .library import open_library as open_store

    return open_store(library_target(option, start), read_only=read_only, must_exist=must_exist)


def _library_for_message(option: str | None) -> Path | None:
    """The library a system error is about; a broken settings file must not hide the error being reported."""
    try:
        return library_path(option)
    except InputError:
        return Path(option) if option else None


class Command(click.Command):
    """Turns InputError into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            click.echo(f"sourcecheck: error: {escape_controls(str(err))}", err=True)
            ctx.exit(2)
        except (OSError, sqlite3.DatabaseError) as err:  # disk full, damaged library: one line too
            mapped = from_system_error(err, _library_for_message(ctx.params.get("library")))
            if mapped is None:
                raise
            click.echo(f"sourcecheck: error: {escape_controls(str(mapped))}", err=True)
            ctx.exit(2)


from_option = click.option("--from", "from_", type=click.Choice(["outline", "markdown", "pandoc", "wikitext", "jsonl"]),
                           default=None, help="Document format (default: by extension and content).")
bib_option = click.option("--bib", "bib", multiple=True, type=click.Path(dir_okay=False),
                          help="Bibliography (BibTeX .bib, CSL-JSON .json, RIS .ris) mapping citation keys to sources.")


library_option = click.option("--library", "-l", "library", default=None,
                              help="Library file, sqlite:///PATH or postgresql://URL (default: $SOURCECHECK_LIBRARY, the config file's `library`, "
                                   "or ./.sourcecheck/library.db).")
fail_on_option = click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                              help="Exit 1 when a finding is this severe or worse [config: fail-on; default: error].")


def passages_option(default: int, what: str) -> Callable:
    """-k means one thing in every command: at most N library passages per claim."""
    return click.option("-k", "--passages", "k", type=int, default=default, show_default=True,
                        help=f"At most N library passages per claim ({what}).")


def example(*lines: str) -> str:
    """A command's --help epilog: real commands, kept as written (\\b stops click rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def worst_exit(severities: list[str], fail_on: str) -> int:
    return 1 if any(s in LEVELS[fail_on] for s in severities) else 0


def read_text_or_none(path: str) -> str | None:
    """The document's text for reports that show its lines (it was read once already; a race is harmless)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def check_output_early(output: str | None) -> None:
    """A folder or a missing folder given to -o is said now, not after the whole run."""
    if output:
        from .safeio import check_output

        check_output(output)


def emit(text: str, output: str | None) -> None:
    if output:
        from .safeio import write_text

        write_text(output, text)
    else:  # colour was decided already (console.py); click would strip it off a non-terminal
        click.echo(text, nl=False, color=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=example(
    "sourcecheck demo",
    "sourcecheck add examples/sources --library demo.db",
    "sourcecheck check examples/october-days.md --library demo.db"))
@click.version_option(package_name="sourcecheck")
def main() -> None:
    """Check writing against its sources: quotations, support, dates, evidence."""


def build_quote_index(lib) -> None:
    from .quotes.index import build_quote_index as build

    build(lib)


@main.command(cls=Command, epilog=example(
    "sourcecheck add examples/sources --library demo.db",
    "sourcecheck add examples/sources/the-petrograd-garrison.txt --title 'The Petrograd Garrison' --year 2026 -l demo.db",
    "sourcecheck add books/ --bib zotero-export.bib --limit pdf_pages=10000"))
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
    from .adding import add_paths

    if not paths and not bib:
        raise InputError(None, "give source files or folders to add, or --bib FILE")
    add_paths(paths, library_target(library), title, author, year, limits, bib, console=console)


@main.command(cls=Command, epilog=example("sourcecheck sources --library demo.db",
                                          "sourcecheck sources --library demo.db --format json"))
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@console_options
def sources(library: str | None, fmt: str, console: Console) -> None:
    """List the sources in the library, with their bibliography keys."""
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


@main.command(cls=Command, epilog=example("sourcecheck remove 'The Petrograd Garrison in 1917' --library demo.db"))
@click.argument("source")
@library_option
@console_options
def remove(source: str, library: str | None, console: Console) -> None:
    """Remove a source (by id or title) from the library."""
    with open_library(library) as lib:
        ref = lib.remove(source)
        build_quote_index(lib)
    console.info(escape_controls(f"removed {ref.id}  {ref.title}", keep_newlines=False))


def _quiet_report(report):
    """Only the claims with a problem (-q): the report as CI logs want it."""
    import dataclasses

    from .check import severity

    return dataclasses.replace(report, findings=[f for f in report.findings if severity(f) != "ok"])


def _format_choice() -> click.Choice:
    from .report import format_names

    return click.Choice(format_names())


@main.command(cls=Command, epilog=example(
    "sourcecheck check examples/october-days.md --library demo.db",
    "sourcecheck check examples/october-days.md ../shared/examples/october-revolution.md -l demo.db --format json",
    "cat examples/october-days.md | sourcecheck check - --library demo.db -q",
    "sourcecheck check examples/october-days.md -l demo.db --format sarif -o report.sarif",
    "sourcecheck check tests/fixtures/citations/essay.md --bib tests/fixtures/citations/refs.bib -l demo.db",
    "sourcecheck check examples/october-days.md -l demo.db --engine ray --workers 2 -o reports.jsonl"))
@click.argument("documents", nargs=-1, required=True)
@library_option
@click.option("--format", "fmt", type=_format_choice(), default=None,
              help="Report format (from the report registry) [config: format; default: text]. "
                   "Several documents: JSON becomes JSON Lines.")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@fail_on_option
@passages_option(0, "suggested for weak claims; 0: none")
@click.option("--suggest", "suggest", type=int, default=None, hidden=True, help="Old name of -k.")
@engine_options
@from_option
@bib_option
@judge_options
@console_options
def check(documents: tuple[str, ...], library: str | None, fmt: str | None, output: str | None, fail_on: str | None,
          k: int, suggest: int | None, engine: str, address: str | None, workers: int | None, from_: str | None,
          bib: tuple[str, ...], judge_choice: JudgeChoice, console: Console) -> None:
    """Check documents' claims, quotations and dates against the library (`-` reads stdin).

    With --engine ray the documents are checked on a Ray cluster and the reports are JSON Lines.
    """
    import time

    from .check import Checker, severity
    from .library.citekeys import keys_for
    from .report import WRITERS, WriteOptions, get_writer, render_many
    from .stdin import read_all

    start = start_of(documents)
    opts = settings(start, library=library, format=fmt, **{"fail-on": fail_on})
    fmt, fail_on = opts["format"], opts["fail-on"]
    if fmt not in _format_choice().choices:
        raise InputError(None, f"unknown report format {fmt!r} (config `format`; use one of {', '.join(_format_choice().choices)})")
    if len(documents) > 1 and get_writer(fmt).combine is None:
        several = ", ".join(w.name for w in WRITERS.values() if w.combine)
        raise InputError(None, f"--format {fmt} shows one document; for several use one of {several}")
    check_output_early(output)
    passages = suggest if suggest is not None else k
    if engine == "ray":
        from .engine.commands import run_check_many

        if from_ or bib:  # the engine reads each document by its own extension and YAML bibliography
            raise InputError(None, "--from and --bib apply to documents checked without --engine ray")
        if judge_choice.settings(start)[0] != "cross-encoder":
            raise InputError(None, "check --engine ray uses the shipped judge; an LLM judge runs on Ray with `judge --engine ray`")
        if fmt != "json" and click.get_current_context().get_parameter_source("fmt") != ParameterSource.DEFAULT:
            raise InputError(None, "--engine ray writes JSON Lines: use --format json")
        target = library_target(library, start)
        open_library(target, read_only=True).close()  # a missing library is named before any worker starts
        severities = run_check_many(documents, target, passages, output, engine, address, workers)
        sys.exit(worst_exit(severities, fail_on))
    chosen = judge_choice.make(start)  # an LLM judge's server is asked now, before any work
    docs = read_all(documents, from_)
    t0 = time.perf_counter()
    reports = []
    with open_library(library, start=start, read_only=True) as lib:
        checker = Checker(lib, chosen, suggest=passages, keys=keys_for(lib, list(bib)))
        total = sum(len(d.claims) for d in docs)
        with console.progress("checking claims", total) as bar:
            for doc in docs:
                t1 = time.perf_counter()
                reports.append(checker.check(doc, progress=lambda i, n: bar.update(1)))
                console.detail(f"{doc.path}: {len(doc.claims)} claims in {time.perf_counter() - t1:.2f} s")
    for r in reports:
        for f in r.findings:
            console.detail(f"{r.document}:{f.claim.line}: claim {f.claim.id} {f.verdict}, support {f.support:.3f}, "
                           f"contradiction {f.contradiction:.3f}" + "".join(
                               f"; quotation {e.match.status} {e.match.similarity:.3f}" for e in f.evidence))
    console.detail(f"total {time.perf_counter() - t0:.2f} s, judge {checker.judge.name}")
    if judge_choice.usage_line():
        console.detail(judge_choice.usage_line() or "")
    shown = [_quiet_report(r) for r in reports] if console.quiet else reports
    one = documents[0] if len(documents) == 1 and documents[0] != "-" else None
    options = WriteOptions(colour=console.colour_for(output), document_text=read_text_or_none(one) if one else None)
    emit(render_many(shown, fmt, options), output)
    sys.exit(worst_exit([severity(f) for r in reports for f in r.findings], fail_on))


@main.command(cls=Command, epilog=example(
    """echo '{"id": 1, "claim": "The garrison stayed in its barracks.", "evidence": "Most of the garrison stayed in its barracks."}' | sourcecheck judge""",
    "sourcecheck judge -i examples/claims.jsonl -o verdicts.jsonl",
    "sourcecheck judge -i examples/claims.jsonl -o verdicts.jsonl --engine ray --workers 2"))
@click.option("--input", "-i", "input_", default="-", help="JSON Lines {id, claim, evidence}; `-` (default): stdin.")
@click.option("-o", "--output", default=None, help="Write the verdicts to this file.")
@click.option("--batch", type=int, default=16, help="Rows per progress step.")
@engine_options
@judge_options
@console_options
def judge(input_: str, output: str | None, batch: int, engine: str, address: str | None, workers: int | None,
          judge_choice: JudgeChoice, console: Console) -> None:
    """Judge claims against evidence: JSON Lines in, JSON Lines out, in input order, each line as soon as it is made."""
    from .engine.batch import read_claim_rows
    from .engine.commands import run_judge

    check_output_early(output)
    rows = read_claim_rows(input_)
    chosen = judge_choice.settings()
    # An LLM judge's server is asked now, before any work (on Ray too); the shipped one loads where it runs.
    made = judge_choice.make() if engine == "local" or chosen[0] != "cross-encoder" else None
    run_judge(rows, output, engine, address, workers, batch, judge=made, judge_settings=chosen)
    if judge_choice.usage_line():
        console.detail(judge_choice.usage_line() or "")


@main.command(cls=Command, epilog=example(
    "sourcecheck quote 'the palace was taken in the early hours of 26 October' --library demo.db",
    "sourcecheck quote 'the palace was taken' -s 'Notes on the October Days' -l demo.db --format json",
    "sourcecheck quote -i examples/quotations.jsonl -l demo.db --fail-on warning"))
@click.argument("text", required=False)
@click.option("--source", "-s", default=None, help="Library id, title or file path of the cited source.")
@click.option("--input", "-i", "input_", default=None, help="JSON Lines {id, quote, source?}; `-`: stdin.")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format (with --input: always JSON Lines).")
@fail_on_option
@console_options
def quote(text: str | None, source: str | None, input_: str | None, library: str | None, fmt: str,
          fail_on: str | None, console: Console) -> None:
    """Find a quotation in its source (or anywhere in the library).

    Exit 1 at --fail-on error when a quotation is absent, misquoted (drift) or in another source than
    the one named; at --fail-on warning also when the named source is not in the library.
    """
    from .check import QUOTE_CODE, SEVERITY
    from .quotelib import quote_library
    from .quotes import QuoteIndex, locate_quote
    from .report.jsonout import match_json

    if (text is None) == (input_ is None):
        raise InputError(None, "give either a quotation TEXT or --input FILE")
    fail = settings(None, **{"fail-on": fail_on})["fail-on"]
    levels: list[str] = []
    rows = read_rows(input_, "quote") if input_ is not None else []
    with quote_library(library_target(library), [source] + [r.get("source") for _, r in rows]) as lib:
        elsewhere = QuoteIndex(lib)

        def one(q: str, src: str | None) -> dict:
            cited = lib.find_source(src) if src else None
            if src and cited is None:
                if input_ is None:
                    raise InputError(None, f"no source \u201c{src}\u201d in the library (see `sourcecheck sources`)")
            m = locate_quote(q, cited, elsewhere, cited_missing=bool(src) and cited is None)
            code = QUOTE_CODE.get(m.status)
            levels.append(str(SEVERITY[code]) if code else "ok")
            return {"quote": q, **match_json(m)}

        if input_ is not None:
            lines = []
            with console.progress("locating", len(rows)) as bar:
                for n, row in rows:
                    if not isinstance(row["quote"], str) or not isinstance(row.get("source", ""), (str, type(None))):
                        raise InputError(input_, "\"quote\" and \"source\" must be strings", line=n)
                    res = one(row["quote"], row.get("source"))
                    lines.append(json.dumps({"id": row.get("id", n), **res}, ensure_ascii=False))
                    bar.update(1)
            click.echo("\n".join(lines))
            sys.exit(worst_exit(levels, fail))
        assert text is not None  # one of TEXT and --input is given (checked above), and it is not --input
        res = one(text, source)
    if fmt == "json":
        click.echo(json.dumps(res, indent=2, ensure_ascii=False))
    elif not (console.quiet and levels[0] == "ok"):
        loc = res["location"]
        where = f" in {res['source']['title']}, line {loc['line']}" if loc and res["source"] else ""
        click.echo(escape_controls(f"{res['quote_status']}{where} (similarity {res['similarity']:.2f})", False))
        if res["context"]:
            click.echo(f"  {escape_controls(res['context'], False)}")
    sys.exit(worst_exit(levels, fail))


@main.command(cls=Command, epilog=example(
    "sourcecheck find 'The garrison stayed in its barracks' --library demo.db",
    "sourcecheck find 'Lenin returned to Petrograd' -k 3 --no-rescore -l demo.db --format json",
    "sourcecheck find -i examples/claims.jsonl -l demo.db --fail-on warning"))
@click.argument("claim", required=False)
@passages_option(5, "shown")
@click.option("--input", "-i", "input_", default=None, help="JSON Lines {id, claim}; `-`: stdin.")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format (with --input: always JSON Lines).")
@click.option("--no-rescore", is_flag=True, help="BM25 only, without the judge.")
@click.option("--per-source", type=int, default=None,
              help="Passages of one source before others get their turn, 0: no cap [config: per-source; default: 3].")
@fail_on_option
@console_options
def find(claim: str | None, k: int, input_: str | None, library: str | None, fmt: str, no_rescore: bool,
         per_source: int | None, fail_on: str | None, console: Console) -> None:
    """Search the library for passages that support a claim.

    A claim that no passage supports (as the judge says; with --no-rescore none is judged) is a
    warning: exit 1 with --fail-on warning.
    """
    from .judge import get_judge
    from .longclaim import windowed
    from .records import Suggestion, Verdict
    from .report.jsonout import suggestion_json
    from .search import find_evidence

    if (claim is None) == (input_ is None):
        raise InputError(None, "give either a CLAIM or --input FILE")
    opts = settings(None, **{"fail-on": fail_on, "per-source": per_source})
    cap = opts["per-source"] or None
    levels: list[str] = []

    def search(lib, j, text: str) -> list[Suggestion]:
        res = find_evidence(lib, j, text, k=k, rescore=not no_rescore, per_source=cap)
        levels.append("ok" if any(r.verdict == Verdict.SUPPORTED for r in res) else "warning")
        return res

    with open_library(library, read_only=True) as lib:
        j = None if no_rescore else windowed(get_judge())
        if input_ is not None:
            rows = read_rows(input_, "claim")
            with console.progress("searching", len(rows)) as bar:
                for n, row in rows:
                    found = [suggestion_json(r) for r in search(lib, j, row["claim"])]
                    click.echo(json.dumps({"id": row.get("id", n), "results": found}, ensure_ascii=False))
                    bar.update(1)
            sys.exit(worst_exit(levels, opts["fail-on"]))
        assert claim is not None  # one of CLAIM and --input is given (checked above), and it is not --input
        res = search(lib, j, claim)
    if fmt == "json":
        click.echo(json.dumps([suggestion_json(r) for r in res], indent=2, ensure_ascii=False))
    else:
        for i, r in enumerate(res, 1):
            click.echo(escape_controls(f"{i}. [{r.verdict or 'bm25'} {r.support:.2f}] {r.source.title}, line {r.location.line}",
                                       False))
            click.echo(f"   \u201c{escape_controls(' '.join(r.text.split()), False)}\u201d")
        if levels[0] == "warning":
            console.info("no passage supports this claim")
    sys.exit(worst_exit(levels, opts["fail-on"]))


@main.command(cls=Command, epilog=example(
    "sourcecheck cite examples/october-days.md --library demo.db --dry-run",
    "sourcecheck cite examples/october-days.md -l demo.db -k 2 -o cited.md",
    "sourcecheck cite tests/fixtures/citations/october-days.wiki -l demo.db --dry-run"))
@click.argument("document")
@library_option
@click.option("-o", "--output", default=None, help="Write the cited document here (default: stdout).")
@click.option("--dry-run", is_flag=True, help="Show the diff instead of writing.")
@passages_option(1, "quotations added to each weak claim")
@from_option
@bib_option
@console_options
def cite(document: str, library: str | None, output: str | None, dry_run: bool, k: int, from_: str | None,
         bib: tuple[str, ...], console: Console) -> None:
    """Write the document back with supporting quotations added to weak claims, in its own form
    (outline, Pandoc Markdown or wikitext)."""
    from .check import Checker
    from .cite import choose_citations
    from .decode import decode_text
    from .document import read_document
    from .document.writeback import WRITERS, additions_from, write_back
    from .judge import get_judge
    from .library.citekeys import keys_for
    from .textdiff import unified_diff
    from .tuning import CITE_CANDIDATES

    if not dry_run:
        check_output_early(output)
    doc = read_document(document, from_)
    if doc.format not in WRITERS:
        raise InputError(document, f"cite writes back {', '.join(WRITERS)} documents (this one is {doc.format})")
    original = decode_text(Path(document).read_bytes(), document)
    with open_library(library, start=document, read_only=True) as lib, console.progress("citing claims", len(doc.claims)) as bar:

        def counted(claims):  # progress by claim, without choose_citations knowing of it
            for claim in claims:
                yield claim
                bar.update(1)

        keys = keys_for(lib, list(bib) + doc.bibliographies)
        checker = Checker(lib, get_judge(), suggest=max(k, CITE_CANDIDATES), keys=keys)
        plan = choose_citations(checker, counted(doc.claims), k)
    for claim in plan.uncited:
        click.echo(f"claim {claim.id} (line {claim.line}): no supporting passage found in the library", err=True)
    new = write_back(doc, original, additions_from(plan.passages, keys))
    if dry_run:
        click.echo(escape_controls(unified_diff(original, new, document)), nl=False)
    else:
        emit(new, output)


def _declared_calendar(doc, library: str | None) -> str | None:
    """The calendar the cited sources declare, where they agree: read dates the way `check` does."""
    target = library_target(library, doc.path)
    if library is None and "://" not in target and not Path(target).exists():
        return None  # no library at hand: dates are read from the document alone
    from .library.citekeys import library_keys

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


@main.command(cls=Command, epilog=example("sourcecheck dates examples/october-days.md",
                                          "sourcecheck dates examples/october-days.md --library demo.db --format json"))
@click.argument("document")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@from_option
@console_options
def dates(document: str, library: str | None, fmt: str, from_: str | None, console: Console) -> None:
    """Every claim's dates in both calendars, sorted into one timeline.

    With a library, dates without a stated calendar are read in the calendar the cited sources declare.
    """
    from .dates.timeline import document_timeline, timeline_text
    from .stdin import read_one

    doc = read_one(document, from_)
    timeline = document_timeline(doc, default_calendar=_declared_calendar(doc, library))
    if fmt == "json":
        click.echo(timeline.to_json())
        return
    click.echo("\n".join(timeline_text(timeline)))


@main.command(cls=Command, epilog=example("sourcecheck index --library demo.db"))
@library_option
@console_options
def index(library: str | None, console: Console) -> None:
    """Compute dense passage vectors for sources that lack them (resumable: rerun after a kill)."""
    from .embed import TOKENIZER, get_static_encoder
    from .library.vectors import index_library, pending_sources

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


@main.command(cls=Command, epilog=example("sourcecheck serve --library .sourcecheck/demo.db --port 8000",
                                          "sourcecheck serve -l demo.db --host 0.0.0.0 --token s3cret"))
@library_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Any host but loopback needs a token.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port to listen on.")
@click.option("--token", default=None, help="Required of visitors; made and printed when --host is not loopback.")
@click.option("--max-upload", type=int, default=None, help="Largest upload in bytes (default 2 MB).")
def serve(library: str | None, host: str, port: int, token: str | None, max_upload: int | None) -> None:
    """A local web app: paste or upload a document, read its report, search the sources."""
    from .serve import serve as run_server

    with open_library(library, read_only=True) as lib:  # says "no library here" before the server starts
        path = getattr(lib, "path", None)
    if path is None:  # the web app opens the file itself, per request
        raise InputError(lib.name, "serve reads a library file: make one with `sourcecheck library copy URL FILE`")
    run_server(path, host=host, port=port, token=token, max_upload=max_upload, echo=click.echo)


@main.command(cls=Command, epilog=example("sourcecheck demo", "sourcecheck demo --format md -o demo-report.md"))
@click.option("--format", "fmt", type=_format_choice(), default="text", help="Report format.")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@passages_option(2, "suggested for weak claims")
@console_options
def demo(fmt: str, output: str | None, k: int, console: Console) -> None:
    """Check the bundled example against its bundled sources, in a temporary library.

    The library is deleted afterwards; the exit code is 0 (the example has problems on purpose).
    """
    from .demo import run_demo
    from .report import WriteOptions, render

    check_output_early(output)
    console.info("adding the 2 bundled sources to a temporary library and checking the bundled example...")
    report = run_demo(suggest=k)
    shown = _quiet_report(report) if console.quiet else report
    emit(render(shown, fmt, WriteOptions(colour=console.colour_for(output))), output)


@main.command("config", cls=Command, epilog=example("sourcecheck config", "sourcecheck config examples/october-days.md --format json"))
@click.argument("document", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def config_command(document: str | None, fmt: str) -> None:
    """Show the settings in force (for DOCUMENT, else here) and where each comes from.

    Settings live in `[tool.sourcecheck]` of a pyproject.toml or in a sourcecheck.toml, the nearest
    one at or above the document's folder; the command line and $SOURCECHECK_LIBRARY override them.
    """
    found = config.resolve({}, document)
    if fmt == "json":
        click.echo(json.dumps({k: {"value": s.value, "origin": s.origin} for k, s in found.items()}, indent=2))
        return
    width = max(len(k) for k in found)
    for k, s in found.items():
        click.echo(f"{k:{width}} = {json.dumps(s.value):30}  # {s.origin}")



from .library_command import library_group  # noqa: E402  (handed this module's Command below)

main.add_command(library_group(Command, build_quote_index))

if __name__ == "__main__":
    main()
