"""Control-test sampling: sizes by frequency or by attribute sampling, selection, evaluation.

Attribute sampling follows the binomial model behind the AICPA audit-sampling tables
(Audit Guide *Audit Sampling*, 2017, appendix A): the size is the smallest n for which
finding the expected number of deviations (⌈n × expected rate⌉, computed in decimal, so
400 × 3.5% is exactly 14) still leaves at most `risk` probability that the population rate
is the tolerable one. Checked cell by cell against tables A-1 and A-2 (392 cells: all equal
except one cell the binomial itself contradicts; see tests/packs/icfr/test_icfr_sampling.py).
The achieved upper deviation limit is the one-sided Clopper–Pearson bound, which is what
evaluation tables A-3 and A-4 print (rounded up to 0.1%; all 462 cells equal).
Written here rather than taken from a library because no maintained Python package
reproduces those tables; SciPy supplies the binomial and beta distributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

import numpy as np

from mieruka.packs.icfr.options import resolved

MAX_SIZE = 5_000


def frequency_size(frequency: str, options: dict[str, Any] | None = None) -> int:
    """The customary size for a control performed at this frequency (configurable)."""
    sizes = resolved(options or {})["sample_sizes"]
    if frequency not in sizes:
        raise ValueError(f"unknown frequency '{frequency}': expected one of {', '.join(sizes)}")
    return int(sizes[frequency])


@dataclass(frozen=True)
class SampleSize:
    size: int
    allowed_deviations: int  # the "(k)" printed beside each size in the tables


def _rate(value: float | str) -> Decimal:
    rate = Decimal(str(value))
    if not 0 <= rate < 1:
        raise ValueError(f"a rate must be in [0, 1): {value}")
    return rate


def attribute_size(risk: float, tolerable: float, expected: float = 0.0) -> SampleSize:
    """Smallest n with P(X ≤ ⌈n·expected⌉ | n, tolerable) ≤ risk (binomial)."""
    from scipy.stats import binom  # imported here: the pack must load even without SciPy

    r, t, e = _rate(risk), _rate(tolerable), _rate(expected)
    if not 0 < r < 1 or t <= e:
        raise ValueError("need 0 < risk < 1 and tolerable > expected deviation rate")
    n = np.arange(1, MAX_SIZE + 1)
    k = np.array([int((int(i) * e).to_integral_value(ROUND_CEILING)) for i in n])
    ok = np.nonzero(binom.cdf(k, n, float(t)) <= float(r))[0]
    if len(ok) == 0:
        raise ValueError(f"no sample of at most {MAX_SIZE} items supports these rates")
    return SampleSize(int(n[ok[0]]), int(k[ok[0]]))


def percent_up(rate: float) -> float:
    """A rate as a percentage rounded up to 0.1, as the evaluation tables print it.

    The rate is first rounded to 9 places so that float noise (0.43 held as 0.4300000001)
    does not push a table value up by a tenth.
    """
    return math.ceil(round(rate * 1000, 9)) / 10


def upper_deviation_limit(size: int, deviations: int, risk: float) -> float:
    """The achieved upper deviation limit: the rate p with P(X ≤ d | n, p) = risk."""
    from scipy.stats import beta

    if not 0 <= deviations <= size or size < 1:
        raise ValueError("need 0 ≤ deviations ≤ sample size and a sample of at least 1")
    if deviations == size:
        return 1.0
    return float(beta.ppf(1 - risk, deviations + 1, size - deviations))


@dataclass(frozen=True)
class Evaluation:
    size: int
    deviations: int
    risk: float
    tolerable: float
    upper_limit: float

    @property
    def effective(self) -> bool:
        """The control is supported when the upper limit does not exceed the tolerable rate."""
        return self.upper_limit <= self.tolerable

    def reasoning(self) -> str:
        verdict = "有効と判断できる" if self.effective else "有効と判断できない"
        return (f"{self.size}件中{self.deviations}件の逸脱: 信頼度{(1 - self.risk):.0%}の逸脱率上限 "
                f"{percent_up(self.upper_limit):.1f}% が許容逸脱率 {self.tolerable:.1%} "
                f"{'以下' if self.effective else 'を超える'}ため、{verdict}")  # fmt: skip


def evaluate(size: int, deviations: int, risk: float, tolerable: float) -> Evaluation:
    udl = upper_deviation_limit(size, deviations, risk)
    return Evaluation(size, deviations, risk, tolerable, udl)


METHODS = ("random", "systematic")


def select(population: int, size: int, seed: int, method: str = "random") -> list[int]:
    """Positions (0-based, ascending) of the items drawn from a population listing.

    The same (population, size, seed, method) always draws the same items: numpy's PCG64
    generator is stable across platforms and versions for `choice`/`integers`.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}': expected {' or '.join(METHODS)}")
    if not 0 < size <= population:
        raise ValueError(f"cannot draw {size} items from a population of {population}")
    rng = np.random.Generator(np.random.PCG64(seed))
    if method == "random":
        return sorted(int(i) for i in rng.choice(population, size=size, replace=False))
    step = population / size
    start = float(rng.uniform(0, step))
    return [int(start + i * step) for i in range(size)]
