"""Commands that check: check (documents), judge (claim and evidence rows), demo (the bundled example)."""

from __future__ import annotations

import sys

import click
from click.core import ParameterSource

from ..console import Console, console_options
from ..engine.commands import engine_options
from ..errors import InputError
from .accepting import acceptance_options
from .common import (
    Command,
    bib_option,
    check_output_early,
    emit,
    example,
    fail_on_option,
    format_choice,
    from_option,
    judge_options,
    library_option,
    passages_option,
    quiet_report,
    read_text_or_none,
    settings,
    start_of,
    usage_detail,
    wiring_for,
    worst_exit,
)


@click.command(cls=Command, epilog=example(
    "sourcecheck check demo/october-days.md --library demo.db",
    "sourcecheck check demo/october-days.md demo/papers/paper.tex -l demo.db --format json",
    "cat demo/october-days.md | sourcecheck check - --library demo.db -q",
    "sourcecheck check demo/october-days.md -l demo.db --format sarif -o report.sarif",
    "sourcecheck check demo/october-days.md -l demo.db --ignore no_evidence,not_addressed",
    "sourcecheck check demo/october-days.md -l demo.db --write-baseline sourcecheck-baseline.json",
    "sourcecheck check demo/october-days.md -l demo.db --baseline sourcecheck-baseline.json",
    "sourcecheck add demo/papers/sources -l papers.db",
    "sourcecheck check demo/papers/paper.docx --bib demo/papers/refs.bib -l papers.db",
    "sourcecheck check demo/october-days.md -l demo.db --engine ray --workers 2 -o reports.jsonl",
    "(the demo/ folder and demo.db: `sourcecheck demo --copy demo`, `sourcecheck add demo/sources -l demo.db`)"))
@click.argument("documents", nargs=-1, required=True)
@library_option
@click.option("--format", "fmt", type=format_choice(), default=None,
              help="Report format (from the report registry) [config: format; default: text]. "
                   "Several documents: JSON becomes JSON Lines.")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@fail_on_option
@passages_option(0, "suggested for weak claims; 0: none")
@click.option("--suggest", "suggest", type=int, default=None, hidden=True, help="Old name of -k.")
@click.option("--max-evidence", "max_evidence", type=click.IntRange(min=0), default=None, metavar="N",
              help="Quotations one claim may have; more is an input error (0: no limit) [config: max-evidence; default: 100].")
@engine_options
@from_option
@bib_option
@judge_options
@acceptance_options
@console_options
def check(documents: tuple[str, ...], library: str | None, fmt: str | None, output: str | None, fail_on: str | None,
          k: int, suggest: int | None, max_evidence: int | None, engine: str, address: str | None, workers: int | None,
          from_: str | None, bib: tuple[str, ...], judge: dict, accepting: dict, console: Console) -> None:
    """Check documents' claims, quotations and dates against the library (`-` reads stdin).

    A reviewed finding is accepted by `<!-- sourcecheck: ignore[CODE] -->` on its claim's line, or
    by a baseline file; --select/--ignore choose the problem codes reported.
    With --engine ray the documents are checked on a Ray cluster and the reports are JSON Lines.
    """
    import time

    from .. import plugins
    from ..library.citekeys import keys_for
    from ..pipeline.check import severity
    from ..report import WriteOptions, get_writer, render_many
    from .stdin import read_all

    start = start_of(documents)
    opts = settings(start, library=library, format=fmt, **{"fail-on": fail_on})
    fmt, fail_on = opts["format"], opts["fail-on"]
    if fmt not in format_choice().choices:
        raise InputError(None, f"unknown report format {fmt!r} (config `format`; use one of {', '.join(format_choice().choices)})")
    if len(documents) > 1 and get_writer(fmt).combine is None:
        several = ", ".join(w.name for w in plugins.report_formats if w.combine)
        raise InputError(None, f"--format {fmt} shows one document; for several use one of {several}")
    check_output_early(output)
    passages = suggest if suggest is not None else k
    wiring = wiring_for(start, library, judge, max_evidence)
    if engine == "ray":
        from ..engine.commands import run_check_many

        if from_ or bib:  # the engine reads each document by its own extension and YAML bibliography
            raise InputError(None, "--from and --bib apply to documents checked without --engine ray")
        if fmt != "json" and click.get_current_context().get_parameter_source("fmt") != ParameterSource.DEFAULT:
            raise InputError(None, "--engine ray writes JSON Lines: use --format json")
        from .accepting import refuse_on_engine

        refuse_on_engine(accepting, start)
        wiring.open_store().close()  # a missing library is named before any worker starts
        if wiring.judge_name != "cross-encoder":
            wiring.judge()  # an LLM judge's server is asked here, before any worker starts
        severities = run_check_many(documents, wiring, passages, output, engine, address, workers)
        sys.exit(worst_exit(severities, fail_on))
    docs = read_all(documents, from_)
    from .accepting import prepare

    acceptance = prepare(accepting, start)  # a bad code or baseline is said before any claim is judged
    t0 = time.perf_counter()
    reports = []
    wiring.judge()  # a judge whose server is not there says so before any document is checked
    with wiring.open_store() as lib:
        checker = wiring.checker(lib, suggest=passages, keys=keys_for(lib, list(bib)))
        for doc in docs:  # every document's limits before the first claim is checked
            checker.within_limits(doc)
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
    reports = acceptance.apply(reports, console)
    usage_detail(console, checker.judge)
    shown = [quiet_report(r) for r in reports] if console.quiet else reports
    one = documents[0] if len(documents) == 1 and documents[0] != "-" else None
    options = WriteOptions(colour=console.colour_for(output), document_text=read_text_or_none(one) if one else None,
                           document_path=one, quiet=console.quiet)
    if (save := get_writer(fmt).save) is not None:  # a format that is a file (docx) writes it itself
        save(shown[0], options, output)
    else:
        emit(render_many(shown, fmt, options), output)
    sys.exit(worst_exit([severity(f) for r in reports for f in r.findings], fail_on))


