"""`summarizer review OUT`: a run's briefs served for review on 127.0.0.1 (Starlette).

The guards, each on every request: the random token (in the URL, as notebook servers do, or
the `X-Review-Token` header) or 403; a Host header other than the loopback names or 400 (no
DNS rebinding); a change only as a POST of JSON carrying the token (a form from another site
cannot send it). Pages are Jinja2 with autoescape on and a Content-Security-Policy allowing
no script but the page's own, by hash, as the static viewer does; the token never leaves in a
Referer.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..brief import Brief
from ..errors import ConfigurationError
from ..unsure import outcome_unsure
from ..view.briefs_page import article_text
from ..view.highlight import Span, highlight
from ..view.model import plain_total, sections
from . import actions
from .queue import Queue
from .store import (
    StaleReview,
    corrected,
    is_stale,
    load_review,
    review_path,
    save_review,
    set_aside,
)

LOOPBACK = ("127.0.0.1", "localhost")
PER_PAGE = 200  # briefs listed on one page of the queue
MAX_BODY = 64 * 1024


@functools.cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("summarizer.review", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@functools.cache
def _script(name: str) -> tuple[Markup, str]:
    env = _env()
    assert env.loader is not None
    code = env.loader.get_source(env, name)[0]
    assert "</" not in code, name
    return Markup(code), "sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()
                                                      ).decode()


def _page(name: str, script: str, **context: Any) -> HTMLResponse:
    code, digest = _script(script)
    html = _env().get_template(name).render(script=code, **context)
    csp = (f"default-src 'none'; script-src '{digest}'; style-src 'unsafe-inline'; "
           "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


class TokenGuard:
    """403 for any request without the token (query `token` or header `X-Review-Token`)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            given = request.headers.get("x-review-token") or request.query_params.get("token")
            if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
                await PlainTextResponse("missing or wrong token: open the address `summarizer "
                                        "review` printed", status_code=403)(scope, receive, send)
                return

        async def headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(b"referrer-policy", b"no-referrer"),
                                       (b"cache-control", b"no-store"),
                                       (b"x-content-type-options", b"nosniff")]
            await send(message)

        await self.app(scope, receive, headers)


