"""Logging in and out, and the admin's pages: users, roles and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from mieruka.web.accounts import ROLES, AccountError, Accounts
from mieruka.web.app import render
from mieruka.web.security import SESSION_COOKIE, WebError, actor, need, state_of

router = APIRouter(include_in_schema=False)
NameF = Annotated[str, Form(max_length=100)]


def _accounts(request: Request) -> Accounts:
    accounts = state_of(request).accounts
    if accounts is None:
        raise WebError(404, "not_found", "accounts exist in server mode only")
    return accounts


@router.get("/login", dependencies=[Depends(need("public"))])
def login_page(request: Request) -> Response:
    if state_of(request).accounts is None:
        return Response(status_code=303, headers={"Location": "/"})
    return render(request, "login.html", {"failed": None})


@router.post("/login", dependencies=[Depends(need("public"))])
def login(
    request: Request,
    username: NameF,
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    state = state_of(request)
    accounts = _accounts(request)
    address = request.client.host if request.client else "?"
    keys = (f"user:{username}", f"addr:{address}")
    if state.throttle.blocked(*keys):
        state.project.store.audit(username, "login.throttled", f"user:{username}", detail=address)
        return render(request, "login.html", {"failed": "throttled"}, 429)
    who = accounts.authenticate(username, password)
    if who is None:
        state.throttle.fail(*keys)
        state.project.store.audit(username, "login.failed", f"user:{username}", detail=address)
        return render(request, "login.html", {"failed": "login_failed"}, 401)
    state.throttle.clear(keys[0])
    token = accounts.open_session(who.name)
    state.project.store.audit(who.name, "login", f"user:{who.name}", detail=address)
    response = Response(status_code=303, headers={"Location": "/"})
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=state.secure_cookies
    )
    return response


@router.post("/logout", dependencies=[Depends(need("public"))])
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    state = state_of(request)
    if state.accounts is not None:
        state.accounts.close_session(request.cookies.get(SESSION_COOKIE))
        state.project.store.audit(actor(request), "logout", f"user:{actor(request)}")
    response = Response(status_code=303, headers={"Location": "/login"})
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/admin/users", dependencies=[Depends(need("admin"))])
def users_page(request: Request) -> Response:
    return render(request, "users.html", {"users": _accounts(request).users(), "roles": ROLES})


@router.post("/admin/users", dependencies=[Depends(need("admin"))])
def create_user(
    request: Request,
    username: NameF,
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=20)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    try:
        _accounts(request).create_user(username, password, role, actor(request))
    except AccountError as exc:
        raise WebError(400, "invalid", str(exc)) from exc
    return Response(status_code=303, headers={"Location": "/admin/users"})


@router.post("/admin/users/role", dependencies=[Depends(need("admin"))])
def change_role(
    request: Request,
    username: NameF,
    role: Annotated[str, Form(max_length=20)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    try:
        _accounts(request).set_role(username, role, actor(request))
    except AccountError as exc:
        raise WebError(400, "invalid", str(exc)) from exc
    return Response(status_code=303, headers={"Location": "/admin/users"})


@router.get("/admin/audit", dependencies=[Depends(need("admin"))])
def audit_page(request: Request) -> Response:
    entries = list(reversed(state_of(request).project.store.audit_log()))[:500]
    return render(request, "audit.html", {"entries": entries})
