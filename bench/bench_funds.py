"""Valuation and risk of N bonds: the vectorised pack math against a per-bond QuantLib loop.

Both compute, per bond, the compound-yield dirty price, modified duration, BPV and the
+50/+100/+200 bp shocked prices with the same conventions; the script prints both timings,
their ratio and the largest price difference per 100 face, measured in the same run.

    .venv/bin/python bench/bench_funds.py [N]      # N defaults to 100,000
"""

from __future__ import annotations

import sys
import time

import numpy as np
import QuantLib as ql

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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = cases(n)
    t0 = time.perf_counter()
    fast = vectorised(*data)
    t1 = time.perf_counter()
    slow = quantlib_loop(*data)
    t2 = time.perf_counter()
    diff = float(np.max(np.abs(fast[0] - slow)))
    print(f"bonds: {n:,}")
    print(f"vectorised numpy : {t1 - t0:8.3f} s")
    print(f"QuantLib per bond: {t2 - t1:8.3f} s")
    print(f"ratio            : {(t2 - t1) / (t1 - t0):8.1f}x faster")
    print(f"max |price diff| : {diff:.2e} per 100 face")


if __name__ == "__main__":
    main()
