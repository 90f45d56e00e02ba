"""Benford's law: first-digit and first-two-digit conformity, judged by MAD (Nigrini).

At the size of a general ledger a chi-square test rejects almost any real distribution, so
conformity is judged by the mean absolute deviation against Nigrini's bands
(Nigrini, *Benford's Law*, 2012, table 7.1); chi-square and its p-value are shown beside it.
Amounts under 10 yen are left out, as Nigrini advises, since they have no second digit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BANDS = {
    1: ((0.006, "close"), (0.012, "acceptable"), (0.015, "marginal")),
    2: ((0.0012, "close"), (0.0018, "acceptable"), (0.0022, "marginal")),
}
"""Upper bound of each conformity band by number of leading digits; above: nonconformity."""
BAND_JA = {"close": "近似", "acceptable": "許容", "marginal": "限界的", "nonconformity": "不適合"}
BAND_CODE = {"close": 1, "acceptable": 2, "marginal": 3, "nonconformity": 4}


def expected(digits: int) -> dict[int, float]:
    """Benford's expected share of each leading-digit group (1–9, or 10–99)."""
    low, high = 10 ** (digits - 1), 10**digits
    return {d: math.log10(1 + 1 / d) for d in range(low, high)}


def band(mad: float, digits: int) -> str:
    for bound, name in BANDS[digits]:
        if mad <= bound:
            return name
    return "nonconformity"


@dataclass(frozen=True)
class BenfordResult:
    digits: int
    n: int
    observed: dict[int, int]
    mad: float
    chi_square: float
    df: int
    p_value: float

    @property
    def conformity(self) -> str:
        return band(self.mad, self.digits)


def analyse(counts: dict[int, int], digits: int) -> BenfordResult:
    """MAD and chi-square for counts of leading-digit groups (missing groups count 0)."""
    from scipy.stats import chi2  # imported here: the pack must load even without SciPy

    exp = expected(digits)
    n = sum(counts.get(d, 0) for d in exp)
    if n == 0:
        return BenfordResult(digits, 0, {}, math.nan, math.nan, len(exp) - 1, math.nan)
    observed = {d: counts.get(d, 0) for d in exp}
    mad = sum(abs(observed[d] / n - p) for d, p in exp.items()) / len(exp)
    stat = sum((observed[d] - n * p) ** 2 / (n * p) for d, p in exp.items())
    df = len(exp) - 1
    return BenfordResult(digits, n, observed, mad, stat, df, float(chi2.sf(stat, df)))


def counts_sql(amounts_sql: str, digits: int) -> str:
    """SQL counting the leading `digits` digits of the amounts (≥ 10) a query returns."""
    return (
        f"SELECT CAST(left(CAST(amount AS VARCHAR), {digits}) AS INTEGER) AS d, count(*) AS n "
        f"FROM ({amounts_sql}) WHERE amount >= 10 GROUP BY d"
    )
