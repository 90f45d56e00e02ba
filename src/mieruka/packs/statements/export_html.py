"""The schedules as a Japanese HTML page (printed to PDF by `mieruka.render.pdf`).

Cells are formatted with `format_yen` (千円 already truncated per cell, `△` for a negative,
`-` for an empty cell, `0` for one under a thousand yen), the same digits the workbook
shows.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.japan.yen import format_yen
from mieruka.packs.statements.export_xlsx import GROUPS, LOWER
from mieruka.packs.statements.model import FixedAssetSchedule, section_label
from mieruka.packs.statements.others import NOTHING_TO_REPORT, SimpleSchedule
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS


def cell(value: int, below_unit: bool = False) -> str:
    """A 千円 figure as printed: `1,234`, `△1,234`, `-` for nothing, `0` under one 千円."""
    return format_yen(value * 1000, "千円", blank_zero=not below_unit)


BREAKS = {
    "差引当期末残高": ("差引", "当期末残高"),
    "うち1年以内返済予定": ("うち1年以内", "返済予定"),
}
"""Long headings without a bracket, and where they break."""


def heading(text: str) -> Markup:
    """A column heading that breaks before its bracketed part: 当期減損額<br>（損益内）."""
    if text in BREAKS:
        return Markup("<br>".join(escape(part) for part in BREAKS[text]))
    head, bracket, rest = text.partition("（")
    if not bracket or not head:
        return Markup(escape(text))
    return Markup(f"{escape(head)}<br>{escape(bracket + rest)}")


def _headers() -> tuple[list[tuple[Markup, int]], list[Markup]]:
    upper: list[tuple[Markup, int]] = []
    grouped = {first: (heading(h), last - first + 1) for h, first, last in GROUPS}
    for i, column in enumerate(AMOUNTS, start=2):
        if i in grouped:
            upper.append(grouped[i])
        elif column not in LOWER:
            upper.append((heading(AMOUNTS[column]), 1))
    return upper, [heading(h) for h in LOWER.values()]


def _widths(s: SimpleSchedule) -> tuple[float, list[float]]:
    """The label column wide enough for a lender's name, the figures sharing the rest."""
    label = 30.0 if s.text_columns else 22.0
    count = len(s.columns) + len(s.text_columns)
    return label, [round((100 - label) / count, 2)] * count


def _simple_rows(s: SimpleSchedule) -> dict[str, Any]:
    rows = [
        (
            r[s.key[0]],
            [cell(r[c], (i, c) in s.below_unit) for c, _ in s.columns],
            [r[c] for c, _ in s.text_columns],
        )
        for i, r in enumerate(s.rows)
    ]
    if s.total is not None:
        totals = [cell(s.total[c], (-1, c) in s.below_unit) for c, _ in s.columns]
        rows.append(("計", totals, ["" for _ in s.text_columns]))
    headings = [heading(h) for h in (s.key[1], *(h for _, h in s.columns),
                                     *(h for _, h in s.text_columns))]  # fmt: skip
    label, widths = _widths(s)
    return {"number": s.number, "title": s.title, "empty": s.empty, "rows": rows,
            "headings": headings, "label_width": label, "widths": widths}  # fmt: skip


def period_label(fixed: FixedAssetSchedule) -> str:
    """自 令和7年4月1日　至 令和8年3月31日 (empty when the schedule carries no dates)."""
    if fixed.start is None or fixed.end is None:
        return ""
    return f"自 {format_wareki(fixed.start)}　至 {format_wareki(fixed.end)}"


def _fy_label(fixed: FixedAssetSchedule) -> str:
    """令和7年度 (2025年度): the 和暦 name first, the western year beside it."""
    month = fixed.start.month if fixed.start else 4
    return f"{format_fiscal_year_wareki(fixed.fiscal_year, month)}（{fixed.fiscal_year}年度）"


def render_html(
    fixed: FixedAssetSchedule, others: list[SimpleSchedule], organisation: str = ""
) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files("mieruka.packs.statements").joinpath("templates", "schedules.html")
    template = env.from_string(source.read_text(encoding="utf-8"))
    sections = []
    for section in SECTIONS:
        rows = [
            {
                "asset_class": r.asset_class,
                "is_subtotal": r.is_subtotal,
                "note": r.note,
                "cells": [cell(r.get(c), r.is_below_unit(c)) for c in AMOUNTS],
            }
            for r in fixed.section_rows(section)
        ]
        sections.append({"label": heading(section_label(section)), "rows": rows})
    upper, lower = _headers()
    return template.render(
        fy_label=_fy_label(fixed), period=period_label(fixed), organisation=organisation,
        fixed=fixed, sections=sections, upper=upper, lower=lower, nothing=NOTHING_TO_REPORT,
        others=[_simple_rows(s) for s in others], amount_columns=len(AMOUNTS),
    )  # fmt: skip
