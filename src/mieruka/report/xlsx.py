"""A run as an Excel workbook: 指標一覧, one 内訳 sheet per breakdown, 違反 and 実行情報.

Cells hold numbers, not text, so that the figures can be summed and charted; what makes
them read the Japanese way is the number format: yen in 千円 as `#,##0;"△"#,##0` (the
value is already truncated to 千円, as the HTML shows it) and percentages with the
indicator's digits. A percentage is stored as a fraction (40.0 % is 0.4), as Excel expects.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from mieruka.core.project import Project
from mieruka.report.labels import COMPARATOR_EN, COMPARATOR_JA, Shape
from mieruka.report.model import Figure, ReportModel, build_report

HEADER = {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
STATUS_COLOURS = {
    "met": ("#E1F3E5", "#1D6B33"),
    "missed": ("#FBE3E1", "#A82A1F"),
    "no_target": ("#ECEEF1", "#555555"),
    "no_data": ("#FFF1D6", "#8A5A00"),
}


def number_format(shape: Shape) -> str:
    """`#,##0;"△"#,##0` for 千円, `0.0%;"△"0.0%` for a percentage with one digit, and so on."""
    negative = '"△"' if shape.lang == "ja" else "-"
    digits = 0 if shape.unit == "yen" else max(shape.digits, 0)
    body = ("0" if shape.unit == "percent" else "#,##0") + ("." + "0" * digits if digits else "")
    if shape.unit == "percent":
        body += "%"
    return f"{body};{negative}{body}"


def cell_value(shape: Shape, value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value / 100) if shape.unit == "percent" else float(value)


def sheet_name(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", "_", text).strip("'")[:31]
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Book:
    def __init__(self, workbook: Workbook, model: ReportModel) -> None:
        self.wb, self.m, self.t = workbook, model, model.t
        self.header = workbook.add_format(HEADER)
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.mono = workbook.add_format({"font_name": "Consolas"})
        self.bold = workbook.add_format({"bold": True})
        self.counts = workbook.add_format({"num_format": "#,##0"})
        self.status = {
            s: workbook.add_format(
                {"bg_color": bg, "font_color": fg, "bold": True, "align": "center"}
            )
            for s, (bg, fg) in STATUS_COLOURS.items()
        }
        self._numbers: dict[str, Format] = {}
        self.taken: set[str] = set()

    def number(self, shape: Shape, bold: bool = False) -> Format:
        code = number_format(shape)
        key = code + ("|b" if bold else "")
        if key not in self._numbers:
            self._numbers[key] = self.wb.add_format({"num_format": code, "bold": bold})
        return self._numbers[key]

    def sheet(self, name: str, headers: list[str], title: str, widths: list[int]) -> Worksheet:
        ws = self.wb.add_worksheet(sheet_name(name, self.taken))
        ws.write(0, 0, title, self.title)
        ws.write_row(2, 0, headers, self.header)
        ws.freeze_panes(3, 0)
        for col, (head, width) in enumerate(zip(headers, widths, strict=True)):
            ws.set_column(col, col, max(width, _width(head) + 2))
        return ws

    def heading(self) -> str:
        m = self.m
        as_of = f"{m.t['as_of']} {m.as_of.isoformat()}（{m.as_of_wareki}）" if m.as_of else ""
        return f"{m.title}　{m.fy_ja}（{m.fy_wareki}）{m.fy_en}　{as_of}"

    def comparator(self, figure: Figure) -> str:
        if figure.comparator is None:
            return ""
        table = COMPARATOR_JA if self.m.lang == "ja" else COMPARATOR_EN
        return table.get(figure.comparator) or "="

    def write_figure(
        self, ws: Worksheet, row: int, col: int, figure: Figure, status: bool = True
    ) -> None:
        """value, unit, comparator, target, status from column `col` on."""
        fmt = self.number(figure.shape)
        ws.write(row, col, cell_value(figure.shape, figure.value), fmt)
        ws.write(row, col + 1, figure.shape.unit_text)
        ws.write(row, col + 2, self.comparator(figure))
        ws.write(row, col + 3, cell_value(figure.shape, figure.target), fmt)
        if status:
            ws.write(row, col + 4, self.t[figure.status], self.status[figure.status])

    def summary(self) -> None:
        t = self.t
        headers = [
            t["pack"],
            t["indicator"],
            t["label"],
            t["value"],
            t["unit"],
            t["comparator"],
            t["target"],
            t["status"],
            t["method"],
        ]
        figures = [(title, f) for title, group in self.m.groups for f in group]
        widths = [
            max([_width(g) for g, _ in figures] + [8]) + 2,
            max([_width(f.indicator) for _, f in figures] + [10]) + 2,
            min(max([_width(f.label) for _, f in figures] + [10]) + 2, 40),
            14,
            8,
            8,
            14,
            11,
            60,
        ]
        ws = self.sheet(t["sheet_summary"], headers, self.heading(), widths)
        ws.write(1, 0, t["unit_note"])
        for row, (group, figure) in enumerate(figures, start=3):
            ws.write(row, 0, group)
            ws.write(row, 1, figure.indicator)
            ws.write(row, 2, figure.label)
            self.write_figure(ws, row, 3, figure)
            method = figure.method + (
                f"（{t['skipped']}: {figure.skipped}）" if figure.skipped else ""
            )
            ws.write(row, 8, method, self.wrap)
        if figures:
            ws.autofilter(2, 0, 2 + len(figures), len(headers) - 1)
        ws.activate()

    def breakdowns(self) -> None:
        t = self.t
        for b in self.m.breakdowns:
            headers = [
                b.dim,
                t["value"],
                t["unit"],
                t["comparator"],
                t["target"],
                t["status"],
                t["numerator"],
                t["denominator"],
                t["rows"],
            ]
            widths = [
                min(max([_width(r.label) for r in b.rows] + [8]) + 2, 40),
                14,
                8,
                8,
                14,
                11,
                12,
                12,
                10,
            ]
            name = f"{t['sheet_breakdown']}_{b.label}_{b.dim}"
            ws = self.sheet(name, headers, f"{b.label}（{b.indicator}）— {b.dim}", widths)
            ws.write(1, 0, f"{self.m.fy_ja}（{self.m.fy_wareki}）{self.m.fy_en}")
            row = 3
            for row, (figure, extra) in enumerate(zip(b.rows, b.extra, strict=True), start=3):
                ws.write(row, 0, figure.label)
                self.write_figure(ws, row, 1, figure, status=bool(figure.target_text))
                for col, key in ((6, "numerator"), (7, "denominator"), (8, "rows")):
                    ws.write(
                        row, col, None if extra[key] is None else float(extra[key]), self.counts
                    )
            if b.total is not None:
                ws.write(row + 1, 0, "計" if self.m.lang == "ja" else "Total", self.bold)
                ws.write(
                    row + 1, 1, cell_value(b.shape, b.total.value), self.number(b.shape, bold=True)
                )

    def violations(self) -> None:
        t = self.t
        headers = [t["rule"], t["label"], t["severity"], t["action"], t["seq"], t["key"], t["row"]]
        ws = self.sheet(
            t["sheet_violations"],
            headers,
            f"{t['violations']}　{self.m.title}",
            [26, 34, 10, 40, 8, 26, 70],
        )
        row = 3
        for g in self.m.rules:
            for v in g.violations:
                content = "; ".join(f"{c}={v['row'].get(c)}" for c in g.columns)
                ws.write_row(
                    row,
                    0,
                    [
                        g.rule,
                        g.label,
                        self.t.get(g.severity, g.severity),
                        g.action,
                        v["seq"],
                        v["key"],
                        content,
                    ],
                )
                row += 1
        if row == 3:
            ws.write(3, 0, t["no_violations"])
        else:
            ws.autofilter(2, 0, row - 1, len(headers) - 1)

    def info(self) -> None:
        t, run = self.t, self.m.run
        ws = self.sheet(t["sheet_info"], [t["label"], t["value"]], self.heading(), [24, 70])
        rows: list[tuple[str, Any]] = [
            (t["organisation"], self.m.organisation),
            (t["run"], run["id"]),
            (t["fiscal_year"], f"{self.m.fy_ja}（{self.m.fy_wareki}）{self.m.fy_en}"),
            (t["as_of"], f"{run['as_of']}（{self.m.as_of_wareki}）" if run["as_of"] else ""),
            (t["created"], run["created_at"]),
            (t["run_hash"], run["run_hash"]),
            (t["prev_hash"], run["prev_hash"] or ""),
            (t["results_hash"], run["results_hash"]),
            (t["spec_hash"], run["spec_hash"]),
            *[(f"{t['snapshots']}: {d}", h) for d, h in sorted(run["snapshots"].items())],
            (t["code_version"], run["code_version"]),
            (t["supersedes"], run["supersedes"] or ""),
            (t["verify"], f"mieruka verify {run['id']}"),
        ]
        for row, (key, value) in enumerate(rows, start=3):
            ws.write(row, 0, key, self.bold)
            ws.write(
                row, 1, value, self.mono if isinstance(value, str) and len(value) == 64 else None
            )


def write_model(model: ReportModel, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path)) as workbook:
        book = _Book(workbook, model)
        book.summary()
        book.breakdowns()
        book.violations()
        book.info()
    return path


def write_xlsx(project: Project, run_id: int, path: Path, lang: str | None = None) -> Path:
    """The workbook of run `run_id` at `path`, labelled in `lang` (the workspace's by default)."""
    return write_model(build_report(project, run_id, lang), path)
