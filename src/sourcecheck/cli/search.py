"""Commands that look in the library: quote (a quotation's place), find (passages for a claim)."""

from __future__ import annotations

import json
import sys

import click

from ..console import Console, console_options
from ..errors import InputError
from ..jsonlines import read_rows
from ..text import escape_controls
from .common import (
    Command,
    example,
    fail_on_option,
    judge_options,
    library_option,
    library_target,
    passages_option,
    settings,
    wiring_for,
    worst_exit,
)


@click.command(cls=Command, epilog=example(
    "sourcecheck quote 'the palace was taken in the early hours of 26 October' --library demo.db",
    "sourcecheck quote 'the palace was taken' -s 'Notes on the October Days' -l demo.db --format json",
    "sourcecheck quote -i demo/quotations.jsonl -l demo.db --fail-on warning"))
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
    from ..pipeline.check import QUOTE_CODE
    from ..pipeline.quotelib import quote_library
    from ..problems import PROBLEMS
    from ..quotes import QuoteIndex, locate_quote
    from ..report.jsonout import match_json

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
            levels.append(str(PROBLEMS[code].severity) if code else "ok")
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


@click.command(cls=Command, epilog=example(
    "sourcecheck find 'The garrison stayed in its barracks' --library demo.db",
    "sourcecheck find 'Lenin returned to Petrograd' -k 3 --no-rescore -l demo.db --format json",
    "sourcecheck find -i demo/claims.jsonl -l demo.db --fail-on warning"))
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
@judge_options
@console_options
def find(claim: str | None, k: int, input_: str | None, library: str | None, fmt: str, no_rescore: bool,
         per_source: int | None, fail_on: str | None, judge: dict, console: Console) -> None:
    """Search the library for passages that support a claim.

    A claim that no passage supports (as the judge says; with --no-rescore none is judged) is a
    warning: exit 1 with --fail-on warning.
    """
    from ..judge.longclaim import windowed
    from ..records import Suggestion, Verdict
    from ..report.jsonout import suggestion_json
    from ..search import find_evidence

    if (claim is None) == (input_ is None):
        raise InputError(None, "give either a CLAIM or --input FILE")
    opts = settings(None, **{"fail-on": fail_on, "per-source": per_source})
    cap = opts["per-source"] or None
    levels: list[str] = []

    def search(lib, j, text: str) -> list[Suggestion]:
        res = find_evidence(lib, j, text, k=k, rescore=not no_rescore, per_source=cap)
        levels.append("ok" if any(r.verdict == Verdict.SUPPORTED for r in res) else "warning")
        return res

    wiring = wiring_for(None, library, judge)
    with wiring.open_store() as lib:
        j = None if no_rescore else windowed(wiring.judge())
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
