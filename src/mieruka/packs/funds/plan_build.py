"""The yearly fund plan of every entity (or one) with the revision alerts of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.funds.findings import check_rows, snapshots
from mieruka.packs.funds.params import settings
from mieruka.packs.funds.plan import fund_plans
from mieruka.packs.funds.plan_alerts import revision_alerts


def build_plan(
    project: Project, fy: int, as_of: date | None = None, entity_id: str | None = None
) -> dict[str, Any]:
    """Plans for fiscal year `fy`; alerts as of `as_of` (default: the year's last day)."""
    month = project.ws.settings.fiscal_year_start_month
    year = FiscalYear(fy, month)
    as_of = as_of or year.end
    if not year.start <= as_of <= year.end:
        raise MierukaError(
            Issue(
                "the alert date lies outside the plan's fiscal year",
                expected=f"{year.start} .. {year.end}",
                found=as_of.isoformat(),
            )
        )
    options = settings(project.ws.pack_options("funds"))
    period = Period.as_of_date(as_of, month)
    findings, _ = check_rows(project, period)
    with snapshots(project, period, ("entities", "funds", "holdings")) as data:
        plans = fund_plans(data, fy, month)
        if entity_id is not None:
            plans = [p for p in plans if p["entity"]["entity_id"] == entity_id]
            if not plans:
                raise MierukaError(
                    Issue("unknown entity", expected="an entity_id of the entities file",
                          found=entity_id)
                )  # fmt: skip
        alerts = revision_alerts(data, plans, findings, year.start, as_of, options)
    for p in plans:
        p["alerts"] = [a for a in alerts if a["entity_id"] == p["entity"]["entity_id"]]
    return {"fiscal_year": fy, "alerts_as_of": as_of.isoformat(), "plans": plans}
