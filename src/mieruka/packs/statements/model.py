"""Schedule (1) as rows of figures — the one shape the builder, checker and exporters share.

Keeping one row type means a schedule mieruka builds goes through exactly the checks a
prepared file goes through, and the exporters print exactly what was checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS, SUBTOTAL


@dataclass(frozen=True)
class ScheduleRow:
    """One printed line: amounts in 千円 (or yen before truncation), `line` its file row.

    `below_unit` names the columns printed as `0`: a true amount under one 千円, not
    nothing (Japanese statements print `0` for that and `-` for nothing). A `0` cell may
    hide up to a thousand yen either way; a `-` cell is exactly zero.
    """

    section: str
    asset_class: str
    amounts: dict[str, int]
    note: str = ""
    line: int | None = None
    below_unit: frozenset[str] = frozenset()

    @property
    def is_subtotal(self) -> bool:
        return self.asset_class == SUBTOTAL

    def get(self, column: str) -> int:
        return self.amounts.get(column, 0)

    def is_below_unit(self, column: str) -> bool:
        return column in self.below_unit

    def is_blank(self) -> bool:
        """Every amount is exactly zero (all `-`)."""
        return not any(self.amounts.values()) and not self.below_unit


@dataclass(frozen=True)
class FixedAssetSchedule:
    """Schedule (1) for a fiscal year, with the 損益外 figures a reader of (13) needs."""

    fiscal_year: int
    rows: list[ScheduleRow]
    unit: str = "千円"
    outside_pl_depreciation: int = 0  # yen: specified assets' charge (損益外減価償却相当額)
    outside_pl_impairment: int = 0  # yen: impairment outside P/L (損益外減損損失相当額)
    notes: list[str] = field(default_factory=list)
    start: date | None = None  # the fiscal year's first and last day
    end: date | None = None

    def section_rows(self, section: str) -> list[ScheduleRow]:
        return [r for r in self.rows if r.section == section]


def section_label(section: str) -> str:
    return SECTIONS.get(section, section)


def empty_amounts() -> dict[str, int]:
    return dict.fromkeys(AMOUNTS, 0)
