"""Compute once per run what several pack functions of the run share.

A run evaluates every indicator through its own `Context`, but all of them share one
engine. Packs whose indicators read the same intermediate (the human_capital pack: the wage
basis feeds seven indicators, the year-end placement four…; the icfr pack: one count of
leading digits feeds both Benford tests) ask for it through `once`, which memoises per
engine — weakly, results go with the engine when the evaluation ends — and per period,
tables and options, so nothing leaks from one run, or one set of options, into another.
Re-reading them per indicator cost most of a run at 300,000 employees (bench/bench_hc.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from mieruka.core.evaluate import Context

T = TypeVar("T")
_MEMO: WeakKeyDictionary[Any, dict[Hashable, Any]] = WeakKeyDictionary()


def once(ctx: Context, name: str, compute: Callable[[], T]) -> T:
    """`compute()` the first time `name` is asked for in this run, the same object after."""
    memo = _MEMO.setdefault(ctx.engine, {})
    key = (
        name,
        ctx.period,
        tuple(sorted(ctx.tables.items())),
        tuple(sorted((k, repr(v)) for k, v in ctx.options.items())),
    )
    if key not in memo:
        memo[key] = compute()
    result: T = memo[key]
    return result
