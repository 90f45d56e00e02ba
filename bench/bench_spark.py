"""Benchmark: the icfr journal-entry run on local-mode Spark against the same run on DuckDB.

    python bench/bench_spark.py --rows 10000000 [--repeat 1] [--master local[2]]
                                [--driver-memory 4g] [--memory-limit 3GB]

Reuses `bench_icfr`'s generated ledger and workspace (bench/data/ws-icfr/<rows>/, built and
loaded once). On that workspace, with the same specs and the same snapshot, it times
`start_run` with `engine = "duckdb"` (the baseline: mieruka on DuckDB, `memory_limit` as
given) and with `engine = "spark"` (`spark_master`, default local[2]: the machine's two
cores). Spark's session start (the JVM) is timed apart and is not part of the run: each
side is warmed up once, then best of `--repeat`. Both runs must flag the same lines with
the same score (checked). Reported: both times, the ratio Spark ÷ DuckDB, the Python
process's peak RSS for the DuckDB side and the JVM's peak RSS for the Spark side.

`--driver-memory` sets SPARK_DRIVER_MEMORY (the local-mode JVM heap; mieruka's default is
1g) before the session starts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import bench_icfr

FY = bench_icfr.FY


def _project(root: Path, engine: str, master: str) -> Any:
    from mieruka.core.project import Project
    from mieruka.core.workspace import open_workspace

    ws = open_workspace(root)
    settings = replace(ws.settings, engine=engine, spark_master=master)
    return Project(replace(ws, settings=settings))


def run(root: Path, engine: str, master: str) -> list[tuple[Any, ...]]:
    """One run; the score rule's rows (entry, line, tests, score) to compare the engines."""
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run

    project = _project(root, engine, master)
    try:
        done = start_run(project, Period.for_fiscal_year(FY))
        rows = project.store.violations(done.id, "icfr.je_score")
        return sorted(
            (r["key"]["entry_id"], r["key"]["line_no"], r["row"]["tests"], str(r["row"]["score"]))
            for r in rows
        )
    finally:
        project.close()


def _children_peak_mb() -> float:
    """Peak RSS (VmHWM) of this process's child processes: the local-mode Spark JVM."""
    me, peak = str(os.getpid()), 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == me and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return peak


def measure(
    rows: int,
    repeat: int = 1,
    say: Callable[[str], None] = print,
    master: str = "local[2]",
    driver_memory: str = "4g",
    memory_limit: str | None = "3GB",
) -> dict[str, Any]:
    os.environ.setdefault("SPARK_DRIVER_MEMORY", driver_memory)
    root = bench_icfr.prepare(rows, say)
    bench_icfr.set_memory_limit(root, memory_limit)
    from mieruka.core.spark_engine import spark_session

    t0 = time.perf_counter()
    spark_session(master)
    start_s = time.perf_counter() - t0
    say(f"Spark session ({master}) started in {start_s:.1f} s")
    if rows < 50_000_000:
        run(root, "duckdb", master)  # warm-up: file cache, imports
    else:  # a warm-up run would take minutes: warm the file cache by reading the snapshot
        with bench_icfr.snapshot_of(root).open("rb") as handle:
            while handle.read(64 << 20):
                pass
    duck_s, duck_peak, duck_rows = bench_icfr._best(lambda: run(root, "duckdb", master), repeat)
    say(f"(a) mieruka on DuckDB: {duck_s:8.2f} s, {len(duck_rows):,} scored lines")
    if repeat > 1:
        run(root, "spark", master)  # warm-up (JIT, file cache)
    spark_s, _, spark_rows = bench_icfr._best(lambda: run(root, "spark", master), repeat)
    jvm_peak = _children_peak_mb()
    say(f"(b) mieruka on Spark:  {spark_s:8.2f} s, {len(spark_rows):,} scored lines, "
        f"JVM peak {jvm_peak:,.0f} MB")  # fmt: skip
    if spark_rows != duck_rows:
        raise SystemExit("Spark and DuckDB scored different lines")
    say(f"ratio Spark / DuckDB: {spark_s / duck_s:.2f}")
    return {
        "workload": f"icfr run on Spark {master} (vs DuckDB)",
        "size": f"{rows:,} lines",
        "mieruka_s": spark_s,
        "baseline_s": duck_s,
        "ratio": spark_s / duck_s,
        "goal": None,
        "peak_mb": jvm_peak,
        "baseline_peak_mb": duck_peak,
        "baseline": "the same run on DuckDB (memory_limit " + str(memory_limit) + ")",
        "detail": f"{len(spark_rows)} scored lines on both; Spark start {start_s:.1f} s "
        f"excluded; driver memory {os.environ['SPARK_DRIVER_MEMORY']}; {date.today()}",
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    quiet: Callable[[str], None] = (lambda _m: None) if args.json else print
    row = measure(args.rows, args.repeat, quiet, args.master, args.driver_memory,
                  args.memory_limit or None)  # fmt: skip
    if args.json:
        print(json.dumps(row))
