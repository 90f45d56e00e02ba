"""The schedules as a Japanese HTML page (printed to PDF by `mieruka.render.pdf`).

Cells are formatted with `format_yen` (千円 already truncated per cell, `△` for a negative,
`-` for an empty cell), the same digits the workbook shows.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2

from mieruka.japan.yen import format_yen
from mieruka.packs.statements.export_xlsx import GROUPS, LOWER
from mieruka.packs.statements.model import FixedAssetSchedule, section_label
from mieruka.packs.statements.others import NOTHING_TO_REPORT, SimpleSchedule
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS


def cell(value: int) -> str:
    """A 千円 figure as printed: `1,234`, `△1,234`, or `-` for zero."""
    return format_yen(value * 1000, "千円", blank_zero=True)


def _headers() -> tuple[list[tuple[str, int]], list[str]]:
    upper: list[tuple[str, int]] = []
    grouped = {first: (heading, last - first + 1) for heading, first, last in GROUPS}
    for i, column in enumerate(AMOUNTS, start=2):
        if i in grouped:
            upper.append(grouped[i])
        elif column not in LOWER:
            upper.append((AMOUNTS[column], 1))
    return upper, list(LOWER.values())


def _simple_rows(s: SimpleSchedule) -> dict[str, Any]:
    rows = [
        (r[s.key[0]], [cell(r[c]) for c, _ in s.columns], [r[c] for c, _ in s.text_columns])
        for r in s.rows
    ]
    if s.total is not None:
        rows.append(("計", [cell(s.total[c]) for c, _ in s.columns], ["" for _ in s.text_columns]))
    headings = [s.key[1], *(h for _, h in s.columns), *(h for _, h in s.text_columns)]
    return {"number": s.number, "title": s.title, "empty": s.empty, "rows": rows,
            "headings": headings}  # fmt: skip


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
                "cells": [cell(r.get(c)) for c in AMOUNTS],
            }
            for r in fixed.section_rows(section)
        ]
        sections.append({"label": section_label(section), "rows": rows})
    upper, lower = _headers()
    return template.render(
        fy_label=f"{fixed.fiscal_year}年度", organisation=organisation, fixed=fixed,
        sections=sections, upper=upper, lower=lower, nothing=NOTHING_TO_REPORT,
        others=[_simple_rows(s) for s in others],
    )  # fmt: skip
