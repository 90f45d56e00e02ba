"""Yen amounts as Japanese statements write them; exact rounding rules."""

import re
from decimal import Decimal

import pytest

from mieruka.japan.yen import (
    ROUNDING_MODES,
    UNITS,
    format_yen,
    parse_amount,
    parse_decimal,
    round_decimal,
    truncate_to_unit,
)

WHOLE = "expected a whole amount in yen such as 1,234, △1,234 or (1,234)"
FRACTION = "expected an amount such as 1,234.5, △1,234.5 or (1,234.5)"


def fails_with(expected: str, text: str, reason: str | None = None) -> str:
    message = f"{expected}, found {text!r}"
    if reason is not None:
        message += f" ({reason})"
    return "^" + re.escape(message) + "$"


# --- truncate_to_unit -------------------------------------------------------


def test_1234999_yen_is_1234_thousand_yen() -> None:
    assert truncate_to_unit(1_234_999, 1000) == 1234


def test_minus_1999_yen_is_minus_1_thousand_yen_truncating_toward_zero() -> None:
    assert truncate_to_unit(-1_999, 1000) == -1
    assert truncate_to_unit(-999, 1000) == 0


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (0, 1000, 0),
        (999, 1000, 0),
        (1000, 1000, 1),
        (-1000, 1000, -1),
        (123_456_789, 1_000_000, 123),
        (-123_456_789, 1_000_000, -123),
        (Decimal("1234.99"), 1, 1234),
        (Decimal("-1234.99"), 1, -1234),
        (Decimal("1999.5"), 1000, 1),
        (Decimal("-0.5"), 1, 0),
        (10**40 + 999, 1000, 10**37),  # exact beyond Decimal's default 28 digits
        (Decimal(10**40) + Decimal("999.9"), 1000, 10**37),
    ],
)
def test_truncate_to_unit(amount: int | Decimal, unit: int, expected: int) -> None:
    result = truncate_to_unit(amount, unit)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("unit", [0, -1000, True])
def test_truncate_to_unit_wants_a_positive_unit(unit: int) -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(f"unit must be a positive integer number of yen, found {unit!r}"),
    ):
        truncate_to_unit(1000, unit)


def test_floats_are_refused_everywhere() -> None:
    hint = re.escape("must be an int or a Decimal, found float (use Decimal(str(x)) for a float)")
    with pytest.raises(TypeError, match="amount " + hint):
        truncate_to_unit(1234.5, 1000)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="amount " + hint):
        format_yen(1234.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="value " + hint):
        round_decimal(0.025, 2, "half_up")  # type: ignore[arg-type]


def test_booleans_and_strings_are_not_amounts() -> None:
    with pytest.raises(TypeError, match=r"amount must be an int or a Decimal, found bool$"):
        truncate_to_unit(True, 1)
    with pytest.raises(TypeError, match=r"amount must be an int or a Decimal, found str$"):
        format_yen("1234")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimals_are_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match=f"amount must be a finite number, found {value}"):
        truncate_to_unit(value, 1000)
    with pytest.raises(ValueError, match=f"value must be a finite number, found {value}"):
        round_decimal(value, 0, "half_up")


# --- format_yen -------------------------------------------------------------


def test_minus_1999_yen_is_triangle_1_thousand_yen() -> None:
    assert format_yen(-1_999, unit="千円") == "△1"


@pytest.mark.parametrize(
    ("amount", "kwargs", "expected"),
    [
        (1234, {}, "1,234"),
        (-1234, {}, "△1,234"),
        (1_234_567_890, {}, "1,234,567,890"),
        (1_234_999, {"unit": "千円"}, "1,234"),
        (-1_234_999, {"unit": "千円"}, "△1,234"),
        (1_234_999_999, {"unit": "百万円"}, "1,234"),
        (-1234, {"negative": "▲"}, "▲1,234"),
        (-1234, {"negative": "-"}, "-1,234"),
        (-1234, {"negative": "()"}, "(1,234)"),
        (Decimal("1234.56"), {}, "1,234"),
        (Decimal("-1234.56"), {}, "△1,234"),
        (999, {}, "999"),
        (1000, {}, "1,000"),
    ],
)
def test_format_yen(amount: int | Decimal, kwargs: dict[str, str], expected: str) -> None:
    assert format_yen(amount, **kwargs) == expected  # type: ignore[arg-type]


