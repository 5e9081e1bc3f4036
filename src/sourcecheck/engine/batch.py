"""What the local and the Ray engine share: claim rows in, one JSON line per judgement or report out.

One function makes each output line, so that a run on Ray and a plain run can only differ if a
claim was lost, duplicated or reordered, which the Ray test compares.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from ..errors import InputError
from ..jsonlines import input_name, known_fields, read_rows
from ..records import Judgement, Report

__all__ = ["ClaimRow", "judgement_line", "read_claim_rows", "report_line", "write_lines"]


@dataclass(frozen=True)
class ClaimRow:
    """One claim to judge: its id as given (else its line number) and its evidence."""

    id: Any
    claim: str
    evidence: str | list[str]


def read_claim_rows(path: str) -> list[ClaimRow]:
    """Every ``{id?, claim, evidence?}`` row of a JSON Lines file or stdin, checked before any work
    starts: a bad row at line 9,000 must not cost the judging of the 8,999 before it."""
    name = input_name(path)
    out = []
    for n, row in read_rows(path, "claim"):
        known_fields(row, ("id", "claim", "evidence"), name, n)
        ev = row.get("evidence", "")
        if not isinstance(ev, (str, list)) or (isinstance(ev, list) and not all(isinstance(x, str) for x in ev)):
            raise InputError(name, "\"evidence\" must be a string or a list of strings", line=n)
        if not isinstance(row["claim"], str) or not row["claim"].strip():
            raise InputError(name, "\"claim\" must be a non-empty string", line=n)
        out.append(ClaimRow(row.get("id", n), row["claim"], ev))
    return out


def judge_rows(judge: Any, rows: Sequence[ClaimRow]) -> Iterator[Judgement]:
    """``judge``'s verdicts on ``rows``, in order, as they are made.

    A judge that keeps several requests in flight (the LLM judge's ``judge_pairs``) takes the rows
    as one stream, so its concurrency spans rows; any other judges them one by one."""
    pairs = getattr(judge, "judge_pairs", None)
    if pairs is not None:
        return pairs((r.claim, r.evidence) for r in rows)
    return (judge.judge(r.claim, r.evidence) for r in rows)


def judgement_line(row: ClaimRow, res: Judgement) -> str:
    """The output line of ``sourcecheck judge`` for one claim, with the claim read part by part."""
    from ..report.jsonout import part_json

    return json.dumps({"id": row.id, "verdict": res.verdict, "support": res.support,
                       "contradiction": res.contradiction, "uncovered": res.uncovered,
                       "parts": [part_json(p) for p in res.parts]})


def report_line(report: Report) -> str:
    """One document's JSON report on one line: several documents make JSON Lines, in input order."""
    from ..report.jsonout import report_line as line

    return line(report)


def write_lines(lines: Iterable[str], out: IO[str]) -> int:
    """Write and flush each line as it comes (a reader sees every finished row at once); count them."""
    n = 0
    for line in lines:
        out.write(line + "\n")
        out.flush()
        n += 1
    return n
