"""Writing the user's files safely: checked before the work, replaced atomically, never half-written.

A report or a cited document is written to a fresh temporary file in the target's own folder
(``tempfile.mkstemp``: O_EXCL, an unpredictable name, so a symlink planted at ``OUT.tmp`` cannot
redirect the write), given the original's mode, then moved over the target with ``os.replace``.
A symlinked target updates the file it points to. On any failure the temporary file is removed.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, TextIO, cast

from .errors import InputError

# errno values that mean "no room": a full disk, a quota, or a file-size limit (RLIMIT_FSIZE).
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def disk_full_message(err: OSError) -> str:
    return f"disk full: could not write ({err.strerror or err}); nothing was changed"


def check_output(path: str | Path) -> Path:
    """The real file ``path`` names, checked before any work: a folder or a missing folder is an
    InputError now, not after a long run whose result would then be lost."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise InputError(path, "is a folder; give a file name for the output")
    folder = target.parent
    if not folder.exists():
        raise InputError(path, f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(path, f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(path, f"cannot write in the folder {folder}")
    return target


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777  # keep the original's mode (a 600 report stays 600)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """A text file handle whose content replaces ``path`` only when the block ends without error."""
    with _replacing(path, binary=False) as fh:
        yield cast(TextIO, fh)


@contextmanager
def _replacing(path: str | Path, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file beside ``path`` that replaces it (same mode) only when the block ends without error."""
    target = check_output(path)
    mode = _mode_for(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise _as_input_error(path, err) from None
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as err:
        _unlink(tmp)
        raise _as_input_error(path, err) from None
    except BaseException:
        _unlink(tmp)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    with atomic_writer(path) as fh:
        fh.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (a binary report: the reviewed .docx)."""
    with _replacing(path, binary=True) as fh:
        fh.write(data)


def _unlink(tmp: str) -> None:
    with suppress(OSError):
        os.unlink(tmp)


def _as_input_error(path: str | Path, err: OSError) -> InputError:
    if err.errno in DISK_FULL:
        return InputError(path, disk_full_message(err))
    return InputError(path, f"cannot write: {err.strerror or err}")
