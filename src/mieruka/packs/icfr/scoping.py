"""Scoping significant locations: rank by an indicator, include to the threshold, add by reason.

The 2023 revision forbids applying the "about two-thirds" example mechanically and asks the
report to state the indicator, the ratio reached and the reason for each location added
individually; so the result carries all three and `statement()` writes them out. Shares are
exact fractions, so a location that brings the total to exactly the threshold is the last.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

INDICATORS = {"revenue": "売上高", "total_assets": "総資産", "pretax_income": "税引前利益"}


@dataclass(frozen=True)
class Scoped:
    location_id: str
    name: str
    value: int
    share: Fraction
    cumulative: Fraction
    reason: str  # "threshold" or the reason it was added


@dataclass
class Scope:
    indicator: str
    threshold: Fraction
    selected: list[Scoped] = field(default_factory=list)
    excluded: list[Scoped] = field(default_factory=list)

    @property
    def ratio(self) -> Fraction:
        """Share of the indicator covered by every selected location (additions included)."""
        return sum((s.share for s in self.selected), Fraction(0))

    @property
    def ranked_ratio(self) -> Fraction:
        return sum((s.share for s in self.selected if s.reason == "threshold"), Fraction(0))

    def statement(self) -> str:
        label = INDICATORS[self.indicator]
        ranked = [s.location_id for s in self.selected if s.reason == "threshold"]
        text = (f"{label}を指標とし、{label}の大きい拠点から累計で全体の{_pct(self.threshold)}に"
                f"達するまでの拠点（{'、'.join(ranked)}）を重要な事業拠点とした"
                f"（到達割合 {_pct(self.ranked_ratio)}）。")  # fmt: skip
        for s in self.selected:
            if s.reason != "threshold":
                text += (
                    f"加えて、{s.location_id}（{s.name}）を{s.reason}ため個別に評価範囲に含めた。"
                )
        return text + f"評価範囲の{label}の合計は全体の{_pct(self.ratio)}である。"


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.1f}%"


def parse_threshold(value: Any) -> Fraction:
    t = Fraction(str(value))
    if not 0 < t <= 1:
        raise ValueError(f"scope_threshold must be in (0, 1]: {value}")
    return t


def scope_locations(locations: list[dict[str, Any]], fy: int, indicator: str = "revenue",
                    threshold: Any = "2/3", additions: Mapping[str, str] | None = None) -> Scope:  # fmt: skip
    """Rank the year's locations by |indicator| and include them until the threshold."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator '{indicator}': expected {', '.join(INDICATORS)}")
    rows = [r for r in locations if r["fiscal_year"] == fy]
    total = sum(abs(r[indicator] or 0) for r in rows)
    if total == 0:
        raise ValueError(f"no {indicator} for FY{fy}: nothing to rank")
    result = Scope(indicator, parse_threshold(threshold))
    extra = dict(additions or {})
    unknown = set(extra) - {r["location_id"] for r in rows}
    if unknown:
        raise ValueError(f"scope additions name unknown location(s): {', '.join(sorted(unknown))}")
    cumulative = Fraction(0)
    ranked = sorted(rows, key=lambda r: (-abs(r[indicator] or 0), r["location_id"]))
    for r in ranked:
        share = Fraction(abs(r[indicator] or 0), total)
        reached = cumulative >= result.threshold
        cumulative += share
        item = Scoped(r["location_id"], r.get("name") or "", int(r[indicator] or 0), share,
                      cumulative, "threshold")  # fmt: skip
        if not reached:
            result.selected.append(item)
        elif r["location_id"] in extra:
            result.selected.append(replace(item, reason=extra[r["location_id"]]))
        else:
            result.excluded.append(item)
    return result
