"""LaTeX papers: each sentence of the body is a claim, as in Markdown prose.

Citations as biblatex and natbib write them: ``\\cite``, ``\\parencite``, ``\\textcite``,
``\\footcite``, ``\\autocite`` (and their capitalised and starred forms), ``\\citet``, ``\\citep``,
with pre- and postnotes (``\\cite[see][p.~12]{key}``; a bare number is a page, as biblatex reads
it). Keys are resolved like Pandoc's, later, through ``--bib`` and the files the preamble names
(``\\addbibresource{refs.bib}``, ``\\bibliography{refs}``), so an unknown key is an error at its line.

A citation's quotation is the quoted text of its sentence (``\\enquote{...}``, ````...''``, “...”),
or of the footnote that holds it, or the block quotation (``quote`` / ``quotation``, csquotes'
``\\blockquote[cite]{text}``) it ends or follows.

Read by a small scanner rather than a TeX engine: it keeps every character's line, so a claim's
line points into the ``.tex`` (an ``\\input`` file's claims point at the ``\\input`` line; their
evidence names the file and its own line). Comments are dropped; macros that carry text
(``\\emph``, ``\\textit``, a ``\\newcommand`` without arguments) read as their text; floats,
math and verbatim are not claims. ``\\input``/``\\include`` read files beside the document,
bounded in depth and number, and a loop is one error line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import Citation, Claim, Document, Evidence
from ..text import split_sentences
from .locator import parse_locator
from .readers import MARK, DocumentReader, from_document, unmark

MAX_INPUT_DEPTH = 8  # \input inside \input ...: real papers nest two or three deep
MAX_INPUTS = 200  # files read through \input/\include in one document (a book has tens of chapters)
MAX_CHARS = 16 * 1024 * 1024  # all files together, as characters (a long thesis is ~2 MB)
MAX_NESTING = 200  # braces and environments inside each other

PAR = "\n\n"
BLOCK_OPEN, BLOCK_CLOSE = "\ue001", "\ue002"
SKIP_OPEN, SKIP_CLOSE = "\ue003", "\ue004"  # a heading: not a claim, but it ends the paragraph

CITE_COMMANDS = {"cite", "parencite", "textcite", "footcite", "autocite", "citet", "citep", "citealp", "citealt",
                 "smartcite", "supercite", "footcitetext", "citeauthor", "citeyear", "fullcite", "footfullcite"}
TEXT_COMMANDS = {"emph", "textit", "textbf", "textsc", "textup", "textrm", "textsf", "texttt", "textsl", "mbox",
                 "text", "uline", "underline", "textnormal", "hbox", "mkbibemph", "mkbibitalic", "mkbibbold", "textmd",
                 "abstract", "thanks"}
QUOTE_COMMANDS = {"enquote", "mkbibquote", "textquote", "foreignquote", "hyphenquote", "enquote*"}
BLOCKQUOTE_COMMANDS = {"blockquote", "foreignblockquote", "hyphenblockquote", "blockcquote"}
DROP_ARGS = {"label": 1, "ref": 1, "eqref": 1, "pageref": 1, "autoref": 1, "cref": 1, "Cref": 1, "vspace": 1,
             "hspace": 1, "includegraphics": 1, "usepackage": 1, "documentclass": 1, "addbibresource": 1,
             "bibliography": 1, "bibliographystyle": 1, "setlength": 2, "addtolength": 2, "setcounter": 2,
             "pagestyle": 1, "thispagestyle": 1, "newcommand": 2, "renewcommand": 2, "providecommand": 2,
             "url": 1, "href": 1, "color": 1, "textcolor": 1, "hypersetup": 1, "geometry": 1, "author": 1,
             "title": 1, "date": 1, "index": 1, "linespread": 1, "selectlanguage": 1, "nocite": 1, "DeclareFieldFormat": 2,
             "bibitem": 1, "printbibliography": 0, "input": 1, "include": 1}
HEADINGS = {"part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph", "caption"}
SKIP_ENVS = {"figure", "figure*", "table", "table*", "tabular", "tabular*", "equation", "equation*", "align",
             "align*", "gather", "gather*", "multline", "verbatim", "Verbatim", "lstlisting", "minted",
             "tikzpicture", "comment", "thebibliography", "displaymath", "math", "eqnarray", "eqnarray*"}
QUOTE_ENVS = {"quote", "quotation", "displayquote", "verse"}
CHARS = {"%": "%", "&": "&", "$": "$", "_": "_", "#": "#", "{": "{", "}": "}", " ": " ", "\\": " ", ",": "\u2009",
         ";": " ", "@": "", "/": "", "-": "", "ldots": "\u2026", "dots": "\u2026", "textendash": "\u2013",
         "textemdash": "\u2014", "S": "\u00a7", "LaTeX": "LaTeX", "TeX": "TeX", "item": PAR, "par": PAR,
         "newline": " ", "linebreak": " ", "noindent": "", "centering": "", "maketitle": "", "tableofcontents": "",
         "newpage": PAR, "clearpage": PAR, "small": "", "footnotesize": "", "large": "", "Large": "", "normalsize": "",
         "itshape": "", "bfseries": "", "em": "", "frontmatter": "", "mainmatter": "", "backmatter": "",
         "appendix": "", "today": "", "relax": "", "protect": "", "quad": " ", "qquad": " "}
QUOTED = re.compile(r"\u201c([^\u201d]{3,})\u201d|\"([^\"]{3,})\"")
_PLAIN = re.compile(r"[^\\%{}$`'~\n-]+")


@dataclass
class Cite:
    citations: list[Citation]
    foot: bool = False  # \footcite: a footnote of its own


@dataclass
class Note:
    text: str  # the footnote's flat text
    origins: list[tuple[int, str | None]]
    marks: list[Cite | Note]


@dataclass
class Flat:
    """Plain text of a LaTeX body with, for each character, (line in the main file, label of an \\input's place)."""

    chars: list[str] = field(default_factory=list)
    origins: list[tuple[int, str | None]] = field(default_factory=list)
    marks: list[Cite | Note] = field(default_factory=list)

    def put(self, text: str, origin: tuple[int, str | None]) -> None:
        self.chars.extend(text)
        self.origins.extend([origin] * len(text))

    def text(self) -> str:
        return "".join(self.chars)


def _citation(key: str, post: str) -> Citation:
    post = " ".join(post.replace("~", " ").replace("\\,", "").replace("--", "\u2013").split())
    locator = parse_locator(post) if post else None
    if locator is None and post and re.fullmatch(r"\d{1,5}(?:\s*\u2013\s*\d{1,5})?", post):
        locator = parse_locator(("pp. " if "\u2013" in post else "p. ") + post)  # biblatex: a bare number is a page
    return Citation(raw=f"@{key}" + (f", {post}" if post else ""), key=key, locator=locator)


class _Scanner:
    """One file's characters, read into a Flat (recursing into \\input files)."""

    def __init__(self, reader: _Reader, text: str, file: str, top_line: int | None, depth: int):
        self.r = reader
        self.s = text
        self.file = file
        self.top_line = top_line  # the \input's line in the main file, None for the main file itself
        self.depth = depth
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.nesting = 0

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_right(self.line_starts, self.i if pos is None else pos)

    def origin(self) -> tuple[int, str | None]:
        if self.top_line is None:
            return (self.line(), None)
        return (self.top_line, f"{self.file}:{self.line()}")

    def error(self, message: str) -> InputError:
        return InputError(self.path(), message, self.line())

    def path(self) -> str:
        """The file being read, as messages name it: an \\input file by its path beside the document."""
        return self.r.name if self.top_line is None else str(Path(self.r.name).parent / self.file)

    # --- low-level reading ---

    def group(self) -> tuple[int, int] | None:
        """Span (inside the braces) of the {...} group at the cursor, after spaces; None when there is none."""
        j = self.i
        while j < len(self.s) and self.s[j] in " \t\n":
            j += 1
        if j >= len(self.s) or self.s[j] != "{":
            return None
        depth, k = 0, j
        while k < len(self.s):
            c = self.s[k]
            if c == "\\":
                k += 2
                continue
            if c == "%":
                nl = self.s.find("\n", k)
                k = len(self.s) if nl < 0 else nl
                continue
            if c == "{":
                depth += 1
                if depth > MAX_NESTING:
                    raise self.error(f"braces nested more than {MAX_NESTING} deep")
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.i = k + 1
                    return (j + 1, k)
            k += 1
        raise InputError(self.path(), "a { is never closed", self.line(j))

    def optional(self) -> str | None:
        j = self.i
        while j < len(self.s) and self.s[j] in " \t":
            j += 1
        if j >= len(self.s) or self.s[j] != "[":
            return None
        depth, square, k = 0, 0, j + 1
        while k < len(self.s):
            c = self.s[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == "[" and depth == 0:
                square += 1
            elif c == "]" and depth == 0:
                if square == 0:
                    self.i = k + 1
                    return self.s[j + 1 : k]
                square -= 1
            k += 1
        raise self.error("a [ is never closed")

    def raw_group(self) -> str:
        span = self.group()
        return self.s[span[0] : span[1]] if span else ""

    def sub(self, start: int, end: int, out: Flat) -> None:
        """Scan s[start:end] into out (a group's contents)."""
        save_i, save_s_end = self.i, self.end
        self.i, self.end = start, end
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"commands nested more than {MAX_NESTING} deep")
        self.run(out)
        self.nesting -= 1
        self.i, self.end = save_i, save_s_end

    # --- the scan ---

    end = 0

    def scan(self, out: Flat, start: int = 0, end: int | None = None) -> None:
        self.i, self.end = start, len(self.s) if end is None else end
        self.run(out)

    def run(self, out: Flat) -> None:
        s = self.s
        eaten = False  # the last newline was eaten by a comment
        while self.i < self.end:
            c = s[self.i]
            if c == "%":
                nl = s.find("\n", self.i)
                self.i = self.end if nl < 0 or nl >= self.end else nl
                eaten = True
                continue
            if c == "\n":
                j = self.i + 1
                while j < self.end and s[j] in " \t\r":
                    j += 1
                if j < self.end and s[j] == "\n":
                    out.put(PAR, self.origin())
                    while j < self.end and s[j] in " \t\r\n":
                        j += 1
                    self.i = j
                else:
                    if not eaten:
                        out.put(" ", self.origin())
                    self.i += 1
                eaten = False
                continue
            eaten = False
            if c == "\\":
                self.command(out)
                continue
            if c in "{}":
                self.i += 1
                continue
            if c == "$":
                self.math()
                continue
            lig = next((lig for lig in LIGATURES if s.startswith(lig, self.i)), None)
            if lig is not None:
                out.put(LIGATURES[lig], self.origin())
                self.i += len(lig)
                continue
            if c == "~" or c in "`'-":
                out.put(" " if c == "~" else c, self.origin())
                self.i += 1
                continue
            m = _PLAIN.match(s, self.i, self.end)  # a run of ordinary characters, all on this line
            assert m is not None
            out.put(m.group(0), self.origin())
            self.i = m.end()

    def math(self) -> None:
        s = self.s
        if s.startswith("$$", self.i):
            k = s.find("$$", self.i + 2)
            self.i = self.end if k < 0 else k + 2
            return
        k = self.i + 1
        while k < self.end and s[k] != "$":
            k += 2 if s[k] == "\\" else 1
        self.i = min(self.end, k + 1)

    def command(self, out: Flat) -> None:
        s = self.s
        m = re.compile(r"\\([A-Za-z@]+\*?|.)").match(s, self.i)
        if m is None:
            self.i += 1
            return
        name = m.group(1)
        self.i = m.end()
        base = name.rstrip("*")
        if base.lower() in CITE_COMMANDS:
            self.cite(base, out)
        elif base in ("footnote", "footnotetext", "endnote"):
            self.optional()
            span = self.group()
            if span:
                note = Flat()
                self.sub(span[0], span[1], note)
                out.marks.append(Note(note.text(), note.origins, note.marks))
                out.put(MARK, self.origin())
        elif base == "textcquote":  # \textcquote[pre][post]{key}[punct]{text}
            self.cite(base, out)
            self.optional()
            span = self.group()
            if span:
                out.put("\u201c", self.origin())
                self.sub(span[0], span[1], out)
                out.put("\u201d", self.origin())
        elif name in QUOTE_COMMANDS or base in QUOTE_COMMANDS:
            if base in ("textquote", "foreignquote", "hyphenquote"):
                if base != "textquote":
                    self.group()
                cite = self.optional()
                self.optional()
                span = self.group()
                if span:
                    out.put("\u201c", self.origin())
                    self.sub(span[0], span[1], out)
                    out.put("\u201d", self.origin())
                if cite:
                    self.cite_text(cite, out)
                return
            span = self.group()
            if span:
                out.put("\u201c", self.origin())
                self.sub(span[0], span[1], out)
                out.put("\u201d", self.origin())
        elif base in BLOCKQUOTE_COMMANDS:
            if base == "blockcquote":  # \blockcquote[pre][post]{key}[punct]{text}: csquotes' cite and quotation
                out.put(BLOCK_OPEN, self.origin())
                self.cite(base, out)
                self.optional()
                span = self.group()
                if span:
                    self.sub(span[0], span[1], out)
                out.put(BLOCK_CLOSE, self.origin())
                return
            if base != "blockquote":
                self.group()
            cite = self.optional()  # \blockquote[cite][punct]{text}: a cite with its own [..] must be braced
            self.optional()
            span = self.group()
            out.put(BLOCK_OPEN, self.origin())
            if span:
                self.sub(span[0], span[1], out)
            if cite:
                self.cite_text(cite, out)
            out.put(BLOCK_CLOSE, self.origin())
        elif base in ("begin", "end"):
            env = self.raw_group().strip()
            self.environment(base, env, out)
        elif base in HEADINGS:
            self.optional()
            span = self.group()
            out.put(SKIP_OPEN, self.origin())
            if span:
                self.sub(span[0], span[1], Flat())
            out.put(SKIP_CLOSE, self.origin())
        elif base in ("input", "include", "subfile"):
            self.input(self.raw_group().strip(), out)
        elif base in ("verb", "lstinline"):
            delim = s[self.i : self.i + 1]
            k = s.find(delim, self.i + 1) if delim else -1
            self.i = self.end if k < 0 else k + 1
        elif base in TEXT_COMMANDS:
            self.optional()
            span = self.group()
            if span:
                self.sub(span[0], span[1], out)
        elif base == "foreignlanguage":
            self.optional()
            self.group()
            span = self.group()
            if span:
                self.sub(span[0], span[1], out)
        elif base in DROP_ARGS:
            self.optional()
            for _ in range(DROP_ARGS[base]):
                self.group()
        elif name in CHARS:
            out.put(CHARS[name], self.origin())
        elif name in self.r.macros:
            out.put(self.r.macros[name], self.origin())
        elif len(name) == 1 and not name.isalpha():  # accents and the like: \'e reads as e
            pass
        else:  # an unknown macro: its arguments' text, where it has any (\foo{text} reads as text)
            self.optional()
            span = self.group()
            while span:
                self.sub(span[0], span[1], out)
                span = self.group() if self.s[self.i : self.i + 1] == "{" else None

    def environment(self, kind: str, env: str, out: Flat) -> None:
        if kind == "end":
            if env in QUOTE_ENVS:
                out.put(BLOCK_CLOSE, self.origin())
            elif env in ("itemize", "enumerate", "description", "abstract"):
                out.put(PAR, self.origin())
            return
        if env in SKIP_ENVS:
            m = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}").search(self.s, self.i)
            self.i = self.end if m is None else m.end()
            return
        if env in QUOTE_ENVS:
            out.put(BLOCK_OPEN, self.origin())
        elif env in ("itemize", "enumerate", "description", "abstract"):
            out.put(PAR, self.origin())

    def cite(self, base: str, out: Flat) -> None:
        first = self.optional()
        second = self.optional()
        keys = self.raw_group()
        pre, post = (first, second) if second is not None else ("", first or "")
        del pre  # a prenote ("see") says nothing about which source or page
        cites = [_citation(k.strip(), post or "") for k in keys.split(",") if k.strip()]
        if not cites:
            raise self.error(f"\\{base} without a key")
        out.marks.append(Cite(cites, foot=base.lower().startswith("foot")))
        out.put(MARK, self.origin())

    def cite_text(self, text: str, out: Flat) -> None:
        """The cite argument of \\blockquote[\\cite[45]{key}]{...}: its citations as marks."""
        inner = _Scanner(self.r, text, self.file, self.top_line, self.depth)
        inner.line_starts = self.line_starts
        base = self.i
        inner.origin = lambda: self.origin()  # type: ignore[method-assign]
        inner.scan(out)
        self.i = base

    def input(self, target: str, out: Flat) -> None:
        if not target:
            return
        self.r.inputs += 1
        if self.r.inputs > MAX_INPUTS:
            raise self.error(f"more than {MAX_INPUTS} files read through \\input: refused")
        if self.depth + 1 > MAX_INPUT_DEPTH:
            raise self.error(f"\\input nested more than {MAX_INPUT_DEPTH} deep (chain: {' -> '.join(self.r.stack)})")
        name = target if Path(target).suffix else target + ".tex"
        if name in self.r.stack:
            raise self.error(f"\\input loop: {' -> '.join([*self.r.stack, name])}")
        text = self.r.load(name, self)
        self.r.chars += len(text)
        if self.r.chars > MAX_CHARS:
            raise self.error(f"the document and its \\input files exceed {MAX_CHARS // (1024 * 1024)} M characters")
        top = self.top_line if self.top_line is not None else self.line()
        self.r.stack.append(name)
        try:
            inner = _Scanner(self.r, text, name, top, self.depth + 1)
            inner.scan(out)
        finally:
            self.r.stack.pop()


