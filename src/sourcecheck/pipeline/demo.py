"""``sourcecheck demo``: the main job on the bundled example, in a temporary library.

The example and its sources ship inside the package (``sourcecheck/examples``), so a pip user
sees what the tool does without a repository checkout, and nothing is left behind.
"""

from __future__ import annotations

import tempfile
from importlib.resources import as_file, files
from pathlib import Path

from ..records import Report


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
