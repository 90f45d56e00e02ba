"""What both baselines of `bench_hc` share: the period, sums → disclosed figures, the check.

A baseline hands over, per indicator, groups `(dims, num, den)`: the exact sums of a
group (count: num = rows; sum: num = Σvalue; avg: Σvalue and rows; ratio: Σnumerator and
Σdenominator) for the total (dims {}) and every single-dimension breakdown, or `value`
figures already computed. They become figures here, in `Decimal`, with the indicator's
multiplier and rounding rule — the disclosure's arithmetic, not binary floats — so the
three sides can be compared figure by figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

FY = 2024
FY_START, FY_END = date(2024, 4, 1), date(2025, 3, 31)
AS_OF = FY_END
BLANK = "(blank)"
MODES = {"half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


@dataclass(frozen=True)
class Meta:
    """An indicator's aggregate, breakdowns and rounding (read from the pack's specs)."""

    aggregate: str
    by: tuple[str, ...]
    multiplier: Decimal
    digits: int
    mode: str


Key = tuple[str, tuple[tuple[str, str], ...]]
Figures = dict[Key, Decimal | None]


def key(indicator: str, dims: dict[str, Any]) -> Key:
    return indicator, tuple(sorted((k, BLANK if v is None else str(v)) for k, v in dims.items()))


def exact(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(float(value))))
    if isinstance(value, Decimal):
        return Fraction(value)
    return Fraction(int(value))


def rounded(value: Fraction | float | None, meta: Meta) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        value = Fraction(Decimal(repr(float(value))))
    with localcontext() as c:
        c.prec = 60
        d = Decimal(value.numerator) / Decimal(value.denominator)
        out = d.quantize(Decimal(1).scaleb(-meta.digits), rounding=MODES[meta.mode])
    return out if out else abs(out)


def figure(meta: Meta, num: Any, den: Any) -> Decimal | None:
    if num is None:
        return None
    n = exact(num)
    if meta.aggregate == "ratio":
        d = exact(den) if den is not None else Fraction(0)
        return None if d == 0 else rounded(n / d * Fraction(meta.multiplier), meta)
    if meta.aggregate == "avg":
        return None if not den else rounded(n / exact(den), meta)
    return rounded(n * Fraction(meta.multiplier), meta)


def add_groups(
    out: Figures,
    indicator: str,
    meta: Meta,
    groups: Iterable[tuple[dict[str, Any], Any, Any]],
) -> None:
    for dims, num, den in groups:
        out[key(indicator, dims)] = figure(meta, num, den)


def compare(
    name: str, ours: Figures, theirs: Figures, say: Any, *, only: str = "hc."
) -> tuple[int, int]:
    """Figures that agree / differ (either side having a value); prints what differs."""
    agree, differ, shown = 0, 0, 0
    for k in sorted(set(ours) | set(theirs)):
        if not k[0].startswith(only):
            continue
        a, b = ours.get(k), theirs.get(k)
        if a is None and b is None:
            continue
        if a == b:
            agree += 1
        else:
            differ += 1
            if shown < 8:
                say(f"    {name} differs: {k[0]} {dict(k[1])}: mieruka {a}, {name} {b}")
                shown += 1
    return agree, differ


def per_indicator(ours: Figures, theirs: Figures) -> dict[str, tuple[int, int]]:
    out: dict[str, list[int]] = {}
    for k in set(ours) | set(theirs):
        a, b = ours.get(k), theirs.get(k)
        if a is None and b is None:
            continue
        out.setdefault(k[0], [0, 0])[0 if a == b else 1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def gap(f_sum: Any, f_n: Any, m_sum: Any, m_n: Any) -> Fraction | None:
    if not f_n or not m_n or not m_sum:
        return None
    return (exact(f_sum) / exact(f_n)) / (exact(m_sum) / exact(m_n)) * 100


def kaplan_meier(whole_years: dict[int, int], left: dict[int, int], horizon: int) -> list[float]:
    """S(0..horizon), product-limit on whole years, from a histogram of floor(tenure in
    years) of everyone (`whole_years`) and of those who left (`left`)."""
    surv, s = [1.0], 1.0
    for t in range(1, horizon + 1):
        at_risk = sum(n for f, n in whole_years.items() if f >= t - 1)
        died = left.get(t - 1, 0)
        if at_risk:
            s *= 1 - died / at_risk
        surv.append(s)
    return surv
