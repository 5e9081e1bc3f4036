"""`sourcecheck serve`: a local web app over one library (Starlette, run by uvicorn).

Starlette rather than FastAPI: the app is a handful of HTML pages and downloads, with no API schema
to publish, so FastAPI's pydantic layer would be weight without use; rather than a Datasette plugin:
Datasette shows tables of one SQLite file, while this app queues checks, runs the judge and must
keep working when the library is PostgreSQL. Pages work without JavaScript: progress is a page
that refreshes itself until the report is ready.
"""

from __future__ import annotations

import contextlib
import hmac
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..decode import decode_text
from ..errors import InputError
from .jobs import Busy, JobQueue

MAX_UPLOAD = 2 * 1024 * 1024  # bytes: a long article is ~100 kB; a cap keeps one upload from filling memory
COOKIE = "sourcecheck_token"
FORMAT_CHOICES = ["auto"]  # then every document format the readers know (the registry)
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

if TYPE_CHECKING:
    from ..pipeline.wiring import Wiring


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("sourcecheck.serve", "assets"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page(name: str, status: int = 200, **values) -> HTMLResponse:
    html = _templates().get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
                                   "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})


class Guard:
    """ASGI middleware: the token (when one is set), same-origin form posts, and the upload size cap."""

    def __init__(self, app, token: str | None, max_upload: int):
        self.app, self.token, self.max_upload = app, token, max_upload

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        if self.token is not None:
            given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return await PlainTextResponse(
                    "sourcecheck serve: this server needs its token; open the address it printed at start "
                    "(it ends in ?token=...)", status_code=401)(scope, receive, send)
            if "token" in request.query_params:  # once: keep it in a cookie, and out of the address bar and logs
                resp = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
                resp.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
                return await resp(scope, receive, send)
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
                return await PlainTextResponse("sourcecheck serve: a form from another site was refused",
                                               status_code=403)(scope, receive, send)
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > self.max_upload:
                return await page("error.html.j2", 413, message=f"The upload is {int(length):,} bytes; this server "
                                  f"takes at most {self.max_upload:,} (start it with --max-upload to change that).",
                                  title="Upload too large")(scope, receive, send)
            receive = self._capped(receive)
        return await self.app(scope, receive, send)

    def _capped(self, receive):
        seen = 0

        async def wrapped():  # a body sent without Content-Length is cut off at the cap too
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_upload:
                return {"type": "http.disconnect"}
            return message

        return wrapped


def create_app(library: Wiring | str | Path, token: str | None = None, max_upload: int = MAX_UPLOAD,
               allowed_hosts: list[str] | None = None) -> Starlette:
    """The app over any library backend (a ``Wiring``, or a library path or URL with the default judge);
    ``allowed_hosts`` guards a loopback server against DNS rebinding (None: any host, token-guarded)."""
    from ..document import format_names as document_formats
    from ..document import read_document_data
    from ..pipeline.wiring import Wiring
    from ..report import WriteOptions, format_names, get_writer, render

    wiring = library if isinstance(library, Wiring) else Wiring(str(library))
    jobs = JobQueue(wiring)
    downloads = [n for n in ("html", "json", "md") if n in format_names()]

    def form_page(status: int = 200, **values) -> HTMLResponse:
        return page("index.html.j2", status, jobs=jobs.jobs(), max_upload=max_upload,
                    formats=FORMAT_CHOICES + document_formats(), **values)

    async def index(request: Request) -> Response:
        return form_page()

    async def submit(request: Request) -> Response:
        try:
            form = await request.form(max_files=1, max_fields=8, max_part_size=max_upload)
        except Exception as err:  # malformed multipart, or the body was cut at the cap
            return page("error.html.j2", 400, title="Upload not read", message=f"The upload could not be read: {err}.")
        upload, pasted = form.get("file"), str(form.get("text") or "")
        chosen = str(form.get("format") or "auto")
        fmt = chosen if chosen in document_formats() else None
        if isinstance(upload, UploadFile) and upload.filename:
            data, name = await upload.read(), upload.filename
        elif pasted.strip():
            data, name = pasted.encode("utf-8"), "pasted" + (".jsonl" if fmt == "jsonl" else ".md")
        else:
            return form_page(400, error="Paste a document or choose a file to upload.")
        name = SAFE_NAME.sub("_", Path(name).name)[:80] or "document.md"
        try:
            doc = read_document_data(data, name, fmt)
            job = jobs.submit(name, doc, decode_text(data, name))  # as the reader decoded it (UTF-16 too)
        except InputError as err:  # the CLI's one line, with the name the user knows instead of our temp path
            where = name + (f":{err.line}" if err.line else "")
            return form_page(400, error=f"{where}: {err.message}", text=pasted)
        except Busy as err:
            return page("error.html.j2", 503, title="Busy", message=str(err) + ".")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def job_or_404(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            raise_not_found()
        return job

    async def job_page(request: Request) -> Response:
        job = job_or_404(request)
        counts = None
        if job.report is not None:
            from ..report.summary import summarize, summary_line

            counts = summary_line(summarize(job.report.findings))
        return page("job.html.j2", job=job, position=jobs.position(job), downloads=downloads, summary=counts)

    async def job_view(request: Request) -> Response:
        job = job_or_404(request)
        if job.report is None:
            raise_not_found()
        html = render(job.report, "html", WriteOptions(document_text=job.text))
        return HTMLResponse(html, headers={"X-Content-Type-Options": "nosniff"})

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
        with wiring.open_store() as lib:
            refs = lib.refs()
        return page("sources.html.j2", sources=refs)

    def find(request: Request) -> Response:
        from ..search import find_evidence

        claim = request.query_params.get("q", "").strip()[:1000]
        results = []
        if claim:
            with wiring.open_store() as lib:
                results = find_evidence(lib, wiring.judge(), claim, k=5, per_source=3)
        return page("find.html.j2", claim=claim, results=results)

    async def stylesheet(request: Request) -> Response:
        css = (resources.files("sourcecheck.serve") / "assets" / "app.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css")

    async def not_found(request: Request, exc: Exception) -> Response:
        return page("error.html.j2", 404, title="Not found", message="There is nothing at this address.")

    routes = [Route("/", index), Route("/check", submit, methods=["POST"]), Route("/jobs/{job}", job_page),
              Route("/jobs/{job}/view", job_view), Route("/jobs/{job}/status", job_status),
              Route("/jobs/{job}/report.{fmt}", job_download), Route("/sources", sources), Route("/find", find),
              Route("/app.css", stylesheet)]
    middleware = [Middleware(Guard, token=token, max_upload=max_upload)]
    if allowed_hosts:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        jobs.stop()

    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: not_found}, lifespan=lifespan)
    app.state.jobs = jobs
    return app


def raise_not_found() -> None:
    from starlette.exceptions import HTTPException

    raise HTTPException(404)
