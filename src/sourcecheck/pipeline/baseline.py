"""A baseline file: the problems a project reviewed and accepted once, so CI fails only on new ones.

``check --write-baseline FILE`` writes every problem of the run; ``check --baseline FILE`` (or the
setting ``baseline``) accepts each problem the file lists, counted in the summary's ``baselined``.

A problem is known by its document, its claim's text and its code, never by its line or message:

- not the line, since a paragraph added above would make every old finding new (the false alarm
  a baseline exists to prevent); an edited claim is a new claim and is checked again;
- not the message, since a new judge's wording ("not covered: ...") is not a new problem.

Entries are counted: a claim with two misquoted quotations baselined has two entries, and a third
misquotation added later still fails. The document is its path relative to the baseline file's
folder, so the file means the same from any working directory. The file is JSON, sorted, one
entry a line (a review reads its diff); the message is there for that reader and is not matched.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document.directives import problem_code
from ..errors import InputError
from ..records import Report
from .accept import without

FORMAT = "sourcecheck-baseline"
VERSION = 1
STDIN = "<stdin>"


@dataclass(frozen=True, order=True)
class Entry:
    document: str  # relative to the baseline file's folder, "/"-separated; "<stdin>" for standard input
    claim: str  # the claim's text, runs of spaces as one
    code: str


class Baseline:
    """The accepted problems of one baseline file."""

    def __init__(self, path: str | Path, entries: Counter[Entry] | None = None,
                 messages: dict[Entry, str] | None = None):
        self.path = Path(path)
        self.entries: Counter[Entry] = entries if entries is not None else Counter()
        self.messages = messages or {}

    def document_key(self, document: str) -> str:
        if document == STDIN:
            return STDIN
        return Path(os.path.relpath(Path(document).resolve(), self.path.resolve().parent)).as_posix()

    @staticmethod
    def claim_key(text: str) -> str:
        return " ".join(text.split())

    @classmethod
    def of(cls, path: str | Path, reports: Sequence[Report]) -> Baseline:
        """Every problem of ``reports``, as the baseline at ``path`` would list them."""
        base = cls(path)
        for r in reports:
            doc = base.document_key(r.document)
            for f in r.findings:
                for p in f.problems:
                    e = Entry(doc, cls.claim_key(f.claim.text), str(p.code))
                    base.entries[e] += 1
                    base.messages.setdefault(e, p.message)
        return base

    def text(self) -> str:
        rows = [json.dumps({"document": e.document, "claim": e.claim, "code": e.code, "message": self.messages.get(e, "")},
                           ensure_ascii=False) for e in sorted(self.entries.elements())]
        body = ",\n".join(f"  {r}" for r in rows)
        return (f'{{"format": "{FORMAT}", "version": {VERSION}, "findings": [\n{body}\n]}}\n' if rows
                else f'{{"format": "{FORMAT}", "version": {VERSION}, "findings": []}}\n')

    def write(self) -> None:
        from ..safeio import write_text

        write_text(self.path, self.text())

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """The baseline at ``path``; a missing or malformed file is an InputError naming it."""
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(p, "no such baseline file (write one with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(p, f"cannot read the baseline: {err}") from None
        except json.JSONDecodeError as err:
            raise InputError(p, f"not valid JSON: {err.msg} (column {err.colno})", err.lineno) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
            raise InputError(p, f'not a baseline file (a JSON object with "format": "{FORMAT}" and a "findings" list)')
        if data.get("version") != VERSION:
            raise InputError(p, f"baseline version {data.get('version')!r}; this sourcecheck reads version {VERSION}")
        base = cls(p)
        for i, row in enumerate(data["findings"], 1):
            base.entries[cls._entry(row, p, i)] += 1
        return base

    @staticmethod
    def _entry(row: Any, path: Path, number: int) -> Entry:
        where = f"finding {number}"
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("document", "claim", "code")):
            raise InputError(path, f'{where}: needs "document", "claim" and "code" strings')
        return Entry(row["document"], Baseline.claim_key(row["claim"]), problem_code(row["code"], str(path),
                                                                                    what=f"problem code in {where}"))

    def take(self, reports: Sequence[Report]) -> list[Report]:
        """Each report with the problems this baseline lists accepted (each entry once, across all reports)."""
        left = Counter(self.entries)
        out = []
        for r in reports:
            doc = self.document_key(r.document)
            findings, n = [], 0
            for f in r.findings:
                claim = self.claim_key(f.claim.text)
                kept = []
                for p in f.problems:
                    e = Entry(doc, claim, str(p.code))
                    if left[e] > 0:
                        left[e] -= 1
                        n += 1
                    else:
                        kept.append(p)
                if len(kept) < len(f.problems):
                    kept_ids = {id(k) for k in kept}
                    f = without(f, lambda p: id(p) in kept_ids)[0]  # noqa: B023 (called here, at once)
                findings.append(f)
            out.append(dataclasses.replace(r, findings=findings, baselined=r.baselined + n))
        return out
