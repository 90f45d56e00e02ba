"""The schedules as an Excel workbook in the customary layout.

Cells hold numbers (in 千円, already truncated per cell), so the workbook can be summed
and re-checked; the Japanese look comes from the number format `#,##0;"△"#,##0;"-"`
(negatives with △, an empty cell as `-`); a cell under one 千円 gets `…;0` instead, so it
prints `0` as Japanese statements do (and reads back as `0`, not `-`). Schedule (1) has two header rows with merged
group headings, the section name merged down its rows, a units line and the notes below.
A last sheet repeats schedule (1) in the documented columns, so that
`mieruka statements check` can read the exported workbook back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from mieruka.packs.statements.model import FixedAssetSchedule, section_label
from mieruka.packs.statements.others import NOTHING_TO_REPORT, SimpleSchedule
from mieruka.packs.statements.reader import COLUMNS, SHEET
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS

NUMBER = '#,##0;"△"#,##0;"-"'
NUMBER_BELOW_UNIT = '#,##0;"△"#,##0;0'
FONT = "Noto Sans CJK JP"
# (heading, first, last column) of the upper header row; amounts run from column C (2)
GROUPS = (("減価償却累計額", 6, 7), ("減損損失累計額", 8, 10))
LOWER = {
    "accumulated_depreciation": "累計額",
    "depreciation_for_period": "当期償却額",
    "accumulated_impairment": "累計額",
    "impairment_in_pl": "当期減損額（損益内）",
    "impairment_outside_pl": "当期減損額（損益外）",
}


class _Styles:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 9, "valign": "vcenter"}
        self.title = book.add_format({**base, "bold": True, "font_size": 12})
        self.unit = book.add_format({**base, "align": "right"})
        head = {**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                "bg_color": "#F2F2F2"}  # fmt: skip
        self.head = book.add_format(head)
        self.section = book.add_format({**base, "border": 1, "text_wrap": True})
        self.label = book.add_format({**base, "border": 1})
        self.number = book.add_format({**base, "border": 1, "num_format": NUMBER})
        self.number_below = book.add_format({**base, "border": 1, "num_format": NUMBER_BELOW_UNIT})
        self.total_label = book.add_format({**base, "border": 1, "bold": True, "top": 2})
        self.total = book.add_format({**base, "border": 1, "bold": True, "top": 2,
                                      "num_format": NUMBER})  # fmt: skip
        self.total_below = book.add_format({**base, "border": 1, "bold": True, "top": 2,
                                            "num_format": NUMBER_BELOW_UNIT})  # fmt: skip
        self.text = book.add_format(base)
        self.plain = book.add_format({"num_format": NUMBER_BELOW_UNIT})

    def amount(self, is_total: bool, below_unit: bool) -> Format:
        if is_total:
            return self.total_below if below_unit else self.total
        return self.number_below if below_unit else self.number


def _fixed_assets(book: Workbook, sheet: Worksheet, st: _Styles, s: FixedAssetSchedule) -> None:
    sheet.merge_range(0, 0, 0, 12, "（1）固定資産の明細", st.title)
    sheet.merge_range(1, 0, 1, 12, f"（単位：{s.unit}）", st.unit)
    sheet.merge_range(2, 0, 3, 1, "資産の種類", st.head)
    columns = list(AMOUNTS)
    for i, column in enumerate(columns):
        if column not in LOWER:
            sheet.merge_range(2, 2 + i, 3, 2 + i, AMOUNTS[column], st.head)
        else:
            sheet.write(3, 2 + i, LOWER[column], st.head)
    for heading, first, last in GROUPS:
        sheet.merge_range(2, first, 2, last, heading, st.head)
    sheet.merge_range(2, 12, 3, 12, "摘要", st.head)
    row = 4
    for section in SECTIONS:
        members = s.section_rows(section)
        if len(members) > 1:
            sheet.merge_range(row, 0, row + len(members) - 1, 0, section_label(section), st.section)
        else:
            sheet.write(row, 0, section_label(section), st.section)
        for r in members:
            label = st.total_label if r.is_subtotal else st.label
            sheet.write(row, 1, r.asset_class, label)
            for i, column in enumerate(columns):
                number = st.amount(r.is_subtotal, r.is_below_unit(column))
                sheet.write_number(row, 2 + i, r.get(column), number)
            sheet.write(row, 12, r.note, label)
            row += 1
    for note in ["（注）", *s.notes]:
        row += 1
        sheet.write(row, 0, note, st.text)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 13)
    sheet.set_column(2, 11, 11)
    sheet.set_column(12, 12, 18)
    sheet.set_row(3, 30)
    sheet.freeze_panes(4, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2, 3)


def _simple(sheet: Worksheet, st: _Styles, s: SimpleSchedule) -> None:
    headings = [s.key[1], *(h for _, h in s.columns), *(h for _, h in s.text_columns)]
    last = max(len(headings) - 1, 3)
    sheet.merge_range(0, 0, 0, last, f"（{s.number}）{s.title}", st.title)
    if s.empty:
        sheet.write(2, 0, NOTHING_TO_REPORT, st.text)
        return
    sheet.merge_range(1, 0, 1, last, "（単位：千円）", st.unit)
    for i, heading in enumerate(headings):
        sheet.write(2, i, heading, st.head)
    rows: list[tuple[int, dict[str, Any]]] = list(enumerate(s.rows))
    rows.append((-1, {s.key[0]: "計", **(s.total or {})}))
    for n, (index, r) in enumerate(rows, start=3):
        is_total = index == -1
        label = st.total_label if is_total else st.label
        sheet.write(n, 0, r.get(s.key[0], ""), label)
        for i, (column, _) in enumerate(s.columns, start=1):
            number = st.amount(is_total, (index, column) in s.below_unit)
            sheet.write_number(n, i, r.get(column, 0), number)
        for i, (column, _) in enumerate(s.text_columns, start=1 + len(s.columns)):
            sheet.write(n, i, r.get(column, ""), label)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(headings), 14)
    sheet.set_row(2, 30)


def _documented(sheet: Worksheet, st: _Styles, s: FixedAssetSchedule) -> None:
    """(1) in the documented columns; nothing is written `-` (text), as a prepared file
    would, so any reader — `check`, or `mieruka load` — tells it from a printed `0`."""
    sheet.write_row(0, 0, COLUMNS)
    for n, r in enumerate(s.rows, start=1):
        sheet.write(n, 0, r.section)
        sheet.write(n, 1, r.asset_class)
        for i, c in enumerate(AMOUNTS, start=2):
            if r.get(c) or r.is_below_unit(c):
                sheet.write_number(n, i, r.get(c), st.plain)
            else:
                sheet.write_string(n, i, "-")
        sheet.write(n, len(COLUMNS) - 1, r.note)


def write_xlsx(path: Path, fixed: FixedAssetSchedule, others: list[SimpleSchedule]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    try:
        st = _Styles(book)
        _fixed_assets(book, book.add_worksheet("(1)固定資産"), st, fixed)
        for s in others:
            _simple(book.add_worksheet(f"({s.number}){s.title[:10]}"), st, s)
        _documented(book.add_worksheet(SHEET), st, fixed)
    finally:
        book.close()
    return path
