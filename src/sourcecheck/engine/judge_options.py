"""``--judge`` and its settings on the commands that judge (``check``, ``judge``, ``cite``, ``find``).

The judge is chosen by ``--judge``, else the configuration's ``judge``, else the shipped
cross-encoder. ``openai`` and ``cascade`` read their server from the command line over the
configuration's ``[tool.sourcecheck.judge]`` table (``url``, ``model``, ``api-key-env``,
``concurrency``, ``timeout``, ``cache``); in that table ``name`` picks the judge, since TOML cannot
hold both ``judge = "openai"`` and a ``[judge]`` table (a string ``judge = "openai"`` works too).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import InputError

JUDGES = ("cross-encoder", "openai", "cascade")
SHIPPED = "cross-encoder"

# option name -> the setting's name in [tool.sourcecheck.judge]
OPTIONS = {"judge_url": "url", "judge_model": "model", "judge_api_key_env": "api-key-env",
           "judge_concurrency": "concurrency", "judge_timeout": "timeout", "judge_cache": "cache"}


@dataclass
class JudgeChoice:
    """The judge the command line asks for, made once the configuration is known."""

    name: str | None
    options: dict[str, Any]
    made: Any = field(default=None, repr=False)

    def settings(self, start: str | Path | None = None) -> tuple[str, dict[str, Any]]:
        """The judge's name and settings: the command line over the configuration."""
        from .. import config

        found = config.resolve({"judge": self.name}, start)["judge"]
        value = found.value
        table: dict[str, Any] = {}
        if isinstance(value, dict):
            table = dict(value)
            name = self.name or str(table.pop("name", "openai" if table.get("url") else SHIPPED))
            table.pop("name", None)
        elif isinstance(value, str):
            name = value
        else:
            raise InputError(None, f"judge must be a name or a table, not {value!r} ({found.origin})")
        if name not in JUDGES:
            raise InputError(None, f"unknown judge {name!r} ({found.origin}; use one of {', '.join(JUDGES)})")
        given = {OPTIONS[k]: v for k, v in self.options.items() if v is not None}
        return name, {**table, **given}

    def make(self, start: str | Path | None = None) -> Any:
        """The judge (the server probed now: a wrong URL, model or key is one line before any work)."""
        name, opts = self.settings(start)
        if name == SHIPPED:
            if any(self.options.get(k) is not None for k in OPTIONS):
                raise InputError(None, "--judge-url and the other --judge-* options need --judge openai or cascade")
            from ..judge import get_judge

            self.made = get_judge()
        elif name == "openai":
            from ..judge.llm import make_llm_judge

            self.made = make_llm_judge(opts)
        else:
            from ..judge.llm import make_cascade_judge

            self.made = make_cascade_judge(opts)
        return self.made

    def usage_line(self) -> str | None:
        """Requests, tokens and time of an LLM judge, for -v."""
        line = getattr(self.made, "usage_line", None)
        return line() if line else None


def judge_options(f: Callable) -> Callable:
    """``--judge`` and ``--judge-*``, handed to the command as one ``judge_choice`` argument."""

    @click.option("--judge", "judge_name", type=click.Choice(JUDGES), default=None,
                  help="The judge: the shipped cross-encoder, an LLM behind an OpenAI-compatible endpoint, or cascade "
                       "(the shipped judge, its weak parts to the LLM) [config: judge; default: cross-encoder].")
    @click.option("--judge-url", default=None, help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 [config: judge.url].")
    @click.option("--judge-model", default=None, help="Model name as the server lists it [config: judge.model].")
    @click.option("--judge-api-key-env", default=None, help="Environment variable holding the API key [config: judge.api-key-env].")
    @click.option("--judge-concurrency", type=click.IntRange(min=1), default=None,
                  help="Requests at once [config: judge.concurrency; default: 4].")
    @click.option("--judge-timeout", type=click.FloatRange(min=0.1), default=None,
                  help="Seconds per request before it is retried [config: judge.timeout; default: 60].")
    @click.option("--judge-cache", default=None,
                  help="SQLite file of the LLM's answers; '' for none [config: judge.cache; default: ~/.cache/sourcecheck/llm-judge.sqlite].")
    @functools.wraps(f)
    def wrapper(*args: object, judge_name: str | None, **kwargs: Any) -> object:
        opts = {k: kwargs.pop(k) for k in OPTIONS}
        return f(*args, judge_choice=JudgeChoice(judge_name, opts), **kwargs)

    return wrapper
