"""Valuation and risk of N bonds: the vectorised pack math against a per-bond QuantLib loop.

Both compute, per bond, the compound-yield dirty price, modified duration, BPV and the
+50/+100/+200 bp shocked prices with the same conventions; the script prints both timings,
their ratio and the largest price difference per 100 face, measured in the same run.

    .venv/bin/python bench/bench_funds.py [--rows N] [--repeat R] [--json]   # N: 100,000

The risk figures are computed in blocks of `bondmath.CHUNK` bonds (see `bondmath.risk`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import QuantLib as ql

from harness import cli, peak_mb, reset_peak
from mieruka.packs.funds import bondmath as bm

DC = ql.Actual365Fixed()


def cases(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    settle = np.full(n, np.datetime64("2025-03-31"))
    maturity = settle + rng.integers(30, 30 * 365, n).astype("timedelta64[D]")
    coupon = np.round(rng.uniform(0.0, 3.0, n), 3)
    yld = np.round(rng.uniform(-0.1, 3.0, n), 4)
    return settle, maturity, coupon, yld, np.full(n, 2, dtype=np.int64)


def vectorised(settle, maturity, coupon, yld, freq):
    r = bm.risk(coupon, settle, maturity, freq, yld, (50, 100, 200))
    return [r["dirty"], r["duration"], r["bpv"], r["dirty_50"], r["dirty_100"], r["dirty_200"]]


def _qd(d):
    y, m, dd = (int(x) for x in str(d).split("-"))
    return ql.Date(dd, m, y)


def quantlib_loop(settle, maturity, coupon, yld, freq):
    dirty = np.empty(len(settle))
    s = _qd(settle[0])
    for i in range(len(settle)):
        mat = _qd(maturity[i])
        sched = ql.Schedule(
            s - ql.Period(6, ql.Months),
            mat,
            ql.Period(6, ql.Months),
            ql.NullCalendar(),
            ql.Unadjusted,
            ql.Unadjusted,
            ql.DateGeneration.Backward,
            False,
        )
        leg = [ql.SimpleCashFlow(coupon[i] / 2, d) for d in list(sched)[1:]]
        leg.append(ql.SimpleCashFlow(100.0, mat))
        y = yld[i] / 100
        dirty[i] = ql.CashFlows.npv(leg, y, DC, ql.Compounded, 2, False, s, s)
        ql.CashFlows.duration(leg, y, DC, ql.Compounded, 2, ql.Duration.Modified, False, s, s)
        ql.CashFlows.basisPointValue(leg, y, DC, ql.Compounded, 2, False, s, s)
        for bp in (50, 100, 200):
            ql.CashFlows.npv(leg, y + bp / 10_000, DC, ql.Compounded, 2, False, s, s)
    return dirty


def measure(rows: int, repeat: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Vectorised: warm-up, then best of `repeat`; the QuantLib loop once (its time is all
    per-bond work, and at 100,000 bonds it runs for minutes). Peak memory per side."""
    data = cases(rows)
    vectorised(*(d[:100] for d in data))  # warm-up on a slice
    reset_peak()
    times = []
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        fast = vectorised(*data)
        times.append(time.perf_counter() - t0)
    fast_peak = peak_mb()
    say(f"vectorised numpy : {min(times):8.3f} s (best of {len(times)})")
    reset_peak()
    t0 = time.perf_counter()
    slow = quantlib_loop(*data)
    slow_s = time.perf_counter() - t0
    slow_peak = peak_mb()
    diff = float(np.max(np.abs(fast[0] - slow)))
    say(f"QuantLib per bond: {slow_s:8.3f} s")
    say(f"speed-up         : {slow_s / min(times):8.1f}x (goal >= 20x)")
    say(f"max |price diff| : {diff:.2e} per 100 face")
    return {
        "workload": "funds valuation+risk",
        "size": f"{rows:,} bonds",
        "baseline": "QuantLib per-bond loop (npv, duration, BPV, 3 shocks)",
        "baseline_s": slow_s,
        "mieruka_s": min(times),
        "ratio": min(times) / slow_s,
        "goal": 0.05,
        "peak_mb": fast_peak,
        "baseline_peak_mb": slow_peak,
        "max_price_diff": diff,
    }


if __name__ == "__main__":
    cli(measure, __doc__, rows=100_000, repeat=3)
