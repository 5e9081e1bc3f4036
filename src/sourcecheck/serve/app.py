"""`sourcecheck serve`: a local web app over one library (Starlette, run by uvicorn).

Starlette rather than FastAPI: the app is a handful of HTML pages and downloads, with no API schema
to publish, so FastAPI's pydantic layer would be weight without use; rather than a Datasette plugin:
Datasette shows tables of one SQLite file, while this app queues checks, runs the judge and must
keep working when the library is PostgreSQL. Pages work without JavaScript: progress is a page
that refreshes itself until the report is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import socket
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import InputError
from .jobs import Busy, JobQueue
from .uploads import MAX_FILES, Upload, accepted_suffixes, discard, is_bibliography, prepare, upload_name

MAX_UPLOAD = 2 * 1024 * 1024  # bytes: a long article is ~100 kB; a cap keeps one upload from filling memory
COOKIE = "sourcecheck_token"
FORMAT_CHOICES = ["auto"]  # then every document format the readers know (the registry)
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
FINDS_AT_ONCE = 2  # searches run together; more wait their turn (each holds a library and the judge's batches)

if TYPE_CHECKING:
    from ..pipeline.wiring import Wiring


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("sourcecheck.serve", "assets"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page(name: str, status: int = 200, **values) -> HTMLResponse:
    html = _templates().get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                   "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


def refused_upload(message: str) -> HTMLResponse:
    """413, and the connection closed after it: otherwise the server would go on reading (and throwing
    away) the rest of a body it has refused, however long the client keeps sending."""
    response = page("error.html.j2", 413, title="Upload too large", message=message)
    response.headers["Connection"] = "close"
    return response


class UploadTooLarge(Exception):
    """A body sent without Content-Length (chunked) went past the upload cap."""


def host_name(host: str) -> str:
    """The name part of a Host header or an origin's authority: ``[::1]:8000`` -> ``[::1]``, ``a:80`` -> ``a``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def served_names(scope) -> set[str]:
    """The names a request to this server may carry in Host: the address its connection came in on
    (what the server serves), the loopback names when that address is loopback, this machine's names.
    Anything else is a name someone pointed at us (DNS rebinding) and is refused."""
    names = set(machine_names())
    server = scope.get("server")
    if server:
        address = str(server[0]).lower()
        names.add(f"[{address}]" if ":" in address else address)
        from . import is_loopback

        if is_loopback(address):
            names.update(LOOPBACK)
    return names


@lru_cache(maxsize=1)
def machine_names() -> tuple[str, ...]:
    """This machine's host name and full name (looked up once: the full name may ask DNS)."""
    return socket.gethostname().lower(), socket.getfqdn().lower()


class Guard:
    """ASGI middleware: the Host header (DNS rebinding), the token (when one is set), same-origin
    state-changing requests (CSRF), and the upload size cap.

    ``allowed_hosts`` adds names to those of :func:`served_names` (a proxy's name; the test client's).
    A POST is same-origin when its ``Origin`` is this server's own and a browser's ``Sec-Fetch-Site``
    does not say otherwise. ``Origin: null``, sent by sandboxed frames and some redirects, is refused
    unless the browser's ``Sec-Fetch-Site`` says same-origin. A request without either header comes
    from no browser, so no other site can have sent it.
    """

    def __init__(self, app, token: str | None, max_upload: int, allowed_hosts: list[str] | None = None):
        self.app, self.token, self.max_upload = app, token, max_upload
        self.allowed = {h.lower() for h in allowed_hosts or ()}

    async def refuse(self, scope, receive, send, status: int, message: str) -> None:
        await PlainTextResponse(f"sourcecheck serve: {message}", status_code=status)(scope, receive, send)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        host = request.headers.get("host", "")
        if host_name(host) not in self.allowed | served_names(scope):
            return await self.refuse(scope, receive, send, 400, f"this server does not answer to the name "
                                     f"{host_name(host)[:80]!r}; open it at the address it printed at start")
        if self.token is not None:
            given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return await self.refuse(scope, receive, send, 401, "this server needs its token; open the "
                                         "address it printed at start (it ends in ?token=...)")
            if "token" in request.query_params:  # once: keep it in a cookie, and out of the address bar and logs
                resp = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
                resp.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
                return await resp(scope, receive, send)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            fetch_site = request.headers.get("sec-fetch-site")
            own = (f"http://{host}".lower(), f"https://{host}".lower())
            # Chromium sends ``Origin: null`` for its own pages' forms under a no-referrer policy; it is
            # then trusted only where the browser itself says the request is same-origin.
            same = origin is None or origin.lower() in own or (origin == "null" and fetch_site == "same-origin")
            if not same or fetch_site not in (None, "same-origin", "none"):
                return await self.refuse(scope, receive, send, 403, "a form from another site was refused "
                                         f"(origin {(origin or fetch_site or '')[:80]!r})")
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > self.max_upload:
                return await refused_upload(too_large(f"{int(length):,} bytes", self.max_upload))(scope, receive, send)
            receive = self._capped(receive)
        return await self.app(scope, receive, send)

    def _capped(self, receive):
        seen = 0

        async def wrapped():  # a body sent without Content-Length (chunked) is cut off at the cap too
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_upload:
                raise UploadTooLarge(seen)
            return message

        return wrapped


