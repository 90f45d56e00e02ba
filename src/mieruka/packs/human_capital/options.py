"""The pack's options, from `[packs.human_capital]` in `mieruka.toml`.

Options change how a statutory figure is computed (the wage-gap headcount and basis) and
so must be printed in the figure's method note; every run stores them with its
parameters, so a note regenerated later describes the run, not today's settings.
Unknown keys are errors (a typo would otherwise silently leave the default in force).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from mieruka.core.issues import Issue, MierukaError, did_you_mean

HEADCOUNT_METHODS = ("wage_rows", "month_end_average")


@dataclass(frozen=True)
class HcOptions:
    """Defaults follow the domain page: wage-row headcount, both allowances excluded."""

    exclude_retirement_allowance: bool = True
    exclude_commuting_allowance: bool = True
    wage_headcount: str = "wage_rows"  # or "month_end_average" (12 month-ends ÷ 12)
    fte_part_time: bool = False  # convert non-regular workers by weekly_hours ÷ standard
    standard_weekly_hours: Decimal = Decimal(40)
    anonymity_threshold: int = 5
    ltv_discount_rate: Decimal = Decimal("0.05")  # yearly, for the expected remaining LTV
    filer_entity: str = ""  # the filer's entity code, listed first as 提出会社 in disclosures

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> HcOptions:
        raw = dict(raw or {})
        names = [f.name for f in fields(cls)]
        issues = [
            Issue(
                f"unknown option '{k}' in [packs.human_capital]{did_you_mean(k, names)}",
                file="mieruka.toml",
                expected=", ".join(names),
                found=k,
            )
            for k in raw
            if k not in names
        ]
        values: dict[str, Any] = {}
        for name in names:
            if name in raw:
                try:
                    values[name] = _convert(name, raw[name])
                except ValueError as exc:
                    issues.append(
                        Issue(
                            f"option '{name}' in [packs.human_capital]: {exc}",
                            file="mieruka.toml",
                            found=str(raw[name]),
                        )
                    )
        if issues:
            raise MierukaError(issues)
        return cls(**values)


def _convert(name: str, value: Any) -> Any:
    if name in ("exclude_retirement_allowance", "exclude_commuting_allowance", "fte_part_time"):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if name == "wage_headcount":
        if value not in HEADCOUNT_METHODS:
            raise ValueError(f"expected one of {', '.join(HEADCOUNT_METHODS)}")
        return value
    if name == "filer_entity":
        if not isinstance(value, str):
            raise ValueError("expected the filer's entity code as text")
        return value
    if name == "anonymity_threshold":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("expected a whole number of at least 1")
        return value
    if name == "ltv_discount_rate":
        rate = Decimal(str(value))
        if not 0 <= rate < 1:
            raise ValueError("expected a yearly rate between 0 and 1, e.g. 0.05")
        return rate
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("expected a number of hours") from None
    if not 0 < hours <= 168:
        raise ValueError("expected hours between 0 and 168")
    return hours