class _Reader:
    def __init__(self, name: str, loader: Callable[[str], str] | None):
        self.name = name
        self.macros: dict[str, str] = {}
        self.inputs = 0
        self.chars = 0
        self.stack = [Path(name).name]
        self.loader = loader

    def load(self, target: str, scanner: _Scanner) -> str:
        if self.loader is not None:
            return self.loader(target)
        base = Path(self.name).parent.resolve()
        path = (base / target).resolve()
        if base not in path.parents and path != base:  # beside the document (or below it), nothing above
            raise scanner.error(f"\\input{{{target}}}: only files beside the document are read")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise scanner.error(f"\\input{{{target}}}: {err.strerror or err}") from None
        from ..decode import decode_text

        return decode_text(data, path)


# --- from flat text to claims -------------------------------------------------------------------

_MACRO = re.compile(r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*(?:\[0\])?\s*\{([^{}#]*)\}")
_BIB = re.compile(r"\\(addbibresource|bibliography)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")


# TeX's input ligatures as the characters they print; longest first, so "---" is not read as "--" and "-".
LIGATURES = {"``": "\u201c", "''": "\u201d", "---": "\u2014", "--": "\u2013"}


def _strip_comments(text: str) -> str:
    return re.sub(r"(?<!\\)%[^\n]*", "", text)


def _quote_in(text: str) -> str | None:
    m = QUOTED.search(text)
    return (m.group(1) or m.group(2)).strip() if m else None


def _tidy(text: str) -> str:
    return re.sub(r"\s+([.,;:!?\u201d])", r"\1", " ".join(text.split())).replace("\u201c ", "\u201c")


@dataclass
class _Block:
    kind: str  # "para" | "quote"
    start: int
    end: int


def _blocks(text: str) -> list[_Block]:
    out: list[_Block] = []
    i, n = 0, len(text)
    start, kind = 0, "para"
    skip = 0
    while i < n:
        ch = text[i]
        if text.startswith(PAR, i) or ch in (BLOCK_OPEN, BLOCK_CLOSE, SKIP_OPEN, SKIP_CLOSE):
            if start < i and skip == 0:
                out.append(_Block(kind, start, i))
            if ch == BLOCK_OPEN:
                kind = "quote"
            elif ch == BLOCK_CLOSE:
                kind = "para"
            elif ch == SKIP_OPEN:
                skip += 1
            elif ch == SKIP_CLOSE:
                skip = max(0, skip - 1)
                out.append(_Block("heading", i, i))
            i += len(PAR) if text.startswith(PAR, i) else 1
            start = i
            continue
        i += 1
    if start < n and skip == 0:
        out.append(_Block(kind, start, n))
    return out


def _note_evidence(note: Note, line: int) -> tuple[list[Evidence], list[Citation]]:
    cites = [c for m in note.marks if isinstance(m, Cite) for c in m.citations]
    clean, _ = unmark(note.text)
    quote = _quote_in(clean)
    where = next((o[1] for o in note.origins if o[1]), None)
    if quote and cites:
        return [Evidence(quote, cites[0], line, where=where)], cites[1:]
    if quote:
        return [Evidence(quote, None, line, where=where)], []
    return [], cites


def read(text: str, name: str, loader: Callable[[str], str] | None = None) -> Document:
    """A LaTeX document's claims, evidence and bibliography files.

    ``loader`` gives the text of an ``\\input`` file by its name; by default it reads files beside ``name``.
    """
    reader = _Reader(name, loader)
    reader.chars = len(text)
    if len(text) > MAX_CHARS:
        raise InputError(name, f"more than {MAX_CHARS // (1024 * 1024)} M characters")
    uncommented = _strip_comments(text)
    for m in _MACRO.finditer(uncommented):
        reader.macros[m.group(1)] = m.group(2)
    base = Path(name).parent
    bibliographies = []
    for m in _BIB.finditer(uncommented):
        for f in m.group(2).split(","):
            f = f.strip()
            if f:
                p = Path(f if Path(f).suffix else f + ".bib")
                bibliographies.append(str(p if p.is_absolute() else base / p))
    begin = re.search(r"\\begin\s*\{document\}", uncommented)
    scanner = _Scanner(reader, text, name, None, 0)
    flat = Flat()
    if begin is not None:
        # the same place in the text with comments: find \begin{document} outside a comment
        opening = re.compile(r"^[^%\n]*?\\begin\s*\{document\}", re.M).search(text)
        start = opening.end() if opening else 0
        end_m = re.compile(r"\\end\s*\{document\}").search(text, start)
        scanner.scan(flat, start, end_m.start() if end_m else len(text))
    else:
        scanner.scan(flat)
    claims = _claims(flat, name)
    if not claims:
        raise InputError(name, "no claims found (read as LaTeX)")
    return Document(path=name, format="latex", claims=claims, bibliographies=bibliographies)


def _claims(flat: Flat, name: str) -> list[Claim]:
    text = flat.text()
    mark_offsets = [i for i, ch in enumerate(text) if ch == MARK]
    mark_of = dict(zip(mark_offsets, flat.marks))
    claims: list[Claim] = []
    last: Claim | None = None
    for block in _blocks(text):
        if block.kind == "heading":
            last = None
            continue
        chunk = text[block.start : block.end]
        offsets = [block.start + i for i, ch in enumerate(chunk) if ch == MARK]
        clean, at = unmark(chunk)
        if not clean.strip():
            continue
        # where each char of clean came from: the chunk index of clean[j] is j + (marks before it)
        def origin(j: int, _at: list[int] = at, _start: int = block.start) -> tuple[int, str | None]:
            return flat.origins[_start + j + bisect.bisect_right(_at, j)]

        marks = [mark_of[o] for o in offsets]
        if block.kind == "quote":
            cites = [c for mk in marks if isinstance(mk, Cite) for c in mk.citations]
            quote = _tidy(clean).strip("\u201c\u201d\" ")
            lead = len(clean) - len(clean.lstrip())
            line, where = origin(min(lead, len(clean) - 1))
            if last is None or not quote:
                continue
            citation = cites[0] if cites else (last.citations.pop(0) if last.citations else None)
            last.evidence.append(Evidence(quote, citation, line, where=where))
            last.citations += cites[1:]
            continue
        spans = split_sentences(clean)
        for k, (start, end) in enumerate(spans):
            nxt = spans[k + 1][0] if k + 1 < len(spans) else len(clean) + 1
            sentence = _tidy(clean[start:end])
            own = [mk for i, mk in zip(at, marks) if (start if k else -1) <= i < nxt]
            if not sentence.strip(" ."):
                continue
            line, where = origin(start)
            claim = Claim(id=len(claims) + 1, text=sentence, line=line)
            claims.append(claim)
            inline = _quote_in(sentence)
            for mk in own:
                if isinstance(mk, Note):
                    ev, cites = _note_evidence(mk, line)
                    if not ev and cites and inline and not any(e.quote == inline for e in claim.evidence):
                        ev, cites = [Evidence(inline, cites[0], line, where=where)], cites[1:]
                    claim.evidence += ev
                    claim.citations += cites
                    continue
                for c in mk.citations:
                    if inline and not any(e.quote == inline for e in claim.evidence):
                        claim.evidence.append(Evidence(inline, c, line, where=where))
                    else:
                        claim.citations.append(c)
            last = claim
    return claims


READER = DocumentReader("latex", from_document(read), "LaTeX: biblatex/natbib cites, csquotes, \\input",
                        suffixes=(".tex", ".ltx"))
