"""How the dashboard writes things for the person looking: language, era, yen unit.

The choices come from the query string (`?lang=en&era=wareki&yen=million`) and are kept in
a cookie, so a link keeps working for someone else. Numbers are formatted by the report's
`Shape` (千円 truncated toward zero, △ before a negative); `WebShape` adds 百万円.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.japan.yen import truncate_to_unit
from mieruka.report.labels import TEXT, Shape, pick_label, target_text
from mieruka.web.words import WORDS

CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("ja", "en"),
    "era": ("western", "wareki"),
    "yen": ("thousand", "million"),
}
YEN_UNITS = {"thousand": 1000, "million": 1_000_000}
YEN_TEXT = {
    ("ja", "thousand"): "千円",
    ("ja", "million"): "百万円",
    ("en", "thousand"): "¥ thousand",
    ("en", "million"): "¥ million",
}


@dataclass(frozen=True)
class WebShape(Shape):
    """A `Shape` whose yen amounts are shown in 千円 or 百万円, truncated toward zero."""

    yen_unit: int = 1000

    @property
    def unit_text(self) -> str:
        if self.unit == "yen":
            return YEN_TEXT[(self.lang, "million" if self.yen_unit == 1_000_000 else "thousand")]
        return super().unit_text

    def shown(self, value: Decimal | None) -> Decimal | None:
        if value is not None and self.unit == "yen":
            return Decimal(truncate_to_unit(value, self.yen_unit))
        return super().shown(value)


@dataclass(frozen=True)
class Display:
    lang: str = "ja"
    era: str = "western"
    yen: str = "thousand"
    start_month: int = 4

    @classmethod
    def from_sources(cls, *sources: dict[str, Any], start_month: int = 4) -> Display:
        """The first valid value of each choice among the sources (query, then cookie)."""
        picked: dict[str, str] = {}
        for name, allowed in CHOICES.items():
            for source in sources:
                value = source.get(name)
                if value in allowed:
                    picked[name] = str(value)
                    break
        return cls(**picked, start_month=start_month)

    def cookie(self) -> str:
        return f"{self.lang}.{self.era}.{self.yen}"

    @staticmethod
    def parse_cookie(text: str | None) -> dict[str, str]:
        parts = (text or "").split(".")
        return dict(zip(CHOICES, parts, strict=False)) if len(parts) == 3 else {}

    @property
    def w(self) -> dict[str, str]:
        """The dashboard's words in this language (report words as a fallback)."""
        return {**TEXT[self.lang], **WORDS[self.lang]}

    def shape(self, indicator: dict[str, Any]) -> WebShape:
        base = Shape.of(indicator, self.lang)
        return WebShape(base.unit, base.digits, base.mode, base.lang, YEN_UNITS[self.yen])

    def label(self, labels: dict[str, str | None] | None, fallback: str = "") -> str:
        return pick_label(labels, self.lang, fallback)

    def fy(self, year: int | None) -> str:
        if year is None:
            return "—"
        if self.era == "wareki":
            return format_fiscal_year_wareki(year, self.start_month)
        return FiscalYear(year, self.start_month).label("ja" if self.lang == "ja" else "en")

    def date(self, day: dt.date | str | None) -> str:
        if day is None:
            return "—"
        if isinstance(day, str):
            day = dt.date.fromisoformat(day[:10])
        if isinstance(day, dt.datetime):
            day = day.date()
        return format_wareki(day) if self.era == "wareki" else day.isoformat()

    def datetime(self, moment: dt.datetime | str | None) -> str:
        if moment is None:
            return "—"
        if isinstance(moment, str):
            moment = dt.datetime.fromisoformat(moment)
        return f"{self.date(moment.date())} {moment.strftime('%H:%M')}"

    def number(self, indicator: dict[str, Any], text: str | None, unit: bool = True) -> str:
        """A stored value (decimal text) written with the indicator's shape: 1,234千円, △5.0%."""
        shape = self.shape(indicator)
        value = None if text is None else Decimal(text)
        return shape.text_unit(value) if unit else shape.text(value)

    def shown(self, indicator: dict[str, Any], text: str | None) -> float | None:
        """The value in the displayed unit, as a float for a chart."""
        value = self.shape(indicator).shown(None if text is None else Decimal(text))
        return None if value is None else float(value)

    def target(self, indicator: dict[str, Any], targets: list[dict[str, Any]]) -> str:
        shape = self.shape(indicator)
        texts = [
            target_text(
                t["comparator"], None if t["target"] is None else Decimal(t["target"]), shape
            )
            for t in targets
        ]
        return ("、" if self.lang == "ja" else ", ").join(t for t in texts if t)

    def status(self, status: str) -> str:
        return self.w.get(status, status)
