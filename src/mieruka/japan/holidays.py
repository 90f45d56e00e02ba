"""Japanese national holidays and business days.

The holiday calendar itself comes from ``jpholiday`` (it follows the Act on
National Holidays, including 振替休日, 国民の休日 and the one-off holidays such
as 2019-05-01 天皇の即位の日), so this module only adds what the library
leaves out: the notion of a business day used by deadlines such as "report
within five business days".

A business day here is a weekday that is not a national holiday and, by
default, not in the banks' year-end closing (12/31 to 1/3, 年末年始). Banks,
local governments and most Japanese offices close then although only 1/1 is a
national holiday; pass ``bank_closing=False`` for a calendar that ignores it.

Holidays registered with ``jpholiday.register`` (a company's own days off) are
honoured, since every lookup goes through the library.

Caveat from the library: it reports the post-1948 holidays for every year,
including years before the Act took effect (1948-07-20), so results before
then are not historical fact.
"""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday

__all__ = [
    "business_days_between",
    "holiday_name",
    "is_business_day",
    "is_holiday",
    "next_business_day",
    "previous_business_day",
]

_ONE_DAY = timedelta(days=1)


def _as_date(d: date) -> date:
    # Accept a datetime but reason about its day: date/datetime comparisons
    # and hashing do not mix.
    return date(d.year, d.month, d.day)


def is_holiday(d: date) -> bool:
    """Whether ``d`` is a national holiday (祝日, 振替休日 or 国民の休日)."""
    return holiday_name(d) is not None


def holiday_name(d: date) -> str | None:
    """The holiday's Japanese name (``"成人の日"``), or ``None`` on other days.

    A substitute holiday is named after the holiday it replaces, as
    ``jpholiday`` writes it: ``"こどもの日 振替休日"``.
    """
    name = jpholiday.is_holiday_name(_as_date(d))
    return None if name is None else str(name)


def _in_bank_closing(d: date) -> bool:
    return (d.month == 12 and d.day == 31) or (d.month == 1 and d.day <= 3)


def is_business_day(d: date, *, bank_closing: bool = True) -> bool:
    """Whether ``d`` is a business day.

    Not a Saturday or Sunday, not a national holiday and, when
    ``bank_closing`` is true (the default), not 12/31..1/3.
    """
    day = _as_date(d)
    if day.weekday() >= 5:
        return False
    if bank_closing and _in_bank_closing(day):
        return False
    return not is_holiday(day)


def business_days_between(a: date, b: date, *, bank_closing: bool = True) -> int:
    """The number of business days in ``[a, b)``: ``a`` counts, ``b`` does not.

    This is the convention of ``numpy.busday_count``: the count from a day to
    the next business day after it is 1 when ``a`` is a business day, and the
    result is negative (the count over ``[b, a)``) when ``b`` is before ``a``.
    """
    start, end = _as_date(a), _as_date(b)
    if end < start:
        return -business_days_between(end, start, bank_closing=bank_closing)
    count = 0
    day = start
    while day < end:
        if is_business_day(day, bank_closing=bank_closing):
            count += 1
        day += _ONE_DAY
    return count


def next_business_day(d: date, *, bank_closing: bool = True) -> date:
    """The first business day strictly after ``d``."""
    day = _as_date(d) + _ONE_DAY
    while not is_business_day(day, bank_closing=bank_closing):
        day += _ONE_DAY
    return day


def previous_business_day(d: date, *, bank_closing: bool = True) -> date:
    """The last business day strictly before ``d``."""
    day = _as_date(d) - _ONE_DAY
    while not is_business_day(day, bank_closing=bank_closing):
        day -= _ONE_DAY
    return day
