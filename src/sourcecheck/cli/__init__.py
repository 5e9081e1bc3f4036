"""The command line: thin commands over the library functions (as sqlite-utils is over Database).

One module per command group; `common.py` holds what they share (the error path, the shared options,
settings and output). Exit codes: 0 ran and nothing reached --fail-on; 1 something did; 2 the input or
the call was wrong, with one line that says what and where. With several documents, the worst of them.
"""

from __future__ import annotations

import click

from . import checking, cite, dates, library, search, serve, settings
from .common import example

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=example(
    "sourcecheck demo",
    "sourcecheck demo --copy demo    # writes the example's files, which every --help example uses",
    "sourcecheck add demo/sources --library demo.db",
    "sourcecheck check demo/october-days.md --library demo.db"))
@click.version_option(package_name="sourcecheck")
def main() -> None:
    """Check writing against its sources: quotations, support, dates, evidence."""


for _command in (library.add, library.sources, library.remove, checking.check, checking.judge, search.quote,
                 search.find, cite.cite, dates.dates, library.index, serve.serve, checking.demo,
                 settings.config_command, library.library):
    main.add_command(_command)
