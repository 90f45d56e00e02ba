"""男女の賃金の差異: pack functions, because the figure is a ratio of two means.

The core aggregates Σnumerator ÷ Σdenominator over the total and each breakdown; a gap
(female mean ÷ male mean) cannot be written that way, and dividing means rounded to ten
digits could flip a half-up rounding at a tie. So:

- `hc.wage_mean_<group>` (ratio: Σwage ÷ Σheadcount weight) carries the evidence, one row
  per employee, with an `entity_gender` dimension (e.g. `E01:F`) to drill into one side;
- `hc.wage_gap_<group>` (value) is computed here in exact rational arithmetic from the very
  same rows and truncated at 20 digits, which never moves a half-up or truncating rounding
  at one decimal.

Placement: the position on the fiscal year's last day, or on the day the person left
(the latest position that started by then). Officers are excluded. Weights: 1 per person
(default); with `wage_headcount = "month_end_average"` the month-ends employed ÷ 12; with
`fte_part_time` non-regular workers by weekly_hours ÷ standard hours (capped at 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import Any

import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.packs.human_capital.options import HcOptions

NEEDED = ("employees", "positions", "wages")
GROUPS = {
    "all": ("regular", "part_time", "fixed_term"),
    "regular": ("regular",),
    "non_regular": ("part_time", "fixed_term"),
}


@dataclass(frozen=True)
class WageRow:
    employee_id: str
    gender: str
    entity: str
    department: str | None
    employment_type: str
    wage: int
    weight: Fraction


def _sql(ctx: Context, opts: HcOptions) -> str:
    t = ctx.tables
    p = ctx.period
    minus = "".join(
        f" - coalesce(w.{col}, 0)"
        for col, on in (
            ("retirement_allowance", opts.exclude_retirement_allowance),
            ("commuting_allowance", opts.exclude_commuting_allowance),
        )
        if on
    )
    return f"""
    WITH ends AS (
      SELECT last_day(DATE '{p.start}' + to_months(CAST(k AS INTEGER))) AS d FROM range(12) r(k)),
    e AS (
      SELECT employee_id, gender, hire_date, separation_date,
             least(coalesce(separation_date, DATE '{p.end}'), DATE '{p.end}') AS placed_on
      FROM {t["employees"]}),
    w AS (
      SELECT w.employee_id, e.gender, w.total_wages{minus} AS wage, e.placed_on,
             (SELECT count(*) FROM ends WHERE e.hire_date <= d
                AND (e.separation_date IS NULL OR e.separation_date >= d)) AS months
      FROM {t["wages"]} w JOIN e ON e.employee_id = w.employee_id
      WHERE w.fiscal_year = {int(p.fiscal_year)})
    SELECT w.employee_id, w.gender, p.entity, p.department, p.employment_type, w.wage,
           w.months, p.weekly_hours, coalesce(p.is_officer, FALSE) AS officer
    FROM w JOIN {t["positions"]} p ON p.employee_id = w.employee_id AND p.valid_from <= w.placed_on
    QUALIFY row_number() OVER (PARTITION BY w.employee_id ORDER BY p.valid_from DESC) = 1
    ORDER BY w.employee_id"""


def _weight(opts: HcOptions, etype: str, months: int, hours: Any) -> Fraction:
    share = Fraction(months, 12) if opts.wage_headcount == "month_end_average" else Fraction(1)
    std = Fraction(opts.standard_weekly_hours)
    if opts.fte_part_time and etype != "regular" and hours is not None:
        share *= min(Fraction(Decimal(hours)) / std, Fraction(1))
    return share


def wage_rows(ctx: Context, group: str) -> list[WageRow]:
    """Everyone with a wages row in the year, placed, weighted and filtered to the group."""
    if any(name not in ctx.tables for name in NEEDED):
        return []
    opts = HcOptions.from_mapping(ctx.options)
    out = []
    for emp, gender, entity, dept, etype, wage, months, hours, officer in ctx.engine.rows(
        _sql(ctx, opts)
    ):
        if officer or etype not in GROUPS[group]:
            continue
        out.append(
            WageRow(
                emp, gender, entity, dept, etype, int(wage), _weight(opts, etype, months, hours)
            )
        )
    return out


def _decimal(value: Fraction, digits: int, rounding: str) -> Decimal:
    with localcontext() as c:
        c.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-digits), rounding=rounding)


MEAN_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("entity", pa.string()),
        ("gender", pa.string()),
        ("entity_gender", pa.string()),
        ("employment_type", pa.string()),
        ("department", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.decimal128(38, 10)),
    ]
)


def mean_table(rows: Iterable[WageRow]) -> pa.Table:
    """Evidence rows of a mean-wage indicator: wage over headcount weight, per employee."""
    data: dict[str, list[Any]] = {f.name: [] for f in MEAN_SCHEMA}
    for r in rows:
        for name, value in (
            ("key", r.employee_id),
            ("entity", r.entity),
            ("gender", r.gender),
            ("entity_gender", f"{r.entity}:{r.gender}"),
            ("employment_type", r.employment_type),
            ("department", r.department),
            ("numerator", r.wage),
            ("denominator", _decimal(r.weight, 10, ROUND_HALF_EVEN)),
        ):
            data[name].append(value)
    return pa.table(data, schema=MEAN_SCHEMA)


def gaps(rows: Iterable[WageRow]) -> dict[str | None, Fraction]:
    """Female mean ÷ male mean × 100, exactly, per entity and for all entities (None).

    People of gender X are left out of both means (the note says how many)."""
    sums: dict[tuple[str | None, str], list[Fraction]] = {}
    for r in rows:
        if r.gender not in ("F", "M"):
            continue
        for entity in (r.entity, None):
            acc = sums.setdefault((entity, r.gender), [Fraction(0), Fraction(0)])
            acc[0] += r.wage
            acc[1] += r.weight
    out: dict[str | None, Fraction] = {}
    for entity in {e for e, _ in sums}:
        f, m = sums.get((entity, "F")), sums.get((entity, "M"))
        if f and m and f[1] and m[1] and m[0]:
            out[entity] = (f[0] / f[1]) / (m[0] / m[1]) * 100
    return out


GAP_SCHEMA = pa.schema([("entity", pa.string()), ("value", pa.decimal128(38, 20))])


def gap_table(rows: Iterable[WageRow]) -> pa.Table:
    found = sorted(gaps(rows).items(), key=lambda kv: (kv[0] is not None, kv[0] or ""))
    return pa.table(
        {
            "entity": [e for e, _ in found],
            "value": [_decimal(v, 20, ROUND_DOWN) for _, v in found],
        },
        schema=GAP_SCHEMA,
    )


def excluded_table(rows: Iterable[WageRow]) -> pa.Table:
    """People of gender X with wages: counted in totals, left out of the gap."""
    xs = [r for r in rows if r.gender not in ("F", "M")]
    return pa.table(
        {"key": [r.employee_id for r in xs], "entity": [r.entity for r in xs]},
        schema=pa.schema([("key", pa.string()), ("entity", pa.string())]),
    )


def _functions() -> dict[str, Any]:
    fns: dict[str, Any] = {}
    for group in GROUPS:
        fns[f"hc_wage_mean_{group}"] = lambda ctx, g=group: mean_table(wage_rows(ctx, g))
        fns[f"hc_wage_gap_{group}"] = lambda ctx, g=group: gap_table(wage_rows(ctx, g))
    fns["hc_wage_gap_excluded"] = lambda ctx: excluded_table(wage_rows(ctx, "all"))
    return fns


FUNCTIONS = _functions()
