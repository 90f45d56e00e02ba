"""Mounting the packs' own pages: `Pack.pages` as a `PackPages` (or a raw APIRouter).

A pack may not import the web layer, so it describes its pages with
`mieruka.core.pages` and the dashboard does the rest here: one GET route per page at
`/packs/<pack>` (first page) or `/packs/<pack>/<path>`, guarded by the `read` permission;
the view's HTML wrapped in the dashboard's layout (`pack_page.html`); the view's data at
`/api/v1/packs/<pack>/<path>` as JSON with decimals as exact text; and a navigation entry.
A pack that sets `pages` to a FastAPI `APIRouter` instead gets it mounted as is under
`/packs/<pack>` with the same guard (it then renders its own responses).

Each `PageAction` becomes `POST /packs/<pack>/<path>` (a form: 303 back to its page, or
the page again with the refusal, status 400) and `POST /api/v1/packs/<pack>/<path>` (a
JSON object: 201 with the action's data, or `{code: "invalid"}` 400), both guarded by
`need(action.permission)`, which checks the CSRF token first. The pack's handler gets the
signed-in user in `PageRequest.user` and the fields in `PageRequest.form`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from mieruka.core.issues import MierukaError
from mieruka.core.pages import PackPage, PackPages, PageAction, PageRequest
from mieruka.core.registry import Pack
from mieruka.web.accounts import ROLES
from mieruka.web.display import YEN_UNITS
from mieruka.web.security import csrf_token, need, principal

READ = [Depends(need("read"))]
FIELD_CHARS = 2000  # an action's form field is cut to this many characters
ActionBody = Annotated[
    dict[str, str | int | None],
    Body(description='the action\'s fields, e.g. {"loan": "L1", "kpi": "paid_leave"}'),
]


def page_url(pack: str, page: PackPage) -> str:
    return f"/packs/{pack}" + (f"/{page.path}" if page.path else "")


def page_request(
    request: Request,
    form: Mapping[str, str] | None = None,
    extra_query: Mapping[str, str] | None = None,
) -> PageRequest:
    from mieruka.web.app import display_of

    d = display_of(request)
    query = {k: v[:200] for k, v in request.query_params.items()}
    query.update({k: v[:200] for k, v in (extra_query or {}).items()})
    who = principal(request)
    return PageRequest(
        project=request.app.state.web.project,
        lang=d.lang,
        era=d.era,
        yen_unit=YEN_UNITS[d.yen],
        query=query,
        user=who.name if who else None,
        permissions=ROLES.get(who.role, frozenset()) if who else frozenset(),
        csrf=csrf_token(request),
        form=dict(form or {}),
    )


def _show(
    request: Request,
    pack: Pack,
    page: PackPage,
    p: PageRequest,
    error: str | None = None,
    status: int = 200,
) -> Response:
    from mieruka.web.app import render

    context = {"content": page.view(p), "pack_name": pack.name, "page_path": page.path}
    return render(request, "pack_page.html", {**context, "action_error": error}, status)


def _html_endpoint(pack: Pack, page: PackPage) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return _show(request, pack, page, page_request(request))

    endpoint.__name__ = f"pack_{pack.name}_{page.path or 'index'}"
    return endpoint


def _api_endpoint(pack: Pack, page: PackPage) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        content = page.view(page_request(request))
        body = json.dumps(content.data, ensure_ascii=False, default=str)
        return Response(body, media_type="application/json")

    endpoint.__name__ = f"api_pack_{pack.name}_{page.path or 'index'}"
    return endpoint


def _fields(items: Any) -> dict[str, str]:
    """An action's text fields (never the CSRF token, never a file), each cut short."""
    return {
        str(k): ("" if v is None else str(v))[:FIELD_CHARS]
        for k, v in items
        if k != "csrf" and (v is None or isinstance(v, str | int))
    }


def _html_action(
    pack: Pack, action: PageAction, page: PackPage
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        form = _fields((await request.form()).multi_items())
        p = page_request(request, form)
        try:
            result = await run_in_threadpool(action.handle, p)
        except MierukaError as exc:
            shown = page_request(request, form, extra_query=form)
            return await run_in_threadpool(_show, request, pack, page, shown, exc.render(), 400)
        query = urlencode(dict(result.query))
        target = page_url(pack.name, page) + (f"?{query}" if query else "")
        return Response(status_code=303, headers={"Location": target})

    endpoint.__name__ = f"pack_{pack.name}_{action.path}_post"
    return endpoint


def _api_action(pack: Pack, action: PageAction) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request, body: ActionBody) -> Response:
        result = await run_in_threadpool(
            action.handle, page_request(request, _fields(body.items()))
        )
        payload = json.dumps(result.data, ensure_ascii=False, default=str)
        return Response(payload, status_code=201, media_type="application/json")

    endpoint.__name__ = f"api_pack_{pack.name}_{action.path}_post"
    return endpoint


def _mount_actions(html: APIRouter, api: APIRouter, pack: Pack, pages: PackPages) -> None:
    by_path = {page.path: page for page in pages.pages}
    for action in pages.actions:
        page = by_path.get(action.page)
        if page is None:
            raise TypeError(
                f"pack '{pack.name}': action '{action.path}' names page '{action.page}', "
                f"which the pack does not have (it has {sorted(by_path)})"
            )
        guard = [Depends(need(action.permission))]
        html.add_api_route(
            f"/packs/{pack.name}/{action.path}",
            _html_action(pack, action, page),
            methods=["POST"],
            dependencies=guard,
        )
        api.add_api_route(
            f"/api/v1/packs/{pack.name}/{action.path}",
            _api_action(pack, action),
            methods=["POST"],
            dependencies=guard,
            status_code=201,
            summary=f"{pack.name}: {action.path} (needs the '{action.permission}' permission)",
        )


def mount_pack_pages(app: FastAPI, packs: Sequence[Pack]) -> list[dict[str, Any]]:
    """Mount every pack's pages; returns the navigation: pack label and its pages' links."""
    nav: list[dict[str, Any]] = []
    for pack in packs:
        if pack.pages is None:
            continue
        if isinstance(pack.pages, APIRouter):
            app.include_router(pack.pages, prefix=f"/packs/{pack.name}", dependencies=READ)
            continue
        if not isinstance(pack.pages, PackPages):
            raise TypeError(
                f"pack '{pack.name}': pages must be a mieruka.core.pages.PackPages "
                f"or a fastapi.APIRouter, found {type(pack.pages).__name__}"
            )
        html, api = APIRouter(include_in_schema=False), APIRouter(tags=["packs"])
        links = []
        for page in pack.pages.pages:
            url = page_url(pack.name, page)
            html.add_api_route(url, _html_endpoint(pack, page), methods=["GET"], dependencies=READ)
            api.add_api_route(
                f"/api/v1/packs/{pack.name}/{page.path or 'index'}",
                _api_endpoint(pack, page),
                methods=["GET"],
                dependencies=READ,
                summary=f"{pack.name}: {page.label.get('en')} (the page's figures as JSON)",
            )
            links.append({"url": url, "label": page.label.model_dump()})
        _mount_actions(html, api, pack, pack.pages)
        app.include_router(html)
        app.include_router(api)
        nav.append({"pack": pack.name, "label": pack.label.model_dump(), "pages": links})
    return nav
