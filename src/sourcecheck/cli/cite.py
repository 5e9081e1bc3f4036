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
    (outline, Pandoc Markdown or wikitext), and a misquoted quotation replaced by the source's words.

    Only passages the judge supports at its precision threshold are proposed; in wikitext never a
    Wikipedia page; in Pandoc only sources with a bibliography key, or with an entry added to the
    first bibliography file the document names (BibTeX or CSL-JSON). A claim left uncited is named
    on stderr with the reason."""
    from ..decode import decode_text
    from ..document import read_document
    from ..document.bibwrite import add_entries, can_add
    from ..document.writeback import WRITERS, additions_from, source_words, write_back
    from ..library.citekeys import keys_for
    from ..pipeline.cite import choose_citations
    from ..safeio import write_text
    from ..textdiff import unified_diff
    from ..tuning import CITE_CANDIDATES

    if not dry_run:
        check_output_early(output)
    doc = read_document(document, from_)
    if doc.format not in WRITERS:
        raise InputError(document, f"cite writes back {', '.join(WRITERS)} documents (this one is {doc.format})")
    original = decode_text(Path(document).read_bytes(), document)
    wiring = wiring_for(document, library, judge)
    bib_file = doc.bibliographies[0] if doc.format == "pandoc" and doc.bibliographies else None
    with wiring.open_store() as lib, console.progress("citing claims", len(doc.claims)) as bar:

        def counted(claims):  # progress by claim, without choose_citations knowing of it
            for claim in claims:
                yield claim
                bar.update(1)

        keys = keys_for(lib, list(bib) + doc.bibliographies)
        checker = wiring.checker(lib, suggest=max(k, CITE_CANDIDATES), keys=keys)
        checker.suggest_candidates = CITE_CANDIDATES  # judge the first few only: <= 1 s a claim
        plan = choose_citations(checker, counted(doc.claims), k, wikitext=doc.format == "wikitext",
                                has_key=(lambda sid: keys.key_of(sid) is not None) if doc.format == "pandoc" else None,
                                can_add_key=bool(bib_file and can_add(bib_file)))
    for claim in plan.uncited:
        click.echo(f"claim {claim.id} (line {claim.line}): nothing proposed: {plan.why.get(claim.id, '')}", err=True)
    added: dict[str, str] = {}
    bib_change: tuple[str, str] | None = None
    if bib_file:
        missing = [s.source for chosen in plan.passages.values() for s in chosen if keys.key_of(s.source.id) is None]
        if missing:
            old_bib, new_bib, added = add_entries(bib_file, missing, set(keys.entries))
            bib_change = (old_bib, new_bib)
            click.echo(f"{bib_file}: {len(added)} entr{'y' if len(added) == 1 else 'ies'} added "
                       f"({', '.join('@' + x for x in added.values())})", err=True)
    new = write_back(doc, original, additions_from(plan.passages, keys, added))
    new = source_words(doc, new, plan.findings, None)  # misquotations: the source's words in place
    if dry_run:
        out = unified_diff(original, new, document)
        if bib_change:
            out += unified_diff(bib_change[0], bib_change[1], bib_file or "")
        click.echo(escape_controls(out), nl=False)
    else:
        if bib_change and bib_file:
            write_text(bib_file, bib_change[1])
        emit(new, output)
