"""`sourcecheck serve`: the local web app (optional: ``pip install 'sourcecheck[serve]'``)."""

from __future__ import annotations

import ipaddress
import secrets

from ..errors import InputError

STOP_GRACE = 20  # seconds a stopping server gives requests in flight (a search takes a second or two)
INSTALL_HINT = "sourcecheck serve needs its extra: pip install 'sourcecheck[serve]'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(library, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          max_upload: int | None = None, echo=print) -> None:
    """Run the app until interrupted. Any host but loopback needs a token: given, or made and printed here."""
    try:
        import uvicorn

        from .app import MAX_UPLOAD, create_app
    except ImportError:
        raise InputError(None, INSTALL_HINT) from None
    loopback = is_loopback(host)
    if not loopback and not token:
        token = secrets.token_urlsafe(18)
    # Host is checked against the address each request came in on (DNS rebinding), token or not.
    app = create_app(library, token=token, max_upload=max_upload or MAX_UPLOAD)
    address = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    echo(f"sourcecheck serve: {address}" + (f"?token={token}" if token else "") + "  (Ctrl-C stops it)")
    # On SIGTERM or Ctrl-C uvicorn stops taking requests, lets those in flight finish (at most
    # STOP_GRACE s), then runs the app's shutdown, which ends the check worker.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=STOP_GRACE)
