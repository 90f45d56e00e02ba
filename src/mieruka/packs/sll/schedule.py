"""Interest schedule of an SLL over its life, with and without the sustainability feature.

Each row is an accrual period between two consecutive boundaries: the start date, every
repayment date (a zero repayment marks an interest date without amortisation), every
judgment date on which the margin may change, and maturity. Interest for a row is
outstanding principal × (base rate + adjustment) × actual days ÷ 365 (ACT/365F; a leap
day counts as a day, the year still has 365), truncated to the yen (円未満切捨て) per row.
The same rows at the unadjusted base rate give the cost (+) or saving (−) of the feature.
The all-in rate never goes below zero. Principal not repaid by the schedule is repaid at
maturity (a bullet when `repayments` is empty).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from mieruka.japan.yen import truncate_to_unit
from mieruka.packs.sll.model import Loan
from mieruka.packs.sll.ratchet import YearAdjustment, adjustment_on

DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class Accrual:
    start: date
    end: date  # exclusive
    days: int
    outstanding: int
    adjustment_bp: Decimal
    rate_pct: Decimal
    interest: int
    base_interest: int
    repayment: int  # principal repaid on `end`

    @property
    def difference(self) -> int:
        return self.interest - self.base_interest

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "outstanding": self.outstanding,
            "adjustment_bp": str(self.adjustment_bp),
            "rate_pct": str(self.rate_pct),
            "interest": self.interest,
            "base_interest": self.base_interest,
            "difference": self.difference,
            "repayment": self.repayment,
        }


def interest(outstanding: int, rate_pct: Decimal, days: int) -> int:
    """ACT/365F interest in whole yen, truncated: 100,000,000 × 1.5% × 184 / 365 = 756,164."""
    exact = Decimal(outstanding) * rate_pct * days / (100 * DAYS_IN_YEAR)
    return truncate_to_unit(exact, 1)


def schedule(loan: Loan, path: Sequence[YearAdjustment]) -> list[Accrual]:
    repaid_on: dict[date, int] = {}
    for day, amount in loan.repayments:
        repaid_on[day] = repaid_on.get(day, 0) + amount
    cuts = {loan.start_date, loan.maturity_date}
    cuts |= {d for d in repaid_on if loan.start_date < d < loan.maturity_date}
    changes = {s.effective_from for s in path} | {s.effective_to for s in path}
    cuts |= {d for d in changes if loan.start_date < d < loan.maturity_date}
    bounds = sorted(cuts)
    rows: list[Accrual] = []
    outstanding = loan.principal
    for start, end in pairwise(bounds):
        adj = adjustment_on(path, start)
        rate = max(Decimal(0), loan.base_rate_pct + adj / 100)
        days = (end - start).days
        repayment = (
            outstanding if end == loan.maturity_date else min(outstanding, repaid_on.get(end, 0))
        )
        rows.append(
            Accrual(
                start,
                end,
                days,
                outstanding,
                adj,
                rate,
                interest(outstanding, rate, days),
                interest(outstanding, loan.base_rate_pct, days),
                repayment,
            )
        )
        outstanding -= repayment
    return rows


def totals(rows: Sequence[Accrual]) -> dict[str, int]:
    """Interest over the loan's life, at the adjusted and at the base rate, and the gap."""
    paid = sum(r.interest for r in rows)
    base = sum(r.base_interest for r in rows)
    return {"interest": paid, "base_interest": base, "difference": paid - base}
