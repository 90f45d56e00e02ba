"""Fiscal years (年度) are named by the calendar year in which they start."""

from datetime import date, datetime

import pytest

from mieruka.japan.fiscal import FiscalYear, fiscal_year_of, quarter_of


def test_fy2024_with_the_default_april_start_runs_april_to_march() -> None:
    fy = FiscalYear(2024)
    assert fy.start_month == 4
    assert fy.start == date(2024, 4, 1)
    assert fy.end == date(2025, 3, 31)


def test_fy2024_with_a_january_start_is_the_calendar_year() -> None:
    fy = FiscalYear(2024, start_month=1)
    assert (fy.start, fy.end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_fiscal_year_ending_in_february_ends_on_the_leap_day() -> None:
    # A March start: FY2023 ends on the last day of February 2024, a leap year.
    assert FiscalYear(2023, start_month=3).end == date(2024, 2, 29)
    assert FiscalYear(2024, start_month=3).end == date(2025, 2, 28)


def test_a_december_start_ends_in_november_of_the_next_year() -> None:
    fy = FiscalYear(2024, start_month=12)
    assert (fy.start, fy.end) == (date(2024, 12, 1), date(2025, 11, 30))


def test_contains_includes_both_ends() -> None:
    fy = FiscalYear(2024)
    assert fy.contains(date(2024, 4, 1))
    assert fy.contains(date(2025, 3, 31))
    assert not fy.contains(date(2024, 3, 31))
    assert not fy.contains(date(2025, 4, 1))


def test_contains_accepts_a_datetime_by_its_day() -> None:
    assert FiscalYear(2024).contains(datetime(2025, 3, 31, 23, 59))


@pytest.mark.parametrize(
    ("day", "start_month", "expected"),
    [
        (date(2025, 3, 31), 4, 2024),  # 31 March belongs to the year that began last April
        (date(2025, 4, 1), 4, 2025),
        (date(2024, 1, 1), 4, 2023),
        (date(2024, 12, 31), 1, 2024),
        (date(2024, 1, 1), 1, 2024),
        (date(2024, 6, 30), 7, 2023),
        (date(2024, 7, 1), 7, 2024),
        (date(2024, 11, 30), 12, 2023),
    ],
)
def test_fiscal_year_of(day: date, start_month: int, expected: int) -> None:
    fy = fiscal_year_of(day, start_month)
    assert fy == FiscalYear(expected, start_month)
    assert fy.contains(day)


def test_fiscal_year_of_defaults_to_april() -> None:
    assert fiscal_year_of(date(2025, 2, 1)) == FiscalYear(2024, 4)


@pytest.mark.parametrize(("lang", "expected"), [("en", "FY2024"), ("ja", "2024年度")])
def test_labels(lang: str, expected: str) -> None:
    assert FiscalYear(2024).label(lang) == expected  # type: ignore[arg-type]


def test_label_defaults_to_english() -> None:
    assert FiscalYear(2024).label() == "FY2024"


def test_label_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError, match=r"label language must be 'en' or 'ja', found 'fr'"):
        FiscalYear(2024).label("fr")  # type: ignore[arg-type]


def test_previous_and_next_keep_the_start_month() -> None:
    fy = FiscalYear(2024, 7)
    assert fy.previous() == FiscalYear(2023, 7)
    assert fy.next() == FiscalYear(2025, 7)
    assert fy.next().previous() == fy


def test_consecutive_fiscal_years_leave_no_gap() -> None:
    for month in range(1, 13):
        fy = FiscalYear(2024, month)
        assert (fy.next().start - fy.end).days == 1


def test_fiscal_year_is_frozen_and_hashable() -> None:
    fy = FiscalYear(2024)
    with pytest.raises(AttributeError):
        fy.year = 2025  # type: ignore[misc]
    assert {fy, FiscalYear(2024, 4)} == {fy}


@pytest.mark.parametrize("month", [0, 13, -4])
def test_start_month_out_of_range_is_refused(month: int) -> None:
    message = (
        rf"fiscal-year start month must be from 1 \(January\) to 12 \(December\), found {month}"
    )
    with pytest.raises(ValueError, match=message):
        FiscalYear(2024, month)
    with pytest.raises(ValueError, match=message):
        fiscal_year_of(date(2024, 5, 1), month)
    with pytest.raises(ValueError, match=message):
        quarter_of(date(2024, 5, 1), month)


@pytest.mark.parametrize("month", ["4", True, 4.0])
def test_start_month_must_be_an_integer(month: object) -> None:
    with pytest.raises(ValueError, match=r"must be an integer from 1 \(January\) to 12"):
        FiscalYear(2024, month)  # type: ignore[arg-type]


def test_year_must_be_an_integer_within_the_calendar() -> None:
    with pytest.raises(
        ValueError, match=r"fiscal year must be an integer such as 2024, found '2024'"
    ):
        FiscalYear("2024")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"fiscal year must be from 1 to 9998, found 9999"):
        FiscalYear(9999)
    with pytest.raises(ValueError, match=r"fiscal year must be from 1 to 9998, found 0"):
        FiscalYear(0)


def test_a_day_before_the_first_fiscal_year_is_refused() -> None:
    with pytest.raises(ValueError, match=r"found 0"):
        fiscal_year_of(date(1, 1, 1))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 1), 1),
        (date(2024, 6, 30), 1),
        (date(2024, 7, 1), 2),
        (date(2024, 9, 30), 2),
        (date(2024, 10, 1), 3),
        (date(2024, 12, 31), 3),
        (date(2025, 1, 1), 4),
        (date(2025, 3, 31), 4),
    ],
)
def test_april_quarters(day: date, expected: int) -> None:
    assert quarter_of(day) == expected


def test_calendar_quarters_with_a_january_start() -> None:
    assert [quarter_of(date(2024, m, 15), 1) for m in range(1, 13)] == [
        1,
        1,
        1,
        2,
        2,
        2,
        3,
        3,
        3,
        4,
        4,
        4,
    ]


def test_quarters_with_an_october_start() -> None:
    assert quarter_of(date(2024, 10, 1), 10) == 1
    assert quarter_of(date(2025, 9, 30), 10) == 4
