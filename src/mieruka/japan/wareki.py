"""Dates as Japanese users write them: ISO, slashes, and 和暦 (Japanese eras).

Input files prepared in Japan mix ``2024-03-31``, ``2024/3/31``,
``令和6年3月31日`` and the short form ``R6.3.31``, often in full-width digits.
This module reads all of them into a :class:`datetime.date` and writes dates
back in 和暦 for reports.

It is written here rather than taken from a library because the rules that
matter for evidence are policy decisions, and they must be exactly these:

* 元年 is year 1 of an era (``令和元年`` = ``令和1年``).
* A year *past* the end of an era is accepted: documents written before an era
  change (and systems that were never updated) carry dates such as
  ``平成33年3月31日``, which mean 2021-03-31 (era start year + n - 1).
* A date *before* an era began is refused (``令和1年4月30日`` does not exist;
  that day is 平成31年4月30日), because it signals a typing error rather than a
  stale calendar.
* Invalid calendar days (``2023-02-29``) are refused.

Eras start on their official first days: 明治 1868-10-23 (the date of the
proclamation; earlier 明治 dates are out of scope), 大正 1912-07-30,
昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mieruka.japan.fiscal import FiscalYear

__all__ = [
    "ERAS",
    "Era",
    "era_of",
    "era_year",
    "format_fiscal_year_wareki",
    "format_wareki",
    "parse_date",
]


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号): its kanji name, romaji initial and first day."""

    name: str
    initial: str
    start: date

    def gregorian_year(self, era_year: int) -> int:
        """The calendar year of year ``era_year`` of this era (year 1 = 元年)."""
        return self.start.year + era_year - 1


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
"""The eras from 明治 to 令和, oldest first."""

_BY_NAME = {era.name: era for era in ERAS}
_BY_INITIAL = {era.initial: era for era in ERAS}

EXPECTED_FORMS = "a date such as 2024-03-31, 2024/3/31 or 令和6年3月31日 (R6.3.31)"

# Patterns run on NFKC-normalised text: full-width digits, full-width
# punctuation and the era ligatures (㋿ ㍻ ㍼ ㍽ ㍾) are already folded to ASCII
# and plain kanji.
_ERA_NAMES = "|".join(era.name for era in ERAS)
_ERA_YEAR = r"(?P<year>元|\d{1,3})"
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2024-03-31, 2024/3/31, 2024.3.31 (one separator throughout)
    re.compile(r"(?P<gyear>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"),
    # 20240331
    re.compile(r"(?P<gyear>\d{4})(?P<month>\d{2})(?P<day>\d{2})"),
    # 2024年3月31日
    re.compile(r"(?P<gyear>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
    # 令和6年3月31日, 令和元年5月1日
    re.compile(
        rf"(?P<era>{_ERA_NAMES})\s*{_ERA_YEAR}\s*年\s*(?P<month>\d{{1,2}})\s*月"
        r"\s*(?P<day>\d{1,2})\s*日"
    ),
    # R6.3.31, R06.03.31, R6/3/31, r6-3-31
    re.compile(
        rf"(?P<initial>[MTSHRmtshr])\s*{_ERA_YEAR}(?P<sep>[-/.])(?P<month>\d{{1,2}})"
        r"(?P=sep)(?P<day>\d{1,2})"
    ),
)


def _fail(text: str, reason: str | None = None) -> ValueError:
    message = f"expected {EXPECTED_FORMS}, found {text!r}"
    if reason:
        message += f" ({reason})"
    return ValueError(message)


def parse_date(text: str) -> date:
    """Read a date written in any of the forms Japanese input files use.

    Accepted: ``2024-03-31``, ``2024/3/31``, ``2024.3.31``, ``20240331``,
    ``2024年3月31日``, ``令和6年3月31日``, ``令和元年5月1日``, ``R6.3.31``,
    ``R06.03.31``, ``R6/3/31``, ``r6.3.31``, full-width digits and surrounding
    spaces. Raises :class:`ValueError` naming the expected forms and the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_date expects text, found {type(text).__name__}")
    normalised = unicodedata.normalize("NFKC", text).strip()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(normalised)
        if match is not None:
            return _build(text, match)
    raise _fail(text)


def _build(text: str, match: re.Match[str]) -> date:
    groups = match.groupdict()
    month = int(groups["month"])
    day = int(groups["day"])
    era: Era | None = None
    if groups.get("gyear") is not None:
        year = int(groups["gyear"])
    else:
        if groups.get("era") is not None:
            era = _BY_NAME[groups["era"]]
        else:
            era = _BY_INITIAL[groups["initial"].upper()]
        era_year = 1 if groups["year"] == "元" else int(groups["year"])
        if era_year == 0:
            raise _fail(text, f"{era.name} starts at year 1 (元年), not year 0")
        year = era.gregorian_year(era_year)
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise _fail(text, str(exc)) from None
    if era is not None and result < era.start:
        raise _fail(
            text,
            f"{era.name} began on {era.start.isoformat()}; "
            f"{result.isoformat()} is {format_wareki(result)}"
            if result >= ERAS[0].start
            else f"{era.name} began on {era.start.isoformat()}",
        )
    return result


def era_of(d: date) -> Era:
    """The era in which ``d`` falls; dates before 明治 (1868-10-23) are refused."""
    day = date(d.year, d.month, d.day)
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise ValueError(
        f"expected a date on or after {ERAS[0].start.isoformat()} (the start of "
        f"{ERAS[0].name}), found {day.isoformat()}"
    )


def era_year(d: date) -> tuple[str, int]:
    """The era name and year of ``d``: ``date(2024, 3, 31)`` → ``("令和", 6)``."""
    era = era_of(d)
    return era.name, d.year - era.start.year + 1


def format_wareki(d: date, style: Literal["kanji", "short"] = "kanji") -> str:
    """Write ``d`` in 和暦.

    ``"kanji"`` → ``令和6年3月31日`` (year 1 written 元年: ``令和元年5月1日``);
    ``"short"`` → ``R6.3.31`` (year 1 written 1: ``R1.5.1``).
    """
    era = era_of(d)
    year = d.year - era.start.year + 1
    if style == "kanji":
        return f"{era.name}{_kanji_year(year)}年{d.month}月{d.day}日"
    if style == "short":
        return f"{era.initial}{year}.{d.month}.{d.day}"
    raise ValueError(f"style must be 'kanji' or 'short', found {style!r}")


def format_fiscal_year_wareki(fy: int, start_month: int = 4) -> str:
    """The 和暦 name of a fiscal year, from the era of its first day.

    FY2024 → ``令和6年度``. The era is the one in force on the fiscal year's
    first day, so FY2019 (from 2019-04-01) is ``平成31年度``, as documents drafted
    at its start call it, even though much of it fell in 令和.
    """
    first_day = FiscalYear(fy, start_month).start
    era = era_of(first_day)
    return f"{era.name}{_kanji_year(first_day.year - era.start.year + 1)}年度"


def _kanji_year(year: int) -> str:
    return "元" if year == 1 else str(year)
