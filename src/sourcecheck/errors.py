"""The one error type the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from the user: names the file (and line) and what is wrong.

    The CLI prints ``str(err)`` on one line and exits with code 2, so the message
    must stand alone: ``path:line: what is wrong``.
    """

    def __init__(self, path: str | Path | None, message: str, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
