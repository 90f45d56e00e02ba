"""The JSON API, versioned under /api/v1: the same data as the pages.

Numbers are exact decimal text as stored (no float rounding, no 千円 truncation: that is
presentation). Errors are `{"code": ..., "message": ...}` with the HTTP status. Requests
that change anything need the `X-CSRF-Token` header (see `GET /api/v1/me`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.core.verify import verify
from mieruka.web.diffview import diff_runs_checked, signoffs
from mieruka.web.evidence import evidence_of, page_of
from mieruka.web.rules import run_rules, violations_of
from mieruka.web.security import actor, csrf_token, need, principal, state_of


class ApiError(BaseModel):
    code: str = Field(description="machine-readable: not_found, invalid, forbidden, csrf, ...")
    message: str


class RunRequest(BaseModel):
    fy: int = Field(ge=1900, le=9998, description="fiscal year to evaluate (named by its start)")


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ApiError} for s in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["v1"])
READ = [Depends(need("read"))]
RunQ = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="run id; default latest")]
DimQ = Annotated[str | None, Query(max_length=100, description="dimension, e.g. dept")]
MemberQ = Annotated[str | None, Query(max_length=200, description="member of the dimension")]
Json = dict[str, Any]
RunP = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/me", dependencies=[Depends(need("public"))])
def me(request: Request) -> Json:
    """Who is asking, with the CSRF token to send on state-changing requests."""
    who = principal(request)
    return {
        "user": who.name if who else None,
        "role": who.role if who else None,
        "server_mode": state_of(request).server,
        "csrf_token": csrf_token(request),
    }


@router.get("/overview", dependencies=READ)
def overview(request: Request, run: RunQ = None, dim: DimQ = None, member: MemberQ = None) -> Json:
    """Every indicator's value, targets and trend over fiscal years, grouped by pack."""
    dash = state_of(request).dashboard
    data = dash.overview(dash.run(run), dim or None, member if dim else None)
    for group in data["groups"]:
        for ind in group["indicators"]:
            ind.pop("spec", None)
    return data


@router.get("/indicators/{indicator}", dependencies=READ)
def indicator(request: Request, indicator: str, run: RunQ = None) -> Json:
    """One indicator: value over fiscal years against targets, breakdowns, method note."""
    dash = state_of(request).dashboard
    data = dash.indicator(dash.run(run), indicator)
    data.pop("spec", None)
    return data


@router.get("/indicators/{indicator}/evidence", dependencies=READ)
def evidence(
    request: Request,
    indicator: str,
    run: RunQ = None,
    dim: DimQ = None,
    member: MemberQ = None,
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Json:
    """The rows behind a figure, re-derived from the run's snapshots, a page at a time."""
    dash = state_of(request).dashboard
    record = dash.run(run)
    return page_of(evidence_of(dash, record, indicator, dim, member), page, per_page)


@router.get("/runs", dependencies=READ)
def runs(request: Request) -> list[Json]:
    """The run ledger, newest first."""
    dash = state_of(request).dashboard
    signed = signoffs(dash.store)
    return [{**dash.summary(r), "signoffs": signed.get(r.id, [])} for r in reversed(dash.runs())]


@router.get("/runs/diff", dependencies=READ)
def diff(
    request: Request,
    a: Annotated[int, Query(ge=1, le=2**31 - 1)],
    b: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> Json:
    """What changed between runs a and b, and whether data, specs, parameters or code did it."""
    return diff_runs_checked(state_of(request).dashboard, a, b)


@router.get("/runs/{run_id}", dependencies=READ)
def run(request: Request, run_id: RunP) -> Json:
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    return {**dash.summary(record), "signoffs": signoffs(dash.store).get(record.id, [])}


@router.get("/runs/{run_id}/rules", dependencies=READ)
def rules(request: Request, run_id: RunP) -> list[Json]:
    """Every rule of the run: severity, prescribed action, skipped or how many rows violate it."""
    dash = state_of(request).dashboard
    return run_rules(dash, dash.run(run_id))


@router.get("/runs/{run_id}/rules/{rule}", dependencies=READ)
def rule_violations(
    request: Request,
    run_id: RunP,
    rule: Annotated[str, Path(max_length=200)],
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Json:
    """The rows violating one rule in the run (key and row values as stored), a page at a time."""
    dash = state_of(request).dashboard
    return violations_of(dash, dash.run(run_id), rule, page, per_page)


@router.get("/runs/{run_id}/verify", dependencies=READ)
def verify_run(request: Request, run_id: RunP) -> Json:
    """Re-compute the run from its snapshots and specs and check every hash."""
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    problems, notes = verify(dash.project, record.id)
    return {
        "run": record.id,
        "ok": not problems,
        "problems": [str(p) for p in problems],
        "notes": notes,
    }


@router.post("/runs", dependencies=[Depends(need("run"))], status_code=201)
def create_run(request: Request, body: RunRequest) -> Json:
    """Evaluate everything for a fiscal year and append the run to the ledger (editor)."""
    state = state_of(request)
    project = state.project
    period = Period.for_fiscal_year(body.fy, project.ws.settings.fiscal_year_start_month)
    record = start_run(project, period, note=f"started through the API by {actor(request)}")
    project.store.audit(actor(request), "run.start", f"run:{record.id}", after_hash=record.run_hash)
    return state.dashboard.summary(record)


@router.post("/runs/{run_id}/signoff", dependencies=[Depends(need("signoff"))], status_code=201)
def signoff(request: Request, run_id: RunP) -> Json:
    """Sign off a run's results (verifier); recorded in the audit log with the run's hash."""
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    dash.store.audit(actor(request), "run.signoff", f"run:{record.id}", after_hash=record.run_hash)
    return {"run": record.id, "signed_by": actor(request), "run_hash": record.run_hash}


@router.get("/datasets", dependencies=READ)
def datasets(request: Request) -> list[Json]:
    """Every snapshot, newest first: dataset, content hash, rows, source file, columns."""
    return state_of(request).dashboard.datasets()
