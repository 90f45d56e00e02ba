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

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
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


PEOPLE_SQL = """
    WITH net AS (
      SELECT c.employee_id, c.fiscal_year, c.value_added - coalesce(w.total_wages, 0) AS net
      FROM {contribution} c LEFT JOIN {wages} w
        ON w.employee_id = c.employee_id AND w.fiscal_year = c.fiscal_year
      WHERE c.fiscal_year <= {fy}),
    ranked AS (  -- one row per person and year: the order by year is total
      SELECT employee_id, net,
             row_number() OVER (PARTITION BY employee_id ORDER BY fiscal_year DESC) AS recency
      FROM net),
    value AS (  -- recent: the mean of the last three years' net
      SELECT employee_id, CAST(sum(net) AS DOUBLE) AS realised,
             CAST(sum(net) FILTER (WHERE recency <= 3) AS DOUBLE)
               / count(*) FILTER (WHERE recency <= 3) AS recent  -- whole yen: an exact sum
      FROM ranked GROUP BY employee_id)
    SELECT e.employee_id, e.birth_date, e.hire_date, e.separation_date, p.department,
           v.realised, v.recent
    FROM {employees} e JOIN {positions} p ON p.employee_id = e.employee_id
     AND p.valid_from <= least(coalesce(e.separation_date, {day}), {day})
    LEFT JOIN value v ON v.employee_id = e.employee_id
    WHERE e.hire_date <= {day}
    QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1
    ORDER BY e.employee_id"""


def _people(ctx: Context) -> pa.Table:
    """Everyone hired by the reference date, placed, with realised and recent net value
    (one query a run: both LTV indicators read it)."""
    t = ctx.tables
    sql = PEOPLE_SQL.format(day=f"DATE '{ctx.period.as_of}'", fy=int(ctx.period.fiscal_year), **t)
    return once(ctx, "ltv.people", lambda: ctx.engine.query(sql))


def _days(column: pa.ChunkedArray) -> np.ndarray:
    """Dates as day numbers (NaN for blanks)."""
    days = pc.cast(pc.cast(column, pa.date32()), pa.int32())
    return np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.float64)


def _years_to(start: np.ndarray, end: float | np.ndarray) -> np.ndarray:
    return (end - start) / 365.25


class People:
    """The population as arrays: tenure to the reference date (or to leaving), who left."""

    def __init__(self, table: pa.Table, as_of: date) -> None:
        today = float((as_of - date(1970, 1, 1)).days)
        self.table = table
        hire, sep = _days(table["hire_date"]), _days(table["separation_date"])
        with np.errstate(invalid="ignore"):
            self.left = ~np.isnan(sep) & (sep < today)
        self.durations = _years_to(hire, np.where(self.left, sep, today))
        self.tenure = _years_to(hire, today)
        birth = _days(table["birth_date"])
        self.age = np.where(np.isnan(birth), 40.0, _years_to(birth, today))
        self.dept = np.array(table["department"].fill_null("").to_pylist(), dtype=object)


def _curves(people: People, horizon: int = 45) -> dict[str, np.ndarray]:
    """Retention curve per department, from everyone ever hired there."""
    return {
        d: kaplan_meier(people.durations[mask], people.left[mask], horizon)
        for d in sorted(set(people.dept))
        for mask in [people.dept == d]
    }


def curves(ctx: Context) -> tuple[People, dict[str, np.ndarray]]:
    def build() -> tuple[People, dict[str, np.ndarray]]:
        people = People(_people(ctx), ctx.period.as_of)
        return people, _curves(people)

    return once(ctx, "ltv.curves", build)


LTV_SCHEMA = pa.schema(
    [("key", pa.string()), ("department", pa.string()), ("value", pa.decimal128(20, 0))]
)


def _expected(
    curve: np.ndarray, tau: np.ndarray, years: np.ndarray, recent: np.ndarray, rate: float
) -> np.ndarray:
    """Σ_k S(τ+k)/S(τ) × recent ÷ (1+r)^k for k = 1 … years, summed in the order of k.

    Terms past the curve's end (or with S(τ) = 0) are zero; adding them changes nothing,
    and the running sum (`cumsum`) adds in the same order as a loop over k would."""
    n, width = len(tau), len(curve)
    ks = np.arange(1, width)
    discount = np.array([(1 + rate) ** int(k) for k in ks])
    idx = tau[:, None] + ks[None, :]
    inside = (idx < width) & (ks[None, :] <= years[:, None])
    base = curve[np.minimum(tau, width - 1)]
    inside &= ((tau < width) & (base > 0))[:, None]
    safe_base = np.where(base > 0, base, 1.0)
    terms = curve[np.minimum(idx, width - 1)] / safe_base[:, None] * recent[:, None]
    terms = np.where(inside, terms / discount[None, :], 0.0)
    return np.cumsum(terms, axis=1)[:, -1] if n and width > 1 else np.zeros(n)


def employee_ltv(ctx: Context) -> pa.Table:
    """One row per person employed on the reference date with contribution data."""
    if any(n not in ctx.tables for n in NEEDED):
        return LTV_SCHEMA.empty_table()
    rate = float(HcOptions.from_mapping(ctx.options).ltv_discount_rate)
    people, surv = curves(ctx)
    table = people.table
    realised = table["realised"].to_numpy(zero_copy_only=False).astype(np.float64)
    recent = table["recent"].to_numpy(zero_copy_only=False).astype(np.float64)
    keep = ~people.left & ~np.isnan(realised)
    value = np.zeros(table.num_rows)
    tau = np.trunc(people.tenure).astype(np.int64)
    years = np.maximum(np.trunc(65 - people.age), 0).astype(np.int64)
    for dept, curve in surv.items():
        rows = np.nonzero(keep & (people.dept == dept))[0]
        expected = _expected(curve, tau[rows], years[rows], recent[rows], rate)
        value[rows] = np.rint(realised[rows] + expected)
    chosen = np.nonzero(keep)[0]
    out = table.take(pa.array(chosen))
    amounts = pa.array(value[chosen].astype(np.int64))
    return pa.table(
        [out["employee_id"], out["department"], pc.cast(amounts, pa.decimal128(20, 0))],
        schema=LTV_SCHEMA,
    )


CURVE_SCHEMA = pa.schema(
    [("department", pa.string()), ("tenure_year", pa.string()), ("value", pa.float64())]
)


def retention_curve(ctx: Context) -> pa.Table:
    """The Kaplan–Meier curves themselves, for the chart and for checking the LTV."""
    if any(n not in ctx.tables for n in NEEDED):
        return CURVE_SCHEMA.empty_table()
    found = curves(ctx)[1]
    depts, years, values = [], [], []
    for dept in sorted(found):
        for t, s in enumerate(found[dept][:11]):
            depts.append(dept)
            years.append(f"{t:02d}")
            values.append(float(s) * 100)
    return pa.table({"department": depts, "tenure_year": years, "value": values}, CURVE_SCHEMA)


FUNCTIONS = {"hc_employee_ltv": employee_ltv, "hc_retention_curve": retention_curve}
