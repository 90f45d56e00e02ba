"""The human-capital pack's dashboard pages: 人事総合表, survey results, retention curves.

Registered as `Pack.pages` (see `mieruka.core.pages`); the dashboard mounts them under
`/packs/human_capital`. Everything shown is read from a stored run: the statutory table
through `disclosure.build_disclosure` (the same table `mieruka hc disclosure` prints), the
survey figures as the run stored them — already pooled or withheld by
`engagement.shown_departments`, so no page can show a department below the anonymity
threshold — and the Kaplan–Meier curves the run stored for `hc.retention_curve`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from mieruka.core.pages import (
    PackPage,
    PackPages,
    PageContent,
    PageRequest,
    RunView,
    pack_templates,
    render_page,
)
from mieruka.core.schema import Labels
from mieruka.packs.human_capital.disclosure import STATUTORY, build_disclosure
from mieruka.packs.human_capital.engagement import POOLED
from mieruka.packs.human_capital.options import HcOptions

TEMPLATES = pack_templates(Path(__file__).parent / "templates" / "pages")
KPIS = (
    "hc.headcount",
    "hc.turnover",
    "hc.paid_leave_uptake",
    "hc.average_tenure",
    "hc.stress_check_coverage",
    "hc.training_hours_per_employee",
)
STATUTORY_EN = {
    "hc.female_manager_share": "Women among managers (%)",
    "hc.male_childcare_leave_rate": "Men taking childcare leave (%) (leave etc.)",
    "hc.male_childcare_leave_rate_incl_purpose": (
        "Men taking childcare leave (%) (leave etc. and childcare-purpose leave)"
    ),
    "hc.wage_gap_all": "Gender pay gap (%): all workers",
    "hc.wage_gap_regular": "Gender pay gap (%): regular workers",
    "hc.wage_gap_non_regular": "Gender pay gap (%): part-time and fixed-term workers",
}
PALETTE = ("#4a78b5", "#c2603a", "#2e7d32", "#8e44ad", "#b7950b", "#16a085", "#7f8c8d", "#d35400")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _card(run: RunView, indicator: str, p: PageRequest) -> dict[str, Any] | None:
    spec = run.indicator(indicator)
    if spec is None or not run.breakdown(indicator):
        return None
    value = run.value(indicator)
    return {
        "id": indicator,
        "label": p.label(spec.get("label"), indicator),
        "value": _text(value),
        "text": p.figure(spec, value),
        "status": run.status(indicator),
    }


def dashboard(p: PageRequest) -> PageContent:
    """人事総合表: the statutory figures per entity with their notes, and the main HR KPIs."""
    run = p.run()
    fy = run.run.fiscal_year or 0
    table = build_disclosure(p.project, fy)
    cards = [c for c in (_card(run, k, p) for k in KPIS) if c is not None]
    labels = STATUTORY if p.lang == "ja" else STATUTORY_EN
    data = {**table.to_json(), "kpis": cards}
    html = render_page(
        TEMPLATES, "dashboard.html", p, run=run, table=table, labels=labels, cards=cards
    )
    return PageContent(p.t("人事総合表", "HR dashboard"), html, data)


def _survey_rows(run: RunView, dim: str) -> list[dict[str, Any]]:
    favourable = run.breakdown("hc.engagement_favourable", dim)
    enps = run.breakdown("hc.enps", dim) if dim == "department" else {}
    drivers = run.breakdown("hc.engagement_driver", dim) if dim == "item_id" else {}
    return [
        {
            "member": member,
            "favourable": _text(value),
            "enps": _text(enps.get((member,))),
            "driver": _text(drivers.get((member,))),
            "pooled": member == POOLED,
        }
        for (member,), value in sorted(favourable.items())
    ]


def survey(p: PageRequest) -> PageContent:
    """Engagement results by department and item, as the run stored them (suppressed)."""
    run = p.run()
    threshold = HcOptions.from_mapping(run.options("human_capital")).anonymity_threshold
    departments, items = _survey_rows(run, "department"), _survey_rows(run, "item_id")
    total = {
        "favourable": _text(run.value("hc.engagement_favourable")),
        "enps": _text(run.value("hc.enps")),
    }
    chart = {
        "type": "bar",
        "labels": [r["member"] for r in departments],
        "datasets": [
            {
                "label": p.t("肯定回答率（%）", "Favourable (%)"),
                "data": [
                    None if r["favourable"] is None else float(r["favourable"]) for r in departments
                ],
                "backgroundColor": PALETTE[0],
            }
        ],
    }
    data = {
        "run": run.run.id,
        "fiscal_year": run.run.fiscal_year,
        "anonymity_threshold": threshold,
        "pooled_label": POOLED,
        "total": total,
        "departments": departments,
        "items": items,
    }
    html = render_page(
        TEMPLATES,
        "survey.html",
        p,
        run=run,
        threshold=threshold,
        pooled=POOLED,
        total=total,
        departments=departments,
        items=items,
        chart=chart if departments else None,
    )
    return PageContent(p.t("従業員調査", "Employee survey"), html, data)


def retention(p: PageRequest) -> PageContent:
    """Kaplan–Meier retention by department (t = 0…10 years) and employee LTV by department."""
    run = p.run()
    curves: dict[str, dict[int, str | None]] = {}
    for (dept, year), value in run.breakdown(
        "hc.retention_curve", "department", "tenure_year"
    ).items():
        curves.setdefault(dept, {})[int(year)] = _text(value)
    years = sorted({y for c in curves.values() for y in c})
    ltv_spec = run.indicator("hc.employee_ltv")
    ltv = {d: v for (d,), v in run.breakdown("hc.employee_ltv", "department").items()}
    rows: list[dict[str, Any]] = [
        {
            "department": dept,
            "curve": [curves[dept].get(y) for y in years],
            "ltv": _text(ltv.get(dept)),
            "ltv_text": p.figure(ltv_spec, ltv.get(dept)),
        }
        for dept in sorted(curves)
    ]
    chart = {
        "type": "line",
        "labels": [p.t(f"{y}年", f"{y} y") for y in years],
        "datasets": [
            {
                "label": r["department"],
                "data": [None if v is None else float(v) for v in r["curve"]],
                "borderColor": PALETTE[i % len(PALETTE)],
                "backgroundColor": PALETTE[i % len(PALETTE)],
            }
            for i, r in enumerate(rows)
        ],
    }
    spec = run.indicator("hc.retention_curve") or {}
    data = {
        "run": run.run.id,
        "fiscal_year": run.run.fiscal_year,
        "years": years,
        "departments": rows,
        "ltv_total": _text(run.value("hc.employee_ltv")),
    }
    html = render_page(
        TEMPLATES,
        "retention.html",
        p,
        run=run,
        years=years,
        rows=rows,
        chart=chart if rows else None,
        method=p.label(spec.get("method")),
        ltv_method=p.label((ltv_spec or {}).get("method")),
        ltv_total=p.figure(ltv_spec, run.value("hc.employee_ltv")),
    )
    return PageContent(p.t("定着率曲線", "Retention curves"), html, data)


PAGES = PackPages(
    pages=(
        PackPage("", Labels(ja="人事総合表", en="HR dashboard"), dashboard),
        PackPage("survey", Labels(ja="従業員調査", en="Employee survey"), survey),
        PackPage("retention", Labels(ja="定着率曲線", en="Retention curves"), retention),
    )
)
