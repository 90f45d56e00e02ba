"""Loading a file into a dataset from the dashboard (editors and admins).

The upload is written under the workspace's private folder (`.mieruka/uploads/`, named by
the time and the file's own name, so the snapshot's recorded source file stays readable)
and handed to the same `core.datasets.load` as `mieruka load`: the same schema checks, the
same all-or-nothing snapshot. When the loader refuses the file, the upload is deleted,
nothing is stored, and the page lists every issue with its row, column, expected and found.
A successful load is written to the audit log with the snapshot's hash as the after-hash.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.web.app import render
from mieruka.web.security import WebError, actor, need, state_of

router = APIRouter(include_in_schema=False)
UPLOAD_LIMIT = 2 << 30  # 2 GiB: larger files are loaded with `mieruka load`
CHUNK = 1 << 20


def dataset_choices(request: Request) -> list[dict[str, Any]]:
    schemas = state_of(request).project.dataset_schemas()
    return [
        {"id": ds, "label": s.label.model_dump() if s.label else {}}
        for ds, s in sorted(schemas.items())
    ]


def safe_name(name: str | None) -> str:
    """The uploaded file's base name with anything but letters, digits, . _ - replaced."""
    base = Path(name or "upload").name
    cleaned = re.sub(r"[^\w.\-]", "_", base)[:120].lstrip(".")
    return cleaned or "upload"


async def _save(upload: UploadFile, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{safe_name(upload.filename)}"
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > UPLOAD_LIMIT:
                out.close()
                target.unlink()
                raise WebError(413, "invalid", "file too large for an upload; use `mieruka load`")
            out.write(chunk)
    return target


def datasets_context(request: Request, **extra: Any) -> dict[str, Any]:
    dash = state_of(request).dashboard
    return {"snapshots": dash.datasets(), "choices": dataset_choices(request), **extra}


@router.post("/datasets/load", dependencies=[Depends(need("load"))])
async def load_page(
    request: Request,
    dataset: Annotated[str, Form(max_length=100)],
    file: Annotated[UploadFile, File()],
    sheet: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    state = state_of(request)
    project = state.project
    shown = safe_name(file.filename)
    if dataset not in project.dataset_schemas():
        raise WebError(400, "invalid", f"unknown dataset '{dataset[:100]}'")
    saved = await _save(file, project.ws.private / "uploads")
    try:
        outcome = await run_in_threadpool(load, project, dataset, saved, sheet=sheet or None)
    except MierukaError as exc:
        saved.unlink(missing_ok=True)
        issues = [
            {**i.to_dict(), "file": shown, "text": str(i).replace(str(saved), shown)}
            for i in exc.issues
        ]
        context = datasets_context(
            request,
            failed={
                "dataset": dataset,
                "file": shown,
                "issues": issues,
                "truncated": exc.truncated,
            },
        )
        return render(request, "datasets.html", context, status=400)
    snap = outcome.snapshot
    detail = json.dumps(
        {"file": shown, "rows": snap.rows, "new_snapshot": outcome.created}, ensure_ascii=False
    )
    project.store.audit(
        actor(request), "dataset.load", f"dataset:{dataset}", after_hash=snap.hash, detail=detail
    )
    return Response(status_code=303, headers={"Location": f"/datasets?loaded={dataset}"})
