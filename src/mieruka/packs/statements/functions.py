"""Schedule checks inside a run, as pack functions (indicators of aggregate `value`).

A function runs in every run of every workspace, whether or not the statements datasets
were loaded; returning NULL then makes the figure `no_data` instead of a reassuring 0.
The per-row evidence of a failing prepared schedule comes from the SQL rules in
`specs/statements.yaml`; these figures give the dashboard its one-line verdict per schedule.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.packs.statements.build import asset_from_record
from mieruka.packs.statements.check import check_schedule
from mieruka.packs.statements.reader import row_from_record
from mieruka.packs.statements.schedule import build_schedule


def _value(count: int | None) -> pa.Table:
    return pa.table({"value": pa.array([count], pa.int64())})


def _records(ctx: Context, dataset: str) -> list[dict[str, Any]] | None:
    table = ctx.tables.get(dataset)
    return None if table is None else ctx.sql(f"SELECT * FROM {table}").to_pylist()


def built_schedule_errors(ctx: Context) -> pa.Table:
    """Errors in schedule (1) as mieruka builds it from `fixed_assets` (must be 0)."""
    records = _records(ctx, "fixed_assets")
    if records is None:
        return _value(None)
    assets = [asset_from_record(r) for r in records]
    p = ctx.period
    schedule = build_schedule(assets, p.fiscal_year, p.start, p.end)
    return _value(len(check_schedule(schedule.rows).errors))


def prepared_schedule_errors(ctx: Context) -> pa.Table:
    """Errors in the loaded `schedule_fixed_assets` (a prepared or published schedule)."""
    records = _records(ctx, "schedule_fixed_assets")
    if records is None:
        return _value(None)
    try:
        rows = [row_from_record(r) for r in records]
    except ValueError:  # the load-time check refuses such files; count it, do not crash
        return _value(len(records))
    return _value(len(check_schedule(rows).errors))


FUNCTIONS = {
    "statements_built_schedule_errors": built_schedule_errors,
    "statements_prepared_schedule_errors": prepared_schedule_errors,
}
