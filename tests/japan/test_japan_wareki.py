"""Dates as Japanese input files write them, and 和暦 for reports."""

import re
from datetime import date

import pytest

from mieruka.japan.wareki import (
    ERAS,
    era_of,
    era_year,
    format_fiscal_year_wareki,
    format_wareki,
    parse_date,
)

EXPECTED = "expected a date such as 2024-03-31, 2024/3/31 or 令和6年3月31日 (R6.3.31)"


def fails_with(text: str, reason: str | None = None) -> str:
    message = f"{EXPECTED}, found {text!r}"
    if reason is not None:
        message += f" ({reason})"
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-31",
        "2024/3/31",
        "2024/03/31",
        "2024.3.31",
        "20240331",
        "2024年3月31日",
        "令和6年3月31日",
        "令和 6年 3月 31日",
        "R6.3.31",
        "R06.03.31",
        "R6/3/31",
        "R6-3-31",
        "r6.3.31",
        "令和６年３月３１日",  # full-width digits, as typed with a Japanese IME
        "２０２４／３／３１",
        "Ｒ６．３．３１",
        "  2024-03-31 ",
        "\u30002024/3/31\u3000",  # ideographic spaces around the value
        "㋿6年3月31日",  # the single-character 令和 ligature
    ],
)
def test_every_accepted_form_of_31_march_2024(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 31)


def test_r1_5_1_is_the_first_day_of_reiwa() -> None:
    assert parse_date("R1.5.1") == date(2019, 5, 1)
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_date("令和1年5月1日") == date(2019, 5, 1)


def test_heisei_31_april_30_is_the_last_day_of_heisei() -> None:
    assert parse_date("平成31年4月30日") == date(2019, 4, 30)
    assert parse_date("H31.4.30") == date(2019, 4, 30)
    assert format_wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_wareki(date(2019, 5, 1)) == "令和元年5月1日"


def test_a_document_written_in_2018_that_says_heisei_33_means_2021() -> None:
    assert parse_date("平成33年3月31日") == date(2021, 3, 31)
    assert parse_date("H33.3.31") == date(2021, 3, 31)


def test_showa_100_from_a_system_never_updated_means_2025() -> None:
    assert parse_date("昭和100年1月1日") == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明治元年10月23日", date(1868, 10, 23)),
        ("M45.7.29", date(1912, 7, 29)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("T15.12.24", date(1926, 12, 24)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("S64.1.7", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("h1.1.8", date(1989, 1, 8)),
        ("R元.5.1", date(2019, 5, 1)),
    ],
)
def test_era_boundaries(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和1年4月30日", "令和 began on 2019-05-01; 2019-04-30 is 平成31年4月30日"),
        ("令和元年4月30日", "令和 began on 2019-05-01; 2019-04-30 is 平成31年4月30日"),
        ("R1.1.1", "令和 began on 2019-05-01; 2019-01-01 is 平成31年1月1日"),
        ("平成1年1月7日", "平成 began on 1989-01-08; 1989-01-07 is 昭和64年1月7日"),
        ("明治1年1月1日", "明治 began on 1868-10-23"),
    ],
)
def test_a_date_before_its_era_began_is_refused_with_the_correct_wareki(
    text: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=fails_with(text, reason)):
        parse_date(text)


def test_era_year_zero_is_refused() -> None:
    with pytest.raises(
        ValueError, match=fails_with("令和0年5月1日", "令和 starts at year 1 (元年), not year 0")
    ):
        parse_date("令和0年5月1日")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-13-01", "month must be in 1..12"),
        ("2023-02-29", "day is out of range for month"),
        ("令和5年2月29日", "day is out of range for month"),
        ("R6.4.31", "day is out of range for month"),
        ("20240230", "day is out of range for month"),
        ("0000-01-01", "year 0 is out of range"),
    ],
)
def test_an_impossible_calendar_day_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=fails_with(text, reason)):
        parse_date(text)


def test_the_message_for_a_bad_month_reads_as_documented() -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_date("2024-13-01")
    assert str(excinfo.value).startswith(
        "expected a date such as 2024-03-31, 2024/3/31 or 令和6年3月31日 (R6.3.31), found '2024-13-01'"
    )


