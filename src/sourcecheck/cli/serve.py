"""`serve`: the local web app."""

from __future__ import annotations

import click

from .common import Command, example, judge_options, library_option, wiring_for


@click.command(cls=Command, epilog=example("sourcecheck serve --library demo.db --port 8000",
                                          "sourcecheck serve -l demo.db --host 0.0.0.0 --token s3cret"))
@library_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Any host but loopback needs a token.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port to listen on.")
@click.option("--token", default=None, help="Required of visitors; made and printed when --host is not loopback.")
@click.option("--max-upload", type=int, default=None, help="Largest upload in bytes (default 2 MB).")
@judge_options
def serve(library: str | None, host: str, port: int, token: str | None, max_upload: int | None, judge: dict) -> None:
    """A local web app: paste or upload a document, read its report, search the sources."""
    from ..serve import serve as run_server

    wiring = wiring_for(None, library, judge)
    wiring.open_store().close()  # says "no library here" before the server starts (any backend, PostgreSQL too)
    wiring.judge()  # and a judge whose server is not there
    run_server(wiring, host=host, port=port, token=token, max_upload=max_upload, echo=click.echo)
