"""CLI conventions (issue 13 §3): stdin, several documents, colour, -q/-v, one -k, --fail-on, progress, help."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.console import Progress, wants_colour

DOC = EXAMPLES / "october-days.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def ok_doc(tmp_path_factory) -> Path:
    """The example's first claim alone (its quotation is in its source; the verdict is the judge's)."""
    path = tmp_path_factory.mktemp("ok") / "ok.md"
    path.write_text("".join(DOC.read_text().splitlines(True)[:2]))
    return path


def severities(report: dict) -> dict[int, str]:
    """Claim id -> "error" | "warning" | "ok", as --fail-on counts (the JSON report's worst problem per claim)."""
    out = {}
    for c in report["claims"]:
        worst = c["problems"][0]["severity"] if c["problems"] else "ok"
        assert (c["severity"] or "ok") == worst
        out[c["id"]] = worst
    return out


# -- help -----------------------------------------------------------------------------------

def test_every_help_shows_an_example_and_every_option_has_help() -> None:
    for name, cmd in [("", main)] + sorted(main.commands.items()):
        res = run(*([name] if name else []), "--help")
        assert res.exit_code == 0
        assert re.search(r"Examples:\n\s+(\S+ .*\| )?sourcecheck ", res.output), name
        for p in getattr(cmd, "params", []):
            if getattr(p, "help", None) is None and p.param_type_name == "option" and not p.hidden:
                pytest.fail(f"{name} {p.opts} has no help text")


def test_one_meaning_per_option_name() -> None:
    """An option string (-k, -o, -i, -l, -s...) stands for the same parameter name in every command."""
    seen: dict[str, tuple[str, str]] = {}
    for name, cmd in main.commands.items():
        for p in cmd.params:
            for opt in p.opts:
                if not opt.startswith("-"):
                    continue
                if opt in seen and seen[opt][1] != p.name:
                    pytest.fail(f"{opt} is {seen[opt][1]} in {seen[opt][0]} but {p.name} in {name}")
                seen[opt] = (name, p.name)
    assert seen["-k"][1] == "k" and seen["--library"][1] == "library"


def test_library_option_on_every_command_that_reads_one() -> None:
    for name in ("add", "sources", "remove", "check", "quote", "find", "cite", "dates", "index"):
        assert "--library" in run(name, "--help").output, name


# -- colour --------------------------------------------------------------------------------

class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_decision() -> None:
    assert wants_colour("auto", Tty(), {}) is True
    assert wants_colour("auto", io.StringIO(), {}) is False
    assert wants_colour("auto", Tty(), {"NO_COLOR": "1"}) is False
    assert wants_colour("auto", io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert wants_colour("auto", Tty(), {"NO_COLOR": ""}) is True  # empty means unset (no-color.org)
    assert wants_colour("always", io.StringIO(), {"NO_COLOR": "1"}) is True
    assert wants_colour("never", Tty(), {"FORCE_COLOR": "1"}) is False


@needs_model
def test_colour_through_the_cli(demo_library: Path) -> None:
    base = ("check", str(DOC), "--library", str(demo_library), "--fail-on", "none")
    assert ANSI.search(run(*base, env={"FORCE_COLOR": "1"}).stdout)
    assert not ANSI.search(run(*base, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)
    assert ANSI.search(run(*base, "--color", "always", env={"NO_COLOR": "1"}).stdout)
    assert not ANSI.search(run(*base, "--color", "never", env={"FORCE_COLOR": "1"}).stdout)


# -- progress ------------------------------------------------------------------------------

def test_progress_waits_two_seconds_and_only_on_a_terminal() -> None:
    now = [0.0]
    tty = Tty()
    bar = Progress("checking", 6, stream=tty, clock=lambda: now[0])
    bar.update()
    assert tty.getvalue() == ""  # a quick job shows nothing
    now[0] = 2.5
    bar.update(note="claim 2")
    assert re.search(r"checking \s*\[#+-+\]\s+2/6\s+claim 2", tty.getvalue()), tty.getvalue()
    bar.close()
    assert tty.getvalue().endswith("\r\x1b[2K\x1b[?25h")  # the line is cleared for the report
    pipe = io.StringIO()
    quiet = Progress("checking", 6, stream=pipe, clock=lambda: now[0] + 10)
    quiet.update()
    assert pipe.getvalue() == ""


def test_progress_off_a_terminal_is_a_plain_line_every_ten_seconds() -> None:
    """A CI log (or `--format json > report.json` in one) sees a long check move, with no escapes."""
    from sourcecheck.console import PROGRESS_LOG_EVERY_S

    now = [0.0]
    log = io.StringIO()
    bar = Progress("checking claims", 5000, stream=log, clock=lambda: now[0])
    for i in range(1, 5001):
        now[0] = i * 0.05  # 50 ms a claim: 250 s in all
        bar.update()
    bar.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == int(250 // PROGRESS_LOG_EVERY_S)  # one every 10 s, none in the first 10 s
    assert lines[0] == "sourcecheck: checking claims 200/5000, 10 s, about 240 s left"
    assert lines[-1].startswith("sourcecheck: checking claims 5000/5000, 250 s")
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()
    short = io.StringIO()
    quick = Progress("checking claims", 10, stream=short, clock=lambda: now[0])
    for _ in range(10):
        quick.update()
    assert short.getvalue() == ""  # a job under 10 s writes nothing


def test_progress_is_clicks_bar_with_an_estimate_of_the_time_left() -> None:
    tty = Tty()
    bar = Progress("checking claims", 10, stream=tty, after=0)
    bar.update(3)
    time.sleep(1.1)  # click estimates from steps at least a second apart
    bar.update(2)
    # 5 of 10 done in ~1.1 s: about a second left, as hh:mm:ss after the count.
    line = tty.getvalue().rsplit("\r", 1)[-1]
    assert re.search(r"checking claims\s+\[#{15,}-+\]\s+5/10\s+00:00:0[0-3]$", line.strip()), line
    bar.close()
    unknown = Progress("adding", None, stream=Tty(), after=0)
    unknown.update(note="a.txt")
    assert "adding" in unknown.stream.getvalue() and "1  a.txt" in unknown.stream.getvalue()


# -- stdin, several documents, exit codes --------------------------------------------------

@needs_model
def test_stdin_and_several_documents(demo_library: Path, ok_doc: Path) -> None:
    res = run("check", "-", "--library", str(demo_library), "--format", "json", input=DOC.read_text())
    assert res.exit_code == 1  # the example has errors
    assert json.loads(res.stdout)["document"] == "<stdin>"
    res = run("check", str(ok_doc), str(DOC), "--library", str(demo_library), "--format", "json")
    lines = res.stdout.splitlines()
    assert [json.loads(x)["document"] for x in lines] == [str(ok_doc), str(DOC)]  # JSON Lines
    for level in ("none", "error", "warning"):  # the worst of the documents' exit codes
        alone = [run("check", str(d), "--library", str(demo_library), "--fail-on", level).exit_code for d in (ok_doc, DOC)]
        both = run("check", str(ok_doc), str(DOC), "--library", str(demo_library), "--fail-on", level).exit_code
        assert both == max(alone)
    text = run("check", str(ok_doc), str(DOC), "--library", str(demo_library), "--fail-on", "none").stdout
    assert text.count("sourcecheck: ") == 2 and "All: 2 documents:" in text


def test_bad_stdin_is_named(demo_library: Path) -> None:
    res = run("check", "-", "--library", str(demo_library), input="")
    assert res.exit_code == 2 and res.stderr.startswith("sourcecheck: error: <stdin>: ")


# -- -q and -v -------------------------------------------------------------------------------

@needs_model
def test_quiet_shows_only_problems_and_verbose_scores(demo_library: Path) -> None:
    base = ("check", str(DOC), "--library", str(demo_library), "--fail-on", "none")
    full = run(*base).stdout
    quiet = run(*base, "-q").stdout
    levels = severities(json.loads(run(*base, "--format", "json").stdout))
    assert "error" in levels.values()  # the example has a misquotation at least
    lines = {c["id"]: c["line"] for c in json.loads(run(*base, "--format", "json").stdout)["claims"]}
    for claim, level in levels.items():
        head = f"Claim {claim} (line {lines[claim]}):"
        assert head in full and (head in quiet) == (level != "ok"), (claim, level)
    verbose = run(*base, "-v")
    assert re.search(r"claim 3 [a-z_]+, support \d\.\d{3}, contradiction \d\.\d{3}; quotation \w+ \d\.\d{3}", verbose.stderr)
    assert re.search(r"total \d+\.\d\d s", verbose.stderr)
    assert run(*base, "-q", "-v").exit_code == 2


# -- --fail-on for quote and find ----------------------------------------------------------

def test_quote_fail_on(demo_library: Path) -> None:
    found = ("quote", "the palace was taken in the early hours of 26 October", "--library", str(demo_library))
    assert run(*found).exit_code == 0
    absent = ("quote", "the moon is made of green cheese entirely", "--library", str(demo_library))
    res = run(*absent)
    assert res.stdout.startswith("absent") and res.exit_code == 1
    assert run(*absent, "--fail-on", "none").exit_code == 0
    rows = json.dumps({"id": "a", "quote": "the palace was taken in the early hours of 26 October"}) + "\n" + \
        json.dumps({"id": "b", "quote": "the palace was taken", "source": "No Such Book"}) + "\n"
    assert run("quote", "-i", "-", "--library", str(demo_library), input=rows).exit_code == 0  # a warning only
    assert run("quote", "-i", "-", "--library", str(demo_library), "--fail-on", "warning", input=rows).exit_code == 1


@needs_model
def test_find_fail_on(demo_library: Path) -> None:
    lib = ("--library", str(demo_library))
    unsupported = run("find", "Ships of the Baltic Fleet sailed to Helsinki in 1950", *lib, "--fail-on", "warning")
    assert unsupported.exit_code == 1 and "no passage supports" in unsupported.stderr
    assert run("find", "Ships of the Baltic Fleet sailed to Helsinki in 1950", *lib).exit_code == 0
    assert run("find", "Ships of the Baltic Fleet sailed to Helsinki in 1950", *lib, "--no-rescore",
               "--fail-on", "warning").exit_code == 1  # nothing judged, nothing supported
    for claim in ("Most of the Petrograd garrison declared for the Military Revolutionary Committee",
                  "The ministers were arrested and taken to the Peter and Paul Fortress"):
        res = run("find", claim, *lib, "--fail-on", "warning", "--format", "json")
        assert any(r["verdict"] == "supported" for r in json.loads(res.stdout)) == (res.exit_code == 0)


# -- dates reads a library -----------------------------------------------------------------

def test_dates_with_library(demo_library: Path, tmp_path: Path) -> None:
    res = run("dates", str(DOC), "--library", str(demo_library), "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)
    res = run("dates", str(DOC), "--library", str(tmp_path / "none.db"))
    assert res.exit_code == 2 and "none.db" in res.stderr
