"""Benchmark: mieruka's checked load against DuckDB's own CSV → Parquet copy.

    python bench/bench_load.py --rows 10000000

Generates a CSV (ids, a date, a yen amount, a code, a boolean) with numpy's
Generator into bench/data/ (reused when it already exists), then times

  (a) DuckDB alone: COPY (SELECT * FROM read_csv('f.csv')) TO 'x.parquet'
  (b) mieruka.core.loader.load_file with a matching DatasetSchema

and prints both times, the ratio (goal ≤ 1.5) and the peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    source = DATA / f"employees_{args.rows}.csv"
    if not source.exists():
        t0 = time.perf_counter()
        generate(args.rows, source)
        print(f"generated {source} in {time.perf_counter() - t0:.1f} s")
    size_mb = source.stat().st_size / 1e6

    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        out = Path(tmp)
        duck = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            con = duckdb.connect()
            con.execute(
                f"COPY (SELECT * FROM read_csv('{source}')) TO '{out / 'duck.parquet'}' "
                "(FORMAT parquet)"
            )
            con.close()
            duck.append(time.perf_counter() - t0)
        after_duck = peak_mb()

        ours = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            typed = load_file(SCHEMA, source, out / f"ours{i}.parquet")
            ours.append(time.perf_counter() - t0)
        assert typed.rows == args.rows, typed.rows

    a, b = min(duck), min(ours)
    print(f"rows: {args.rows:,}  file: {size_mb:,.0f} MB")
    print(f"(a) DuckDB COPY read_csv -> parquet: {a:6.2f} s")
    print(f"(b) mieruka load_file:               {b:6.2f} s")
    print(f"ratio b/a: {b / a:.2f}  (goal <= 1.5)")
    print(f"peak RSS: {peak_mb():,.0f} MB (after DuckDB alone: {after_duck:,.0f} MB)")


if __name__ == "__main__":
    main()