@click.command(cls=Command, epilog=example(
    """echo '{"id": 1, "claim": "The garrison stayed in its barracks.", "evidence": "Most of the garrison stayed in its barracks."}' | sourcecheck judge""",
    "sourcecheck judge -i demo/claims.jsonl -o verdicts.jsonl",
    "sourcecheck judge -i demo/claims.jsonl -o verdicts.jsonl --engine ray --workers 2"))
@click.option("--input", "-i", "input_", default="-", help="JSON Lines {id, claim, evidence}; `-` (default): stdin.")
@click.option("-o", "--output", default=None, help="Write the verdicts to this file.")
@click.option("--batch", type=int, default=16, help="Rows per progress step.")
@engine_options
@judge_options
@console_options
def judge(input_: str, output: str | None, batch: int, engine: str, address: str | None, workers: int | None,
          judge: dict, console: Console) -> None:
    """Judge claims against evidence: JSON Lines in, JSON Lines out, in input order, each line as soon as it is made."""
    from ..engine.batch import read_claim_rows
    from ..engine.commands import run_judge

    check_output_early(output)
    wiring = wiring_for(None, None, judge)
    if engine != "ray" or wiring.judge_name != "cross-encoder":
        wiring.judge()  # a judge whose server is not there says so before any row is read (on Ray too)
    run_judge(read_claim_rows(input_), output, engine, address, workers, batch, wiring)
    if engine != "ray":
        usage_detail(console, wiring.judge())


@click.command(cls=Command, epilog=example(
    "sourcecheck demo", "sourcecheck demo --format md -o demo-report.md",
    "sourcecheck demo --copy demo     # the example's files, for every --help example"))
@click.option("--format", "fmt", type=format_choice(), default="text", help="Report format.")
@click.option("-o", "--output", default=None, help="Write the report to this file.")
@click.option("--copy", "copy_to", default=None, metavar="DIR",
              help="Write the bundled example and its sources into DIR (never overwriting) instead of checking.")
@passages_option(2, "suggested for weak claims")
@console_options
def demo(fmt: str, output: str | None, copy_to: str | None, k: int, console: Console) -> None:
    """Check the bundled example against its bundled sources, in a temporary library.

    The library is deleted afterwards; the exit code is 0 (the example has problems on purpose).
    """
    from ..pipeline.demo import copy_examples, run_demo
    from ..report import WriteOptions, render

    if copy_to is not None:
        from pathlib import Path

        written, d = copy_examples(copy_to), Path(copy_to)
        click.echo(f"wrote {len(written)} files to {d} (the bundled example and its sources); try:\n"
                   f"  sourcecheck add {d / 'sources'} --library demo.db\n"
                   f"  sourcecheck check {d / 'october-days.md'} --library demo.db")
        return
    check_output_early(output)
    console.info("adding the 2 bundled sources to a temporary library and checking the bundled example...")
    report = run_demo(suggest=k)
    shown = quiet_report(report) if console.quiet else report
    emit(render(shown, fmt, WriteOptions(colour=console.colour_for(output), quiet=console.quiet)), output)
