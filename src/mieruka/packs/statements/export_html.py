"""The schedules as a Japanese HTML page and, through WeasyPrint, as PDF.

Cells are formatted with `format_yen` (千円 already truncated per cell, `△` for a negative,
`-` for an empty cell), the same digits the workbook shows. WeasyPrint is preferred for
PDF (pure Python, honours `@page`); where it is not installed, headless Chromium's
`--print-to-pdf` prints the same HTML, so the PDF never depends on a single tool.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
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


def write_pdf(html: str, path: Path) -> str:
    """Print the page to PDF; returns the tool used ("weasyprint" or "chromium")."""
    try:
        import weasyprint
    except ImportError:
        weasyprint = None
    if weasyprint is not None:
        weasyprint.HTML(string=html).write_pdf(str(path))
        return "weasyprint"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise RuntimeError("neither WeasyPrint nor Chromium is installed: cannot write a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "schedules.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={path}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return "chromium"
