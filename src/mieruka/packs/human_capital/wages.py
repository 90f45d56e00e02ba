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

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
from mieruka.packs.human_capital.options import HcOptions

NEEDED = ("employees", "positions", "wages")
GROUPS = {
    "all": ("regular", "part_time", "fixed_term"),
    "regular": ("regular",),
    "non_regular": ("part_time", "fixed_term"),
}


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


def _unweighted(opts: HcOptions) -> bool:
    return opts.wage_headcount == "wage_rows" and not opts.fte_part_time


def placed_wages(ctx: Context) -> pa.Table | None:
    """Everyone with a wages row in the year, placed, officers left out — one query a run.

    Columns: employee_id, gender, entity, department, employment_type, wage, months,
    weekly_hours (what a weight needs), by employee_id."""
    if any(name not in ctx.tables for name in NEEDED):
        return None
    opts = HcOptions.from_mapping(ctx.options)

    def query() -> pa.Table:
        return ctx.engine.query(
            f"""SELECT employee_id, gender, entity, department, employment_type,
                   CAST(wage AS BIGINT) AS wage, CAST(months AS INTEGER) AS months, weekly_hours
            FROM ({_sql(ctx, opts)}) WHERE NOT officer ORDER BY employee_id"""
        )

    return once(ctx, "wages.placed", query)


def wage_table(ctx: Context, group: str) -> pa.Table | None:
    """The placed wages of one group (all, regular, non_regular)."""
    table = placed_wages(ctx)
    if table is None:
        return None
    mask = pc.is_in(table["employment_type"], pa.array(GROUPS[group]))
    return table.filter(mask)


def _weights(table: pa.Table, opts: HcOptions) -> list[Fraction]:
    """Each row's headcount weight, exactly (computed once per distinct case)."""
    if _unweighted(opts):
        return [Fraction(1)] * table.num_rows
    memo: dict[tuple[Any, ...], Fraction] = {}
    out = []
    cases = zip(
        table["employment_type"].to_pylist(),
        table["months"].to_pylist(),
        table["weekly_hours"].to_pylist(),
        strict=True,
    )
    for case in cases:
        if case not in memo:
            memo[case] = _weight(opts, *case)
        out.append(memo[case])
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


def mean_table(table: pa.Table | None, opts: HcOptions) -> pa.Table:
    """Evidence rows of a mean-wage indicator: wage over headcount weight, per employee."""
    if table is None:
        return MEAN_SCHEMA.empty_table()
    if _unweighted(opts):
        ones = pa.array(np.ones(table.num_rows, dtype=np.int64))
        weights = pc.cast(ones, pa.decimal128(38, 10))
    else:
        exact = _weights(table, opts)
        rounded = {w: _decimal(w, 10, ROUND_HALF_EVEN) for w in set(exact)}
        weights = pa.array([rounded[w] for w in exact], pa.decimal128(38, 10))
    entity_gender = pc.binary_join_element_wise(table["entity"], table["gender"], ":")
    return pa.table(
        [
            table["employee_id"],
            table["entity"],
            table["gender"],
            entity_gender,
            table["employment_type"],
            table["department"],
            table["wage"],
            weights,
        ],
        schema=MEAN_SCHEMA,
    )


def gaps(table: pa.Table | None, opts: HcOptions) -> dict[str | None, Fraction]:
    """Female mean ÷ male mean × 100, exactly, per entity and for all entities (None).

    People of gender X are left out of both means (the note says how many). The sums are
    taken per (entity, gender, weight case) in Arrow, then weighted exactly in Fractions."""
    if table is None or table.num_rows == 0:
        return {}
    table = table.filter(pc.is_in(table["gender"], pa.array(["F", "M"])))
    weighted = [] if _unweighted(opts) else ["employment_type", "months", "weekly_hours"]
    cases = table.group_by(["entity", "gender", *weighted], use_threads=False).aggregate(
        [("wage", "sum"), ("wage", "count")]
    )
    sums: dict[tuple[str | None, str], list[Fraction]] = {}
    for row in cases.to_pylist():
        weight = (
            _weight(opts, row["employment_type"], row["months"], row["weekly_hours"])
            if weighted
            else Fraction(1)
        )
        for entity in (row["entity"], None):
            acc = sums.setdefault((entity, row["gender"]), [Fraction(0), Fraction(0)])
            acc[0] += row["wage_sum"]
            acc[1] += weight * row["wage_count"]
    out: dict[str | None, Fraction] = {}
    for entity in {e for e, _ in sums}:
        f, m = sums.get((entity, "F")), sums.get((entity, "M"))
        if f and m and f[1] and m[1] and m[0]:
            out[entity] = (f[0] / f[1]) / (m[0] / m[1]) * 100
    return out


GAP_SCHEMA = pa.schema([("entity", pa.string()), ("value", pa.decimal128(38, 20))])


def gap_table(table: pa.Table | None, opts: HcOptions) -> pa.Table:
    found = sorted(gaps(table, opts).items(), key=lambda kv: (kv[0] is not None, kv[0] or ""))
    return pa.table(
        {
            "entity": [e for e, _ in found],
            "value": [_decimal(v, 20, ROUND_DOWN) for _, v in found],
        },
        schema=GAP_SCHEMA,
    )


EXCLUDED_SCHEMA = pa.schema([("key", pa.string()), ("entity", pa.string())])


def excluded_table(table: pa.Table | None) -> pa.Table:
    """People of gender X with wages: counted in totals, left out of the gap."""
    if table is None:
        return EXCLUDED_SCHEMA.empty_table()
    xs = table.filter(pc.invert(pc.is_in(table["gender"], pa.array(["F", "M"]))))
    return pa.table([xs["employee_id"], xs["entity"]], schema=EXCLUDED_SCHEMA)


def _mean(ctx: Context, group: str) -> pa.Table:
    return mean_table(wage_table(ctx, group), HcOptions.from_mapping(ctx.options))


def _gap(ctx: Context, group: str) -> pa.Table:
    return gap_table(wage_table(ctx, group), HcOptions.from_mapping(ctx.options))


def _functions() -> dict[str, Any]:
    fns: dict[str, Any] = {}
    for group in GROUPS:
        fns[f"hc_wage_mean_{group}"] = lambda ctx, g=group: _mean(ctx, g)
        fns[f"hc_wage_gap_{group}"] = lambda ctx, g=group: _gap(ctx, g)
    fns["hc_wage_gap_excluded"] = lambda ctx: excluded_table(wage_table(ctx, "all"))
    return fns


FUNCTIONS = _functions()
