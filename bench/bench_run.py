"""Benchmark: a mieruka run of 20 indicators (with evidence) against the same SQL in DuckDB.

    python bench/bench_run.py --rows 10000000 [--repeat 3]

Generates a staff table (numpy Generator, fixed seed) as Parquet in bench/data/, creates
a workspace in bench/data/ws-run/<rows>/ declaring it, loads it once (both are reused on
later runs), then times

  (a) baseline: in a fresh DuckDB connection over the same snapshot Parquet file, each
      indicator's formula aggregated the way an analyst would get the same figures
      without evidence — `SELECT dims, agg FROM (formula) GROUP BY GROUPING SETS
      ((), (d1), (d2))` (the total and each single-dimension breakdown), results kept as
      temp tables so that the two composites read them like `ind('...')` does;
  (b) mieruka: `start_run(project, Period.for_fiscal_year(2024))` — evaluation with
      fingerprints of every key set, Decimal arithmetic, targets, and the run appended
      to the SQLite ledger.

Both sides are run once to warm up (mieruka's first run, which writes the keyed copy of
the snapshot, is timed and printed), then timed best of `--repeat`, interleaved. The peak
memory of each side is the process's peak RSS over that side's runs alone (VmHWM, reset
through /proc/self/clear_refs before each phase; ru_maxrss when that is not possible).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from harness import cli, peak_mb, reset_peak

DATA = Path(__file__).resolve().parent / "data"
FY = 2024
PARAMS = {"fy": str(FY), "fy_start": "DATE '2024-04-01'", "fy_end": "DATE '2025-03-31'"}
PARAMS["as_of"] = PARAMS["fy_end"]
DEPTS = [
    "営業",
    "開発",
    "管理",
    "人事",
    "経理",
    "法務",
    "製造",
    "品質",
    "物流",
    "研究",
    "広報",
    "情報",
]
GRADES = [f"G{i}" for i in range(1, 9)]

DATASETS = """\
datasets:
  - id: staff
    key: staff_id
    columns:
      - {name: staff_id, type: string, required: true}
      - {name: gender, type: string, required: true, values: [F, M, X]}
      - {name: dept, type: string, required: true}
      - {name: grade, type: string, required: true}
      - {name: hire_date, type: date, required: true}
      - {name: leave_date, type: date}
      - {name: is_manager, type: boolean, required: true}
      - {name: salary, type: yen, min: 0}
      - {name: age, type: integer, min: 15, max: 80}
      - {name: overtime_hours, type: number, min: 0}
      - {name: leave_granted, type: integer, min: 0}
      - {name: leave_taken, type: integer, min: 0}
      - {name: training_hours, type: number, min: 0}
      - {name: engagement, type: integer, min: 1, max: 5}
