"""One mechanism for every extension point: registries filled from ``sourcecheck.*`` entry points.

Five things plug in: judges, document readers, source readers, report formats and stores. Each has
a registry here, and each registry is filled from one entry-point group, for the built-ins exactly as
for a third party (as datasette loads its own default plugins, and spaCy its registered functions)::

    [project.entry-points."sourcecheck.report_formats"]
    csv = "my_package.csv_report:WRITER"

An entry point names one object of the registry's record type (``report.registry.Writer``,
``document.readers.DocumentReader``, ``library.extract.SourceReader``, ``library.store.StoreBackend``,
``judge.backends.JudgeBackend``), whose ``name`` is the entry point's name. ``--from``, ``--format``,
``--judge``, ``serve``'s choices and format detection all read the registries, so a plugin needs
no change anywhere else.

Invariants: a name is registered once (a second is an error naming both, not a silent override);
an entry point that does not load, or names an object of another type, stops the program with its
name (a broken plugin must not look like a missing format). Registries load on first use, so
``import sourcecheck`` stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from .errors import InputError

if TYPE_CHECKING:
    from .document.readers import DocumentReader
    from .judge.backends import JudgeBackend
    from .library.extract import SourceReader
    from .library.store import StoreBackend
    from .report.registry import Writer

T = TypeVar("T")


class PluginError(RuntimeError):
    """A plugin that cannot be used: not loadable, of the wrong type, or a name used twice."""


class Registry(Generic[T]):
    """Named records of one kind, loaded from the entry-point group ``group`` on first use."""

    def __init__(self, kind: str, group: str, record: str):
        self.kind = kind  # "report format": the words of messages
        self.group = group
        self._record = record  # "module:Class", resolved when loading (so this module imports nothing)
        self._items: dict[str, T] | None = None

    def _record_type(self) -> type:
        module, _, name = self._record.partition(":")
        found: type = getattr(importlib.import_module(module), name)
        return found

    def _load(self) -> dict[str, T]:
        if self._items is None:
            items: dict[str, T] = {}
            record = self._record_type()
            for ep in entry_points(group=self.group):
                try:
                    obj = ep.load()
                except Exception as err:
                    raise PluginError(f"{self.kind} plugin {ep.name!r} ({ep.value}) does not load: {err}") from err
                if not isinstance(obj, record):
                    raise PluginError(f"{self.kind} plugin {ep.name!r} ({ep.value}) is a {type(obj).__name__}, "
                                      f"not a {record.__name__}")
                if getattr(obj, "name", ep.name) != ep.name:
                    raise PluginError(f"{self.kind} plugin {ep.name!r} ({ep.value}) calls itself {getattr(obj, 'name', None)!r}")
                obj = cast(T, obj)
                self._add(items, ep.name, obj, ep.value)
            if not items:
                raise PluginError(f"no {self.kind}s registered in {self.group}: is sourcecheck installed "
                                  "(pip install -e .), not only on the path?")
            self._items = items
        return self._items

    @staticmethod
    def _add(items: dict[str, T], name: str, obj: T, where: str) -> None:
        if name in items:
            raise PluginError(f"{name!r} is registered twice ({where})")
        items[name] = obj

    def register(self, obj: T) -> T:
        """Add a record at run time (tests, a notebook): the same rules as an entry point."""
        self._add(self._load(), obj.name, obj, "register()")  # type: ignore[attr-defined]
        return obj

    def unregister(self, name: str) -> None:
        self._load().pop(name, None)

    def get(self, name: str) -> T:
        items = self._load()
        if name not in items:
            raise InputError(None, f"no {self.kind} {name!r} (use one of {', '.join(items)})")
        return items[name]

    def names(self) -> list[str]:
        return list(self._load())

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._load().values()))

    def __contains__(self, name: object) -> bool:
        return name in self._load()


judges: Registry[JudgeBackend] = Registry("judge", "sourcecheck.judges", "sourcecheck.judge.backends:JudgeBackend")
document_readers: Registry[DocumentReader] = Registry(
    "document format", "sourcecheck.document_readers", "sourcecheck.document.readers:DocumentReader")
source_readers: Registry[SourceReader] = Registry(
    "source file type", "sourcecheck.source_readers", "sourcecheck.library.extract:SourceReader")
report_formats: Registry[Writer] = Registry(
    "report format", "sourcecheck.report_formats", "sourcecheck.report.registry:Writer")
stores: Registry[StoreBackend] = Registry("library backend", "sourcecheck.stores", "sourcecheck.library.store:StoreBackend")

REGISTRIES: dict[str, Registry[Any]] = {r.group: r for r in (judges, document_readers, source_readers, report_formats,
                                                             stores)}
