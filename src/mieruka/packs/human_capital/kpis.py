"""Pack functions for voluntary KPIs whose arithmetic depends on the pack's options.

`hc.fte` divides contracted weekly hours by the standard week, which is an option
(`standard_weekly_hours`), so it cannot be a static SQL formula.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pyarrow as pa
import pyarrow.compute as pc

from mieruka.core.evaluate import Context
from mieruka.packs.human_capital.options import HcOptions

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


FUNCTIONS = {"hc_fte": fte}
