"""The quarterly report's charts as inline SVG: the maturity ladder and concentration.

Drawn with `mieruka.render.svg.bar_chart`, so the HTML page and its PDF print stay one
self-contained file with no JavaScript.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markupsafe import Markup

from mieruka.japan.yen import format_yen
from mieruka.render.svg import bar_chart


def thousand(amount: float) -> str:
    """Yen as 千円 (truncated, △ for a negative)."""
    return format_yen(round(float(amount)), "千円")


def ladder_chart(ladder: list[dict[str, Any]], width: int = 520) -> Markup:
    """Book value by remaining term, written in 千円 (the unit goes in the heading)."""
    items = [
        (s["label"], Decimal(round(float(s["book"])) // 1000), thousand(s["book"])) for s in ladder
    ]
    return bar_chart(items, width=width)


def share_chart(rows: list[dict[str, Any]], limit: float | None = None) -> Markup:
    """Shares (0–1) as percentages, with the guideline's limit as a dashed line."""
    items = [
        (
            r.get("short", r["label"]),
            Decimal(str(round(r["share"] * 100, 2))),
            f"{r['share'] * 100:.1f}%",
        )
        for r in rows
    ]
    if not items:
        return Markup("")
    target = Decimal(str(round(limit * 100, 2))) if limit is not None else None
    return bar_chart(
        items, target=target, target_text=f"上限 {limit * 100:.0f}%" if limit else "", width=520
    )
