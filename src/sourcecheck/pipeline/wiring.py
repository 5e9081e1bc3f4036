"""Settings in; a store, a judge and a checker out: the one object that builds them.

The CLI, ``serve``, the engines and ``cite`` all build through ``Wiring``, so a setting (which judge,
which library backend) means the same in each, and no command wires a checker by hand. It holds
names and options, not connections: a Ray actor or a server thread makes its own from the same
``Wiring`` (it pickles), and ``judge()`` keeps one judge per ``Wiring``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import plugins

_MAKING = threading.Lock()  # two server threads asking at once still get one judge (one model in memory)

if TYPE_CHECKING:
    from ..judge import Judge
    from ..library import Store
    from ..library.citekeys import KeyMap
    from .check import Checker


@dataclass
class Wiring:
    library: str  # a path, sqlite:///PATH or postgresql://URL
    judge_name: str = "cross-encoder"
    judge_options: Mapping[str, Any] = field(default_factory=dict)
    max_evidence: int | None = None  # quotations a claim may have (None: tuning.MAX_EVIDENCE)
    _judge: Judge | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], **options: Any) -> Wiring:
        """From ``config.resolve``'s values; ``options`` (``--judge-url`` and the like, None: not given) win."""
        judge = settings.get("judge") or "cross-encoder"
        table: dict[str, Any] = {}
        if isinstance(judge, Mapping):  # [tool.sourcecheck.judge] name = "openai", url = ..., model = ...
            table = {k: v for k, v in judge.items() if k != "name"}
            judge = judge.get("name", "cross-encoder")
        table.update({k: v for k, v in options.items() if v is not None})
        plugins.judges.get(str(judge))  # an unknown judge is named before anything is opened
        return cls(str(settings["library"]), str(judge), table, settings.get("max-evidence"))

    def open_store(self, read_only: bool = True, must_exist: bool = True) -> Store:
        from ..library import open_library

        return open_library(self.library, read_only=read_only, must_exist=must_exist)

    def judge(self) -> Judge:
        with _MAKING:
            if self._judge is None:
                self._judge = plugins.judges.get(self.judge_name).make(self.judge_options)
            return self._judge

    def checker(self, store: Store, suggest: int = 0, keys: KeyMap | None = None) -> Checker:
        from .check import Checker

        return Checker(store, self.judge(), suggest=suggest, keys=keys, max_evidence=self.max_evidence)

    def __getstate__(self) -> dict[str, Any]:  # a judge holds sessions and threads: each process makes its own
        return {**self.__dict__, "_judge": None}
