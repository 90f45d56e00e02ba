"""The dashboard application: pages, the JSON API under /api/v1, static files.

`create_app(project)` serves one workspace. Local mode (the default) has one user and no
login and must be bound to 127.0.0.1; server mode (`server=True`) needs the store on
PostgreSQL and keeps accounts there. Nothing is loaded from the network: the chart library
is vendored under `static/vendor/`, and FastAPI's Swagger page (a CDN) is switched off —
the OpenAPI document itself is at /api/v1/openapi.json.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    state = state_of(request)
    d = display_of(request)
    base = {
        "d": d,
        "w": d.w,
        "who": principal(request),
        "server": state.server,
        "csrf": csrf_token(request),
        "organisation": state.project.ws.settings.organisation,
        "version": __version__,
        "path": request.url.path,
        "query": dict(request.query_params),
        "pack_nav": state.pack_nav,
    }
    return state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


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


def _install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def cookies_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        new_client = None
        if not request.cookies.get(CLIENT_COOKIE):
            new_client = secrets.token_urlsafe(24)
            request.scope["mieruka_client"] = new_client
        response = await call_next(request)
        state = state_of(request)
        secure = state.secure_cookies
        if new_client:
            response.set_cookie(
                CLIENT_COOKIE, new_client, httponly=True, samesite="strict", secure=secure
            )
        if any(k in request.query_params for k in ("lang", "era", "yen")):
            response.set_cookie(
                PREFS_COOKIE,
                display_of(request).cookie(),
                max_age=3600 * 24 * 365,
                samesite="lax",
                secure=secure,
            )
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path.startswith(("/api/", "/login", "/admin")):
            response.headers["Cache-Control"] = "no-store"
        return response


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
    _install_middleware(app)
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
