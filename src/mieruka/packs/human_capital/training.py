"""Training indicators: the fiscal year's training summed per person, once a run.

`training` has no key — "one row per course or per year: both are summed" — so the unit
every training figure is made of is the person's year: hours and cost summed per
`employee_id`. Three indicators read it:

- `hc.training_hours_per_employee`, `hc.training_cost_per_employee`: the year's amount
  (leavers' included, placed where they left: the latest position started by the year's
  last day or the day they left) ÷ staff on the year's last day, officers excluded. One
  evidence row per person: their amount (numerator) and whether they were on the roll at
  the year end (denominator); people who left with no training are not evidence.
- `hc.training_cost_total`: the sum of the year's cost; one evidence row per person who
  trained (their cost in the year), roster or not.

Summing the year's rows by person is most of their cost (5.2 million rows a year at
300,000 employees, bench/bench_hc.py), so the sums are computed once a run
(`core/run_memo.once`), placed with the run's shared year-end placement (`placement.py`), and
each indicator filters what it needs from them.
"""

from __future__ import annotations

import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
from mieruka.packs.human_capital.placement import has_roster, year_end_table

PER_PERSON_SQL = """
    SELECT employee_id, sum(hours) AS hours, sum(cost) AS cost FROM {training}
    WHERE fiscal_year = {fy} GROUP BY employee_id"""

PLACED_SQL = """
    SELECT p.employee_id AS key, p.entity, p.department,
           coalesce(t.hours, 0) AS hours, coalesce(t.cost, 0) AS cost, p.at_end,
           p.at_end OR coalesce(t.hours, 0) > 0 AS counts_hours,
           p.at_end OR coalesce(t.cost, 0) > 0 AS counts_cost
    FROM {placed} p LEFT JOIN hc_training_per_person t ON t.employee_id = p.employee_id
    WHERE NOT p.officer AND (p.at_end OR t.hours > 0 OR t.cost > 0)
    ORDER BY p.employee_id"""

# only for a function called without its inputs (the core skips it first, see `needs`)
EMPTY = pa.schema(
    [
        ("key", pa.string()),
        ("entity", pa.string()),
        ("department", pa.string()),
        ("numerator", pa.decimal128(38, 10)),
        ("denominator", pa.bool_()),
    ]
)
EMPTY_TOTAL = pa.schema(
    [("key", pa.string()), ("fiscal_year", pa.string()), ("value", pa.decimal128(38, 10))]
)


def per_person(ctx: Context) -> pa.Table | None:
    """employee_id, hours, cost: the fiscal year's training summed per person (one query
    a run), or None when no training file is loaded."""
    if "training" not in ctx.tables:
        return None
    sql = PER_PERSON_SQL.format(training=ctx.tables["training"], fy=int(ctx.period.fiscal_year))
    return once(ctx, "training.per_person", lambda: ctx.engine.query(sql))


def placed(ctx: Context) -> pa.Table | None:
    """key (employee_id), entity, department, hours, cost, at_end, counts_hours,
    counts_cost: every non-officer on the roll at the year end or trained in the year,
    placed at the year end or on leaving (one query a run)."""
    sums = per_person(ctx)
    if sums is None or not has_roster(ctx):
        return None

    def query() -> pa.Table:
        ctx.engine.register("hc_training_per_person", sums)
        return ctx.engine.query(PLACED_SQL.format(placed=year_end_table(ctx)))

    return once(ctx, "training.placed", query)


def per_employee(ctx: Context, column: str) -> pa.Table:
    """Evidence of `hc.training_<column>_per_employee`: one row per person, the amount
    over whether they count as staff at the year end."""
    table = placed(ctx)
    if table is None:
        return EMPTY.empty_table()
    rows = table.filter(table[f"counts_{column}"])
    columns = [rows["key"], rows["entity"], rows["department"], rows[column], rows["at_end"]]
    return pa.table(columns, names=EMPTY.names)


def cost_total(ctx: Context) -> pa.Table:
    """Evidence of `hc.training_cost_total`: each person's training cost in the year."""
    sums = per_person(ctx)
    if sums is None:
        return EMPTY_TOTAL.empty_table()
    year = pa.array([str(int(ctx.period.fiscal_year))] * sums.num_rows, pa.string())
    return pa.table([sums["employee_id"], year, sums["cost"]], names=EMPTY_TOTAL.names)


FUNCTIONS = {
    "hc_training_hours_per_employee": lambda ctx: per_employee(ctx, "hours"),
    "hc_training_cost_per_employee": lambda ctx: per_employee(ctx, "cost"),
    "hc_training_cost_total": cost_total,
}
