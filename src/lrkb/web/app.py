"""`lrkb serve`: HTML pages and a JSON API over one corpus, read-only, as an ASGI app.

A thin layer like `cli.py`: every route makes one or two library calls and formats the result,
pages with Jinja2 templates (autoescaped), the API with `lrkb.jsonout` (the CLI's JSON shapes).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import jsonout
from ..corpus import parse_front_matter, read_text
from ..errors import InputError, LrkbError, NotFoundError
from ..kb import MAX_K
from ..live import LiveKnowledgeBase
from . import render

HERE = Path(__file__).parent
log = logging.getLogger("lrkb.web")

# No inline script or style, nothing from elsewhere: an article's text can never run code here.
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _k(request: Request) -> int:
    return _int(request, "k", 5, 1, MAX_K)


def _status(error: LrkbError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    return 400 if isinstance(error, InputError) else 500


class SecurityHeaders:
    """Adds `HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    *((k.encode(), v.encode()) for k, v in HEADERS.items()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    corpus: str | Path | None = None, allowed_hosts: Sequence[str] | None = None
) -> Starlette:
    """The web app over `corpus` (default: `$LRKB_CORPUS`, else the bundled corpus).

    Opens the corpus at once, so a missing or broken corpus fails here, before serving.
    `allowed_hosts`: the only `Host` headers answered (`lrkb serve` on 127.0.0.1 allows its own
    names, so a web page elsewhere cannot read the corpus through DNS rebinding); None: any.
    """
    library = LiveKnowledgeBase(corpus)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["highlight"] = render.highlight
    templates = Jinja2Templates(env=env)

    def page(request: Request, name: str, code: int = 200, **context: Any) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=code)

    def api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def failure(request: Request, status: int, message: str) -> Response:
        if api(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        try:
            return page(request, "error.html", status, message=message, status=status)
        except Exception:  # the error page itself failed: plain text, still no traceback
            log.exception("error page failed")
            return PlainTextResponse(f"{status}: {message}", status_code=status)

    # --- pages ------------------------------------------------------------------------------

    def ask(request: Request) -> Response:
        question = request.query_params.get("q", "")
        kb = library()
        if not question.strip():
            return page(request, "ask.html", question="", answer=None, issues=kb.issues)
        answer = kb.ask(question, k=_k(request))
        return page(
            request,
            "ask.html",
            question=question,
            answer=answer,
            bottom_line=getattr(answer, "bottom_line", ()),
            matches={s.passage: s.matched for s in answer.snippets},
            titles={s.id: s.title for s in answer.sources},
            issues=kb.issues,
        )

    def source(request: Request) -> Response:
        kb = library()
        found = kb.source(request.path_params["source_id"])
        span = None
        if "start" in request.query_params or "end" in request.query_params:
            start = _int(request, "start", 0, 0, 1 << 40)
            span = (start, _int(request, "end", start, 0, 1 << 40))
        text = read_text(Path(found.path))
        _, body_start, _ = parse_front_matter(text, Path(found.path).name)
        passages = [p for p in kb.passages if p.source == found.id]
        html = render.article(text, body_start, passages, span)
        return page(request, "article.html", source=found, html=html)

    def sources(request: Request) -> Response:
        return page(request, "sources.html", sources=library().sources)

    def conflicts(request: Request) -> Response:
        kb = library()
        issue = request.query_params.get("issue") or None
        kind = request.query_params.get("kind") or None
        everything = kb.conflicts()
        found = [x for x in kb.conflicts(issue=issue) if kind is None or x.kind == kind]
        return page(
            request,
            "conflicts.html",
            conflicts=found,
            issues=kb.issues,
            kinds=sorted({x.kind for x in everything}),
            issue=issue,
            kind=kind,
            titles={s.id: s.title for s in kb.sources},
        )

    def claims(request: Request) -> Response:
        kb = library()
        issue = request.query_params.get("issue") or None
        found = kb.claims_for(issue=issue)
        return page(
            request,
            "claims.html",
            claims=found,
            issues=[i for i in kb.issues if issue is None or i.id == issue],
            all_issues=kb.issues,
            issue=issue,
            titles={s.id: s.title for s in kb.sources},
        )

    # --- the API: the CLI's JSON ------------------------------------------------------------

    def api_ask(request: Request) -> Response:
        answer = library().ask(request.query_params.get("q", ""), k=_k(request))
        return JSONResponse(jsonout.answer_json(answer))

    def api_search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        return JSONResponse(jsonout.search_json(query, library().search(query, k=_k(request))))

    def api_conflicts(request: Request) -> Response:
        issue = request.query_params.get("issue") or None
        detected_only = request.query_params.get("detected_only", "") in ("1", "true", "yes")
        found = library().conflicts(issue=issue, detected_only=detected_only)
        return JSONResponse(jsonout.conflicts_json(found))

    def api_claims(request: Request) -> Response:
        kb = library()
        found = kb.claims_for(
            source=request.query_params.get("source") or None,
            issue=request.query_params.get("issue") or None,
        )
        return JSONResponse(jsonout.claims_json(kb.issues, found))

    def api_sources(request: Request) -> Response:
        return JSONResponse(jsonout.sources_json(library().sources))

    def api_passage(request: Request) -> Response:
        kb = library()
        passage = kb.passage(request.path_params["passage_id"])
        around = kb.neighbours(passage.id, _int(request, "n", 1, 0, 20))
        return JSONResponse(jsonout.show_json(passage, kb.source(passage.source), around))

    # --- errors: one clear message, never a traceback ----------------------------------------

    async def lrkb_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, LrkbError)
        return failure(request, _status(error), str(error))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        message = "no such page" if error.status_code == 404 else str(error.detail)
        return failure(request, error.status_code, message)

    async def crash(request: Request, error: Exception) -> Response:
        log.exception("error while serving %s", request.url.path)
        return failure(request, 500, f"internal error ({type(error).__name__}); see the server log")

    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        LrkbError: lrkb_error,
        HTTPException: http_error,
        Exception: crash,
    }
    app = Starlette(
        routes=[
            Route("/", ask, name="ask"),
            Route("/sources", sources, name="sources"),
            Route("/sources/{source_id}", source, name="source"),
            Route("/conflicts", conflicts, name="conflicts"),
            Route("/claims", claims, name="claims"),
            Route("/api/ask", api_ask),
            Route("/api/search", api_search),
            Route("/api/conflicts", api_conflicts),
            Route("/api/claims", api_claims),
            Route("/api/sources", api_sources),
            Route("/api/passages/{passage_id}", api_passage),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers=handlers,
    )
    app.add_middleware(SecurityHeaders)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.state.corpus = library.corpus
    return app
