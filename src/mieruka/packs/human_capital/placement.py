"""Where each person is counted: placements that several indicators share, once a run.

Two placements recur across the pack's figures:

- **at the year end or on leaving** — the latest position that started by the fiscal
  year's last day, or by the day the person left if that came first (paid leave, training,
  as MHLW's surveys place people by their status at the year end or on leaving);
- **for turnover** — the position on the year's first day, or on the day of leaving for
  someone who left in the year.

Each is a join of the roster with the effective-dated positions and a window to keep the
latest position; the indicators that share one read it from a table computed once a run
(`core/run_memo.once`) and registered in the run's engine, instead of each repeating the join.
"""

from __future__ import annotations

import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once

YEAR_END_SQL = """
    SELECT e.employee_id, e.gender, p.entity, p.department, p.employment_type,
           coalesce(p.is_officer, FALSE) AS officer,
           e.hire_date <= {end}
             AND (e.separation_date IS NULL OR e.separation_date >= {end}) AS at_end
    FROM {employees} e JOIN {positions} p ON p.employee_id = e.employee_id
     AND p.valid_from <= least(coalesce(e.separation_date, {end}), {end})
    QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1"""

TURNOVER_SQL = """
    WITH e AS (
      SELECT *, separation_date BETWEEN {start} AND {end} AS left_in_year,
             hire_date <= {start}
               AND (separation_date IS NULL OR separation_date >= {start}) AS at_start
      FROM {employees})
    SELECT e.employee_id AS key, p.entity, e.gender,
           CASE WHEN e.left_in_year THEN e.separation_reason END AS reason,
           coalesce(e.left_in_year, FALSE) AS left_in_year,
           coalesce(e.left_in_year AND e.separation_reason = 'voluntary', FALSE) AS voluntary,
           e.at_start
    FROM e JOIN {positions} p ON p.employee_id = e.employee_id
     AND p.valid_from <= CASE WHEN e.left_in_year THEN e.separation_date ELSE {start} END
    WHERE e.left_in_year OR e.at_start
    QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1
        AND NOT coalesce(p.is_officer, FALSE)
    ORDER BY e.employee_id"""


def _dates(ctx: Context) -> dict[str, str]:
    return {"start": f"DATE '{ctx.period.start}'", "end": f"DATE '{ctx.period.end}'"}


def has_roster(ctx: Context) -> bool:
    return "employees" in ctx.tables and "positions" in ctx.tables


def year_end_table(ctx: Context) -> str:
    """The name of a table in the run's engine with everyone placed at the year end or on
    leaving: employee_id, gender, entity, department, employment_type, officer, at_end
    (employed on the year's last day). Officers are in it, flagged; people with no
    position by then are not."""
    name = f"hc_placed_year_end_{int(ctx.period.fiscal_year)}"

    def build() -> str:
        sql = YEAR_END_SQL.format(
            employees=ctx.tables["employees"], positions=ctx.tables["positions"], **_dates(ctx)
        )
        ctx.engine.register(name, ctx.engine.query(sql))
        return name

    return once(ctx, "placement.year_end", build)


def turnover_table(ctx: Context) -> pa.Table:
    """Non-officers on the roll on the year's first day or who left in the year, placed on
    that day or on leaving: key, entity, gender, reason (of leaving in the year),
    left_in_year, voluntary (left in the year for that reason), at_start."""
    sql = TURNOVER_SQL.format(
        employees=ctx.tables["employees"], positions=ctx.tables["positions"], **_dates(ctx)
    )
    return once(ctx, "placement.turnover", lambda: ctx.engine.query(sql))
