"""``--format github``: GitHub Actions workflow commands, so problems show on the document's lines in a PR."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Report
from .issues import report_issues
from .registry import WriteOptions, Writer


def _data(text: str) -> str:
    """Escape a message as the runner reads it (a raw newline would end the command early)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _concatenate(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: the runner reads the commands line by line, so their lines simply follow."""
    return "".join(outputs)


def report_to_github(report: Report, options: WriteOptions) -> str:
    lines = []
    for i in report_issues(report):
        title = f"sourcecheck {i.rule} (claim {i.claim})"
        lines.append(f"::{i.level} file={_prop(i.document)},line={i.line},title={_prop(title)}::{_data(i.message)}")
    return "".join(line + "\n" for line in lines)


WRITER = Writer("github", report_to_github, suffix=".txt", media_type="text/plain; charset=utf-8",
          description="GitHub Actions annotations (::error file=...,line=...::)", combine=_concatenate)
