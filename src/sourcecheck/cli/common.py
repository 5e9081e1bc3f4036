"""What every command shares. The command line: thin commands over the library functions (as sqlite-utils is over Database).

Exit codes: 0 ran and nothing reached --fail-on; 1 something did; 2 the input or the
call was wrong, with one line that says what and where. With several documents, the worst of them.

Conventions shared by every command (console.py): ``-`` is stdin, ``--color``/``NO_COLOR``/``FORCE_COLOR``,
``-q``/``-v``, ``-l/--library``, ``-k`` (passages per claim), ``-o`` (output file); settings from a
``sourcecheck.toml`` or ``[tool.sourcecheck]`` (config.py) under the command line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import InputError, from_system_error
from ..pipeline import config
from ..pipeline.config import FAIL_ON
from ..text import escape_controls

LEVELS = {"none": set(), "error": {"error"}, "warning": {"error", "warning"}}


def settings(start: str | Path | None = None, **cli: Any) -> dict[str, Any]:
    """The values in force: the command line's, else the environment's, the config file's, the default."""
    found = config.resolve(cli, start)
    return {name: s.value for name, s in found.items()}


def start_of(documents: tuple[str, ...]) -> str | None:
    """Where the config search starts: the first document's folder (stdin: the current one)."""
    return next((d for d in documents if d != "-"), None)


def library_target(option: str | None, start: str | Path | None = None) -> str:
    """The library a command uses: --library, else $SOURCECHECK_LIBRARY, the config file's, the default.

    A path, ``sqlite:///PATH`` or ``postgresql://URL``; a URL stays a string (``Path`` would fold its ``//``).
    """
    return str(settings(start, library=option)["library"])


def library_path(option: str | None, start: str | Path | None = None) -> Path:
    """The library as a path, for messages about a file."""
    return Path(library_target(option, start))


def open_library(option: str | None, must_exist: bool = True, read_only: bool = False,
                 start: str | Path | None = None):
    """The library (a file path, sqlite:///..., or postgresql://...); read-only for the checking commands."""
    from ..library import open_library as open_store

    return open_store(library_target(option, start), read_only=read_only, must_exist=must_exist)


def _library_for_message(option: str | None) -> Path | None:
    """The library a system error is about; a broken settings file must not hide the error being reported."""
    try:
        return library_path(option)
    except InputError:
        return Path(option) if option else None


class Command(click.Command):
    """Turns InputError into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            click.echo(f"sourcecheck: error: {escape_controls(str(err))}", err=True)
            ctx.exit(2)
        except (OSError, sqlite3.DatabaseError) as err:  # disk full, damaged library: one line too
            mapped = from_system_error(err, _library_for_message(ctx.params.get("library")))
            if mapped is None:
                raise
            click.echo(f"sourcecheck: error: {escape_controls(str(mapped))}", err=True)
            ctx.exit(2)


class RegistryChoice(click.Choice):
    """A choice among a registry's names, read when first needed: building the CLI loads no plugin."""

    def __init__(self, names: Callable[[], list[str]]):
        self._names = names
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        return self._names()

    @choices.setter
    def choices(self, value: object) -> None:  # click.Choice.__init__ assigns it; the registry is the truth
        pass


def _document_formats() -> list[str]:
    from ..document import format_names

    return format_names()


def _judges() -> list[str]:
    from .. import plugins

    return plugins.judges.names()


def _report_formats() -> list[str]:
    from ..report import format_names

    return format_names()


from_option = click.option("--from", "from_", type=RegistryChoice(_document_formats),
                           default=None, help="Document format (default: by extension and content).")


JUDGE_OPTIONS = {"judge_url": "url", "judge_model": "model", "judge_api_key_env": "api-key-env",
                 "judge_concurrency": "concurrency", "judge_timeout": "timeout", "judge_cache": "cache"}