"""

EMPLOYED = "hire_date <= :as_of AND (leave_date IS NULL OR leave_date > :as_of)"

# id, aggregate, unit, by, formula (":name" parameters, dataset `staff`, ind('...'))
INDICATORS: list[tuple[str, str, str, tuple[str, ...], str]] = [
    (
        "b.headcount",
        "count",
        "people",
        ("gender", "dept"),
        f"SELECT staff_id AS key, gender, dept FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.female_share",
        "ratio",
        "percent",
        ("dept",),
        f"SELECT staff_id AS key, dept, gender = 'F' AS numerator, TRUE AS denominator "
        f"FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.female_managers",
        "ratio",
        "percent",
        ("dept", "grade"),
        f"SELECT staff_id AS key, dept, grade, gender = 'F' AS numerator, TRUE AS denominator "
        f"FROM staff WHERE is_manager AND {EMPLOYED}",
    ),
    (
        "b.payroll",
        "sum",
        "yen",
        ("dept", "grade"),
        f"SELECT staff_id AS key, dept, grade, salary AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.avg_salary",
        "avg",
        "yen",
        ("gender", "grade"),
        f"SELECT staff_id AS key, gender, grade, salary AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.min_salary",
        "min",
        "yen",
        ("dept",),
        f"SELECT staff_id AS key, dept, salary AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.max_salary",
        "max",
        "yen",
        ("dept",),
        f"SELECT staff_id AS key, dept, salary AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.avg_age",
        "avg",
        "years",
        ("gender",),
        f"SELECT staff_id AS key, gender, age AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.avg_tenure",
        "avg",
        "years",
        ("dept",),
        "SELECT staff_id AS key, dept, date_diff('day', hire_date, :as_of) / 365.25 AS value "
        f"FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.overtime",
        "sum",
        "hours",
        ("dept",),
        f"SELECT staff_id AS key, dept, overtime_hours AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.leave_uptake",
        "ratio",
        "percent",
        ("gender", "dept"),
        "SELECT staff_id AS key, gender, dept, leave_taken AS numerator, "
        f"leave_granted AS denominator FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.hires",
        "count",
        "people",
        ("dept",),
        "SELECT staff_id AS key, dept FROM staff WHERE hire_date BETWEEN :fy_start AND :fy_end",
    ),
    (
        "b.leavers",
        "count",
        "people",
        ("dept", "gender"),
        "SELECT staff_id AS key, dept, gender FROM staff "
        "WHERE leave_date BETWEEN :fy_start AND :fy_end",
    ),
    (
        "b.turnover",
        "ratio",
        "percent",
        ("dept",),
        "SELECT staff_id AS key, dept, leave_date <= :fy_end AS numerator, TRUE AS denominator "
        "FROM staff WHERE hire_date < :fy_start AND (leave_date IS NULL OR leave_date >= :fy_start)",
    ),
    (
        "b.managers",
        "count",
        "people",
        ("gender",),
        f"SELECT staff_id AS key, gender FROM staff WHERE is_manager AND {EMPLOYED}",
    ),
    (
        "b.training_avg",
        "avg",
        "hours",
        ("grade",),
        f"SELECT staff_id AS key, grade, training_hours AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.engaged",
        "ratio",
        "percent",
        ("dept",),
        "SELECT staff_id AS key, dept, engagement >= 4 AS numerator, TRUE AS denominator "
        f"FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.max_overtime",
        "max",
        "hours",
        ("grade",),
        f"SELECT staff_id AS key, grade, overtime_hours AS value FROM staff WHERE {EMPLOYED}",
    ),
    (
        "b.payroll_per_head",
        "value",
        "yen",
        (),
        "SELECT p.value / h.value AS value FROM ind('b.payroll') p, ind('b.headcount') h "
        "WHERE p.dept IS NULL AND p.grade IS NULL AND h.gender IS NULL AND h.dept IS NULL",
    ),
    (
        "b.overtime_per_head",
        "value",
        "hours",
        ("dept",),
        "SELECT o.dept, o.value / h.value AS value FROM ind('b.overtime') o "
        "JOIN ind('b.headcount') h ON h.dept = o.dept AND h.gender IS NULL "
        "UNION ALL SELECT NULL, o.value / h.value FROM ind('b.overtime') o, ind('b.headcount') h "
        "WHERE o.dept IS NULL AND h.dept IS NULL AND h.gender IS NULL",
    ),
]


# ---------------------------------------------------------------- data and workspace


def generate(rows: int, path: Path, seed: int = 20250331) -> None:
    """Write `rows` synthetic staff rows as Parquet; 1M-row chunks keep memory flat."""
    rng = np.random.default_rng(seed)
    epoch = np.datetime64("1985-04-01")
    span = (np.datetime64("2025-03-31") - epoch).astype(int)
    chunk = 1_000_000
    writer: pq.ParquetWriter | None = None
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        hire = rng.integers(0, span + 1, n)
        leaves = rng.random(n) < 0.3
        leave = hire + rng.integers(30, 15_000, n)
        grade = rng.integers(0, len(GRADES), n)
        manager = rng.random(n) < (grade / 10.0)  # higher grades manage more often
        granted = rng.integers(10, 21, n)
        leave_dates = (epoch + leave.astype("timedelta64[D]")).astype("datetime64[D]")
        batch = pa.table(
            {
                "staff_id": pa.array(
                    np.char.add("S", np.char.zfill(np.arange(start, start + n).astype(str), 9))
                ),
                "gender": pa.array(
                    np.array(["F", "M", "X"])[rng.choice(3, n, p=[0.45, 0.52, 0.03])]
                ),
                "dept": pa.array(np.array(DEPTS)[rng.integers(0, len(DEPTS), n)]),
                "grade": pa.array(np.array(GRADES)[grade]),
                "hire_date": pa.array(
                    (epoch + hire.astype("timedelta64[D]")).astype("datetime64[D]")
                ),
                "leave_date": pa.array(leave_dates, mask=~leaves),
                "is_manager": pa.array(manager),
                "salary": pa.array(rng.integers(2_500_000, 15_000_000, n)),
                "age": pa.array(rng.integers(18, 66, n)),
                "overtime_hours": pa.array(np.round(rng.gamma(2.0, 8.0, n), 1)),
                "leave_granted": pa.array(granted),
                "leave_taken": pa.array(rng.integers(0, granted + 1)),
                "training_hours": pa.array(np.round(rng.exponential(12.0, n), 1)),
                "engagement": pa.array(rng.integers(1, 6, n)),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(str(path), batch.schema, compression="zstd")
        writer.write_table(batch)
    assert writer is not None
    writer.close()


def specs_yaml() -> str:
    lines = ["indicators:"]
    for ind_id, aggregate, unit, by, formula in INDICATORS:
        digits = 1 if unit in ("percent", "years", "hours") else 0
        lines += [
            f"  - id: {ind_id}",
            f"    label: {{ja: {ind_id}}}",
            f"    unit: {unit}",
            f"    aggregate: {aggregate}",
            f"    rounding: {{digits: {digits}, mode: half_up}}",
        ]
        if by:
            lines.append(f"    by: [{', '.join(by)}]")
        lines.append(f"    formula: {json.dumps(formula, ensure_ascii=False)}")
    lines += [
        "targets:",
        '  - {indicator: b.female_managers, fy: 2024, comparator: ">=", value: 30}',
        '  - {indicator: b.leave_uptake, fy: 2024, comparator: ">=", value: 70}',
    ]
    return "\n".join(lines) + "\n"


def prepare(rows: int, say: Callable[[str], None] = print) -> Path:
    """The workspace for `rows` rows, with the data loaded (built once, then reused)."""
    from mieruka.core.datasets import load
    from mieruka.core.workspace import init_workspace

    DATA.mkdir(parents=True, exist_ok=True)
    source = DATA / f"staff_{rows}.parquet"
    if not source.exists():
        t0 = time.perf_counter()
        generate(rows, source)
        say(f"generated {source.name} in {time.perf_counter() - t0:.1f} s")
    root = DATA / "ws-run" / str(rows)
    ready = root / ".mieruka" / "bench-ready"
    if ready.exists() and (root / "specs" / "bench.yaml").read_text("utf-8") == specs_yaml():
        return root
    shutil.rmtree(root, ignore_errors=True)
    ws = init_workspace(root, organisation="ベンチマーク株式会社")
    (ws.specs_dir / "datasets.yaml").write_text(DATASETS, encoding="utf-8")
    (ws.specs_dir / "bench.yaml").write_text(specs_yaml(), encoding="utf-8")
    project = bench_project(root)
    t0 = time.perf_counter()
    load(project, "staff", source)
    say(f"loaded {rows:,} rows into the workspace in {time.perf_counter() - t0:.1f} s")
    project.close()
    ready.write_text("ok\n", encoding="utf-8")
    return root


# ---------------------------------------------------------------- the two sides


def bench_project(root: Path) -> Any:
    """The workspace without installed packs: only the 20 bench indicators are evaluated
    (pack specs would add their own parsing and no-data indicators to the timing)."""
    from mieruka.core.project import Project
    from mieruka.core.workspace import open_workspace

    project = Project(open_workspace(root))
    project.__dict__["packs"] = []  # cached_property: no installed packs
    return project


def baseline_sql(aggregate: str, by: tuple[str, ...], formula: str) -> str:
    """What an analyst writes for the same figures: total + each breakdown, no evidence."""
    for name, literal in sorted(PARAMS.items(), key=lambda kv: -len(kv[0])):
        formula = formula.replace(f":{name}", literal)
    dims = ", ".join(by)
    sets = ", ".join(["()", *[f"({d})" for d in by]])
    agg = {
        "count": "count(*)",
        "sum": "sum(value)",
        "avg": "avg(value)",
        "min": "min(value)",
        "max": "max(value)",
        "ratio": "100.0 * sum(CAST(numerator AS BIGINT)) / sum(CAST(denominator AS BIGINT))",
    }[aggregate]
    select = f"{dims}, {agg} AS value" if by else f"{agg} AS value"
    group = f" GROUP BY GROUPING SETS ({sets})" if by else ""
    return f"SELECT {select} FROM ({formula}) AS f{group}"


def run_baseline(snapshot: Path) -> int:
    con = duckdb.connect(":memory:")
    con.execute(f"CREATE VIEW staff AS SELECT * FROM read_parquet('{snapshot}')")
    figures = 0
    for ind_id, aggregate, _unit, by, formula in INDICATORS:
        table = "b_" + ind_id.split(".")[1]
        if aggregate == "value":
            for other in {i for i, *_ in INDICATORS}:
                formula = formula.replace(f"ind('{other}')", "b_" + other.split(".")[1])
            sql = formula
        else:
            sql = baseline_sql(aggregate, by, formula)
        con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
        figures += len(con.execute(f"SELECT * FROM {table}").fetchall())
    con.close()
    return figures


def run_mieruka(root: Path) -> int:
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run

    project = bench_project(root)
    try:
        run = start_run(project, Period.for_fiscal_year(FY))
        return run.id
    finally:
        project.close()


def snapshot_of(root: Path) -> Path:
    parquet = sorted((root / ".mieruka" / "snapshots" / "staff").glob("*.parquet"))
    assert len(parquet) == 1, parquet
    return parquet[0]


def measure(rows: int, repeat: int = 3, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Time both sides and return the row of the summary table."""
    root = prepare(rows, say)
    snapshot = snapshot_of(root)
    # warm-up: one run of each (file cache, imports, spec parsing caches); mieruka's first
    # run over a snapshot also writes its keyed copy (core/keyhash.py), timed on its own
    shutil.rmtree(root / ".mieruka" / "cache", ignore_errors=True)
    run_baseline(snapshot)
    t0 = time.perf_counter()
    run_mieruka(root)
    first = time.perf_counter() - t0
    say(f"mieruka's first run over the snapshot (writes the keyed copy): {first:.2f} s")
    ours: list[float] = []
    base: list[float] = []
    peak_ours = peak_base = 0.0
    for _ in range(repeat):
        reset_peak()
        t0 = time.perf_counter()
        figures = run_baseline(snapshot)
        base.append(time.perf_counter() - t0)
        peak_base = max(peak_base, peak_mb())
        reset_peak()
        t0 = time.perf_counter()
        run_mieruka(root)
        ours.append(time.perf_counter() - t0)
        peak_ours = max(peak_ours, peak_mb())
    a, b = min(base), min(ours)
    return {
        "workload": "run: 20 indicators + evidence + ledger",
        "size": f"{rows:,} rows",
        "mieruka_s": b,
        "baseline_s": a,
        "ratio": b / a,
        "goal": 1.5,
        "peak_mb": peak_ours,
        "baseline_peak_mb": peak_base,
        "baseline": "DuckDB: formula + GROUP BY GROUPING SETS per indicator, no evidence",
        "first_run_s": first,
        "detail": f"{figures} figures; first run {first:.2f} s; {date.today().isoformat()}",
    }


if __name__ == "__main__":
    cli(measure, __doc__, rows=10_000_000, repeat=3)