def test_zero_prints_as_0_or_as_a_dash_when_blank_zero() -> None:
    assert format_yen(0) == "0"
    assert format_yen(0, blank_zero=True) == "-"


def test_an_amount_that_truncates_to_zero_is_never_triangle_zero() -> None:
    assert format_yen(-999, unit="千円") == "0"
    assert format_yen(-999, unit="千円", blank_zero=True) == "-"
    assert format_yen(Decimal("-0.4")) == "0"


def test_format_yen_rejects_an_unknown_unit() -> None:
    with pytest.raises(
        ValueError, match=re.escape("unit must be one of 円, 千円, 百万円, found '万円'")
    ):
        format_yen(1234, unit="万円")  # type: ignore[arg-type]


def test_units_table() -> None:
    assert UNITS == {"円": 1, "千円": 1000, "百万円": 1_000_000}


# --- parse_amount / parse_decimal -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234),
        ("1234", 1234),
        ("△1,234", -1234),
        ("▲1,234", -1234),
        ("-1234", -1234),
        ("−1,234", -1234),  # U+2212 minus sign
        ("－１，２３４", -1234),  # full-width hyphen-minus
        ("+1,234", 1234),
        ("１，２３４", 1234),
        ("¥1,234", 1234),
        ("￥１，２３４", 1234),
        ("\\1,234", 1234),  # the yen sign as CP932 decodes it
        ("1,234円", 1234),
        ("(1,234)", -1234),
        ("（１，２３４）", -1234),
        ("(¥1,234)", -1234),
        ("-¥1,234", -1234),
        ("¥-1,234", -1234),
        ("△ 1,234 円", -1234),
        ("  1,234  ", 1234),
        ("0", 0),
        ("△0", 0),
        ("1,234,567,890,123", 1_234_567_890_123),
        ("007", 7),
    ],
)
def test_parse_amount(text: str, expected: int) -> None:
    result = parse_amount(text)
    assert result == expected
    assert type(result) is int


def test_a_fraction_is_not_a_whole_yen_amount() -> None:
    with pytest.raises(
        ValueError, match=fails_with(WHOLE, "1.5", "a fraction is not allowed here")
    ):
        parse_amount("1.5")
    with pytest.raises(
        ValueError, match=fails_with(WHOLE, "1,234.00", "a fraction is not allowed here")
    ):
        parse_amount("1,234.00")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", None),
        ("  ", None),
        ("abc", None),
        ("1 234", None),
        ("1,234千円", None),  # a scaled figure must not pass as yen
        ("1.234,5", None),
        ("1e3", None),
        ("12-34", None),
        ("()", None),
        (",123", None),
        ("1,23", "thousands separators must group three digits"),
        ("12,34,567", "thousands separators must group three digits"),
        ("1,234,", "thousands separators must group three digits"),
        ("--1", "more than one sign"),
        ("△-1,234", "more than one sign"),
        ("(△1,234)", "more than one sign"),
    ],
)
def test_parse_amount_refuses_what_it_cannot_read(text: str, reason: str | None) -> None:
    with pytest.raises(ValueError, match=fails_with(WHOLE, text, reason)):
        parse_amount(text)


def test_parse_amount_wants_text() -> None:
    with pytest.raises(TypeError, match="expected text, found int"):
        parse_amount(1234)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("△1,234.5", Decimal("-1234.5")),
        ("(0.25)", Decimal("-0.25")),
        ("１２．５", Decimal("12.5")),
        ("1234", Decimal("1234")),
        ("0.10", Decimal("0.10")),
        ("-0.0", Decimal("0.0")),
    ],
)
def test_parse_decimal(text: str, expected: Decimal) -> None:
    result = parse_decimal(text)
    assert result == expected
    assert str(result) == str(expected)  # exact, trailing zeros kept


def test_parse_decimal_never_returns_negative_zero() -> None:
    assert not parse_decimal("△0.00").is_signed()
    assert not parse_decimal("-0").is_signed()


