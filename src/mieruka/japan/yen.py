"""Yen amounts as Japanese statements write them, with exact arithmetic only.

Figures in statutory schedules are shown in 円, 千円 or 百万円 with the
remainder truncated (千円未満切捨て), negatives marked ``△`` (or ``▲``), and
thousands separators. Indicators are rounded by a declared rule (四捨五入,
切り捨て, ...). A verifier re-computing a figure must get the same digits, so
nothing here touches a binary float: amounts are ``int`` or
:class:`decimal.Decimal`, and a float argument is refused with ``TypeError``.

Truncation to a unit goes toward zero for negatives too: -1,999 円 is
``△1`` 千円, the way 千円未満切捨て is applied to a negative line in Japanese
statements (the magnitude is truncated, the sign kept).

The parsing and formatting are small and convention-specific, which is why they
are written here rather than taken from a locale library (locales know neither
``△`` nor 千円 units).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from typing import Literal

__all__ = [
    "ROUNDING_MODES",
    "UNITS",
    "format_yen",
    "parse_amount",
    "parse_decimal",
    "round_decimal",
    "truncate_to_unit",
]

Amount = int | Decimal
Unit = Literal["円", "千円", "百万円"]
RoundingMode = Literal["half_up", "half_even", "truncate", "up", "floor", "ceil"]

UNITS: dict[str, int] = {"円": 1, "千円": 1_000, "百万円": 1_000_000}
"""Display units and the number of yen in one of each."""

ROUNDING_MODES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,  # 四捨五入: .5 goes away from zero (2.5 → 3, -2.5 → -3)
    "half_even": ROUND_HALF_EVEN,  # banker's rounding: .5 goes to the even digit (2.5 → 2)
    "truncate": ROUND_DOWN,  # 切り捨て: toward zero (-2.7 → -2)
    "up": ROUND_UP,  # 切り上げ: away from zero (2.1 → 3, -2.1 → -3)
    "floor": ROUND_FLOOR,  # toward -infinity (-2.1 → -3)
    "ceil": ROUND_CEILING,  # toward +infinity (-2.7 → -2, 2.1 → 3)
}
"""Rounding rules an indicator may declare, mapped to :mod:`decimal` modes.

``ceil`` is the mathematical ceiling (toward +infinity); the Japanese
切り上げ, which rounds the magnitude up whatever the sign, is ``up``.
"""


def _check_amount(amount: object, what: str = "amount") -> Decimal | int:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        hint = " (use Decimal(str(x)) for a float)" if isinstance(amount, float) else ""
        raise TypeError(f"{what} must be an int or a Decimal, found {type(amount).__name__}{hint}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError(f"{what} must be a finite number, found {amount}")
    return amount


def truncate_to_unit(amount: Amount, unit: int) -> int:
    """``amount`` yen counted in units of ``unit`` yen, truncated toward zero.

    ``truncate_to_unit(1_234_999, 1000) == 1234`` (千円未満切捨て) and
    ``truncate_to_unit(-1_999, 1000) == -1``.
    """
    value = _check_amount(amount)
    if isinstance(unit, bool) or not isinstance(unit, int) or unit <= 0:
        raise ValueError(f"unit must be a positive integer number of yen, found {unit!r}")
    # int() drops a Decimal's fraction exactly (toward zero), and integer division of the
    # magnitude is exact at any size (Decimal division would be bounded by the
    # context precision); the sign goes back afterwards, so truncation is
    # toward zero. floor(floor(x) / unit) == floor(x / unit) for x >= 0.
    magnitude = abs(int(value)) // unit
    return -magnitude if value < 0 else magnitude


def format_yen(
    amount: Amount,
    unit: Unit = "円",
    negative: str = "△",
    blank_zero: bool = False,
) -> str:
    """Write ``amount`` (in yen) the way a Japanese statement prints it.

    The amount is truncated toward zero to ``unit`` (千円未満切捨て; for ``円``
    this drops any sen), grouped by thousands, and a negative is prefixed with
    ``negative`` (``"△"``, ``"▲"`` or ``"-"``; ``"()"`` wraps it in
    parentheses). The unit itself is not appended: it belongs in the column
    header (``単位：千円``). A figure that is zero after truncation prints as
    ``0``, or ``-`` with ``blank_zero=True``; it never prints as ``△0``.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, found {unit!r}")
    value = truncate_to_unit(amount, UNITS[unit])
    if value == 0:
        return "-" if blank_zero else "0"
    digits = f"{abs(value):,}"
    if value > 0:
        return digits
    if negative == "()":
        return f"({digits})"
    return f"{negative}{digits}"


