"""Fiscal years (年度) named by the calendar year in which they start.

Japanese organisations report by 年度, most of them from April to March, but
the start month is a workspace setting (a company may close in December or
June). A fiscal year is named by the calendar year in which it *starts*:
with the default April start, FY2024 (2024年度) runs 2024-04-01..2025-03-31;
with a January start, FY2024 is simply calendar 2024.

The arithmetic is a few lines, so it lives here rather than in a dependency;
what matters is that every pack uses the same naming rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

__all__ = ["FiscalYear", "fiscal_year_of", "quarter_of"]

Lang = Literal["en", "ja"]

# date() supports years 1..9999; a fiscal year that does not start in January
# ends in the following calendar year, so the last nameable year is 9998.
_MIN_YEAR = 1
_MAX_YEAR = 9998


def _check_start_month(start_month: int) -> None:
    if isinstance(start_month, bool) or not isinstance(start_month, int):
        raise ValueError(
            f"fiscal-year start month must be an integer from 1 (January) to 12 (December), "
            f"found {start_month!r}"
        )
    if not 1 <= start_month <= 12:
        raise ValueError(
            f"fiscal-year start month must be from 1 (January) to 12 (December), "
            f"found {start_month}"
        )


@dataclass(frozen=True)
class FiscalYear:
    """One fiscal year: ``FiscalYear(2024)`` is 2024-04-01..2025-03-31.

    ``year`` is the calendar year in which the fiscal year starts;
    ``start_month`` is the month of its first day (April by default).
    """

    year: int
    start_month: int = 4

    def __post_init__(self) -> None:
        _check_start_month(self.start_month)
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise ValueError(f"fiscal year must be an integer such as 2024, found {self.year!r}")
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(
                f"fiscal year must be from {_MIN_YEAR} to {_MAX_YEAR}, found {self.year}"
            )

    @property
    def start(self) -> date:
        """The first day of the fiscal year."""
        return date(self.year, self.start_month, 1)

    @property
    def end(self) -> date:
        """The last day of the fiscal year (inclusive)."""
        if self.start_month == 1:
            return date(self.year, 12, 31)
        return date(self.year + 1, self.start_month, 1) - timedelta(days=1)

    def contains(self, d: date) -> bool:
        """Whether ``d`` falls within this fiscal year (both ends inclusive)."""
        return self.start <= _as_date(d) <= self.end

    def label(self, lang: Lang = "en") -> str:
        """``"FY2024"`` in English, ``"2024年度"`` in Japanese.

        For the 和暦 label (``"令和6年度"``) use
        :func:`mieruka.japan.wareki.format_fiscal_year_wareki`.
        """
        if lang == "en":
            return f"FY{self.year}"
        if lang == "ja":
            return f"{self.year}年度"
        raise ValueError(f"label language must be 'en' or 'ja', found {lang!r}")

    def previous(self) -> FiscalYear:
        """The fiscal year before this one, with the same start month."""
        return FiscalYear(self.year - 1, self.start_month)

    def next(self) -> FiscalYear:
        """The fiscal year after this one, with the same start month."""
        return FiscalYear(self.year + 1, self.start_month)


def _as_date(d: date) -> date:
    # A datetime is a date subclass, but comparing one with a date raises
    # TypeError; a fiscal year is about days, so drop the time of day.
    return date(d.year, d.month, d.day)


def fiscal_year_of(d: date, start_month: int = 4) -> FiscalYear:
    """The fiscal year that contains ``d``.

    >>> fiscal_year_of(date(2025, 3, 31)).label()
    'FY2024'
    """
    _check_start_month(start_month)
    year = d.year if d.month >= start_month else d.year - 1
    return FiscalYear(year, start_month)


def quarter_of(d: date, start_month: int = 4) -> int:
    """The fiscal quarter (1..4) that contains ``d``.

    With the April start, Q1 is April-June and Q4 is January-March.
    """
    _check_start_month(start_month)
    months_in = (d.month - start_month) % 12
    return months_in // 3 + 1
