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


def from_system_error(err: Exception, library: str | Path | None) -> InputError | None:
    """The InputError a system fault means to the user, or None for a bug (left to raise).

    A full disk and a damaged library file are faults of the user's machine or data, not of
    sourcecheck: they get the one line and exit 2, never a traceback.
    """
    import errno
    import sqlite3

    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return InputError(getattr(err, "filename", None) or library,
                          f"disk full: could not write ({err.strerror}); the library keeps what was committed")
    if isinstance(err, sqlite3.DatabaseError):
        text = str(err)
        name = getattr(err, "sqlite_errorname", "")
        # SQLITE_FULL, or a failed write (a file-size limit or a full disk seen mid-write)
        if "full" in text or name in ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"):
            return InputError(library, "disk full: the library could not be written; it keeps what was committed")
        if "malformed" in text or "not a database" in text or "disk I/O" in text or "corrupt" in text:
            return InputError(library, f"the library file is damaged ({text}); restore it from a copy or rebuild it")
    return None
