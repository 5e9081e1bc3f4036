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


def listen(host: str, port: int):
    """The listening socket, bound before the address is printed, so that a port in use is one line
    and exit 2 (InputError) rather than the printed address followed by uvicorn's own error."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: TIME_WAIT is no obstacle
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise InputError(f"--port {port}", f"in use by another program on {host}; stop it, or choose "
                                               "another port") from None
        raise InputError(f"--host {host} --port {port}", f"cannot listen there: {err.strerror or err}") from None
    sock.set_inheritable(True)
    return sock


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
    sock = listen(host, port)
    app = create_app(library, token=token, max_upload=max_upload or MAX_UPLOAD, echo=echo)
    address = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    echo(f"sourcecheck serve: {address}" + (f"?token={token}" if token else "") + "  (Ctrl-C stops it)")
    # On SIGTERM or Ctrl-C uvicorn stops taking requests, lets those in flight finish (at most
    # STOP_GRACE s), then runs the app's shutdown, which ends the check worker.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=STOP_GRACE)
    uvicorn.Server(config).run(sockets=[sock])
