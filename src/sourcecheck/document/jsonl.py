"""JSON Lines documents: ``{"id"?, "claim", "evidence"?}`` per line.

The shape ``sourcecheck judge`` reads, so batches of generated answers can be checked.
Evidence is a list of ``{"quote", "citation"?}`` objects or plain strings; a bare string
is accepted as a one-item list, as the judge contract allows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..jsonlines import iter_rows, known_fields
from ..records import Claim, Evidence
from .citation import citation_or_none
from .outline import split_lines
from .readers import DocumentReader, claims_only

FIELDS = ("id", "claim", "evidence")
EVIDENCE_FIELDS = ("quote", "citation")


def _evidence(item: Any, path: str | Path | None, line: int) -> Evidence:
    if isinstance(item, str):
        return Evidence(item, None, line)
    if isinstance(item, dict):
        known_fields(item, EVIDENCE_FIELDS, path, line, " in an evidence item")
    if isinstance(item, dict) and isinstance(item.get("quote"), str):
        citation = item.get("citation")
        if citation is not None and not isinstance(citation, str):
            raise InputError(path, '"citation" must be a string', line)
        return Evidence(item["quote"], citation_or_none(citation or ""), line)
    raise InputError(path, 'each evidence item must be a string or {"quote": ...}', line)


def parse(text: str, path: str | Path | None) -> list[Claim]:
    """One claim per non-blank line; Claim.line is the JSONL line, Claim.id the row's ``id`` as given.

    Every row names its fields exactly: an unknown field or a missing ``"evidence"`` is an error at
    its line (``"evidence": []`` is a claim without evidence), so a typo cannot pass as "no evidence".
    """
    claims: list[Claim] = []
    seen: dict[int | str, int] = {}
    rows = list(iter_rows(split_lines(text), path, required="claim"))  # bad JSON anywhere is said before fields
    for no, row in rows:
        known_fields(row, FIELDS, path, no)
        if "evidence" not in row:
            raise InputError(path, 'no "evidence" field (write "evidence": [] for a claim without evidence)', no)
        if not isinstance(row["claim"], str) or not row["claim"].strip():
            raise InputError(path, '"claim" must be a non-empty string', no)
        evidence = row.get("evidence") or []
        if isinstance(evidence, (str, dict)):
            evidence = [evidence]
        if not isinstance(evidence, list):
            raise InputError(path, '"evidence" must be a list', no)
        rid = row.get("id", len(claims) + 1)  # no id: the claim's number, as other documents number theirs
        if isinstance(rid, bool) or not isinstance(rid, (int, str)):
            raise InputError(path, f'"id" must be a string or an integer, not {rid!r}', no)
        if rid in seen:
            raise InputError(path, f'"id" {rid!r} is already the id of line {seen[rid]}', no)
        seen[rid] = no
        cid: int | str = rid
        claims.append(Claim(cid, row["claim"].strip(), no, [_evidence(e, path, no) for e in evidence]))
    return claims


READER = DocumentReader("jsonl", claims_only(parse), "JSON Lines: {id, claim, evidence} a row",
                        suffixes=(".jsonl", ".ndjson"))
