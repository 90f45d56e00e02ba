"""XLSX layouts of the annual report and of the SLLP assessment sheet (XlsxWriter).

The SLLP sheet is a working document: the reviewer's columns are yellow, unlocked and
offer the assessment words as a drop-down; everything pre-filled is locked (the sheet is
protected without a password, so it guards against slips, not against intent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from mieruka.packs.sll.words import words

FONT = "Noto Sans CJK JP"


def _formats(book: Workbook) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 10, "valign": "top", "border": 1}
    return {
        "title": book.add_format({"font_name": FONT, "bold": True, "font_size": 14}),
        "head": book.add_format({**base, "bold": True, "bg_color": "#EEF1F6", "text_wrap": True}),
        "cell": book.add_format({**base, "text_wrap": True}),
        "num": book.add_format({**base, "align": "right"}),
        "yen": book.add_format({**base, "num_format": "#,##0;[Red]△#,##0"}),
        "review": book.add_format(
            {**base, "bg_color": "#FFF8CC", "text_wrap": True, "locked": False}
        ),
        "plain": book.add_format({"font_name": FONT, "font_size": 10}),
    }


def _kv(sheet: Worksheet, row: int, pairs: list[tuple[str, Any]], f: dict[str, Any]) -> int:
    for key, value in pairs:
        sheet.write(row, 0, key, f["head"])
        sheet.write(row, 1, value, f["yen"] if isinstance(value, int) else f["cell"])
        row += 1
    return row + 1


def report_xlsx(m: dict[str, Any], out: Path) -> None:
    w = words(m["lang"])
    book = xlsxwriter.Workbook(str(out))
    f = _formats(book)
    sheet = book.add_worksheet(m["fiscal_year_text"][:31].replace(":", ""))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 8, 18)
    sheet.write(
        0, 0, f"{w['report_title']} — {m['loan']['borrower']} {m['loan']['loan_id']}", f["title"]
    )
    sheet.write(
        1, 0, f"{w['fiscal_year']} {m['fiscal_year_text']}  {w['as_of']} {m['as_of']}", f["plain"]
    )
    lo, mg = m["loan"], m["margin"]
    row = _kv(sheet, 3, [
        (w["lender"], lo["lender"]), (w["principal"], lo["principal"]),
        (w["period"], lo["period_text"]), (w["base_rate"], lo["base_rate_text"]),
        (w["ratchet"], lo["ratchet_text"]), (w["deadline"], m["deadline_text"]),
        (w["judgment_date"], m["judgment_day_text"]),
    ], f)  # fmt: skip
    heads = [w["kpi"], w["spt"], w["value"], w["previous"], w["status"], w["flags"],
             w["method"], w["drivers"], w["verification"], w["evidence"]]  # fmt: skip
    sheet.write_row(row, 0, heads, f["head"])
    for k in m["kpis"]:
        row += 1
        ev = k["indicator_evidence"]
        evidence = (
            f"run {ev['run']} ({ev['rows']} rows) {ev['run_hash']}\n{ev['open_rows']}"
            if ev else (k["evidence_ref"] or "")
        )  # fmt: skip
        v = k["verification"]
        sheet.write_row(row, 0, [
            f"{k['label']} ({k['kpi_id']})", k["target_text"], k["value_text"], k["previous_text"],
            k["status_text"], ", ".join(k["flags_text"]), k["method"], " / ".join(k["drivers"]),
            f"{v['text']} {v['by'] or ''} {v['on'] or ''}".strip(), evidence,
        ], f["cell"])  # fmt: skip
    row += 2
    row = _kv(sheet, row, [
        (w["adjustment"], mg["adjustment_text"]),
        (w["previous_adjustment"], mg["previous_text"]),
        (w["applies"], f"{mg['effective_from'] or ''} – {mg['effective_to'] or ''}"),
        (w["rate"], mg["rate_text"] or ""),
        (w["effect"], mg["effect_yen"] if mg["effect_yen"] is not None else ""),
        (w["life_effect"], mg["life_effect_yen"]),
    ], f)  # fmt: skip
    sheet.write(row, 0, f"{w['non_cumulative']} {w['yen_note']}", f["plain"])
    _path_sheet(book, m, f, w)
    _checklist_sheet(book, m, f, w)
    book.close()


def _path_sheet(book: Workbook, m: dict[str, Any], f: dict[str, Any], w: dict[str, str]) -> None:
    sheet = book.add_worksheet(w["spt_path"][:31])
    sheet.set_column(0, 0, 36)
    years = m["spt_path"]["years"]
    sheet.set_column(1, 1 + len(years), 14)
    sheet.write_row(0, 0, [w["kpi"], w["baseline"], *[f"FY{y}" for y in years]], f["head"])
    for i, r in enumerate(m["spt_path"]["rows"], start=1):
        sheet.write(i, 0, r["label"], f["cell"])
        sheet.write(i, 1, r["baseline"], f["num"])
        for j, c in enumerate(r["cells"], start=2):
            text = "\n".join(x for x in (c["target"], c["value"], c["status_text"]) if x)
            sheet.write(i, j, text, f["cell"])


def _checklist_sheet(
    book: Workbook, m: dict[str, Any], f: dict[str, Any], w: dict[str, str]
) -> None:
    sheet = book.add_worksheet(w["checklist_title"][:31])
    sheet.set_column(0, 1, 34)
    sheet.set_column(2, 3, 40)
    sheet.write_row(0, 0, [w["kpi"], w["item"], w["result"], w["detail"]], f["head"])
    row = 0
    for c in m["checklist"]:
        for item in c["items"]:
            row += 1
            sheet.write_row(
                row, 0, [c["kpi_id"], item["label"], item["mark"], item["detail"]], f["cell"]
            )


def sllp_xlsx(m: dict[str, Any], out: Path) -> None:
    w = words(m["lang"])
    book = xlsxwriter.Workbook(str(out))
    f = _formats(book)
    sheet = book.add_worksheet("SLLP")
    for col, width in enumerate((18, 38, 70, 14, 36)):
        sheet.set_column(col, col, width)
    lo = m["loan"]
    sheet.write(0, 0, f"{w['sllp_title']} — {lo['borrower']} {lo['loan_id']}", f["title"])
    sheet.write(1, 0, f"{w['lender']} {lo['lender']} · {w['principal']} {lo['principal_text']} · "
                      f"{w['period']} {lo['period_text']} · {w['as_of']} {m['as_of']}", f["plain"])  # fmt: skip
    sheet.write(2, 0, w["reviewer_note"], f["plain"])
    sheet.write_row(
        4, 0, [w["component"], w["criterion"], w["facts"], w["assessment"], w["comment"]], f["head"]
    )
    row = 4
    for comp in m["components"]:
        first = row + 1
        for r in comp["rows"]:
            row += 1
            sheet.write(row, 1, r["criterion"], f["cell"])
            sheet.write(row, 2, r["facts"], f["cell"])
            sheet.write(row, 3, "", f["review"])
            sheet.write(row, 4, "", f["review"])
            sheet.data_validation(row, 3, row, 3, {"validate": "list", "source": m["assessments"]})
            sheet.set_row(row, 15 * max(2, r["facts"].count("\n") + 1))
        name = f"{comp['no']}. {comp['name']}"
        if row > first:
            sheet.merge_range(first, 0, row, 0, name, f["head"])
        else:
            sheet.write(first, 0, name, f["head"])
    sheet.protect("", {"format_columns": True, "format_rows": True})
    _calibration_sheet(book, m, f, w)
    book.close()


def _calibration_sheet(
    book: Workbook, m: dict[str, Any], f: dict[str, Any], w: dict[str, str]
) -> None:
    sheet = book.add_worksheet(w["calibration"][:31])
    for col, width in enumerate((32, 10, 10, 12, 12, 60, 14, 10, 12)):
        sheet.set_column(col, col, width)
    sheet.write_row(0, 0, [w["kpi"], w["fiscal_year"], w["spt"], w["baseline"], w["vs_baseline"],
                           w["benchmark"], w["vs_benchmark"], w["value"], w["status"]], f["head"])  # fmt: skip
    for i, c in enumerate(m["calibration"], start=1):
        sheet.write_row(i, 0, [
            c["label"], f"FY{c['fiscal_year']}", c["target"], c["baseline"], c["vs_baseline"],
            "\n".join(b["text"] for b in c["benchmarks"]),
            "\n".join(b["vs"] for b in c["benchmarks"]), c["value"], c["status"],
        ], f["cell"])  # fmt: skip
