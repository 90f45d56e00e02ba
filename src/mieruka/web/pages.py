"""The HTML pages: overview, indicator, evidence, runs, diff, datasets.

Tables carry every figure, so a page is complete without JavaScript; charts are drawn by
the vendored Chart.js from the same figures. Every route declares its permission.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response

from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.core.verify import verify
from mieruka.web.app import cached_page, display_of, render
from mieruka.web.charts import bar_chart, series_chart, sparkline
from mieruka.web.data import NotFound
from mieruka.web.diffview import diff_runs_checked, signoffs
from mieruka.web.evidence import (
    download_name,
    evidence_csv,
    evidence_of,
    evidence_xlsx,
    page_of,
)
from mieruka.web.rules import download_name as violations_name
from mieruka.web.rules import run_rules, violations_csv, violations_of
from mieruka.web.security import actor, need, state_of

router = APIRouter(include_in_schema=False)
RunQ = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
DimQ = Annotated[str | None, Query(max_length=100)]
MemberQ = Annotated[str | None, Query(max_length=200)]
READ = [Depends(need("read"))]


def pack_labels(request: Request) -> dict[str, str]:
    d = display_of(request)
    state = state_of(request)
    labels = {p.name: p.label.get(d.lang) for p in state.project.packs}
    return {**labels, "": d.w["own"]}


@router.get("/", dependencies=READ)
def overview(
    request: Request,
    run: RunQ = None,
    dim: DimQ = None,
    member: MemberQ = None,
    filter: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    """`filter=dept=営業` (the form's one select) or `dim=dept&member=営業` (links)."""
    dash = state_of(request).dashboard
    newest, runs = dash.ledger()
    if not runs:
        return render(request, "empty.html", {})
    if filter:
        dim, _, member = filter.partition("=")

    def build() -> tuple[str, dict[str, Any]]:
        record = dash.run(run, runs)
        data = dash.overview(record, dim or None, member if dim else None)
        d = display_of(request)
        for group in data["groups"]:
            for ind in group["indicators"]:
                ind["spark"] = sparkline([d.shown(ind["spec"], p["value"]) for p in ind["trend"]])
        violated = [r for r in run_rules(dash, record) if r["violations"]]
        context = {"data": data, "packs": pack_labels(request), "runs": runs, "violated": violated}
        return "overview.html", context

    return cached_page(request, newest, build)


@router.get("/indicators/{indicator}", dependencies=READ)
def indicator_page(request: Request, indicator: str, run: RunQ = None) -> Response:
    dash = state_of(request).dashboard
    newest, runs = dash.ledger()

    def build() -> tuple[str, dict[str, Any]]:
        data = dash.indicator(dash.run(run, runs), indicator)
        d = display_of(request)
        spec, w = data["spec"], d.w
        first_target = [s["targets"][0]["target"] if s["targets"] else None for s in data["series"]]
        chart = series_chart(
            [d.fy(s["fy"]) for s in data["series"]],
            [d.shown(spec, s["value"]) for s in data["series"]],
            [d.shown(spec, t) for t in first_target],
            w["value"],
            w["target"],
        )
        bars = {
            b["dim"]: bar_chart(
                [r["member"] for r in b["rows"]],
                [d.shown(spec, r["value"]) for r in b["rows"]],
                d.label(data["label"], indicator),
            )
            for b in data["breakdowns"]
        }
        return "indicator.html", {"data": data, "chart": chart, "bars": bars}

    return cached_page(request, newest, build)


@router.get("/indicators/{indicator}/evidence", dependencies=READ)
def evidence_page(
    request: Request,
    indicator: str,
    run: RunQ = None,
    dim: DimQ = None,
    member: MemberQ = None,
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> Response:
    dash = state_of(request).dashboard
    record = dash.run(run)
    evidence = evidence_of(dash, record, indicator, dim, member)
    spec = dash.indicator_spec(record, indicator)
    return render(
        request,
        "evidence.html",
        {"ev": page_of(evidence, page), "spec": spec, "run": record},
    )


@router.get("/indicators/{indicator}/evidence.{fmt}", dependencies=READ)
def evidence_download(
    request: Request,
    indicator: str,
    fmt: str,
    run: RunQ = None,
    dim: DimQ = None,
    member: MemberQ = None,
) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound(f"no download format '{fmt}' (csv or xlsx)")
    dash = state_of(request).dashboard
    record = dash.run(run)
    evidence = evidence_of(dash, record, indicator, dim, member)
    name = download_name(indicator, evidence.dims, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(
            evidence_csv(evidence), media_type="text/csv; charset=utf-8", headers=headers
        )
    title = f"{indicator} (run {record.id})"
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(evidence_xlsx(evidence, title), media_type=media, headers=headers)


@router.get("/runs", dependencies=READ)
def runs_page(request: Request) -> Response:
    dash = state_of(request).dashboard
    runs = [dash.summary(r) for r in reversed(dash.runs())]
    return render(request, "runs.html", {"runs": runs, "signed": signoffs(dash.store)})


@router.get("/runs/diff", dependencies=READ)
def diff_page(
    request: Request,
    a: Annotated[int, Query(ge=1, le=2**31 - 1)],
    b: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> Response:
    dash = state_of(request).dashboard
    return render(request, "diff.html", {"diff": diff_runs_checked(dash, a, b)})


@router.get("/runs/{run_id}", dependencies=READ)
def run_page(
    request: Request,
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    check: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    result: dict[str, Any] | None = None
    if check:
        problems, notes = verify(dash.project, record.id)
        result = {"ok": not problems, "problems": [str(p) for p in problems], "notes": notes}
    signed = signoffs(dash.store).get(record.id, [])
    context = {"run": dash.summary(record), "verify": result, "signed": signed}
    rules = run_rules(dash, record)
    return render(request, "run.html", {**context, "rules": rules, "packs": pack_labels(request)})


@router.get("/runs/{run_id}/rules/{rule}", dependencies=READ)
def rule_page(
    request: Request,
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    rule: Annotated[str, Path(max_length=200)],
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> Response:
    """The rows of a run that violate one rule, as the run stored them, 50 a page."""
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    found = violations_of(dash, record, rule, page)
    return render(request, "rule.html", {"v": found, "run": dash.summary(record)})


@router.get("/runs/{run_id}/rules/{rule}/violations.csv", dependencies=READ)
def rule_download(
    request: Request,
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    rule: Annotated[str, Path(max_length=200)],
) -> Response:
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    name = violations_name(rule, record.id)
    return Response(
        violations_csv(dash, record, rule),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/runs", dependencies=[Depends(need("run"))])
def start_run_page(
    request: Request, fy: Annotated[int, Form(ge=1900, le=9998)], csrf: Annotated[str, Form()] = ""
) -> Response:
    state = state_of(request)
    project = state.project
    period = Period.for_fiscal_year(fy, project.ws.settings.fiscal_year_start_month)
    record = start_run(project, period, note=f"started from the dashboard by {actor(request)}")
    project.store.audit(actor(request), "run.start", f"run:{record.id}", after_hash=record.run_hash)
    return Response(status_code=303, headers={"Location": f"/runs/{record.id}"})


@router.post("/runs/{run_id}/signoff", dependencies=[Depends(need("signoff"))])
def signoff_page(
    request: Request,
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    dash = state_of(request).dashboard
    record = dash.run(run_id)
    dash.store.audit(actor(request), "run.signoff", f"run:{record.id}", after_hash=record.run_hash)
    return Response(status_code=303, headers={"Location": f"/runs/{record.id}"})


@router.get("/datasets", dependencies=READ)
def datasets_page(request: Request) -> Response:
    from mieruka.web.loading import datasets_context

    return render(request, "datasets.html", datasets_context(request))
