"""Whether a source, or a citation written in a document, is Wikipedia itself.

Wikipedia forbids citing itself (WP:CIRCULAR): an article that cites another article repeats, not
verifies. So `cite` never proposes a Wikipedia source in wikitext, and `check` warns about a ref
in wikitext that cites Wikipedia. A library source is Wikipedia when its file sits in a folder or
file named for Wikipedia (``library/wikipedia/October_Revolution.txt``, a ``wikipedia-2019`` dump) or
its title or author says so; a citation when its text names wikipedia.org or Wikipedia as the work.
"""

from __future__ import annotations

import re

from ..records import Citation, Source

_NAME = re.compile(r"wikipedia", re.I)
_CITED = re.compile(r"wikipedia\.org|\bwikipedia\b", re.I)


def is_wikipedia_source(source: Source) -> bool:
    """The source's path, title or author names Wikipedia."""
    return any(_NAME.search(x or "") for x in (source.path, source.title, source.author))


def cites_wikipedia(citation: Citation) -> bool:
    """The citation as written names Wikipedia (its URL, its work, its publisher, its title)."""
    return any(_CITED.search(x or "") for x in (citation.raw, citation.title, citation.author))
