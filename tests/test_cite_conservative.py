"""A conservative `cite` (pipeline/cite.py, document/writeback.py): each rule and each writeback form.

The judge is the rule-table judge (judge/fake.py): a part is supported when every content word of it
is in the passage, and its "supported" carries support 0.9; its precision threshold is set per test, so
these tests are about cite's rules, not about the model's numbers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.judge.fake import FakeJudge, Rule
from sourcecheck.library import Library

BOOK = ("The committee met every night in the Smolny Institute, in a room on the third floor.\n\n"
        "Kerensky left the city by car on the morning of 25 October, before the ministers knew it.\n")
WIKI = ("The Smolny Institute housed the committee, and Kerensky left the city by car on the morning of "
        "25 October, the article says.\n")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    (folder / "wikipedia").mkdir(parents=True)
    (folder / "reed.txt").write_text(BOOK, encoding="utf-8")
    (folder / "wikipedia" / "October_Revolution.txt").write_text(WIKI, encoding="utf-8")
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.add(folder / "reed.txt", title="Ten Days That Shook the World", author="John Reed", year=1919)
        lib.add(folder / "wikipedia" / "October_Revolution.txt", title="October Revolution")
    return db


def cite(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["cite", *args], catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


# -- PRECISION RULE ------------------------------------------------------------------------------
def test_a_passage_below_the_precision_threshold_is_not_proposed(fake_judge: FakeJudge, library: Path,
                                                                 tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("- Kerensky left the city by car.\n", encoding="utf-8")
    fake_judge.t_support_precise = 0.95  # above the 0.9 the rule table gives a supported part
    code, out, err = cite(str(doc), "-l", str(library))
    assert code == 0 and out == doc.read_text()  # nothing written
    assert "nothing proposed" in err and "precision threshold" in err and "0.90" in err and "0.95" in err
    fake_judge.t_support_precise = 0.85
    code, out, err = cite(str(doc), "-l", str(library))
    assert "left the city by car on the morning of 25 October" in out and "nothing proposed" not in err


def test_a_partly_supporting_passage_is_not_proposed(fake_judge: FakeJudge, library: Path, tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("- Kerensky left the city by car, and Lenin wore a wig.\n", encoding="utf-8")
    _code, out, err = cite(str(doc), "-l", str(library))
    assert out == doc.read_text() and "nothing proposed" in err  # "Lenin wore a wig" is in no passage


# -- CIRCULAR RULE ---------------------------------------------------------------------------------
def test_wikitext_never_gets_a_wikipedia_source(fake_judge: FakeJudge, library: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.wiki"
    article.write_text("The Smolny Institute housed the committee.{{citation needed}}\n", encoding="utf-8")
    code, out, err = cite(str(article), "-l", str(library))
    assert code == 0 and out == article.read_text()  # only the Wikipedia page says it
    assert "WP:CIRCULAR" in err
    outline = tmp_path / "a.md"  # outside wikitext the same page may be proposed
    outline.write_text("- The Smolny Institute housed the committee.\n", encoding="utf-8")
    assert "October Revolution" in cite(str(outline), "-l", str(library))[1]


def test_check_warns_about_a_ref_citing_wikipedia(fake_judge: FakeJudge, library: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.wiki"
    article.write_text("Kerensky left the city by car.<ref>{{cite web |title=October Revolution "
                       "|url=https://en.wikipedia.org/wiki/October_Revolution |website=Wikipedia}}</ref>\n\n"
                       "The committee met in Smolny.<ref>{{cite book |last=Reed |first=John "
                       "|title=Ten Days That Shook the World |year=1919}}</ref>\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(article), "-l", str(library), "--format", "json", "--fail-on", "none"])
    claims = json.loads(res.stdout)["claims"]
    codes = [[p["code"] for p in c["problems"]] for c in claims]
    assert "circular_citation" in codes[0] and "circular_citation" not in codes[1]
    assert "WP:CIRCULAR" in next(p["message"] for p in claims[0]["problems"] if p["code"] == "circular_citation")


# -- the article's own style ---------------------------------------------------------------------------
def test_wikitext_follows_last_first_or_author_and_date_or_year(fake_judge: FakeJudge, library: Path,
                                                              tmp_path: Path) -> None:
    claim = "Kerensky left the city by car.{{cn}}"
    other = "<ref>{{cite book |last=Pipes |first=Richard |title=A Concise History |date=1995}}</ref>"
    article = tmp_path / "a.wiki"
    article.write_text(f"The committee sat.{other}\n\n{claim}\n", encoding="utf-8")
    out = cite(str(article), "-l", str(library))[1]
    assert "|title=Ten Days That Shook the World |last=Reed |first=John |date=1919" in out
    assert "{{cn}}" not in out  # the tag the new ref answers goes with it
    article.write_text(f"The committee sat.<ref>{{{{cite book |author=Richard Pipes |title=A |year=1995}}}}</ref>\n\n"
                       f"{claim}\n", encoding="utf-8")
    out = cite(str(article), "-l", str(library))[1]
    assert "|title=Ten Days That Shook the World |author=John Reed |year=1919" in out and "|last=Reed" not in out


def test_wikitext_in_sfn_style_gets_sfn_and_a_full_citation_in_its_sources(fake_judge: FakeJudge, library: Path,
                                                                          tmp_path: Path) -> None:
    article = tmp_path / "a.wiki"
    article.write_text("The committee sat.{{sfn|Pipes|1995|p=12}}\n\nKerensky left the city by car.{{citation needed}}\n\n"
                       "== Sources ==\n* {{cite book |last=Pipes |first=Richard |title=A Concise History |year=1995}}\n",
                       encoding="utf-8")
    out = cite(str(article), "-l", str(library))[1]
    assert "Kerensky left the city by car.{{sfn|Reed|1919}}" in out and "<ref>" not in out
    sources = out.split("== Sources ==")[1]
    assert "* {{cite book |title=Ten Days That Shook the World |last=Reed |first=John |year=1919}}" in sources
    assert sources.index("Pipes") < sources.index("Reed")  # after the article's own list


# -- Pandoc: keys of a bibliography only --------------------------------------------------------------------
def pandoc_accepts(doc: Path) -> str:
    """Debian's pandoc with citeproc: a key in no bibliography is a warning it prints; fail on it."""
    exe = shutil.which("pandoc")
    if exe is None:
        pytest.fail("Debian's pandoc is not installed (make test installs it: apt-get install pandoc)")
    res = subprocess.run([exe, "--citeproc", "--to", "plain", str(doc)], capture_output=True, text=True,
                         cwd=doc.parent, timeout=60)
    assert res.returncode == 0 and "not found" not in res.stderr, res.stderr
    return res.stdout


