"""Pack functions for voluntary KPIs: options in the arithmetic, or joins a run shares.

`hc.fte` divides contracted weekly hours by the standard week, which is an option
(`standard_weekly_hours`), so it cannot be a static SQL formula. The two paid-leave
uptakes and the two turnover rates read the run's shared placements (`placement.py`)
instead of each joining the roster with the positions again; each evidence row is still
one person (paid leave: one row per person and year, as the file is keyed).
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pyarrow as pa
import pyarrow.compute as pc

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
from mieruka.packs.human_capital.options import HcOptions
from mieruka.packs.human_capital.placement import turnover_table, year_end_table

FTE_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("entity", pa.string()),
        ("gender", pa.string()),
        ("employment_type", pa.string()),
        ("department", pa.string()),
        ("value", pa.decimal128(38, 10)),
    ]
)


def fte(ctx: Context) -> pa.Table:
    """Each person on the reference date as a share of a full-time week (blank hours = 1)."""
    if "employees" not in ctx.tables or "positions" not in ctx.tables:
        return FTE_SCHEMA.empty_table()
    std = HcOptions.from_mapping(ctx.options).standard_weekly_hours
    day = f"DATE '{ctx.period.as_of}'"
    table = ctx.engine.query(
        f"""SELECT e.employee_id AS key, p.entity, e.gender, p.employment_type, p.department,
                   p.weekly_hours
        FROM {ctx.tables["employees"]} e JOIN {ctx.tables["positions"]} p
          ON p.employee_id = e.employee_id AND p.valid_from <= {day}
         AND (p.valid_to IS NULL OR p.valid_to >= {day})
        WHERE e.hire_date <= {day} AND (e.separation_date IS NULL OR e.separation_date >= {day})
          AND NOT coalesce(p.is_officer, FALSE)
        ORDER BY e.employee_id"""
    )
    # one share per distinct contracted week (a handful), mapped back onto the rows
    weeks = pc.unique(table["weekly_hours"])
    shares = []
    with localcontext() as c:
        c.prec = 40
        for hours in weeks.to_pylist():
            share = Decimal(1) if hours is None else min(Decimal(hours) / std, Decimal(1))
            shares.append(share.quantize(Decimal("1e-10")))
    index = pc.index_in(table["weekly_hours"], value_set=weeks, skip_nulls=False)
    value = pc.take(pa.array(shares, pa.decimal128(38, 10)), index)
    return table.drop_columns(["weekly_hours"]).append_column("value", value).cast(FTE_SCHEMA)


PAID_LEAVE_SQL = """
    SELECT l.employee_id AS key, p.entity, p.department, p.employment_type, p.gender,
           l.days_taken AS numerator, l.days_granted AS denominator
    FROM {paid_leave} l JOIN {placed} p ON p.employee_id = l.employee_id
    WHERE l.fiscal_year = {fy}
    ORDER BY l.employee_id"""


def _paid_leave(ctx: Context) -> pa.Table:
    """The year's paid leave, each person placed at the year end or on leaving."""
    sql = PAID_LEAVE_SQL.format(
        paid_leave=ctx.tables["paid_leave"],
        placed=year_end_table(ctx),
        fy=int(ctx.period.fiscal_year),
    )
    return once(ctx, "kpis.paid_leave", lambda: ctx.engine.query(sql))


def paid_leave_uptake(ctx: Context) -> pa.Table:
    """hc.paid_leave_uptake: regular workers, by entity, department and gender."""
    table = _paid_leave(ctx)
    table = table.filter(pc.equal(table["employment_type"], "regular"))
    return table.select(["key", "entity", "department", "gender", "numerator", "denominator"])


def paid_leave_uptake_all(ctx: Context) -> pa.Table:
    """hc.paid_leave_uptake_all: every employment type."""
    return _paid_leave(ctx).select(
        ["key", "entity", "employment_type", "gender", "numerator", "denominator"]
    )


def turnover(ctx: Context) -> pa.Table:
    """hc.turnover: separations in the year over the headcount on its first day."""
    table = turnover_table(ctx)
    columns = [table[c] for c in ("key", "entity", "gender", "reason", "left_in_year", "at_start")]
    names = ["key", "entity", "gender", "reason", "numerator", "denominator"]
    return pa.table(columns, names=names)


def turnover_voluntary(ctx: Context) -> pa.Table:
    """hc.turnover_voluntary: voluntary separations over the same headcount."""
    table = turnover_table(ctx)
    columns = [table[c] for c in ("key", "entity", "gender", "voluntary", "at_start")]
    return pa.table(columns, names=["key", "entity", "gender", "numerator", "denominator"])


FUNCTIONS = {
    "hc_fte": fte,
    "hc_paid_leave_uptake": paid_leave_uptake,
    "hc_paid_leave_uptake_all": paid_leave_uptake_all,
    "hc_turnover": turnover,
    "hc_turnover_voluntary": turnover_voluntary,
}