@pytest.mark.parametrize("text", ["1.", ".5", "1.2.3", "1,2.5", "abc"])
def test_parse_decimal_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(f"{FRACTION}, found {text!r}")):
        parse_decimal(text)


# --- round_decimal ----------------------------------------------------------


def test_2_5_percent_rounded_half_up_is_3_but_half_even_is_2() -> None:
    assert round_decimal(Decimal("2.5"), 0, "half_up") == Decimal("3")
    assert round_decimal(Decimal("2.5"), 0, "half_even") == Decimal("2")


@pytest.mark.parametrize(
    ("mode", "positive", "negative"),
    [
        # 2.45 and -2.45 to one decimal place; 2.41 and -2.41 show the direction.
        ("half_up", ("2.5", "2.4"), ("-2.5", "-2.4")),
        ("half_even", ("2.4", "2.4"), ("-2.4", "-2.4")),
        ("truncate", ("2.4", "2.4"), ("-2.4", "-2.4")),
        ("up", ("2.5", "2.5"), ("-2.5", "-2.5")),
        ("floor", ("2.4", "2.4"), ("-2.5", "-2.5")),
        ("ceil", ("2.5", "2.5"), ("-2.4", "-2.4")),
    ],
)
def test_each_rounding_mode_in_both_signs(
    mode: str, positive: tuple[str, str], negative: tuple[str, str]
) -> None:
    assert round_decimal(Decimal("2.45"), 1, mode) == Decimal(positive[0])
    assert round_decimal(Decimal("2.41"), 1, mode) == Decimal(positive[1])
    assert round_decimal(Decimal("-2.45"), 1, mode) == Decimal(negative[0])
    assert round_decimal(Decimal("-2.41"), 1, mode) == Decimal(negative[1])


def test_half_up_is_shihogonyu_away_from_zero_for_negatives() -> None:
    assert round_decimal(Decimal("-2.5"), 0, "half_up") == Decimal("-3")


def test_ceil_goes_toward_plus_infinity_and_up_is_kiriage() -> None:
    assert round_decimal(Decimal("-2.7"), 0, "ceil") == Decimal("-2")
    assert round_decimal(Decimal("-2.1"), 0, "up") == Decimal("-3")


def test_rounding_keeps_the_requested_number_of_places() -> None:
    assert str(round_decimal(Decimal("12.3"), 2, "half_up")) == "12.30"
    assert str(round_decimal(Decimal("0.0749"), 3, "half_up")) == "0.075"
    assert str(round_decimal(5, 1, "half_up")) == "5.0"


def test_negative_digits_round_to_tens_and_hundreds() -> None:
    assert str(round_decimal(Decimal(1250), -2, "half_up")) == "1300"
    assert str(round_decimal(Decimal(1250), -2, "half_even")) == "1200"
    assert str(round_decimal(Decimal(-1299), -2, "truncate")) == "-1200"
    assert str(round_decimal(49, -2, "half_up")) == "0"


def test_rounding_a_long_value_is_exact_beyond_28_digits() -> None:
    value = Decimal("12345678901234567890123456789.5")
    assert round_decimal(value, 0, "half_up") == Decimal("12345678901234567890123456790")
    assert round_decimal(Decimal("1.23456789012345678901234567890123"), 31, "half_up") == Decimal(
        "1.2345678901234567890123456789012"
    )


def test_rounding_never_returns_negative_zero() -> None:
    assert not round_decimal(Decimal("-0.4"), 0, "half_up").is_signed()


def test_rounding_mode_names() -> None:
    assert set(ROUNDING_MODES) == {"half_up", "half_even", "truncate", "up", "floor", "ceil"}


def test_an_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(
            "rounding mode must be one of half_up, half_even, truncate, up, floor, ceil, found 'round'"
        ),
    ):
        round_decimal(Decimal("2.5"), 0, "round")


def test_digits_must_be_an_integer() -> None:
    with pytest.raises(ValueError, match=r"digits must be an integer, found 1\.5$"):
        round_decimal(Decimal("2.5"), 1.5, "half_up")  # type: ignore[arg-type]