def judge_options(f: Callable) -> Callable:
    """--judge and its options, handed to the command as one ``judge`` mapping (None where not given).

    The keys are those of ``[tool.sourcecheck.judge]``, so the command line and the file mean the same."""
    import functools

    @click.option("--judge", "judge_name", type=RegistryChoice(_judges), default=None,
                  help="The judge (a registered plugin: cross-encoder, openai, cascade) [config: judge; default: cross-encoder].")
    @click.option("--judge-url", default=None, help="The judge's server, e.g. http://127.0.0.1:11434/v1 (LLM judges).")
    @click.option("--judge-model", default=None, help="The model the judge's server runs (LLM judges).")
    @click.option("--judge-api-key-env", default=None, help="Environment variable holding the API key [config: judge.api-key-env].")
    @click.option("--judge-concurrency", type=click.IntRange(min=1), default=None, help="Requests to the judge's server at once.")
    @click.option("--judge-timeout", type=click.FloatRange(min=0.1), default=None,
                  help="Seconds per request before it is retried [config: judge.timeout; default: 60].")
    @click.option("--judge-cache", default=None,
                  help="SQLite file of the LLM's answers; '' for none [config: judge.cache; default: ~/.cache/sourcecheck/llm-judge.sqlite].")
    @functools.wraps(f)
    def wrapper(*args: object, judge_name: str | None, **kwargs: Any) -> object:
        judge = {"name": judge_name, **{JUDGE_OPTIONS[k]: kwargs.pop(k) for k in JUDGE_OPTIONS}}
        return f(*args, judge=judge, **kwargs)

    return wrapper


def usage_detail(console: Any, judge: Any) -> None:
    """Requests, tokens and time of a judge that counts them (an LLM judge), on -v."""
    line = getattr(judge, "usage_line", None)
    if line is not None:
        console.detail(line())


def wiring_for(start: str | Path | None, library: str | None, judge: dict[str, Any] | None = None,
               max_evidence: int | None = None) -> Any:
    """The ``Wiring`` (store, judge, checker) of the settings in force: command line over config file."""
    from ..pipeline.wiring import Wiring

    judge = judge or {}
    opts = settings(start, library=library, judge=judge.get("name"), **{"max-evidence": max_evidence})
    return Wiring.from_settings(opts, **{k: v for k, v in judge.items() if k != "name"})


bib_option = click.option("--bib", "bib", multiple=True, type=click.Path(dir_okay=False),
                          help="Bibliography (BibTeX .bib, CSL-JSON .json, RIS .ris) mapping citation keys to sources.")


library_option = click.option("--library", "-l", "library", default=None,
                              help="Library file, sqlite:///PATH or postgresql://URL (default: $SOURCECHECK_LIBRARY, the config file's `library`, "
                                   "or ./.sourcecheck/library.db).")


fail_on_option = click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                              help="Exit 1 when a finding is this severe or worse [config: fail-on; default: error].")


def passages_option(default: int, what: str) -> Callable:
    """-k means one thing in every command: at most N library passages per claim."""
    return click.option("-k", "--passages", "k", type=int, default=default, show_default=True,
                        help=f"At most N library passages per claim ({what}).")


def example(*lines: str) -> str:
    """A command's --help epilog: real commands, kept as written (\\b stops click rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def worst_exit(severities: list[str], fail_on: str) -> int:
    return 1 if any(s in LEVELS[fail_on] for s in severities) else 0


def read_text_or_none(path: str) -> str | None:
    """The document's text for reports that show its lines (it was read once already; a race is harmless)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def check_output_early(output: str | None) -> None:
    """A folder or a missing folder given to -o is said now, not after the whole run."""
    if output:
        from ..safeio import check_output

        check_output(output)


def emit(text: str, output: str | None) -> None:
    if output:
        from ..safeio import write_text

        write_text(output, text)
    else:  # colour was decided already (console.py); click would strip it off a non-terminal
        click.echo(text, nl=False, color=True)


def build_quote_index(lib) -> None:
    from ..quotes.index import build_quote_index as build

    build(lib)


def quiet_report(report):
    """Only the claims with a problem (-q): the report as CI logs want it. The others are counted in
    ``omitted``, so the summary says as many claims fine as the same run without -q."""
    import dataclasses

    from ..pipeline.check import severity

    shown = [f for f in report.findings if severity(f) != "ok"]
    return dataclasses.replace(report, findings=shown, omitted=report.omitted + len(report.findings) - len(shown))


def format_choice() -> click.Choice:
    return RegistryChoice(_report_formats)
