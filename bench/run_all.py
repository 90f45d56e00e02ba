"""Run every benchmark in bench/, each in its own process, and print one table.

    python bench/run_all.py [--rows 10000000] [--repeat 3]

Each benchmark module exposes `measure(rows, repeat, say) -> dict` (a table row); it runs
in a subprocess (`python bench/<module>.py --rows N --repeat R --json`) so that the peak
memory it reports is its own, not the largest of all benchmarks run so far.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_run", "bench_load")


def run_one(module: str, rows: int, repeat: int) -> dict[str, object]:
    command = [sys.executable, str(HERE / f"{module}.py"), "--rows", str(rows)]
    command += ["--repeat", str(repeat), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"workload": module, "size": f"{rows:,} rows", "error": done.stderr[-500:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def table(rows: list[dict[str, object]]) -> str:
    head = ("workload", "size", "mieruka s", "baseline s", "ratio", "goal", "peak MB")
    lines = [head]
    for r in rows:
        if "error" in r:
            lines.append((str(r["workload"]), str(r["size"]), "error", "", "", "", ""))
            continue
        lines.append(
            (
                str(r["workload"]),
                str(r["size"]),
                f"{r['mieruka_s']:.2f}",
                f"{r['baseline_s']:.2f}",
                f"{r['ratio']:.2f}",
                f"<= {r['goal']}",
                f"{r['peak_mb']:,.0f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [run_one(m, args.rows, args.repeat) for m in BENCHMARKS]
    print(table(rows))
    for r in rows:
        if "error" in r:
            print(f"\n{r['workload']} failed:\n{r['error']}")
        else:
            print(f"\n{r['workload']}: baseline = {r['baseline']}")


if __name__ == "__main__":
    main()
