"""The command line: thin commands over the library functions (as sqlite-utils is over Database).

Exit codes (DESIGN.md): 0 ran and nothing reached --fail-on; 1 something did; 2 the input or the
call was wrong, with one line that says what and where. With several documents, the worst of them.

Conventions shared by every command (console.py): ``-`` is stdin, ``--color``/``NO_COLOR``/``FORCE_COLOR``,
``-q``/``-v``, ``-l/--library``, ``-k`` (passages per claim), ``-o`` (output file); settings from a
``sourcecheck.toml`` or ``[tool.sourcecheck]`` (config.py) under the command line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Any

import click

from . import config
from .config import FAIL_ON
from .console import Console, console_options
from .engine.commands import engine_options
from .errors import InputError
from .jsonlines import read_rows

LEVELS = {"none": set(), "error": {"error"}, "warning": {"error", "warning"}}


def settings(start: str | Path | None = None, **cli: Any) -> dict[str, Any]:
    """The values in force: the command line's, else the environment's, the config file's, the default."""
    found = config.resolve(cli, start)
    return {name: s.value for name, s in found.items()}


def start_of(documents: tuple[str, ...]) -> str | None:
    """Where the config search starts: the first document's folder (stdin: the current one)."""
    return next((d for d in documents if d != "-"), None)


def library_path(option: str | None, start: str | Path | None = None) -> Path:
    return Path(settings(start, library=option)["library"])


def open_library(option: str | None, must_exist: bool = True, start: str | Path | None = None):
    from .library import Library

    path = library_path(option, start)
    if must_exist and not path.exists():
        raise InputError(path, "no library here; add sources first with `sourcecheck add PATH`")
    return Library(path)


