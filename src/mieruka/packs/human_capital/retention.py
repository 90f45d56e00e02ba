"""Retention curves for the LTV document: by department (from the run) and by hire cohort.

The department curves are the run's own `hc.retention_curve` figures — the ones the LTV
used. The hire-cohort curves are computed here with the same Kaplan–Meier estimator
(`ltv.kaplan_meier`) from the run's snapshots (content-addressed, so the same run always
gives the same curves, whatever has been loaded since). A cohort is five hire fiscal
years ending with the report's year; people hired earlier than the fourth band form one
"earlier" cohort. A curve stops at the last year in which someone of the cohort was
still at risk (a recent cohort has no ten-year history to show). Every separation is an event; people still employed on the run's
reference date are censored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from mieruka.core.engine import DuckDBEngine
from mieruka.core.period import Period
from mieruka.core.runs import run_period, snapshot_paths
from mieruka.japan.fiscal import fiscal_year_of
from mieruka.japan.yen import round_decimal
from mieruka.packs.human_capital.ltv import kaplan_meier

HORIZON = 10  # years after hire, as the run's hc.retention_curve
BAND = 5  # hire fiscal years per cohort
BANDS = 4  # cohorts before the rest are pooled as "earlier"


@dataclass(frozen=True)
class Curve:
    group: str
    people: int  # everyone hired into the group (the curve's starting population)
    leavers: int
    survival: list[Decimal]  # S(t) in percent, t = 0 … (at most) HORIZON, one decimal


def department_curves(values: list[dict[str, Any]]) -> list[Curve]:
    """The run's `hc.retention_curve` rows, one curve per department."""
    points: dict[str, dict[int, Decimal]] = {}
    for v in values:
        dims = v["dims"]
        curve = v["indicator"] == "hc.retention_curve" and {"department", "tenure_year"} <= set(
            dims
        )
        if curve and v["value"] is not None:
            points.setdefault(dims["department"], {})[int(dims["tenure_year"])] = v["value"]
    return [
        Curve(dept, 0, 0, [found[t] for t in sorted(found)])
        for dept, found in sorted(points.items())
    ]


def cohort_label(hire_fy: int, fy: int, lang: str) -> tuple[int, str]:
    """(sort key, label) of the five-year hire cohort that `hire_fy` falls in."""
    band = min((fy - hire_fy) // BAND, BANDS)
    if band >= BANDS:
        last = fy - BAND * BANDS
        return band, f"{last}年度以前入社" if lang == "ja" else f"hired FY{last} or earlier"
    last, first = fy - band * BAND, fy - band * BAND - BAND + 1
    return band, f"{first}–{last}年度入社" if lang == "ja" else f"hired FY{first}–{last}"


def _tenure(hire: date, end: date) -> float:
    return (end - hire).days / 365.25


def cohort_curves(project: Any, run: Any, lang: str = "ja") -> list[Curve]:
    """Kaplan–Meier curves by five-year hire cohort, from the run's `employees` snapshot."""
    hashes = run.snapshots_dict()
    if "employees" not in hashes:
        return []
    period: Period = run_period(run)
    engine = DuckDBEngine(snapshot_paths(project, {"employees": hashes["employees"]}))
    try:
        rows = engine.rows(
            f"SELECT hire_date, separation_date FROM {engine.tables['employees']} "
            f"WHERE hire_date <= DATE '{period.as_of}' ORDER BY employee_id"
        )
    finally:
        engine.close()
    groups: dict[tuple[int, str], list[tuple[float, bool]]] = {}
    for hire, separation in rows:
        left = separation is not None and separation < period.as_of
        key = cohort_label(fiscal_year_of(hire, period.start_month).year, period.fiscal_year, lang)
        groups.setdefault(key, []).append(
            (_tenure(hire, separation if left else period.as_of), left)
        )
    out = []
    for (_, label), people in sorted(groups.items()):
        durations = np.array([d for d, _ in people])
        events = np.array([e for _, e in people])
        observed = min(HORIZON, int(durations.max()) + 1)  # no one at risk after this
        survival = kaplan_meier(durations, events, observed)
        shown = [round_decimal(Decimal(repr(float(s) * 100)), 1, "half_up") for s in survival]
        out.append(Curve(label, len(people), int(events.sum()), shown))
    return out
