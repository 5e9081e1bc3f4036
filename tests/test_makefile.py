"""The Makefile's set-up on a fresh machine: it installs only what is missing.

On a fresh machine of this kind npm comes with nodejs's own package and chromium is absent; asking
apt for Debian's `npm` there fails the whole install ("held broken packages"). `make -n` shows what
`browser` would run, with PATH holding only the tools a test machine is given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")


def would_install(tmp_path: Path, tools: list[str], target: str = "browser", scripts: dict[str, str] | None = None) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        exe = bin_dir / tool
        exe.write_text("#!/bin/sh\n" + (scripts or {}).get(tool, "exit 0") + "\n")
        exe.chmod(0o755)
    assert MAKE, "make is needed to run the Makefile"
    res = subprocess.run([MAKE, "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PATH": str(bin_dir)}, check=True)
    return res.stdout


def test_only_chromium_where_npm_came_with_nodejs(tmp_path) -> None:
    out = would_install(tmp_path, ["npm", "node"])
    assert 'missing="chromium"' in out


def test_both_on_a_bare_machine(tmp_path) -> None:
    assert 'missing="chromium npm"' in would_install(tmp_path, [])


def test_nothing_where_both_are_there(tmp_path) -> None:
    assert 'missing=""' in would_install(tmp_path, ["npm", "chromium"])


def installs(tmp_path: Path, tools: list[str]) -> list[list[str]]:
    """Run `make browser` for real, with an apt-get on PATH that only writes down what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for tool in tools:
        (bin_dir / tool).write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    for exe in bin_dir.iterdir():
        exe.chmod(0o755)
    assert MAKE, "make is needed to run the Makefile"
    res = subprocess.run([MAKE, "--no-print-directory", "browser"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PATH": str(bin_dir)})
    assert res.returncode == 0, res.stderr
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def test_apt_asked_for_chromium_alone_where_npm_came_with_nodejs(tmp_path) -> None:
    calls = installs(tmp_path, ["npm", "node"])
    asked = [c for c in calls if "install" in c]
    assert len(asked) == 1 and "chromium" in asked[0] and "npm" not in asked[0]


def test_apt_not_run_where_nothing_is_missing(tmp_path) -> None:
    assert installs(tmp_path, ["npm", "chromium"]) == []


def test_papers_asks_only_for_the_tex_package_that_is_missing(tmp_path) -> None:
    kpsewhich = 'case "$1" in csquotes.sty) echo /usr/share/texmf/csquotes.sty;; *) exit 1;; esac'
    out = would_install(tmp_path, ["pdflatex", "biber", "soffice", "pdftoppm", "kpsewhich", "pandoc"], "papers",
                        {"kpsewhich": kpsewhich})
    assert 'missing="texlive-bibtex-extra"' in out


def test_papers_asks_for_nothing_where_everything_is_there(tmp_path) -> None:
    out = would_install(tmp_path, ["pdflatex", "biber", "soffice", "pdftoppm", "kpsewhich", "pandoc"], "papers",
                        {"kpsewhich": 'echo "/usr/share/texmf/$1"'})
    assert 'missing=""' in out
