"""The period a run evaluates: a fiscal year, optionally cut off at an as-of date.

Formulas see it as named parameters: `:fy` (int), `:fy_start`, `:fy_end`, `:as_of` (dates).
With `--fy`, `:as_of` is the fiscal year's last day; with `--as-of`, the fiscal year is the
one containing that date and `:as_of` is the date itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mieruka.japan.fiscal import FiscalYear, fiscal_year_of


@dataclass(frozen=True)
class Period:
    fiscal_year: int
    start: date
    end: date
    as_of: date
    start_month: int = 4

    @classmethod
    def for_fiscal_year(cls, fy: int, start_month: int = 4) -> Period:
        year = FiscalYear(fy, start_month)
        return cls(fy, year.start, year.end, year.end, start_month)

    @classmethod
    def as_of_date(cls, day: date, start_month: int = 4) -> Period:
        year = fiscal_year_of(day, start_month)
        return cls(year.year, year.start, year.end, day, start_month)

    def params(self) -> dict[str, object]:
        return {
            "fy": self.fiscal_year,
            "fy_start": self.start,
            "fy_end": self.end,
            "as_of": self.as_of,
        }

    def to_json(self) -> dict[str, object]:
        return {
            "fy": self.fiscal_year,
            "fy_start": self.start.isoformat(),
            "fy_end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "start_month": self.start_month,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Period:
        return cls(
            int(str(data["fy"])),
            date.fromisoformat(str(data["fy_start"])),
            date.fromisoformat(str(data["fy_end"])),
            date.fromisoformat(str(data["as_of"])),
            int(str(data.get("start_month", 4))),
        )
