"""The bank's view of its SLL book: one line per loan, as of a day.

"This year" is the fiscal year containing the as-of day, on a paid basis: the margin impact
of the accrual periods that end in that year. "Life" is the whole schedule; a year not yet
judged is assumed at the base rate (use `sll schedule --assume` for a what-if).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mieruka.japan.fiscal import fiscal_year_of
from mieruka.packs.sll.achievement import MISSED, NOT_REPORTED, PENDING, KpiResult
from mieruka.packs.sll.model import Loan
from mieruka.packs.sll.ratchet import YearAdjustment, adjustment_on
from mieruka.packs.sll.schedule import Accrual


def outstanding_on(loan: Loan, rows: Sequence[Accrual], day: date) -> int:
    if day < loan.start_date or day >= loan.maturity_date:
        return 0
    return next((r.outstanding for r in rows if r.start <= day < r.end), 0)


def next_judgment(loan: Loan, day: date) -> date | None:
    """The next judgment date on or after `day` that still decides an SPT year."""
    upcoming = [loan.judgment_day(fy) for fy in loan.fiscal_years]
    later = [d for d in upcoming if day <= d < loan.maturity_date]
    return min(later) if later else None


def portfolio_line(
    loan: Loan,
    results: Sequence[KpiResult],
    path: Sequence[YearAdjustment],
    rows: Sequence[Accrual],
    as_of: date,
) -> dict[str, Any]:
    year = fiscal_year_of(as_of, loan.start_month)
    this_year = sum(r.difference for r in rows if year.contains(r.end))
    return {
        "loan_id": loan.loan_id,
        "borrower": loan.borrower,
        "lender": loan.lender,
        "principal": loan.principal,
        "outstanding": outstanding_on(loan, rows, as_of),
        "maturity_date": loan.maturity_date.isoformat(),
        "next_judgment": (nj.isoformat() if (nj := next_judgment(loan, as_of)) else None),
        "margin_bp_now": str(adjustment_on(path, as_of)),
        "missed": _keys(results, MISSED),
        "not_reported": _keys(results, NOT_REPORTED),
        "pending": _keys(results, PENDING),
        "impact_this_year": this_year,
        "impact_life": sum(r.difference for r in rows),
    }


def _keys(results: Sequence[KpiResult], status: str) -> list[str]:
    return [f"FY{r.fiscal_year} {r.kpi_id}" for r in results if r.status == status]
