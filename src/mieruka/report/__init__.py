"""Reports of a run for people: a self-contained HTML file and an Excel workbook.

An interface layer: it reads runs through `mieruka.core` and formats them with
`mieruka.japan`; nothing in the core imports it.
"""

from __future__ import annotations

from mieruka.report.html import render_html, write_html
from mieruka.report.model import ReportModel, build_report
from mieruka.report.xlsx import write_xlsx

__all__ = ["ReportModel", "build_report", "render_html", "write_html", "write_xlsx"]
