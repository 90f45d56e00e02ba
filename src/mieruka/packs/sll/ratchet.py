"""The margin ratchet: from each year's SPT results to the adjustment and when it applies.

- `each_kpi`: one step per KPI, down when achieved, up when missed, summed (and clamped to
  `ratchet_cap_bp` when the loan has one); `all_kpis`: one step, down only when every SPT
  is achieved, up when any is missed.
- `discount_only` keeps only the downward steps, `premium_only` only the upward ones.
- A KPI *not reported* counts as missed unless `[packs.sll] not_reported = "no_change"`.
- Non-cumulative: the adjustment decided for a fiscal year applies from that year's
  judgment date until the next judgment date, and then is replaced — never added to.
  A year without SPTs, or one still pending, adjusts by 0 (the base rate applies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from mieruka.packs.sll.achievement import (
    ACHIEVED,
    DEFAULT_OPTIONS,
    MISSED,
    NOT_REPORTED,
    KpiResult,
    Options,
)
from mieruka.packs.sll.model import Loan


@dataclass(frozen=True)
class YearAdjustment:
    fiscal_year: int
    adjustment_bp: Decimal | None  # None while any SPT of the year is pending
    effective_from: date
    effective_to: date  # exclusive: the next judgment date, or maturity

    def to_json(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "adjustment_bp": None if self.adjustment_bp is None else str(self.adjustment_bp),
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat(),
        }


def _direction(status: str, options: Options) -> int | None:
    if status == ACHIEVED:
        return -1
    if status == MISSED or (status == NOT_REPORTED and options.not_reported == "missed"):
        return 1
    return 0 if status == NOT_REPORTED else None


def _moderate(direction: int, mode: str) -> int:
    if mode == "discount_only":
        return min(direction, 0)
    if mode == "premium_only":
        return max(direction, 0)
    return direction


def year_adjustment_bp(
    loan: Loan, results: Sequence[KpiResult], options: Options = DEFAULT_OPTIONS
) -> Decimal | None:
    """The year's adjustment in basis points (negative = discount); None when undecided."""
    directions = [_direction(r.status, options) for r in results]
    if not directions or any(d is None for d in directions):
        return None
    steps = [d for d in directions if d is not None]
    if loan.ratchet_basis == "all_kpis":
        total = Decimal(
            _moderate(-1 if all(d == -1 for d in steps) else max(steps), loan.ratchet_mode)
        )
        return total * loan.ratchet_step_bp
    total = sum((Decimal(_moderate(d, loan.ratchet_mode)) for d in steps), Decimal(0))
    bp = total * loan.ratchet_step_bp
    if loan.ratchet_cap_bp is not None:
        bp = max(-loan.ratchet_cap_bp, min(loan.ratchet_cap_bp, bp))
    return bp


def margin_path(
    loan: Loan, results: Sequence[KpiResult], options: Options = DEFAULT_OPTIONS
) -> list[YearAdjustment]:
    """One entry per judged fiscal year whose judgment date falls before maturity."""
    path = []
    for fy in loan.fiscal_years:
        start = loan.judgment_day(fy)
        if start >= loan.maturity_date:
            continue
        end = min(loan.judgment_day(fy + 1), loan.maturity_date)
        mine = [r for r in results if r.fiscal_year == fy]
        path.append(YearAdjustment(fy, year_adjustment_bp(loan, mine, options), start, end))
    return path


def adjustment_on(path: Sequence[YearAdjustment], day: date) -> Decimal:
    """The adjustment in force on a day: the latest judgment's, or 0 before/without one."""
    for step in path:
        if step.effective_from <= day < step.effective_to:
            return step.adjustment_bp or Decimal(0)
    return Decimal(0)
