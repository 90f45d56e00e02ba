"""The dashboard application: pages, the JSON API under /api/v1, static files.

`create_app(project)` serves one workspace. Local mode (the default) has one user and no
login and must be bound to 127.0.0.1; server mode (`server=True`) needs the store on
PostgreSQL and keeps accounts there. Nothing is loaded from the network: the chart library
is vendored under `static/vendor/`, and FastAPI's Swagger page (a CDN) is switched off —
the OpenAPI document itself is at /api/v1/openapi.json.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mieruka import __version__
from mieruka.core.issues import MierukaError
from mieruka.core.pages import PageNotFound
from mieruka.core.project import Project
from mieruka.web.accounts import Accounts
from mieruka.web.data import Dashboard, NotFound
from mieruka.web.display import Display
from mieruka.web.packpages import mount_pack_pages
from mieruka.web.security import (
    CLIENT_COOKIE,
    PREFS_COOKIE,
    WebError,
    WebState,
    csrf_token,
    is_api,
    principal,
    state_of,
    walk_routes,
)

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PUBLIC_PATHS = ("/static", "/api/v1/openapi.json")
# stands for the reader's CSRF token in a cached page: random per process, so no page's
# own text can contain it
CSRF_SLOT = secrets.token_hex(32)
CSRF_SLOT_BYTES = CSRF_SLOT.encode()


class ServerModeError(ValueError):
    pass


def display_of(request: Request) -> Display:
    state = state_of(request)
    start = state.project.ws.settings.fiscal_year_start_month
    cookie = Display.parse_cookie(request.cookies.get(PREFS_COOKIE))
    default = {"lang": state.project.ws.settings.language}
    return Display.from_sources(dict(request.query_params), cookie, default, start_month=start)


def with_query(query: dict[str, str], **changes: str) -> str:
    """The current query string with some choices changed (for the display switches)."""
    return "?" + urlencode({**query, **changes})


def evidence_query(run_id: int, dims: dict[str, str]) -> str:
    params: dict[str, Any] = {"run": run_id}
    for dim, member in dims.items():
        params.update(dim=dim, member=member)
    return urlencode(params)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    *,
    csrf: str | None = None,
) -> Response:
    state = state_of(request)
    d = display_of(request)
    base = {
        "d": d,
        "w": d.w,
        "who": principal(request),
        "server": state.server,
        "csrf": csrf_token(request) if csrf is None else csrf,
        "organisation": state.project.ws.settings.organisation,
        "version": __version__,
        "path": request.url.path,
        "query": dict(request.query_params),
        "pack_nav": state.pack_nav,
    }
    return state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def cached_page(
    request: Request,
    newest: tuple[int, str] | None,
    build: Callable[[], tuple[str, dict[str, Any]]],
) -> Response:
    """The page `build()` names (template, context), rendered once per key and then served
    from `PageCache`. For a page shaped only from stored runs the key is everything the
    page depends on: path and query string, the display choices (query, cookie or default),
    who is asking (name and role), and the newest run's id and hash, which change when a
    run is appended, so a new run shows at once. The reader's CSRF token is put in on the
    way out (the cached page holds a per-process placeholder)."""
    state = state_of(request)
    who = principal(request)
    key = (
        request.url.path,
        tuple(request.query_params.multi_items()),
        display_of(request),
        None if who is None else (who.name, who.role),
        newest,
    )
    body = state.pages.get(key)
    if body is None:
        name, context = build()
        body = bytes(render(request, name, context, csrf=CSRF_SLOT).body)
        state.pages.put(key, body)
    return HTMLResponse(body.replace(CSRF_SLOT_BYTES, csrf_token(request).encode()))


def _error(request: Request, status: int, code: str, message: str) -> Response:
    if is_api(request) or (status == 401 and request.method != "GET"):
        return JSONResponse({"code": code, "message": message}, status_code=status)
    if status == 401:
        return Response(status_code=303, headers={"Location": "/login"})
    return render(
        request, "error.html", {"status": status, "code": code, "message": message}, status
    )


def _install_errors(app: FastAPI) -> None:
    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return _error(request, exc.status, exc.code, exc.message)

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, "not_found", str(exc))

    async def mieruka_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MierukaError)
        return _error(request, 400, "invalid", exc.render())

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        where = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()[:5]
        )
        return _error(request, 422, "invalid", where or "invalid request")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(request, exc.status_code, code, str(exc.detail))

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(PageNotFound, not_found)
    app.add_exception_handler(MierukaError, mieruka_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
NO_STORE_PATHS = ("/api/", "/login", "/admin")


def _set_cookie(key: str, value: str, **options: Any) -> tuple[bytes, bytes]:
    """The raw `Set-Cookie` header Starlette writes for these options."""
    carrier = Response()
    carrier.set_cookie(key, value, **options)
    return next(h for h in carrier.raw_headers if h[0] == b"set-cookie")


class CookiesAndHeaders:
    """Gives a new browser its client cookie (the CSRF tokens are bound to it), remembers
    the display choices of the query string in a cookie, and sets the security headers on
    every response. A plain ASGI middleware: Starlette's `@app.middleware("http")` runs
    each request through extra tasks and memory streams, a cost every page paid."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = state_of(request)
        secure = state.secure_cookies
        extra = list(SECURITY_HEADERS)
        if not request.cookies.get(CLIENT_COOKIE):
            new_client = secrets.token_urlsafe(24)
            scope["mieruka_client"] = new_client
            extra.append(
                _set_cookie(
                    CLIENT_COOKIE, new_client, httponly=True, samesite="strict", secure=secure
                )
            )
        if any(k in request.query_params for k in ("lang", "era", "yen")):
            extra.append(
                _set_cookie(
                    PREFS_COOKIE,
                    display_of(request).cookie(),
                    max_age=3600 * 24 * 365,
                    samesite="lax",
                    secure=secure,
                )
            )
        no_store = request.url.path.startswith(NO_STORE_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name == b"set-cookie":
                        headers.append("set-cookie", value.decode("latin-1"))
                    else:
                        headers[name.decode()] = value.decode("latin-1")
                if no_store:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    project: Project,
    *,
    server: bool = False,
    secure_cookies: bool | None = None,
    secret: bytes | None = None,
) -> FastAPI:
    """The dashboard for `project`; server mode keeps accounts in its PostgreSQL store."""
    from mieruka.web import api, loading, pages, users

    accounts = None
    if server:
        if project.store.dialect != "postgresql":
            raise ServerModeError(
                "server mode needs the workspace's store_url on PostgreSQL "
                f"(found {project.store.dialect}); set store_url in mieruka.toml"
            )
        accounts = Accounts(project.store)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    templates.env.auto_reload = False  # the package's own files: no stat per page
    templates.env.globals.update(with_query=with_query, evidence_query=evidence_query)
    state = WebState(
        project=project,
        dashboard=Dashboard(project),
        templates=templates,
        accounts=accounts,
        secure_cookies=server if secure_cookies is None else secure_cookies,
    )
    if secret is not None:
        state.secret = secret
    app = FastAPI(
        title="mieruka",
        version=__version__,
        description="Indicators, targets, runs, evidence and datasets of one mieruka workspace.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.web = state
    _install_errors(app)
    app.add_middleware(CookiesAndHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(users.router)
    app.include_router(loading.router)
    state.pack_nav = mount_pack_pages(app, project.packs)  # the packs' own pages
    unguarded = [
        path
        for path, _, permission in walk_routes(app.router.routes)
        if permission is None and not path.startswith(PUBLIC_PATHS)
    ]
    if unguarded:
        raise RuntimeError(f"routes without a permission: {unguarded!r}")
    return app
