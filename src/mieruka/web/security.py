"""Who may do what: sessions, roles, CSRF tokens, and the errors a refusal produces.

Every route declares its permission with `Depends(need(...))`; a test walks all routes and
fails on one that does not. For any method other than GET/HEAD the same dependency checks
the CSRF token (form field `csrf` or header `X-CSRF-Token`): an HMAC of the client cookie
and the session token under a per-server secret, so a page of another site can neither
read nor forge it. Local mode has one user with every permission, and still checks CSRF,
because any web page the user opens can post to 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from mieruka.core.project import Project
from mieruka.web.accounts import Accounts, Principal, Throttle
from mieruka.web.data import Dashboard

CLIENT_COOKIE = "mieruka_client"
SESSION_COOKIE = "mieruka_session"
PREFS_COOKIE = "mieruka_display"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PERMISSIONS = ("public", "read", "load", "run", "signoff", "admin")


class WebError(Exception):
    """An error answered as JSON `{code, message}` under /api, as a page elsewhere."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class PageCache:
    """Rendered pages, the least recently used dropped first past `size` pages or
    `max_bytes` in all. Only pages whose key names everything they show go here (see
    `mieruka.web.app.cached_page`); the key decides what may be shared."""

    def __init__(self, size: int = 1024, max_bytes: int = 64 * 2**20) -> None:
        self.size, self.max_bytes = size, max_bytes
        self.items: OrderedDict[Any, bytes] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: Any) -> bytes | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key: Any, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self.lock:
            old = self.items.pop(key, None)
            self.bytes += len(body) - (0 if old is None else len(old))
            self.items[key] = body
            while len(self.items) > self.size or self.bytes > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.bytes -= len(dropped)


@dataclass
class WebState:
    project: Project
    dashboard: Dashboard
    templates: Jinja2Templates
    accounts: Accounts | None = None  # server mode only
    secure_cookies: bool = False
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    throttle: Throttle = field(default_factory=Throttle)
    pack_nav: list[dict[str, Any]] = field(default_factory=list)  # packs' pages, for the menu
    pages: PageCache = field(default_factory=PageCache)  # rendered pages of stored runs

    @property
    def server(self) -> bool:
        return self.accounts is not None


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def client_id(request: Request) -> str:
    """The random id of this browser (set by middleware on its first request)."""
    return str(request.scope.get("mieruka_client") or request.cookies.get(CLIENT_COOKIE) or "")


def csrf_token(request: Request) -> str:
    state = state_of(request)
    material = f"{client_id(request)}|{request.cookies.get(SESSION_COOKIE, '')}"
    return hmac.new(state.secret, material.encode(), hashlib.sha256).hexdigest()


def principal(request: Request) -> Principal | None:
    state = state_of(request)
    if state.accounts is None:
        return Principal("local", "admin")
    cached = request.scope.get("mieruka_principal")
    if cached is None:
        cached = state.accounts.session_user(request.cookies.get(SESSION_COOKIE))
        request.scope["mieruka_principal"] = cached
    return cached


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = str((await request.form()).get("csrf") or "")
    if not sent or not client_id(request) or not hmac.compare_digest(sent, csrf_token(request)):
        raise WebError(403, "csrf", "missing or wrong CSRF token; reload the page and try again")


def need(permission: str) -> Callable[[Request], Awaitable[Principal | None]]:
    """The dependency guarding a route: CSRF on state changes, then the role's permission."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    async def guard(request: Request) -> Principal | None:
        await check_csrf(request)
        if permission == "public":
            return principal(request)
        who = principal(request)
        if who is None:
            raise WebError(401, "unauthenticated", "log in first")
        if not who.can(permission):
            raise WebError(403, "forbidden", f"role '{who.role}' may not {permission}")
        request.scope["mieruka_principal"] = who
        return who

    guard.permission = permission  # type: ignore[attr-defined]
    return guard


def _permission(dependencies: Any) -> str | None:
    for dep in dependencies or ():
        found = getattr(dep.dependency, "permission", None)
        if found:
            return str(found)
    return None


def walk_routes(
    routes: Any, prefix: str = "", inherited: str | None = None
) -> Iterator[tuple[str, frozenset[str], str | None]]:
    """(path, methods, permission) of every route, through included routers (FastAPI keeps
    them as flat routes in older releases, as nested included routers in newer ones)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = route.include_context
            yield from walk_routes(
                included.routes,
                prefix + context.prefix,
                _permission(context.dependencies) or inherited,
            )
            continue
        permission = _permission(getattr(route, "dependencies", None)) or inherited
        methods = frozenset(getattr(route, "methods", None) or ())
        yield prefix + str(getattr(route, "path", "")), methods, permission


def actor(request: Request) -> str:
    who = principal(request)
    return "anonymous" if who is None else who.name
