"""`config`: the settings in force and where each comes from."""

from __future__ import annotations

import json

import click

from ..pipeline import config
from .common import Command, example


@click.command("config", cls=Command, epilog=example("sourcecheck config", "sourcecheck config demo/october-days.md --format json"))
@click.argument("document", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
def config_command(document: str | None, fmt: str) -> None:
    """Show the settings in force (for DOCUMENT, else here) and where each comes from.

    Settings live in `[tool.sourcecheck]` of a pyproject.toml or in a sourcecheck.toml, the nearest
    one at or above the document's folder; the command line and $SOURCECHECK_LIBRARY override them.
    """
    found = config.resolve({}, document)
    if fmt == "json":
        click.echo(json.dumps({k: {"value": s.value, "origin": s.origin} for k, s in found.items()}, indent=2))
        return
    width = max(len(k) for k in found)
    for k, s in found.items():
        click.echo(f"{k:{width}} = {json.dumps(s.value):30}  # {s.origin}")
