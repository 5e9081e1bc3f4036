"""Report formats: the ``Writer`` record a format registers, and rendering through the registry.

A format is one module with one render function and one ``Writer`` naming it, registered under the
``sourcecheck.report_formats`` entry points (plugins.py)::

    WRITER = Writer("sarif", report_to_sarif, suffix=".sarif", media_type="application/sarif+json",
                    description="SARIF 2.1 for code-scanning tools")

Registering (rather than an ``if fmt == ...`` chain in the CLI) keeps each format's code in its
module and makes ``--format``'s choices, the server's downloads and the README list the same.

A writer renders one report. ``check a.md b.md`` (pre-commit passes many) needs one output for all:
a format that can hold several documents gives ``combine=``, which joins the per-document
outputs its own way (one SARIF run, one ``<testsuites>``, JSON Lines); ``render_many`` calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Report


@dataclass(frozen=True)
class WriteOptions:
    """What a writer may need besides the report; each writer ignores what it does not use."""

    colour: bool = False  # ANSI colour (text, on a terminal only)
    document_text: str | None = None  # the checked document itself, for formats that show its lines (html)
    document_path: str | None = None  # the checked document's file, for formats that copy it (docx)
    quiet: bool = False  # -q: problems only, so no list of the claims without dates
    # (address, label, is a download) shown above the report (html): serve's way about; none in a file
    links: tuple[tuple[str, str, bool], ...] = ()


Render = Callable[[Report, WriteOptions], str]
Combine = Callable[[Sequence[Report], list[str]], str]  # the reports and each one's rendered output
Save = Callable[[Report, WriteOptions, "str | None"], None]  # a binary format writes its own file (-o)


@dataclass(frozen=True)
class Writer:
    name: str
    render: Render
    suffix: str  # file name ending for downloads: ".json"
    media_type: str  # HTTP Content-Type for downloads
    description: str  # one line, shown in --help
    combine: Combine | None = None  # several documents in one output; None: one document at a time
    save: Save | None = None  # a format that is a file, not text (docx): writes the output itself


def format_names() -> list[str]:
    from .. import plugins

    return plugins.report_formats.names()


def get_writer(name: str) -> Writer:
    from .. import plugins

    return plugins.report_formats.get(name)


def render(report: Report, name: str, options: WriteOptions | None = None) -> str:
    return get_writer(name).render(report, options or WriteOptions())


def render_many(reports: Sequence[Report], name: str, options: WriteOptions | None = None) -> str:
    """One output for the reports of one call: the report itself for one, the format's combination for several."""
    writer = get_writer(name)
    outputs = [writer.render(r, options or WriteOptions()) for r in reports]
    if len(outputs) == 1:
        return outputs[0]
    if writer.combine is None:
        raise ValueError(f"report format {name!r} holds one document")
    return writer.combine(reports, outputs)
