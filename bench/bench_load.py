"""Benchmark: mieruka's checked load against DuckDB's own CSV → Parquet copy.

    python bench/bench_load.py --rows 10000000

Generates a CSV (ids, a date, a yen amount, a code, a boolean) with numpy's
Generator into bench/data/ (reused when it already exists), then times

  (a) DuckDB alone: COPY (SELECT * FROM read_csv('f.csv')) TO 'x.parquet'
  (b) mieruka.core.loader.load_file with a matching DatasetSchema

and prints both times, the ratio (goal ≤ 1.5) and each side's peak RSS (VmHWM, reset
before each phase). `measure()` returns the row `run_all.py` prints. Outside the timing it
asserts that mieruka's output keeps the file's row order and that every repeat wrote the
same content (both once broke silently at scale: DuckDB's IN-list rewrite reordered rows),
and says whether the repeats also wrote the same bytes (not required: see core/content.py).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from harness import cli, peak_mb, reset_peak
from mieruka.core.content import same_content
from mieruka.core.loader import load_file
from mieruka.core.schema import Column, ColumnType, DatasetSchema

DATA = Path(__file__).parent / "data"

SCHEMA = DatasetSchema(
    id="bench",
    key=("employee_id",),
    columns=(
        Column(name="employee_id", required=True),
        Column(name="hired_on", type=ColumnType.date, required=True),
        Column(name="amount", type=ColumnType.yen),
        Column(name="gender", values=("F", "M", "X")),
        Column(name="manager", type=ColumnType.boolean),
    ),
)


def generate(rows: int, path: Path, seed: int = 20240331) -> None:
    """Write `rows` synthetic employee rows; chunks keep memory flat at 10M rows."""
    rng = np.random.default_rng(seed)
    epoch = np.datetime64("1990-01-01")
    chunk = 1_000_000
    with pacsv.CSVWriter(
        str(path),
        pa.schema(
            [
                ("employee_id", pa.string()),
                ("hired_on", pa.string()),
                ("amount", pa.int64()),
                ("gender", pa.string()),
                ("manager", pa.string()),
            ]
        ),
        write_options=pacsv.WriteOptions(quoting_style="none"),
    ) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.char.add("E", np.char.zfill(np.arange(start, start + n).astype(str), 8))
            days = epoch + rng.integers(0, 12_000, n).astype("timedelta64[D]")
            amounts = rng.integers(-50_000, 5_000_000, n)
            genders = np.array(["F", "M", "X"])[rng.choice(3, n, p=[0.45, 0.5, 0.05])]
            flags = np.array(["true", "false"])[rng.integers(0, 2, n)]
            batch = pa.record_batch(
                [
                    pa.array(ids),
                    pa.array(np.datetime_as_string(days, unit="D")),
                    pa.array(amounts),
                    pa.array(genders),
                    pa.array(flags),
                ],
                names=["employee_id", "hired_on", "amount", "gender", "manager"],
            )
            writer.write_batch(batch)


def assert_file_order(parquet: Path) -> None:
    """The i-th row of the output must be the i-th row of the CSV (ids are E00000000...)."""
    wrong = duckdb.sql(
        f"SELECT count(*) FROM (SELECT employee_id, row_number() OVER () - 1 AS n "
        f"FROM read_parquet('{parquet}')) WHERE employee_id <> 'E' || lpad(n::VARCHAR, 8, '0')"
    ).fetchall()[0][0]
    assert wrong == 0, f"{wrong:,} rows out of file order in {parquet}"


def measure(rows: int, repeat: int = 1, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Time both sides (best of `repeat`, interleaved) and return the summary-table row."""
    DATA.mkdir(parents=True, exist_ok=True)
    source = DATA / f"employees_{rows}.csv"
    if not source.exists():
        t0 = time.perf_counter()
        generate(rows, source)
        say(f"generated {source} in {time.perf_counter() - t0:.1f} s")
    duck: list[float] = []
    ours: list[float] = []
    peak_duck = peak_ours = 0.0
    digests: set[str] = set()
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        out = Path(tmp)
        for i in range(repeat):
            reset_peak()
            t0 = time.perf_counter()
            con = duckdb.connect()
            con.execute(
                f"COPY (SELECT * FROM read_csv('{source}')) TO '{out / 'duck.parquet'}' "
                "(FORMAT parquet)"
            )
            con.close()
            duck.append(time.perf_counter() - t0)
            peak_duck = max(peak_duck, peak_mb())
            reset_peak()
            t0 = time.perf_counter()
            typed = load_file(SCHEMA, source, out / f"ours{i}.parquet")
            ours.append(time.perf_counter() - t0)
            peak_ours = max(peak_ours, peak_mb())
            assert typed.rows == rows, typed.rows
            digests.add(typed.sha256)
        for i in range(1, repeat):
            assert same_content(out / "ours0.parquet", out / f"ours{i}.parquet"), i
        assert_file_order(out / "ours0.parquet")
        say(f"{repeat} loads wrote {len(digests)} distinct file(s) of the same content")
    a, b = min(duck), min(ours)
    return {
        "workload": "load: CSV -> checked Parquet",
        "size": f"{rows:,} rows, {source.stat().st_size / 1e6:,.0f} MB",
        "mieruka_s": b,
        "baseline_s": a,
        "ratio": b / a,
        "goal": 1.5,
        "peak_mb": peak_ours,
        "baseline_peak_mb": peak_duck,
        "baseline": "DuckDB: COPY (SELECT * FROM read_csv(f)) TO 'x.parquet' (no checks)",
    }


if __name__ == "__main__":
    cli(measure, __doc__, rows=1_000_000, repeat=1)