_NEGATIVE_SIGNS = "-△▲\u2212"  # hyphen-minus, △, ▲, and the Unicode minus sign
_AMOUNT = re.compile(
    r"(?P<sign>[-+△▲\u2212])?\s*(?P<yen>[¥\\])?\s*(?P<sign2>[-+△▲\u2212])?\s*"
    r"(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<suffix>円)?"
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")


def _parse(text: str, *, fraction: bool) -> Decimal:
    expected = (
        "an amount such as 1,234.5, △1,234.5 or (1,234.5)"
        if fraction
        else "a whole amount in yen such as 1,234, △1,234 or (1,234)"
    )
    if not isinstance(text, str):
        raise TypeError(f"expected text, found {type(text).__name__}")

    def fail(reason: str | None = None) -> ValueError:
        message = f"expected {expected}, found {text!r}"
        return ValueError(f"{message} ({reason})" if reason else message)

    # NFKC folds full-width digits, commas, ¥, parentheses and minus signs.
    normalised = unicodedata.normalize("NFKC", text).strip()
    negative = False
    if normalised.startswith("(") and normalised.endswith(")"):
        negative = True
        normalised = normalised[1:-1].strip()
    match = _AMOUNT.fullmatch(normalised)
    if match is None:
        raise fail()
    signs = [s for s in (match["sign"], match["sign2"]) if s]
    if len(signs) > 1 or (negative and signs):
        raise fail("more than one sign")
    if signs and signs[0] in _NEGATIVE_SIGNS:
        negative = True
    number = match["number"]
    whole, _, frac = number.partition(".")
    if not _GROUPED.fullmatch(whole):
        raise fail("thousands separators must group three digits")
    if frac and not fraction:
        raise fail("a fraction is not allowed here")
    value = Decimal(whole.replace(",", "") + (f".{frac}" if frac else ""))
    if negative:
        value = -value
    return value if value else abs(value)  # no negative zero


def parse_amount(text: str) -> int:
    """Read a whole yen amount as Japanese files write it.

    Accepts ``1,234``, ``△1,234``, ``▲1,234``, ``-1234``, ``(1,234)``
    (negative), ``¥1,234``, ``1,234円``, full-width ``１，２３４`` and surrounding
    spaces. A fraction (``1.5``) is refused: use :func:`parse_decimal`.
    """
    return int(_parse(text, fraction=False))


def parse_decimal(text: str) -> Decimal:
    """Read an amount that may carry a fraction (``△1,234.56``), exactly."""
    return _parse(text, fraction=True)


def round_decimal(value: Decimal | int, digits: int, mode: RoundingMode | str) -> Decimal:
    """Round ``value`` to ``digits`` decimal places by a named rule, exactly.

    ``digits`` may be negative to round to tens, hundreds, ...
    (``round_decimal(Decimal(1250), -2, "half_up") == Decimal(1300)``).
    Modes are listed in :data:`ROUNDING_MODES`; ``half_up`` is 四捨五入,
    ``truncate`` 切り捨て, ``up`` 切り上げ, ``ceil`` is toward +infinity.
    """
    number = _check_amount(value, "value")
    if mode not in ROUNDING_MODES:
        raise ValueError(
            f"rounding mode must be one of {', '.join(ROUNDING_MODES)}, found {mode!r}"
        )
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise ValueError(f"digits must be an integer, found {digits!r}")
    exact = Decimal(number)
    exponent = Decimal(1).scaleb(-digits)
    with localcontext() as ctx:
        # Enough precision for the rounded coefficient: quantize must never
        # itself round (or fail) because of the context's default 28 digits.
        ctx.prec = max(28, exact.adjusted() + max(digits, 0) + 2)
        rounded = exact.quantize(exponent, rounding=ROUNDING_MODES[mode])
        if digits < 0:
            rounded = rounded.quantize(Decimal(1))
    return rounded if rounded else abs(rounded)
