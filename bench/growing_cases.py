"""Readers and the check at growing sizes (issues 22 and 24): the inputs, made at any size n.

Each growth case is run by ``bench/hostile_bench.py`` at n and at 8n, in its own process, with its
time, peak memory and the 8n/n time ratio (about 8 where the cost is linear; the process's start,
about a second, makes it smaller). ``tests/test_growth.py`` reads the same inputs at the large size
and checks what comes out, never how long it took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.hostile_cases import EXAMPLES, SOURCE_TEXT, Case, Setup, library

NOTES = "Notes on the October Days"
# The source's sentences (its title block aside): each is found verbatim, so a row measures the
# check, not a search for something that is not there.
def _sentences(text: str) -> list[str]:
    from sourcecheck.text import split_sentences

    out = []
    for para in text.split("\n\n"):
        para = " ".join(para.split())
        if para.endswith(".") and "sourcecheck team" not in para:  # headings and the title block are not prose
            out += [para[a:b] for a, b in split_sentences(para) if b - a > 40]
    return out


SENTENCES = _sentences(SOURCE_TEXT)


def quote(i: int) -> str:
    """The i-th quotation: a sentence of the example source, verbatim."""
    return SENTENCES[i % len(SENTENCES)]


def braces_outline(path: Path, chars: int) -> Path:
    """One outline claim whose text is mostly a nesting of braces, with a verbatim quotation."""
    braces = "{" * (chars // 2) + "}" * (chars // 2)
    path.write_text(f"- Russia kept the Julian calendar until February 1918 {braces}.\n"
                    f"    - `{quote(0)}` - {NOTES}, sourcecheck team, 2026\n", encoding="utf-8")
    return path


def nested_templates(path: Path, depth: int) -> Path:
    """A wikitext sentence with templates nested ``depth`` deep (MediaWiki stops expanding at 40)."""
    path.write_text("The garrison waited " + "{{lang|ru|" * depth + "гарнизон" + "}}" * depth
                    + f" in its barracks.<ref>{{{{cite book |title={NOTES} |year=2026 |quote={quote(0)}}}}}</ref>\n"
                    "\nThe second sentence stands on line 3.<ref>{{cite book |title=" + NOTES + "}}</ref>\n",
                    encoding="utf-8")
    return path


def wikitext_refs(path: Path, refs: int, named: bool = False) -> Path:
    """One wikitext sentence followed by ``refs`` refs, each a different page with a quotation
    (``named``: one named ref, then ``refs - 1`` reuses of it)."""
    if named:
        body = (f'<ref name="n">{{{{cite book |title={NOTES} |page=1 |quote={quote(0)}}}}}</ref>'
                + '<ref name="n" />' * (refs - 1))
    else:
        body = "".join(f"<ref>{{{{cite book |title={NOTES} |page={i + 1} |quote={quote(i)}}}}}</ref>"
                       for i in range(refs))
    path.write_text(f"The garrison waited in its barracks.{body}\n", encoding="utf-8")
    return path


def citation_keys(path: Path, keys: int) -> Path:
    """A Pandoc sentence citing ``keys`` keys; k0 is in the bibliography, the rest in none."""
    (path.parent / "keys.bib").write_text(f"@book{{k0, title = {{{NOTES}}}, year = {{2026}}}}\n", encoding="utf-8")
    cites = "; ".join(f"@k{i}" for i in range(keys))
    path.write_text(f"---\nbibliography: keys.bib\n---\n\nThe garrison waited in its barracks [{cites}].\n",
                    encoding="utf-8")
    return path


def pandoc_claims(path: Path, claims: int) -> Path:
    """A Pandoc document of ``claims`` paragraphs, each one claim quoting the example source by key."""
    (path.parent / "notes.bib").write_text(
        f"@book{{notes, title = {{{NOTES}}}, author = {{{{sourcecheck team}}}}, year = {{2026}}}}\n", encoding="utf-8")
    paras = "".join(f"The committee acted, as the notes say for day {i} [“{quote(i)}” @notes, p. {i + 1}].\n\n"
                    for i in range(claims))
    path.write_text("---\ntitle: Five thousand claims\nbibliography: notes.bib\n---\n\n" + paras, encoding="utf-8")
    return path


@dataclass
class Growth:
    """One input made at size n (and 8n by the bench), the command run on it, what it must give."""

    name: str
    what: str  # the input, with {n} for its size
    n: int
    make: Callable[[Path, int], list[str]]  # arguments after `sourcecheck`
    rc: int
    says: str

    def case(self, n: int) -> Case:
        return Case(f"{self.name}_{n}", self.what.format(n=f"{n:,}"), lambda t: Setup(self.make(t, n)), self.rc,
                    self.says, judge=True)


def _check(doc: Path, tmp: Path, *extra: str) -> list[str]:
    return ["check", str(doc), "-l", str(library(tmp)), "--format", "json", "--fail-on", "none", *extra]


GROWTH: list[Growth] = [
    Growth("nested_braces", "an outline claim of {n} characters of nested braces (`check`)", 5_000,
           lambda t, n: _check(braces_outline(t / "braces.md", n), t), 0, '"verdict": "supported"'),
    Growth("nested_templates", "wikitext templates nested {n} deep (`check`)", 2_000,
           lambda t, n: _check(nested_templates(t / "deep.wiki", n), t), 0, '"text": "The garrison waited in its barracks."'),
    Growth("refs_refused", "one wikitext claim with {n} refs (`check`, over max-evidence)", 1_250,
           lambda t, n: _check(wikitext_refs(t / "refs.wiki", n), t), 2, "more than max-evidence = 100"),
    Growth("refs_checked", "one wikitext claim with {n} refs (`check --max-evidence 0`)", 50,
           lambda t, n: _check(wikitext_refs(t / "refs.wiki", n), t, "--max-evidence", "0"), 0, '"quote_status"'),
    Growth("named_ref_reused", "one named ref reused {n} times on a claim (`check`)", 1_250,
           lambda t, n: _check(wikitext_refs(t / "named.wiki", n, named=True), t), 0, '"quote_status": "normalized"'),
    Growth("citation_keys", "one Pandoc claim citing {n} keys (`check`)", 500,
           lambda t, n: _check(citation_keys(t / "keys.md", n), t), 0, '"unknown_citation_key"'),
    Growth("pandoc_claims", "a Pandoc document of {n} claims (`check --format json`)", 625,
           lambda t, n: _check(pandoc_claims(t / "claims.md", n), t), 0, '"schema_version"'),
]

__all__ = ["GROWTH", "Growth", "EXAMPLES", "NOTES", "braces_outline", "citation_keys", "nested_templates", "pandoc_claims",
           "quote", "wikitext_refs"]
