"""`cite`: the document written back with supporting passages for its weak claims."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import Console, console_options
from ..errors import InputError
from ..text import escape_controls
from .common import (
    Command,
    bib_option,
    check_output_early,
    emit,
    example,
    from_option,
    judge_options,
    library_option,
    passages_option,
    wiring_for,
)


@click.command(cls=Command, epilog=example(
    "sourcecheck cite demo/october-days.md --library demo.db --dry-run",
    "sourcecheck cite demo/october-days.md -l demo.db -k 2 -o cited.md",
    "sourcecheck cite demo/october-days.md -l demo.db --from outline --dry-run"))
@click.argument("document")
@library_option
@click.option("-o", "--output", default=None, help="Write the cited document here (default: stdout).")
@click.option("--dry-run", is_flag=True, help="Show the diff instead of writing.")
@passages_option(1, "quotations added to each weak claim")
@from_option
@bib_option
@judge_options
@console_options
def cite(document: str, library: str | None, output: str | None, dry_run: bool, k: int, from_: str | None,
         bib: tuple[str, ...], judge: dict, console: Console) -> None:
    """Write the document back with supporting quotations added to weak claims, in its own form
    (outline, Pandoc Markdown or wikitext)."""
    from ..decode import decode_text
    from ..document import read_document
    from ..document.writeback import WRITERS, additions_from, write_back
    from ..library.citekeys import keys_for
    from ..pipeline.cite import choose_citations
    from ..textdiff import unified_diff
    from ..tuning import CITE_CANDIDATES

    if not dry_run:
        check_output_early(output)
    doc = read_document(document, from_)
    if doc.format not in WRITERS:
        raise InputError(document, f"cite writes back {', '.join(WRITERS)} documents (this one is {doc.format})")
    original = decode_text(Path(document).read_bytes(), document)
    wiring = wiring_for(document, library, judge)
    with wiring.open_store() as lib, console.progress("citing claims", len(doc.claims)) as bar:

        def counted(claims):  # progress by claim, without choose_citations knowing of it
            for claim in claims:
                yield claim
                bar.update(1)

        keys = keys_for(lib, list(bib) + doc.bibliographies)
        checker = wiring.checker(lib, suggest=max(k, CITE_CANDIDATES), keys=keys)
        plan = choose_citations(checker, counted(doc.claims), k)
    for claim in plan.uncited:
        click.echo(f"claim {claim.id} (line {claim.line}): no supporting passage found in the library", err=True)
    new = write_back(doc, original, additions_from(plan.passages, keys))
    if dry_run:
        click.echo(escape_controls(unified_diff(original, new, document)), nl=False)
    else:
        emit(new, output)
