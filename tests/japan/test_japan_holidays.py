"""National holidays (from jpholiday) and business days."""

from datetime import date, datetime

import pytest

from mieruka.japan.holidays import (
    business_days_between,
    holiday_name,
    is_business_day,
    is_holiday,
    next_business_day,
    previous_business_day,
)


def test_2024_01_08_is_seijin_no_hi() -> None:
    assert holiday_name(date(2024, 1, 8)) == "成人の日"
    assert is_holiday(date(2024, 1, 8))


def test_an_ordinary_weekday_has_no_holiday_name() -> None:
    assert holiday_name(date(2024, 1, 9)) is None
    assert not is_holiday(date(2024, 1, 9))


def test_a_plain_weekend_is_not_a_holiday_but_not_a_business_day_either() -> None:
    saturday = date(2024, 1, 13)
    assert not is_holiday(saturday)
    assert not is_business_day(saturday)
    assert not is_business_day(date(2024, 1, 14))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2019, 5, 1), "天皇の即位の日"),  # one-off holiday for the accession
        (date(2019, 4, 30), "国民の休日"),  # a day sandwiched between holidays
        (date(2019, 5, 6), "こどもの日 振替休日"),  # substitute for Sunday 5 May
        (date(2024, 2, 23), "天皇誕生日"),
        (date(2024, 3, 20), "春分の日"),
    ],
)
def test_special_holidays(day: date, name: str) -> None:
    assert holiday_name(day) == name


def test_holiday_lookups_accept_a_datetime() -> None:
    assert holiday_name(datetime(2024, 1, 8, 9, 30)) == "成人の日"
    assert not is_business_day(datetime(2024, 1, 8, 9, 30))


def test_a_weekday_is_a_business_day() -> None:
    assert is_business_day(date(2024, 1, 9))


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2025, 1, 2), date(2025, 1, 3)])
def test_the_year_end_bank_closing_is_not_business_days(day: date) -> None:
    assert day.weekday() < 5 and not is_holiday(day)
    assert not is_business_day(day)
    assert is_business_day(day, bank_closing=False)


def test_new_years_day_is_a_national_holiday_whatever_bank_closing_says() -> None:
    assert not is_business_day(date(2025, 1, 1), bank_closing=False)


def test_30_december_and_4_january_are_business_days_when_weekdays() -> None:
    assert is_business_day(date(2024, 12, 30))
    assert is_business_day(date(2027, 1, 4))


def test_business_days_in_a_plain_week() -> None:
    # Monday 2024-01-15 to Monday 2024-01-22: five weekdays, no holidays.
    assert business_days_between(date(2024, 1, 15), date(2024, 1, 22)) == 5


def test_business_days_between_counts_the_start_but_not_the_end() -> None:
    monday, tuesday = date(2024, 1, 15), date(2024, 1, 16)
    assert business_days_between(monday, tuesday) == 1
    assert business_days_between(monday, monday) == 0


def test_business_days_between_is_negative_backwards() -> None:
    assert business_days_between(date(2024, 1, 22), date(2024, 1, 15)) == -5


def test_business_days_in_january_2024() -> None:
    # 23 weekdays; 1/1 (元日) and 1/8 (成人の日) are holidays; 1/2 and 1/3 are the bank closing.
    january = (date(2024, 1, 1), date(2024, 2, 1))
    assert business_days_between(*january) == 19
    assert business_days_between(*january, bank_closing=False) == 21


def test_business_days_in_a_year() -> None:
    # FY2024 (2024-04-01..2025-03-31): 261 weekdays, less 14 holidays that fall on a
    # weekday (counting the substitute 2025-02-24) and the closing days 12/31, 1/2, 1/3.
    assert business_days_between(date(2024, 4, 1), date(2025, 4, 1)) == 244


def test_next_business_day_skips_golden_week() -> None:
    # Friday 2024-05-03 to Monday 5/6 are holidays or weekend.
    assert next_business_day(date(2024, 5, 2)) == date(2024, 5, 7)


def test_next_business_day_is_strictly_after() -> None:
    assert next_business_day(date(2024, 1, 15)) == date(2024, 1, 16)
    assert next_business_day(date(2024, 1, 12)) == date(2024, 1, 15)


def test_next_business_day_after_the_year_end() -> None:
    assert next_business_day(date(2024, 12, 27)) == date(2024, 12, 30)
    assert next_business_day(date(2024, 12, 30)) == date(2025, 1, 6)
    assert next_business_day(date(2024, 12, 30), bank_closing=False) == date(2024, 12, 31)


def test_previous_business_day_is_strictly_before() -> None:
    assert previous_business_day(date(2024, 1, 16)) == date(2024, 1, 15)
    # Tuesday 2024-01-09 follows 成人の日 and a weekend.
    assert previous_business_day(date(2024, 1, 9)) == date(2024, 1, 5)


def test_previous_business_day_before_the_new_year() -> None:
    assert previous_business_day(date(2025, 1, 6)) == date(2024, 12, 30)
    assert previous_business_day(date(2025, 1, 6), bank_closing=False) == date(2025, 1, 3)
