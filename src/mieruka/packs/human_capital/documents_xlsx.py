"""A `Document` as an Excel workbook: one sheet per section, numbers as numbers.

Figures are written as numbers with the run's decimals as the number format (`0.0`,
`#,##0`), so the cells can be pasted or re-checked; a figure that could not be computed is
the text `－` (or "no data"), never a zero. Merged header cells follow the HTML header.
Notes are written below each table, one paragraph per row, so they travel with the
figures. Charts are not drawn here: the workbook carries the numbers behind them.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Format, Workbook
from xlsxwriter.worksheet import Worksheet

from mieruka.packs.human_capital.documents import Cell, Document, Table

FONT = "Noto Sans CJK JP"
INVALID_SHEET = re.compile(r"[\[\]:*?/\\]")


class _Styles:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 9, "valign": "vcenter"}
        self.base = base
        self.book = book
        self.title = book.add_format({**base, "bold": True, "font_size": 12})
        self.heading = book.add_format({**base, "bold": True, "font_size": 10})
        self.meta = book.add_format({**base, "font_color": "#555555"})
        self.text = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True, "valign": "top"})
        self.unit = book.add_format({**base, "align": "right"})
        self.head = book.add_format(
            {**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
             "bg_color": "#F2F2F2"}
        )  # fmt: skip
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True})
        self.missing = book.add_format({**base, "border": 1, "align": "right"})
        self._numbers: dict[tuple[int, bool], Format] = {}

    def number(self, digits: int, thousands: bool) -> Format:
        key = (digits, thousands)
        if key not in self._numbers:
            pattern = ("#,##0" if thousands else "0") + ("." + "0" * digits if digits else "")
            self._numbers[key] = self.book.add_format(
                {**self.base, "border": 1, "num_format": f'{pattern};"△"{pattern}'}
            )
        return self._numbers[key]


def sheet_name(text: str, used: set[str]) -> str:
    name = INVALID_SHEET.sub("_", text)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def write_xlsx(doc: Document, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    try:
        st = _Styles(book)
        used: set[str] = set()
        for section in (s for s in doc.sections if s.in_workbook):
            sheet = book.add_worksheet(sheet_name(section.sheet or section.heading, used))
            sheet.hide_gridlines(2)
            sheet.write(0, 0, doc.title, st.title)
            row = 1
            for key, value in doc.meta:
                sheet.write(row, 0, f"{key}: {value}", st.meta)
                row += 1
            sheet.write(row + 1, 0, section.heading, st.heading)
            row += 3
            widths: dict[int, int] = {}
            paragraphs: list[tuple[int, str]] = []
            for block in section.blocks:
                if isinstance(block, Table):
                    row = _table(sheet, st, block, row, widths) + 1
                elif isinstance(block, list):
                    for paragraph in block:
                        paragraphs.append((row, paragraph))
                        row += 1
                    row += 1
            columns = {col: min(max(width, 8), 48) for col, width in widths.items()}
            for col, width in columns.items():
                sheet.set_column(col, col, width)
            _paragraphs(sheet, st, paragraphs, columns)
    finally:
        book.close()


def _paragraphs(
    sheet: Worksheet, st: _Styles, paragraphs: list[tuple[int, str]], columns: dict[int, int]
) -> None:
    """Notes wrapped across the table's width, each row as tall as its lines need."""
    last = max(columns, default=0)
    span = sum(columns.values()) or 60
    for row, text in paragraphs:
        lines = -(-_width(text) // span)  # ceiling division
        if last > 0:
            sheet.merge_range(row, 0, row, last, text, st.wrap)
        else:
            sheet.write(row, 0, text, st.wrap)
        sheet.set_row(row, 13 * max(lines, 1))


def _table(sheet: Worksheet, st: _Styles, table: Table, row: int, widths: dict[int, int]) -> int:
    if table.caption:
        sheet.write(row, 0, table.caption, st.heading)
        row += 1
    if table.unit:
        sheet.write(row, max(table.width - 1, 0), table.unit, st.unit)
        row += 1
    taken: set[tuple[int, int]] = set()
    for r, heads in enumerate(table.header):
        col = 0
        for head in heads:
            while (r, col) in taken:
                col += 1
            last_r, last_c = row + r + head.rowspan - 1, col + head.colspan - 1
            if head.rowspan > 1 or head.colspan > 1:
                sheet.merge_range(row + r, col, last_r, last_c, head.text, st.head)
            else:
                sheet.write(row + r, col, head.text, st.head)
            for dr in range(head.rowspan):
                for dc in range(head.colspan):
                    taken.add((r + dr, col + dc))
            if head.colspan == 1:
                widths[col] = max(widths.get(col, 0), _width(head.text) // max(head.rowspan, 1))
            col += head.colspan
    row += len(table.header)
    for cells in table.rows:
        for col, cell in enumerate(cells):
            _cell(sheet, st, row, col, cell)
            widths[col] = max(widths.get(col, 0), _width(cell.text))
        row += 1
    return row


def _cell(sheet: Worksheet, st: _Styles, row: int, col: int, cell: Cell) -> None:
    if cell.is_number:
        assert cell.value is not None and not isinstance(cell.value, str)
        sheet.write_number(row, col, float(cell.value), st.number(cell.digits or 0, cell.thousands))
    elif cell.text in ("－", "no data", "データなし"):
        sheet.write_string(row, col, cell.text, st.missing)
    else:
        sheet.write_string(row, col, cell.text, st.cell)


def _width(text: str) -> int:
    """Columns an Excel cell needs: full-width (Japanese) characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) + 2