def too_large(size: str, cap: int) -> str:
    return (f"The upload is {size}; this server takes at most {cap:,} (start it with --max-upload to change that).")


def unread(err: Exception) -> str:
    """Why a form could not be read, never empty (some parser errors carry no message)."""
    return str(err).strip() or {"ClientDisconnect": "the connection closed before the upload ended"}.get(
        type(err).__name__, type(err).__name__)


def create_app(library: Wiring | str | Path, token: str | None = None, max_upload: int = MAX_UPLOAD,
               allowed_hosts: list[str] | None = None, echo: Callable[[str], None] | None = None) -> Starlette:
    """The app over any library backend (a ``Wiring``, or a library path or URL with the default judge).
    It answers only to the names of the address a request came in on (DNS rebinding), and
    ``allowed_hosts``: more names it answers to. ``echo`` gets the line said when the server stops."""
    from ..document import format_names as document_formats
    from ..pipeline.wiring import Wiring
    from ..report import WriteOptions, format_names, get_writer, render

    wiring = library if isinstance(library, Wiring) else Wiring(str(library))
    finds = asyncio.Semaphore(FINDS_AT_ONCE)
    jobs = JobQueue(wiring)  # its checks and the searches share the wiring's one judge
    downloads = [n for n in ("html", "json", "md") if n in format_names()]

    def form_page(status: int = 200, **values) -> HTMLResponse:
        return page("index.html.j2", status, jobs=jobs.jobs(), max_upload=max_upload, max_files=MAX_FILES,
                    accept=",".join(accepted_suffixes()), formats=FORMAT_CHOICES + document_formats(), **values)

    async def index(request: Request) -> Response:
        return form_page()

    async def submit(request: Request) -> Response:
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=8, max_part_size=max_upload)
        except UploadTooLarge:
            return refused_upload(too_large(f"over {max_upload:,} bytes (sent without a length)", max_upload))
        except Exception as err:  # malformed multipart, too many files, or the client went away mid-upload
            return page("error.html.j2", 400, title="Upload not read", message=f"The upload could not be read: {unread(err)}.")
        pasted = str(form.get("text") or "")
        chosen = str(form.get("format") or "auto")
        fmt = chosen if chosen in document_formats() else None
        documents: list[Upload] = []
        bibliographies: list[Upload] = []
        for upload in form.getlist("file"):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue  # the empty part a form sends when no file was chosen
            name = upload_name(upload.filename)
            if name is None:
                return form_page(400, error=f"The file name {upload.filename[:80]!r} names no file: upload a "
                                 "document with a name such as essay.md.", text=pasted)
            (bibliographies if is_bibliography(name) else documents).append(Upload(name, await upload.read()))
        if not documents and pasted.strip():
            documents.append(Upload("pasted" + (".jsonl" if fmt == "jsonl" else ".md"), pasted.encode("utf-8")))
        if not documents:
            return form_page(400, error="Paste a document or choose a file to upload"
                             + (" (a bibliography alone has no claims to check)." if bibliographies else "."), text=pasted)
        try:
            ready = prepare(documents, bibliographies, fmt)
        except InputError as err:  # the CLI's one line, with the name the user knows instead of a temp path
            where = (err.path or "") + (f":{err.line}" if err.line else "")
            return form_page(400, error=f"{where}: {err.message}", text=pasted)
        queued = []
        try:
            for doc in ready:
                queued.append(jobs.submit(doc.name, doc.document, doc.text, doc.folder))
        except Busy as err:
            discard(ready[len(queued):])
            return page("error.html.j2", 503, title="Busy", message=str(err) + ".")
        return RedirectResponse(f"/jobs/{queued[0].id}" if len(queued) == 1 else "/#checks", status_code=303)

    def job_or_404(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            raise_not_found()
        return job

    async def job_page(request: Request) -> Response:
        """Progress while the check waits or runs; then the report itself, as the whole page (one
        scrollbar, the summary once), with the app's links and the downloads above it."""
        job = job_or_404(request)
        if job.report is None:
            return page("job.html.j2", job=job, position=jobs.position(job))
        from ..report.html import page_policy

        links = ((("/", "Check another document", False), ("/sources", "Sources", False),
                  ("/find", "Search the sources", False))
                 + tuple((f"/jobs/{job.id}/report.{f}", f"Download {f.upper()}", True) for f in downloads))
        html = render(job.report, "html", WriteOptions(document_text=job.text, links=links))
        csp = page_policy() + "; frame-ancestors 'none'"
        return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                           "Referrer-Policy": "same-origin"})

    async def job_download(request: Request) -> Response:
        job = job_or_404(request)
        fmt = request.path_params["fmt"]
        if job.report is None or fmt not in downloads:
            raise_not_found()
        writer = get_writer(fmt)
        body = writer.render(job.report, WriteOptions(document_text=job.text))
        stem = Path(job.name).stem
        return Response(body, media_type=writer.media_type, headers={
            "Content-Disposition": f'attachment; filename="{stem}.sourcecheck{writer.suffix}"',
            "X-Content-Type-Options": "nosniff"})

    async def job_status(request: Request) -> Response:
        from starlette.responses import JSONResponse

        job = job_or_404(request)
        return JSONResponse({"id": job.id, "state": job.state, "done": job.done, "total": job.total,
                             "position": jobs.position(job), "error": job.error})

    def sources(request: Request) -> Response:
        with wiring.open_store() as lib:  # read-only: serve never writes to the library
            refs = lib.refs()
        return page("sources.html.j2", sources=refs)

    def search(claim: str) -> list:
        from ..search import find_evidence

        judge = wiring.judge()
        with wiring.open_store() as lib:
            return find_evidence(lib, judge, claim, k=5, per_source=3)

    async def find(request: Request) -> Response:
        claim = request.query_params.get("q", "").strip()[:1000]
        results = []
        if claim:
            # A burst waits here, on the event loop, before it takes a thread: only FINDS_AT_ONCE threads
            # ever search, so a burst of fifty costs no more threads (and their memory) than two searches.
            async with finds:
                results = await run_in_threadpool(search, claim)
        return page("find.html.j2", claim=claim, results=results)

    async def stylesheet(request: Request) -> Response:
        css = (resources.files("sourcecheck.serve") / "assets" / "app.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css")

    async def not_found(request: Request, exc: Exception) -> Response:
        return page("error.html.j2", 404, title="Not found", message="There is nothing at this address.")

    routes = [Route("/", index), Route("/check", submit, methods=["POST"]), Route("/jobs/{job}", job_page),
Route("/jobs/{job}/status", job_status),
              Route("/jobs/{job}/report.{fmt}", job_download), Route("/sources", sources), Route("/find", find),
              Route("/app.css", stylesheet)]
    middleware = [Middleware(Guard, token=token, max_upload=max_upload, allowed_hosts=allowed_hosts)]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        cut = jobs.stop()  # on SIGTERM or Ctrl-C: the running check stops at its next claim, and the worker ends
        if echo is not None:
            echo("sourcecheck serve: stopped" + (f"; {cut} check{'s' if cut != 1 else ''} cut short" if cut else "")
                 + "; the library is as it was (serve only reads it)")

    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: not_found}, lifespan=lifespan)
    app.state.jobs = jobs
    return app


def raise_not_found() -> None:
    from starlette.exceptions import HTTPException

    raise HTTPException(404)
