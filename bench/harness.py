"""What every benchmark shares: peak memory per phase and the command line.

Each benchmark module exposes `measure(rows, repeat, say) -> dict` (one row of
`run_all`'s table) and calls `cli(measure, ...)` from its `__main__`.
"""

from __future__ import annotations

import argparse
import json
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any


def reset_peak() -> bool:
    """Reset the process's peak RSS (VmHWM) so that a phase's own peak can be read."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cli(
    measure: Callable[[int, int, Callable[[str], None]], dict[str, Any]],
    doc: str | None,
    *,
    rows: int,
    repeat: int,
) -> None:
    """`--rows N --repeat R [--json]`: one row as JSON for run_all, or a readable summary."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--repeat", type=int, default=repeat, help="best of N timings")
    parser.add_argument("--json", action="store_true", help="print the row as JSON only")
    args = parser.parse_args()
    row = measure(args.rows, args.repeat, (lambda _m: None) if args.json else print)
    if args.json:
        print(json.dumps(row))
        return
    print(f"{row['workload']}: {args.rows:,} rows ({row.get('size', '')})")
    print(f"(a) baseline — {row['baseline']}: {row['baseline_s']:6.2f} s")
    print(f"(b) mieruka: {row['mieruka_s']:6.2f} s")
    print(f"ratio b/a: {row['ratio']:.2f}  (goal <= {row.get('goal', 1.5)})")
    print(f"peak RSS: mieruka {row['peak_mb']:,.0f} MB, baseline {row['baseline_peak_mb']:,.0f} MB")
