"""The plugin registries: built-ins come from entry points, as a third party's would, and every
extension point reads its registry (--from, --format, --judge, serve's choices, detection)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck import plugins
from sourcecheck.cli import main
from sourcecheck.document import detect, read_document_data
from sourcecheck.document.readers import DocumentReader
from sourcecheck.errors import InputError
from sourcecheck.records import Claim, Report
from sourcecheck.report import WriteOptions, Writer, format_names, render

ROOT = Path(__file__).resolve().parent.parent


def test_every_builtin_is_an_entry_point_of_pyproject() -> None:
    """The built-ins register exactly as a plugin would: the names in pyproject are the registries' names."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    assert set(declared) == set(plugins.REGISTRIES)
    for group, registry in plugins.REGISTRIES.items():
        assert sorted(declared[group]) == sorted(registry.names()), group


def test_a_registered_format_is_a_choice_of_check(tmp_path, monkeypatch) -> None:
    def count(report: Report, options: WriteOptions) -> str:
        return f"{len(report.findings)} claims\n"

    plugins.report_formats.register(Writer("count", count, suffix=".txt", media_type="text/plain",
                                           description="how many claims"))
    try:
        assert "count" in format_names()
        assert render(Report("d", "l", []), "count") == "0 claims\n"
        with pytest.raises(plugins.PluginError, match="registered twice"):
            plugins.report_formats.register(Writer("count", count, ".x", "x", "x"))
        res = CliRunner().invoke(main, ["check", "--help"])
        assert "count" in res.output  # --format's choices are read from the registry
    finally:
        plugins.report_formats.unregister("count")
    assert "count" not in format_names()


def test_a_registered_reader_is_detected_and_read_from_text() -> None:
    """Readers take text and a name (stdin, uploads): no file on disk is needed."""
    def read(text: str, name: str) -> tuple[list[Claim], list[str]]:
        return [Claim(id=i + 1, text=line[3:], line=i + 1, evidence=[]) for i, line in enumerate(text.splitlines())
                if line.startswith(">> ")], []

    reader = DocumentReader("arrows", read, "lines after >>", suffixes=(".arrows",))
    plugins.document_readers.register(reader)
    try:
        assert detect("notes.arrows", ">> A claim.").name == "arrows"
        doc = read_document_data(b">> The garrison stayed.\n>> The palace fell.\n", "notes.arrows")
        assert doc.format == "arrows" and [c.text for c in doc.claims] == ["The garrison stayed.", "The palace fell."]
        res = CliRunner().invoke(main, ["dates", "--help"])
        assert "arrows" in res.output  # --from reads the registry
    finally:
        plugins.document_readers.unregister("arrows")


def test_detection_by_suffix_then_content() -> None:
    assert detect("a.jsonl", "{}").name == "jsonl"
    assert detect("a.wiki", "text").name == "wikitext"
    assert detect("<stdin>", "- A claim.\n  - evidence").name == "outline"
    assert detect("<stdin>", "A claim [@pipes, p. 4].").name == "pandoc"
    assert detect("<stdin>", "Plain prose.").name == "markdown"


def test_an_unknown_name_lists_the_registered_ones() -> None:
    with pytest.raises(InputError, match=r"no judge 'oracle' .*cross-encoder"):
        plugins.judges.get("oracle")


def test_a_plugin_of_the_wrong_type_is_refused(monkeypatch) -> None:
    """A broken plugin must not look like a missing format: it stops the program with its name."""

    class FakeEntryPoint:
        name, value = "bad", "somewhere:THING"

        def load(self) -> object:
            return "not a writer"

    reg: plugins.Registry[Writer] = plugins.Registry("report format", "sourcecheck.test_nothing",
                                                     "sourcecheck.report.registry:Writer")
    monkeypatch.setattr(plugins, "entry_points", lambda group: [FakeEntryPoint()])
    with pytest.raises(plugins.PluginError, match=r"'bad' .* is a str, not a Writer"):
        reg.names()


def test_stores_are_chosen_by_scheme(tmp_path) -> None:
    from sourcecheck.library import open_library

    with open_library(f"sqlite:///{tmp_path}/x.db") as lib:
        assert type(lib).__name__ == "SQLiteStore"
    assert plugins.stores.get("postgresql").schemes == ("postgresql://", "postgres://")