class Reviewing:
    """The state of one review session: the run, its queue and the reviewer."""

    def __init__(self, out: Path, reviewer: str, token: str) -> None:
        self.out, self.reviewer, self.token = out, reviewer, token
        self.queue = Queue(out)
        self.last: str | None = None  # where this session stopped
        self._done: set[str] | None = None

    def done(self) -> set[str]:
        """The briefs this reviewer has marked reviewed (and not stale): read from the folder
        once, then kept as this server saves."""
        if self._done is None:
            folder = self.out / "reviews" / self.reviewer
            self._done = set()
            for e in self.queue.entries:
                path = folder / f"{e.output}.json"
                if path.is_file():
                    got = load_review(path)
                    if got is not None and got.status == "reviewed" and got.base == e.base:
                        self._done.add(e.output)
        return self._done

    def link(self, output: str) -> str:
        from urllib.parse import quote

        return f"/brief/{quote(output, safe='')}?token={self.token}"

    # -- pages -----------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        done = self.done()
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        pages = max(1, -(-len(self.queue) // PER_PAGE))
        page = min(page, pages)
        rows = [{"output": e.output, "headline": e.headline, "first": e.first,
                 "done": e.output in done, "href": self.link(e.output)}
                for e in self.queue.entries[(page - 1) * PER_PAGE:page * PER_PAGE]]
        resume = self.queue.after(self.last, done) if self.last else self.queue.after(None, done)
        return _page("queue.html.j2", "queue.js", rows=rows, done=len(done),
                     total=len(self.queue), page=page, pages=pages, token=self.token,
                     reviewer=self.reviewer, resume=self.link(resume) if resume else None)

    async def brief(self, request: Request) -> Response:
        output = request.path_params["output"]
        record = self.queue.record(output)
        if record is None:
            return PlainTextResponse(f"no brief {output!r} in this run", status_code=404)
        self.last = output
        review = load_review(review_path(self.out, self.reviewer, output))
        stale = review is not None and is_stale(review, record["brief"])
        brief = (corrected(record["brief"], review.edits) if review is not None and not stale
                 else Brief.model_validate(record["brief"]))
        accepted = set(review.accepted) if review is not None and not stale else set()
        text, note = article_text(record)
        secs, loose = sections("b", brief)
        spans = {where: [Span(q.qid, fact.fid, q.start, q.end, bool(q.flag or fact.flags),
                              f"{fact.path}: {fact.label}")
                         for s in secs for fact in s.facts for q in fact.quotes
                         if q.start is not None and q.end is not None and q.where == where]
                 for where in ("text", "title")}  # a headline's quote marked in the headline
        title = record.get("title") if isinstance(record.get("title"), str) else None
        facts = []
        for name, kind in (("Casualties", "casualties"), ("Arrests", "arrests"),
                           ("Actors", "actors")):
            sec = next(s for s in secs if s.title == name)
            for i, (fact, data) in enumerate(zip(sec.facts, getattr(brief, kind), strict=True)):
                pointer = f"/{kind}/{i}"
                facts.append({"pointer": pointer, "kind": kind, "view": fact,
                              "data": data.model_dump(mode="json"),
                              "accepted": pointer in accepted})
        facts.sort(key=lambda f: not f["view"].flags)  # flagged facts first (stable)
        done = self.done()
        nxt = self.queue.after(output, done)
        state = {"token": self.token, "output": output,
                 "version": review.version if review is not None and not stale else 0,
                 "stale": stale, "next": self.link(nxt) if nxt else None,
                 "home": f"/?token={self.token}"}
        return _page("brief.html.j2", "review.js", record=record, brief=brief, facts=facts,
                     loose=loose, fields=actions.FIELDS, qualifiers=actions.QUALIFIERS,
                     article=highlight(text, spans["text"] if not note else []) if text
                     else "",
                     article_title=highlight(title, spans["title"] if not note else [])
                     if title else "",
                     note=note, review=review, stale=stale, state=state,
                     totals={k: plain_total(getattr(brief.totals, k))
                             for k in ("killed", "wounded", "arrested")},
                     unsure={k: why for k in ("killed", "wounded", "arrested")
                             if (why := outcome_unsure(brief.totals, k))},
                     done=len(done), total=len(self.queue), reviewer=self.reviewer)

    # -- changes ---------------------------------------------------------------------------

    async def change(self, request: Request) -> Response:
        output = request.path_params["output"]
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _refuse(415, "send the change as application/json")
        body = await request.body()
        if len(body) > MAX_BODY:
            return _refuse(413, "the change is too large")
        try:
            data = json.loads(body)
        except ValueError:
            return _refuse(400, "the change is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("version"), int) or (
                "move" not in data and data.get("restart") is not True
                and data.get("status") not in ("reviewed", "in progress")):
            return _refuse(400, "a change is {version, move}, {version, status} or "
                           "{version, restart: true}")
        record = self.queue.record(output)
        if record is None:
            return _refuse(404, f"no brief {output!r} in this run")
        path = review_path(self.out, self.reviewer, output)
        review = load_review(path)
        if review is not None and is_stale(review, record["brief"]) and data.get("restart"):
            kept = set_aside(path, review)
            return JSONResponse({"version": 0, "status": "not reviewed", "kept": kept.name})
        if review is not None and is_stale(review, record["brief"]):
            return _refuse(409, "this review was made on an earlier version of the brief "
                           "(the brief was made again since): it is kept as it was")
        machine = record["brief"]
        current = (corrected(machine, review.edits) if review is not None
                   else Brief.model_validate(machine))
        accepted = review.accepted if review is not None else []
        status = data.get("status") or (review.status if review is not None else "in progress")
        brief = current
        if "move" in data:
            try:
                moved, accepted = actions.apply(current.model_dump(mode="json"), accepted,
                                                data["move"], article_text(record)[0])
                brief = Brief.model_validate(moved)
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                msg = str(exc)
                if isinstance(exc, ValidationError):
                    first = exc.errors()[0]
                    where = ".".join(str(x) for x in first["loc"])
                    msg = f"the change would not make a valid brief: {where}: {first['msg']}"
                return _refuse(400, msg)
        try:
            saved = save_review(self.out, record, self.reviewer, brief, accepted, status,
                                data["version"])
        except StaleReview as exc:
            return _refuse(409, str(exc))
        if saved.status == "reviewed":
            self.done().add(output)
        else:
            self.done().discard(output)
        return JSONResponse({"version": saved.version, "status": saved.status,
                             "edits": len(saved.edits)})


def _refuse(code: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=code)


def create_app(out: Path, reviewer: str, token: str | None = None,
               hosts: tuple[str, ...] = LOOPBACK) -> tuple[Starlette, str]:
    """The review application for the run in `out` and its token."""
    token = token or secrets.token_urlsafe(24)
    state = Reviewing(out, reviewer, token)
    routes = [Route("/", state.index), Route("/brief/{output:path}", state.brief),
              Route("/api/{output:path}", state.change, methods=["POST"])]
    app = Starlette(routes=routes, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
        Middleware(TokenGuard, token=token)])
    return app, token


def serve(out: Path, reviewer: str, port: int = 0) -> None:
    """Serve until Ctrl-C, printing the address with its token."""
    import socket

    import uvicorn

    app, token = create_app(out, reviewer)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise ConfigurationError(f"127.0.0.1:{port}: cannot listen ({exc.strerror}); give "
                                 "another --port, or none for a free one") from None
    port = sock.getsockname()[1]
    print(f"reviewing {out} as {reviewer}: open http://127.0.0.1:{port}/?token={token}",
          flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
