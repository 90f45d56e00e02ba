"""Deficiency evaluation wired to data: inside a run (pack function) and from the CLI.

Both paths read the same datasets through DuckDB and call `deficiency.evaluate_deficiencies`
with the same materiality, so the figure in the run and the reasoning the CLI prints agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pyarrow as pa

from mieruka.core.engine import DuckDBEngine
from mieruka.core.evaluate import Context
from mieruka.core.project import Project
from mieruka.core.runs import current_snapshots, snapshot_paths
from mieruka.packs.icfr.benford import counts_sql
from mieruka.packs.icfr.deficiency import Finding, evaluate_deficiencies
from mieruka.packs.icfr.functions import AMOUNTS, materiality_amount
from mieruka.packs.icfr.scoping import scope_locations

INPUTS = ("deficiencies", "controls", "processes", "tests")

Query = Callable[[str], pa.Table]


def _rows(query: Query, tables: Mapping[str, str], name: str) -> list[dict[str, Any]]:
    return query(f"SELECT * FROM {tables[name]}").to_pylist() if name in tables else []


def assess(query: Query, tables: Mapping[str, str], fy: int, on: date,
           options: Mapping[str, Any]) -> tuple[float | None, list[Finding]]:  # fmt: skip
    """Materiality and the findings; no findings when materiality cannot be computed."""
    income = None
    if "locations" in tables:
        rows = query(f"SELECT sum(pretax_income) AS s FROM {tables['locations']} "
                     f"WHERE fiscal_year = {int(fy)}").to_pylist()  # fmt: skip
        income = rows[0]["s"]
    m = materiality_amount(dict(options), None if income is None else int(income))
    if m is None:
        return None, []
    data = {name: _rows(query, tables, name) for name in INPUTS}
    findings, _ = evaluate_deficiencies(
        data["deficiencies"], data["controls"], data["processes"], data["tests"], fy, on, m,
        options,
    )  # fmt: skip
    return m, findings


def deficiencies_indicator(ctx: Context) -> pa.Table:
    """icfr.deficiencies: one row per deficiency (key) with its classification."""
    p = ctx.period
    _, findings = assess(ctx.sql, ctx.tables, p.fiscal_year, p.as_of, ctx.options)
    return pa.table({
        "key": pa.array([f.deficiency_id for f in findings], pa.string()),
        "classification": pa.array([f.classification for f in findings], pa.string()),
    })  # fmt: skip


def read_dataset(project: Project, dataset: str) -> list[dict[str, Any]]:
    """Rows of a dataset's latest snapshot ([] when it was never loaded)."""
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        return _rows(engine.query, engine.tables, dataset)
    finally:
        engine.close()


def read_datasets(project: Project, names: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """Rows of each dataset's latest snapshot, through one engine ([] when never loaded)."""
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        return {name: _rows(engine.query, engine.tables, name) for name in names}
    finally:
        engine.close()


def benford_counts(project: Project, start: str, end: str, digits: int) -> dict[int, int]:
    """Leading-digit counts of the journal amounts dated in [start, end] (latest snapshot)."""
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        if "journal_entries" not in engine.tables:
            return {}
        amounts = AMOUNTS.format(table=engine.tables["journal_entries"], start=start, end=end)
        return {int(d): int(n) for d, n in engine.rows(counts_sql(amounts, digits))}
    finally:
        engine.close()


def scope_options(options: Mapping[str, Any]) -> tuple[str, Any, dict[str, str]]:
    """(indicator, threshold, additions) from [packs.icfr]; defaults revenue, 2/3, none."""
    return (str(options.get("scope_indicator", "revenue")), options.get("scope_threshold", "2/3"),
            dict(options.get("scope_additions", {})))  # fmt: skip


def scope_indicator(ctx: Context) -> pa.Table:
    """icfr.scope_coverage: the share (%) of each in-scope location and their total."""
    indicator, threshold, additions = scope_options(ctx.options)
    rows = _rows(ctx.sql, ctx.tables, "locations")
    s = scope_locations(rows, ctx.period.fiscal_year, indicator, threshold, additions)
    ids = [None, *(x.location_id for x in s.selected)]
    shares = [float(s.ratio) * 100, *(float(x.share) * 100 for x in s.selected)]
    return pa.table({"location_id": pa.array(ids, pa.string()),
                     "value": pa.array(shares, pa.float64())})  # fmt: skip


def assess_project(project: Project, fy: int, on: date) -> tuple[float | None, list[Finding]]:
    """The same evaluation over the workspace's latest snapshots (for the CLI)."""
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        return assess(engine.query, engine.tables, fy, on, project.ws.pack_options("icfr"))
    finally:
        engine.close()
