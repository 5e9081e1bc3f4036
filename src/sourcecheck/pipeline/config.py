"""Project settings: ``[tool.sourcecheck]`` in a pyproject.toml, or a sourcecheck.toml, found upward.

The search starts at the document's folder (the current one for commands without a document), as
ruff and black look for theirs, so a repository of essays can carry its library path and fail-on
level once instead of on every command line. In one folder sourcecheck.toml wins over
pyproject.toml; a pyproject.toml without ``[tool.sourcecheck]`` is passed over, so a project's
unrelated pyproject does not stop the search. Order of precedence: command line, then
``$SOURCECHECK_LIBRARY`` (library only), then the file, then the built-in default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..tuning import MAX_EVIDENCE, PER_SOURCE_CAP

DEFAULT_LIBRARY = Path(".sourcecheck") / "library.db"
FAIL_ON = ("none", "warning", "error")


@dataclass(frozen=True)
class Key:
    """One setting the file may hold, with its built-in default and what it accepts."""

    name: str
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    kind: type | tuple[type, ...] = str


KEYS = {k.name: k for k in (
    Key("library", str(DEFAULT_LIBRARY), "library file (relative paths are from the config file's folder)"),
    Key("fail-on", "error", "the least severe finding that makes the exit code 1", FAIL_ON),
    Key("format", "text", "report format of `check`"),
    Key("per-source", PER_SOURCE_CAP, "passages of one source before others get their turn (0: no cap)", kind=int),
    Key("max-evidence", MAX_EVIDENCE, "quotations one claim may have; a claim with more is an input error (0: no limit)", kind=int),
    # A name, or a table: [tool.sourcecheck.judge] name = "openai", url = ..., model = ..., api-key-env = ...
    # (TOML cannot hold both `judge = "openai"` and a [judge] table, so the table names the judge itself).
    Key("judge", "cross-encoder", "the judge: a registered name, or a table with `name` and its options",
        kind=(str, dict)),
    # Problem codes, as ruff's select/ignore: a project that does not check a kind of problem says so once.
    Key("select", None, "the only problem codes `check` reports (default: all)", kind=list),
    Key("ignore", [], "problem codes `check` does not report", kind=list),
    Key("baseline", None, "a baseline file of accepted findings (relative paths are from the config file's folder)"),
)}
PATHS = ("library", "baseline")  # settings that are paths, read relative to the file that holds them


@dataclass(frozen=True)
class Setting:
    value: Any
    origin: str  # "command line", "$SOURCECHECK_LIBRARY", a file's path and table, or "default"


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    table: str  # "[tool.sourcecheck]" or "" (the whole sourcecheck.toml)
    values: dict[str, Any]

    @property
    def origin(self) -> str:
        return f"{self.path} {self.table}".rstrip()


def _load(path: Path, table: bool) -> ConfigFile | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, f"not valid TOML ({err})") from None
    if table:
        values = data.get("tool", {}).get("sourcecheck")
        if values is None:
            return None
        if not isinstance(values, dict):
            raise InputError(path, "[tool.sourcecheck] must be a table")
    else:
        values = data
    cfg = ConfigFile(path, "[tool.sourcecheck]" if table else "", values)
    for name, value in values.items():
        key = KEYS.get(name)
        if key is None:
            raise InputError(path, f"unknown setting {name!r} in {cfg.origin} (known: {', '.join(KEYS)})")
        if not isinstance(value, key.kind) or isinstance(value, bool):
            kinds = key.kind if isinstance(key.kind, tuple) else (key.kind,)
            raise InputError(path, f"{name} must be a {' or '.join(k.__name__ for k in kinds)}, not {value!r}")
        if key.choices and value not in key.choices:
            raise InputError(path, f"{name} must be one of {', '.join(key.choices)}, not {value!r}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise InputError(path, f"{name} must be a list of strings, not {value!r}")
    return cfg


def find_config(start: str | Path | None = None) -> ConfigFile | None:
    """The nearest settings file at or above ``start`` (a folder, or a file whose folder is used)."""
    here = Path(start or ".").resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "sourcecheck.toml").is_file():
            return _load(folder / "sourcecheck.toml", table=False)
        if (folder / "pyproject.toml").is_file():
            found = _load(folder / "pyproject.toml", table=True)
            if found is not None:
                return found
    return None


def resolve(cli: dict[str, Any], start: str | Path | None = None) -> dict[str, Setting]:
    """Every setting's value in force and where it came from; ``cli`` holds options given (None: not given)."""
    cfg = find_config(start)
    out: dict[str, Setting] = {}
    for name, key in KEYS.items():
        if cli.get(name) is not None:
            out[name] = Setting(cli[name], "command line")
        elif name == "library" and os.environ.get("SOURCECHECK_LIBRARY"):
            out[name] = Setting(os.environ["SOURCECHECK_LIBRARY"], "$SOURCECHECK_LIBRARY")
        elif cfg is not None and name in cfg.values:
            value = cfg.values[name]
            if name in PATHS and "://" not in value:  # relative to the file (a URL is not a path)
                value = str(cfg.path.parent / value)
            out[name] = Setting(value, cfg.origin)
        else:
            out[name] = Setting(key.default, "default")
    return out