class Command(click.Command):
    """Turns InputError into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            click.echo(f"sourcecheck: error: {err}", err=True)
            ctx.exit(2)


library_option = click.option("--library", "-l", "library", default=None,
                              help="Library file (default: $SOURCECHECK_LIBRARY, the config file's `library`, "
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


def emit(text: str, output: str | None) -> None:
    if output:
        tmp = Path(output).with_name(Path(output).name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    else:  # colour was decided already (console.py); click would strip it off a non-terminal
        click.echo(text, nl=False, color=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=example(
    "sourcecheck demo",
    "sourcecheck add examples/sources --library demo.db",
    "sourcecheck check examples/october-days.md --library demo.db"))
@click.version_option(package_name="sourcecheck")
def main() -> None:
    """Check writing against its sources: quotations, support, dates, evidence."""


@main.command(cls=Command, epilog=example(
    "sourcecheck add examples/sources --library demo.db",
    "sourcecheck add examples/sources/the-petrograd-garrison.txt --title 'The Petrograd Garrison' --year 2026 -l demo.db"))
@click.argument("paths", nargs=-1, required=True)
@library_option
@click.option("--title", help="Title of the source (one file); default: read from the file.")
@click.option("--author", help="Author of the source (one file).")
@click.option("--year", type=int, help="Year of publication (one file).")
@console_options
def add(paths: tuple[str, ...], library: str | None, title: str | None, author: str | None, year: int | None,
        console: Console) -> None:
    """Add source files or folders (txt, md, html, epub, pdf, jsonl) to the library."""
    for p in paths:
        if not Path(p).exists():
            raise InputError(p, "no such file or folder")
    live = sys.stderr.isatty()
    counts: dict[str, int] = {}
    with open_library(library, must_exist=False) as lib, console.progress("adding") as bar:

        def show(r) -> None:
            counts[r.status] = counts.get(r.status, 0) + 1
            bar.update(1, r.title)
            if not live:  # a log gets one line a source; a terminal the live count (5,922 lines otherwise)
                console.info(f"{r.status:9} {r.source_id}  {r.title}")

        for p in paths:
            lib.add(p, title=title, author=author, year=year, progress=show)
    if live:
        console.info(", ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to add")


@main.command(cls=Command, epilog=example("sourcecheck sources --library demo.db",
                                          "sourcecheck sources --library demo.db --format json"))
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@console_options
def sources(library: str | None, fmt: str, console: Console) -> None:
    """List the sources in the library."""
    with open_library(library) as lib:
        refs = lib.refs()
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "title": r.title, "author": r.author, "year": r.year} for r in refs], indent=2))
    else:
        for r in refs:
            click.echo(f"{r.id}\t{r.title}\t{r.author or ''}\t{r.year or ''}")


@main.command(cls=Command, epilog=example("sourcecheck remove 'The Petrograd Garrison in 1917' --library demo.db"))
@click.argument("source")
@library_option
@console_options
def remove(source: str, library: str | None, console: Console) -> None:
    """Remove a source (by id or title) from the library."""
    with open_library(library) as lib:
        ref = lib.remove(source)
    console.info(f"removed {ref.id}  {ref.title}")


def _quiet_report(report):
    """Only the claims with a problem (-q): the report as CI logs want it."""
    import dataclasses

    from .check import severity

    return dataclasses.replace(report, findings=[f for f in report.findings if severity(f) != "ok"])


def _format_choice() -> click.Choice:
    from .report.registry import names

    return click.Choice(names())


@main.command(cls=Command, epilog=example(
    "sourcecheck check examples/october-days.md --library demo.db",
    "sourcecheck check examples/october-days.md ../shared/examples/october-revolution.md -l demo.db --format json",
    "cat examples/october-days.md | sourcecheck check - --library demo.db -q",
    "sourcecheck check examples/october-days.md -l demo.db --format sarif -o report.sarif"))
@click.argument("documents", nargs=-1, required=True)
@library_option
@click.option("--format", "fmt", type=_format_choice(), default=None,
              help="Report format [config: format; default: text]. Several documents: JSON becomes JSON Lines.")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@fail_on_option
@passages_option(0, "suggested for weak claims; 0: none")
@click.option("--suggest", "suggest", type=int, default=None, hidden=True, help="Old name of -k.")
@engine_options
@console_options
def check(documents: tuple[str, ...], library: str | None, fmt: str | None, output: str | None, fail_on: str | None,
          k: int, suggest: int | None, engine: str, address: str | None, workers: int | None, console: Console) -> None:
    """Check documents' claims, quotations and dates against the library (`-` reads stdin).

    With --engine ray the documents are checked on a Ray cluster and the reports are JSON Lines.
    """
    import time

    from .check import Checker, severity
    from .judge import get_judge
    from .report.registry import RenderOptions, writer
    from .stdin import read_all

    start = start_of(documents)
    opts = settings(start, library=library, format=fmt, **{"fail-on": fail_on})
    fmt, fail_on = opts["format"], opts["fail-on"]
    if fmt not in _format_choice().choices:
        raise InputError(None, f"unknown report format {fmt!r} (config `format`; use one of {', '.join(_format_choice().choices)})")
    if engine == "ray":
        from .engine.commands import run_check_many

        if fmt != "json" and click.get_current_context().get_parameter_source("fmt").name != "DEFAULT":
            raise InputError(None, "--engine ray writes JSON Lines: use --format json")
        lib_path = library_path(library, start)
        open_library(str(lib_path)).close()  # a missing library is named before any worker starts
        severities = run_check_many(documents, str(lib_path), suggest if suggest is not None else k, output,
                                    engine, address, workers)
        sys.exit(worst_exit(severities, fail_on))
    docs = read_all(documents)
    t0 = time.perf_counter()
    reports = []
    with open_library(library, start=start) as lib:
        checker = Checker(lib, get_judge(), suggest=suggest if suggest is not None else k)
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
    shown = [_quiet_report(r) for r in reports] if console.quiet else reports
    emit(writer(fmt).render(shown, RenderOptions(colour=console.colour_for(output))), output)
    sys.exit(worst_exit([severity(f) for r in reports for f in r.findings], fail_on))


@main.command(cls=Command, epilog=example(
    """echo '{"id": 1, "claim": "The garrison stayed in its barracks.", "evidence": "Most of the garrison stayed in its barracks."}' | sourcecheck judge""",
    "sourcecheck judge -i examples/claims.jsonl -o verdicts.jsonl",
    "sourcecheck judge -i examples/claims.jsonl -o verdicts.jsonl --engine ray --workers 2"))
@click.option("--input", "-i", "input_", default="-", help="JSON Lines {id, claim, evidence}; `-` (default): stdin.")
@click.option("-o", "--output", default=None, help="Write the verdicts to this file.")
@click.option("--batch", type=int, default=16, help="Rows per progress step.")
@engine_options
def judge(input_: str, output: str | None, batch: int, engine: str, address: str | None, workers: int | None) -> None:
    """Judge claims against evidence: JSON Lines in, JSON Lines out, in input order."""
    from .engine.batch import read_claim_rows
    from .engine.commands import run_judge

    run_judge(read_claim_rows(input_), output, engine, address, workers, batch)


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
    from .check import ERROR_QUOTES, WARNING_QUOTES
    from .quotes import QuoteIndex, locate_quote
    from .records import to_dict
    from .report.jsonout import location_json, source_json

    if (text is None) == (input_ is None):
        raise InputError(None, "give either a quotation TEXT or --input FILE")
    fail = settings(None, **{"fail-on": fail_on})["fail-on"]
    levels: list[str] = []
    with open_library(library) as lib:
        elsewhere = QuoteIndex(lib)

        def one(q: str, src: str | None) -> dict:
            cited = lib.find_source(src) if src else None
            if src and cited is None:
                if input_ is None:
                    raise InputError(None, f"no source \u201c{src}\u201d in the library (see `sourcecheck sources`)")
            m = locate_quote(q, cited, elsewhere, cited_missing=bool(src) and cited is None)
            levels.append("error" if m.status in ERROR_QUOTES else "warning" if m.status in WARNING_QUOTES else "ok")
            return {"quote": q, "status": m.status, "source": source_json(m.source), "cited_source": source_json(m.cited_source),
                    "location": location_json(m.location), "similarity": round(m.similarity, 4),
                    "context": m.context, "diff": [to_dict(d) for d in m.diff]}

        if input_ is not None:
            lines = []
            rows = read_rows(input_, "quote")
            with console.progress("locating", len(rows)) as bar:
                for n, row in rows:
                    res = one(row["quote"], row.get("source"))
                    lines.append(json.dumps({"id": row.get("id", n), **res}, ensure_ascii=False))
                    bar.update(1)
            click.echo("\n".join(lines))
            sys.exit(worst_exit(levels, fail))
        res = one(text, source)
    if fmt == "json":
        click.echo(json.dumps(res, indent=2, ensure_ascii=False))
    elif not (console.quiet and levels[0] == "ok"):
        loc = res["location"]
        where = f" in {res['source']['title']}, line {loc['line']}" if loc and res["source"] else ""
        click.echo(f"{res['status']}{where} (similarity {res['similarity']:.2f})")
        if res["context"]:
            click.echo(f"  {res['context']}")
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
    from .search import find_evidence

    if (claim is None) == (input_ is None):
        raise InputError(None, "give either a CLAIM or --input FILE")
    opts = settings(None, **{"fail-on": fail_on, "per-source": per_source})
    cap = opts["per-source"] or None
    levels: list[str] = []

    def search(lib, j, text: str) -> list[dict]:
        res = find_evidence(lib, j, text, k=k, rescore=not no_rescore, per_source=cap)
        levels.append("ok" if any(r["verdict"] == "supported" for r in res) else "warning")
        return res

    with open_library(library) as lib:
        j = None if no_rescore else get_judge()
        if input_ is not None:
            rows = read_rows(input_, "claim")
            with console.progress("searching", len(rows)) as bar:
                for n, row in rows:
                    click.echo(json.dumps({"id": row.get("id", n), "results": search(lib, j, row["claim"])},
                                          ensure_ascii=False))
                    bar.update(1)
            sys.exit(worst_exit(levels, opts["fail-on"]))
        res = search(lib, j, claim)
    if fmt == "json":
        click.echo(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        for i, r in enumerate(res, 1):
            s = r["source"]
            click.echo(f"{i}. [{r['verdict'] or 'bm25'} {r['support']:.2f}] {s['title']}, line {r['location']['line']}")
            click.echo(f"   \u201c{' '.join(r['quote'].split())}\u201d")
        if levels[0] == "warning":
            console.info("no passage supports this claim")
    sys.exit(worst_exit(levels, opts["fail-on"]))


@main.command(cls=Command, epilog=example(
    "sourcecheck cite examples/october-days.md --library demo.db --dry-run",
    "sourcecheck cite examples/october-days.md -l demo.db -k 2 -o cited.md"))
@click.argument("document")
@library_option
@click.option("-o", "--output", default=None, help="Write the cited document here (default: stdout).")
@click.option("--dry-run", is_flag=True, help="Show the diff instead of writing.")
@passages_option(1, "quotations added to each weak claim")
@console_options
def cite(document: str, library: str | None, output: str | None, dry_run: bool, k: int, console: Console) -> None:
    """Write the document back with supporting quotations added to weak claims."""
    import difflib

    from .check import Checker
    from .cite import choose_citations
    from .document import read_document, render_outline
    from .judge import get_judge
    from .tuning import CITE_CANDIDATES

    doc = read_document(document)
    if doc.format != "outline":
        raise InputError(document, f"cite writes back outline documents only (this one is {doc.format})")
    original = Path(document).read_text(encoding="utf-8")
    with open_library(library, start=document) as lib, console.progress("citing claims", len(doc.claims)) as bar:

        def counted(claims):  # progress by claim, without choose_citations knowing of it
            for claim in claims:
                yield claim
                bar.update(1)

        plan = choose_citations(Checker(lib, get_judge(), suggest=max(k, CITE_CANDIDATES)), counted(doc.claims), k)
    for claim in plan.uncited:
        click.echo(f"claim {claim.id} (line {claim.line}): no supporting passage found in the library", err=True)
    new = render_outline(original, plan.additions)
    if dry_run:
        click.echo("".join(difflib.unified_diff(original.splitlines(True), new.splitlines(True), document, document + " (cited)")), nl=False)
    else:
        emit(new, output)


def _declared_calendar(doc, library: str | None) -> str | None:
    """The calendar the cited sources declare, where they agree: read dates the way `check` does."""
    path = library_path(library, doc.path)
    if library is None and not path.exists():
        return None  # no library at hand: dates are read from the document alone
    with open_library(library, start=doc.path) as lib:
        found = set()
        for claim in doc.claims:
            for ev in claim.evidence:
                ref = lib.match_citation(ev.citation) if ev.citation else None
                src = lib.get(ref.id) if ref else None
                if src is not None and src.calendar:
                    found.add(src.calendar)
    return found.pop() if len(found) == 1 else None


@main.command(cls=Command, epilog=example("sourcecheck dates examples/october-days.md",
                                          "sourcecheck dates examples/october-days.md --library demo.db --format json"))
@click.argument("document")
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@console_options
def dates(document: str, library: str | None, fmt: str, console: Console) -> None:
    """Every claim's dates in both calendars, sorted into one timeline.

    With a library, dates without a stated calendar are read in the calendar the cited sources declare.
    """
    from .dates.timeline import document_timeline, timeline_text
    from .stdin import read_one

    doc = read_one(document)
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
        todo = pending_sources(lib)
        if not todo:
            console.info("every source already has its vectors")
            return
        with console.progress("indexing", len(todo)) as bar:
            done = index_library(lib, get_static_encoder(), progress=lambda r: bar.update(1))
        click.echo(f"indexed {len(done)} sources, {sum(r.passages for r in done)} passages")


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
    from .report.registry import RenderOptions, writer

    console.info("adding the 2 bundled sources to a temporary library and checking the bundled example...")
    report = run_demo(suggest=k)
    shown = [_quiet_report(report)] if console.quiet else [report]
    emit(writer(fmt).render(shown, RenderOptions(colour=console.colour_for(output))), output)


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


if __name__ == "__main__":
    main()