def test_29_february_in_a_leap_year_is_accepted() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("R6.2.29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2024-03",
        "2024/3-31",  # mixed separators
        "24/3/31",  # two-digit years are ambiguous
        "3/31/2024",  # US order
        "31.03.2024",  # European order
        "2024331",
        "2024-03-31T10:00:00",
        "令和6年3月",
        "令和六年三月三十一日",  # kanji numerals are not supported
        "X6.3.31",  # not an era initial
        "R6.3/31",
        "慶応4年1月1日",  # before 明治
        "yesterday",
    ],
)
def test_unreadable_text_is_refused_naming_the_expected_forms(text: str) -> None:
    with pytest.raises(ValueError, match=fails_with(text)):
        parse_date(text)


def test_parse_date_wants_text() -> None:
    with pytest.raises(TypeError, match="parse_date expects text, found date"):
        parse_date(date(2024, 3, 31))  # type: ignore[arg-type]


def test_the_era_table() -> None:
    assert [(e.name, e.initial, e.start) for e in ERAS] == [
        ("明治", "M", date(1868, 10, 23)),
        ("大正", "T", date(1912, 7, 30)),
        ("昭和", "S", date(1926, 12, 25)),
        ("平成", "H", date(1989, 1, 8)),
        ("令和", "R", date(2019, 5, 1)),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 31), ("令和", 6)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(1926, 12, 24), ("大正", 15)),
        (date(1912, 7, 29), ("明治", 45)),
        (date(1868, 10, 23), ("明治", 1)),
    ],
)
def test_era_year(day: date, expected: tuple[str, int]) -> None:
    assert era_year(day) == expected


def test_dates_before_meiji_have_no_era() -> None:
    message = re.escape(
        "expected a date on or after 1868-10-23 (the start of 明治), found 1868-10-22"
    )
    with pytest.raises(ValueError, match=message):
        era_year(date(1868, 10, 22))
    with pytest.raises(ValueError, match=message):
        format_wareki(date(1868, 10, 22))
    with pytest.raises(ValueError, match=message):
        era_of(date(1868, 10, 22))


@pytest.mark.parametrize(
    ("day", "kanji", "short"),
    [
        (date(2024, 3, 31), "令和6年3月31日", "R6.3.31"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        (date(1900, 1, 1), "明治33年1月1日", "M33.1.1"),
    ],
)
def test_format_wareki(day: date, kanji: str, short: str) -> None:
    assert format_wareki(day) == kanji
    assert format_wareki(day, "kanji") == kanji
    assert format_wareki(day, style="short") == short


@pytest.mark.parametrize(
    "day", [date(1868, 10, 23), date(1989, 1, 8), date(2019, 5, 1), date(2024, 2, 29)]
)
def test_what_format_wareki_writes_parse_date_reads_back(day: date) -> None:
    assert parse_date(format_wareki(day)) == day
    assert parse_date(format_wareki(day, "short")) == day


def test_format_wareki_rejects_an_unknown_style() -> None:
    with pytest.raises(ValueError, match=r"style must be 'kanji' or 'short', found 'long'"):
        format_wareki(date(2024, 3, 31), "long")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fy", "start_month", "expected"),
    [
        (2024, 4, "令和6年度"),
        (2020, 4, "令和2年度"),
        (2019, 4, "平成31年度"),  # it started on 2019-04-01, still in 平成
        (2019, 5, "令和元年度"),
        (2019, 6, "令和元年度"),
        (1989, 4, "平成元年度"),
        (1988, 4, "昭和63年度"),
        (2024, 1, "令和6年度"),
    ],
)
def test_format_fiscal_year_wareki(fy: int, start_month: int, expected: str) -> None:
    assert format_fiscal_year_wareki(fy, start_month) == expected


def test_format_fiscal_year_wareki_validates_the_start_month() -> None:
    with pytest.raises(ValueError, match="fiscal-year start month must be from 1"):
        format_fiscal_year_wareki(2024, 13)