def test_pandoc_adds_the_entry_to_the_named_bibliography(fake_judge: FakeJudge, library: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{pipes1995,\n  title = {A Concise History},\n  author = {Richard Pipes},\n  year = {1995}\n}\n",
                   encoding="utf-8")
    doc = tmp_path / "paper.md"
    doc.write_text("---\nbibliography: refs.bib\n---\n\nThe committee sat [@pipes1995]. Kerensky left the city by car.\n",
                   encoding="utf-8")
    out = tmp_path / "cited.md"
    code, _, err = cite(str(doc), "-l", str(library), "-o", str(out))
    assert code == 0, err
    cited = out.read_text()
    assert "@reed1919" in cited and "@ten-days" not in cited
    assert "refs.bib: 1 entry added (@reed1919)" in err
    assert "@book{reed1919," in bib.read_text() and "pipes1995" in bib.read_text()
    rendered = pandoc_accepts(out)
    assert "Reed" in rendered and "1919" in rendered


def test_pandoc_without_a_bibliography_file_proposes_no_key(fake_judge: FakeJudge, library: Path,
                                                            tmp_path: Path) -> None:
    doc = tmp_path / "paper.md"
    doc.write_text("Kerensky left the city by car.\n", encoding="utf-8")
    _code, out, err = cite(str(doc), "-l", str(library), "--from", "pandoc")
    assert out == doc.read_text() and "no key in the bibliography" in err
    pandoc_accepts(doc)


# -- a misquotation ------------------------------------------------------------------------------------------------
def test_a_misquotation_is_replaced_by_the_source_words_not_cited_twice(fake_judge: FakeJudge, library: Path,
                                                                       tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("- The committee met in Smolny.\n    - `The committee met every evening in the Smolny Institute.`"
                   " - Ten Days That Shook the World, John Reed, 1919\n", encoding="utf-8")
    fake_judge.rules = [Rule("committee", "Smolny", "supported")]
    code, out, _err = cite(str(doc), "-l", str(library), "--dry-run")
    assert code == 0
    assert "-    - `The committee met every evening in the Smolny Institute.`" in out
    assert "+    - `The committee met every night in the Smolny Institute" in out and "evening" not in out.split("+++")[1].replace("-    - `The committee met every evening", "")
    assert sum(x.startswith("+") and not x.startswith("+++") for x in out.splitlines()) == 1  # no second quotation
