"""``sourcecheck demo``: the main job on the bundled example, in a temporary library.

The example and its sources ship inside the package (``sourcecheck/examples``), so a pip user
sees what the tool does without a repository checkout, and nothing is left behind.
``demo --copy DIR`` writes the same files out, so the examples of every ``--help`` (which
name ``demo/...``) run for a pip user as they do in a checkout.
"""

from __future__ import annotations

import shutil
import tempfile
from importlib.resources import as_file, files
from pathlib import Path

from ..errors import InputError
from ..records import Report

COPY_DIR = "demo"  # the folder the --help examples name (`sourcecheck demo --copy demo`)


def example_dir():
    return files("sourcecheck") / "examples"


def run_demo(suggest: int = 2, keep: Path | None = None) -> Report:
    """Add the bundled sources to a fresh library and check the bundled document against it."""
    from ..document import read_document
    from .wiring import Wiring

    with as_file(example_dir()) as examples, tempfile.TemporaryDirectory(prefix="sourcecheck-demo-") as tmp:
        path = (keep or Path(tmp)) / "demo.db"
        wiring = Wiring(str(path))
        with wiring.open_store(read_only=False, must_exist=False) as lib:
            lib.add(examples / "sources")
            report = wiring.checker(lib, suggest=suggest).check(read_document(examples / "october-days.md"))
    report.document = "october-days.md (bundled example)"
    return report


def _bundled(root: Path) -> list[Path]:
    """The example's files, relative to the examples folder (no byte-code caches)."""
    return sorted(p.relative_to(root) for p in root.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def copy_examples(dest: str | Path) -> list[Path]:
    """Write the bundled example and its sources into ``dest``; the files written, in order.

    Invariant: a file already at ``dest`` is never overwritten, and when one is there nothing at
    all is written (the error names it), so a second ``--copy`` cannot clobber a user's edits; a
    write that fails half-way removes what it wrote.
    """
    target = Path(dest)
    if target.exists() and not target.is_dir():
        raise InputError(target, "exists and is not a folder")
    with as_file(example_dir()) as examples:
        root = Path(examples)
        names = _bundled(root)
        clash = next((target / n for n in names if (target / n).exists() or (target / n).is_symlink()), None)
        if clash is not None:
            raise InputError(clash, "already exists; --copy never overwrites (choose another folder)")
        written = []
        try:
            for n in names:
                (target / n).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / n, target / n)
                written.append(target / n)
        except OSError as err:
            for done in written:  # all or nothing: a disk full half-way leaves no partial example
                done.unlink(missing_ok=True)
            raise InputError(getattr(err, "filename", None) or target, f"cannot write: {err.strerror or err}") from None
    return written
