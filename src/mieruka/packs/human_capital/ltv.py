"""Employee lifetime value (LTV): realised value plus expected remaining value.

realised  = Σ value_added − Σ (wages + training cost), over the person's years to date;
expected  = Σ_k  S(τ + k) / S(τ) × net × (1 + r)^−k  for k = 1 … horizon,
where τ is the tenure today, S the Kaplan–Meier retention curve of the person's
department, `net` the mean yearly net value of the person's last (up to) three years and
r the discount rate (`ltv_discount_rate`, default 5 %). The horizon stops at age 65.

The Kaplan–Meier estimator is written here (twenty lines of numpy) rather than pulling a
survival-analysis library: the product-limit formula on whole years is all we need and
keeps the dependency list to the one the design chose. Every separation is an event;
people still employed on the reference date are censored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.packs.human_capital.options import HcOptions

NEEDED = ("employees", "positions", "contribution", "wages")


def kaplan_meier(durations: np.ndarray, events: np.ndarray, horizon: int) -> np.ndarray:
    """S(t) for t = 0 … horizon whole years (S(0) = 1): the product-limit estimator."""
    surv = np.ones(horizon + 1)
    s = 1.0
    for t in range(1, horizon + 1):
        at_risk = np.sum(durations >= t - 1)
        died = np.sum((durations >= t - 1) & (durations < t) & events)
        if at_risk:
            s *= 1 - died / at_risk
        surv[t] = s
    return surv


def _people(ctx: Context) -> list[tuple[Any, ...]]:
    t, day = ctx.tables, f"DATE '{ctx.period.as_of}'"
    return ctx.engine.rows(
        f"""WITH net AS (
          SELECT c.employee_id, c.fiscal_year,
                 c.value_added - coalesce(w.total_wages, 0) AS net
          FROM {t["contribution"]} c LEFT JOIN {t["wages"]} w
            ON w.employee_id = c.employee_id AND w.fiscal_year = c.fiscal_year
          WHERE c.fiscal_year <= {int(ctx.period.fiscal_year)})
        SELECT e.employee_id, e.birth_date, e.hire_date, e.separation_date, p.department,
               (SELECT sum(net) FROM net WHERE net.employee_id = e.employee_id),
               (SELECT avg(net) FROM (SELECT net FROM net WHERE net.employee_id = e.employee_id
                                      ORDER BY fiscal_year DESC LIMIT 3))
        FROM {t["employees"]} e JOIN {t["positions"]} p ON p.employee_id = e.employee_id
         AND p.valid_from <= least(coalesce(e.separation_date, {day}), {day})
        WHERE e.hire_date <= {day}
        QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1
        ORDER BY e.employee_id"""
    )


def _years(start: date, end: date) -> float:
    return (end - start).days / 365.25


def curves(rows: list[tuple[Any, ...]], as_of: date, horizon: int = 45) -> dict[str, np.ndarray]:
    """Retention curve per department, from everyone ever hired there."""
    by_dept: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for _emp, _birth, hire, sep, dept, *_ in rows:
        left = sep is not None and sep < as_of
        by_dept[dept or ""].append((_years(hire, sep if left else as_of), left))
    return {
        d: kaplan_meier(np.array([x for x, _ in v]), np.array([e for _, e in v]), horizon)
        for d, v in by_dept.items()
    }


LTV_SCHEMA = pa.schema(
    [("key", pa.string()), ("department", pa.string()), ("value", pa.decimal128(20, 0))]
)


def employee_ltv(ctx: Context) -> pa.Table:
    """One row per person employed on the reference date with contribution data."""
    if any(n not in ctx.tables for n in NEEDED):
        return LTV_SCHEMA.empty_table()
    rate = float(HcOptions.from_mapping(ctx.options).ltv_discount_rate)
    as_of = ctx.period.as_of
    rows = _people(ctx)
    surv = curves(rows, as_of)
    data: dict[str, list[Any]] = {"key": [], "department": [], "value": []}
    for emp, birth, hire, sep, dept, realised, recent in rows:
        if (sep is not None and sep < as_of) or realised is None:
            continue
        curve, tau = surv[dept or ""], int(_years(hire, as_of))
        age = _years(birth, as_of) if birth else 40.0
        expected = 0.0
        for k in range(1, max(int(65 - age), 0) + 1):
            if tau + k < len(curve) and curve[tau] > 0:
                expected += curve[tau + k] / curve[tau] * float(recent) / (1 + rate) ** k
        data["key"].append(emp)
        data["department"].append(dept)
        data["value"].append(Decimal(round(float(realised) + expected)))
    return pa.table(data, schema=LTV_SCHEMA)


CURVE_SCHEMA = pa.schema(
    [("department", pa.string()), ("tenure_year", pa.string()), ("value", pa.float64())]
)


def retention_curve(ctx: Context) -> pa.Table:
    """The Kaplan–Meier curves themselves, for the chart and for checking the LTV."""
    if any(n not in ctx.tables for n in NEEDED):
        return CURVE_SCHEMA.empty_table()
    found = curves(_people(ctx), ctx.period.as_of, horizon=10)
    depts, years, values = [], [], []
    for dept in sorted(found):
        for t, s in enumerate(found[dept]):
            depts.append(dept)
            years.append(f"{t:02d}")
            values.append(float(s) * 100)
    return pa.table({"department": depts, "tenure_year": years, "value": values}, CURVE_SCHEMA)


FUNCTIONS = {"hc_employee_ltv": employee_ltv, "hc_retention_curve": retention_curve}
