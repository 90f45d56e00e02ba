"""The borrower's annual report and the SLLP assessment sheet, on the contractor's loan.

¥100,000,000 at 1.5 % from 2023-07-31 to 2028-07-10, 5 bp per KPI. Paid leave was 48 % in
FY2022 (the baseline), 55.2 % in FY2023 (SPT 53 %) and 61.0 % in FY2024 (SPT 58 %).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from tests.packs.sll.test_sll_ratchet import report, with_obs

from mieruka.core.issues import MierukaError
from mieruka.packs.sll.achievement import judge_loan
from mieruka.packs.sll.benchmarks import load_benchmarks
from mieruka.packs.sll.model import Observation
from mieruka.packs.sll.ratchet import margin_path
from mieruka.packs.sll.render import report_html, write_document
from mieruka.packs.sll.report import annual_report
from mieruka.packs.sll.schedule import schedule
from mieruka.packs.sll.sllp import sllp_sheet
from mieruka.render.pdf import pdf_to_png

AS_OF = date(2025, 9, 30)
BOOK = with_obs(
    base=Observation("paid_leave", 2022, "48", date(2023, 5, 22)),
    p24=report("paid_leave", 2024, "61.0"),
)


def model(fy: int, lang: str = "ja") -> dict:
    results = judge_loan(BOOK, AS_OF)
    path = margin_path(BOOK, results)
    return annual_report(BOOK, fy, AS_OF, results, path, schedule(BOOK, path), lang=lang)


def kpi(m: dict, kpi_id: str) -> dict:
    return next(k for k in m["kpis"] if k["kpi_id"] == kpi_id)


def test_the_report_states_each_kpi_against_its_spt_with_drivers_and_verification():
    m = model(2024)
    paid = kpi(m, "paid_leave")
    assert [k["kpi_id"] for k in m["kpis"]] == ["paid_leave"]  # FY2024's only SPT
    assert (paid["target_text"], paid["value_text"], paid["status_text"]) == (
        "58%以上",
        "61.0%",
        "達成",
    )
    # 61.0 - 55.2 = +5.8 on FY2023; 61.0 - 58 = +3.0 against the SPT
    assert paid["drivers"] == ["前年度比 +5.8pt", "SPTとの差 +3.0pt"]
    assert (paid["previous"], paid["previous_fy"], paid["baseline"]) == ("55.2", 2023, "48")
    assert paid["verification"]["verified"] and paid["verification"]["verdict_text"] == "合格"
    assert paid["method"] == "借入人による報告値"
    assert m["fiscal_year_text"] == "2024年度（令和6年度）"
    assert m["deadline"] == "2025-06-29"  # 2025-03-31 + 90 days


def test_the_first_year_compares_with_the_baseline_year():
    paid = kpi(model(2023), "paid_leave")
    assert (paid["previous_fy"], paid["drivers"]) == (2022, ["前年度比 +7.2pt", "SPTとの差 +2.2pt"])


def test_the_margin_effect_is_the_years_adjustment_over_its_period_in_yen():
    margin = model(2024)["margin"]
    # FY2024 met: -5 bp from 2025-07-31 to 2026-07-31 (365 days), replacing FY2023's -20 bp:
    # 100,000,000 x 0.05 % x 365/365 = 50,000 saved
    assert (margin["adjustment_text"], margin["previous_text"]) == ("△5bp", "△20bp")
    assert (margin["effective_from"], margin["effective_to"]) == ("2025-07-31", "2026-07-31")
    assert (margin["rate_text"], margin["effect_yen"], margin["effect_text"]) == (
        "1.45%",
        -50_000,
        "△50,000円",
    )
    # life: -200,000 (FY2023) - 50,000 (FY2024); FY2025 is not judged yet
    assert margin["life_effect_yen"] == -250_000


def test_english_and_japanese_say_the_same_in_their_own_words():
    ja, en = model(2024, "ja"), model(2024, "en")
    assert kpi(en, "paid_leave")["drivers"] == [
        "+5.8 pt on the previous year",
        "+3.0 pt against the SPT",
    ]
    assert (kpi(en, "paid_leave")["target_text"], en["margin"]["effect_text"]) == (
        "≥ 58%",
        "-¥50,000",
    )
    assert ja["margin"]["effect_yen"] == en["margin"]["effect_yen"]
    assert en["fiscal_year_text"] == "FY2024 (2024-04-01 – 2025-03-31)"


def test_an_unverified_late_or_missing_report_is_shown_as_such():
    lo = with_obs(p=report("checkup_45", 2023, "100", verification="pending", verified_on=None))
    lo = dataclasses.replace(
        lo, observations={k: v for k, v in lo.observations.items() if k != ("group_analysis", 2023)}
    )
    results = judge_loan(lo, AS_OF)
    path = margin_path(lo, results)
    m = annual_report(lo, 2023, AS_OF, results, path, schedule(lo, path))
    check = kpi(m, "checkup_45")
    assert (check["status_text"], check["flags_text"]) == ("未報告", ["未検証"])
    assert check["verification"]["text"] == "未検証"
    assert kpi(m, "group_analysis")["flags_text"] == ["報告なし"]
    # two not reported = missed by default: 2 x +5, two met 2 x -5 -> 0 bp
    assert m["margin"]["adjustment_text"] == "0bp"
    checklist = {c["kpi_id"]: c for c in m["checklist"]}
    assert checklist["group_analysis"]["items"][0] == {
        "item": "reported", "ok": False, "detail": "", "label": "報告を受領している", "mark": "×",
    }  # fmt: skip


def test_html_pdf_and_xlsx_carry_the_figures(tmp_path: Path):
    m = model(2024)
    html = report_html(m)
    assert "△50,000円" in html and "61.0%" in html and "前年度比 +5.8pt" in html
    write_document(m, "pdf", tmp_path / "r.pdf")
    pages = pdf_to_png(tmp_path / "r.pdf", tmp_path / "page")
    assert len(pages) >= 1 and all(p.stat().st_size > 5_000 for p in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert "年次有給休暇取得率" in text or "有給休暇取得率" in text
        assert "△50,000円" in text
    write_document(m, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    first = book.worksheets[0]
    cells = [c.value for row in first.iter_rows() for c in row if c.value is not None]
    assert "61.0%" in cells and -50_000 in cells and 100_000_000 in cells
    assert book.sheetnames[1:] == ["SPTの推移（年度別）", "検証チェックリスト"]


def test_the_sllp_sheet_has_the_five_components_prefilled():
    results = judge_loan(BOOK, AS_OF)
    sheet = sllp_sheet(BOOK, AS_OF, results, load_benchmarks(), lang="ja")
    assert [c["name"] for c in sheet["components"]] == [
        "KPIの選定", "SPTの設定（キャリブレーション）", "ローンの特性", "レポーティング", "検証",
    ]  # fmt: skip
    assert all(
        r["assessment"] == "" and r["comment"] == "" for c in sheet["components"] for r in c["rows"]
    )
    row = next(
        c for c in sheet["calibration"] if c["kpi_id"] == "paid_leave" and c["fiscal_year"] == 2025
    )
    # SPT 70 % against the 48 % baseline: +22; against the national 62.1 %: +7.9; the
    # government's 70 % target: 0
    assert (row["target"], row["baseline"], row["vs_baseline"]) == ("70%", "48%", "+22")
    assert [b["vs"] for b in row["benchmarks"]] == ["+7.9", "0"]
    # every SPT met: -20 bp for FY2023 (365 days on 100M: 200,000) and -5 bp for FY2024
    # and FY2025 (50,000 each) = -300,000; every SPT missed: the mirror image
    assert sheet["scenarios"] == {
        "all_achieved_bp": "-20",
        "all_missed_bp": "20",
        "all_achieved_life_yen": -300_000,
        "all_missed_life_yen": 300_000,
    }
    timeline = sheet["components"][1]["rows"][-1]["facts"]
    # FY2026 is judged on 2027-07-31, before maturity; FY2027 on 2028-07-31, after it
    assert timeline.endswith("\nSPTのない判定年度：FY2026")


def test_the_sllp_xlsx_leaves_the_reviewer_columns_open(tmp_path: Path):
    sheet = sllp_sheet(BOOK, AS_OF, judge_loan(BOOK, AS_OF), load_benchmarks(), lang="en")
    write_document(sheet, "xlsx", tmp_path / "s.xlsx", kind="sllp")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    ws = book["SLLP"]
    assert ws.protection.sheet is True
    heads = [c.value for c in ws[5]]
    assert heads == ["Component", "Criterion", "Pre-filled from the data",
                     "Assessment (reviewer)", "Comment (reviewer)"]  # fmt: skip
    assert ws["D6"].protection.locked is False and ws["C6"].protection.locked is True
    (validation, *_) = ws.data_validations.dataValidation
    assert validation.formula1 == '"conforms,partly,does not conform,n/a"'
    assert ws["A6"].value == "1. Selection of KPIs"


def test_a_benchmarks_file_that_does_not_fit_names_the_file_and_entry(tmp_path: Path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("benchmarks:\n  - kpis: [paid_leave]\n    value: lots\n", encoding="utf-8")
    with pytest.raises(MierukaError) as info:
        load_benchmarks(bad)
    assert "mine.yaml" in str(info.value) and "benchmarks.0" in str(info.value)


def test_a_year_judged_after_maturity_moves_no_interest():
    short = dataclasses.replace(BOOK, maturity_date=date(2025, 7, 1))  # before 2025-07-31
    results = judge_loan(short, AS_OF)
    path = margin_path(short, results)
    m = annual_report(short, 2024, AS_OF, results, path, schedule(short, path), lang="en")
    assert m["margin"]["judged"] is False and m["margin"]["effect_yen"] is None
    assert m["margin"]["adjustment_text"] == "none: the judgment date falls on or after maturity"
