"""The workbook opened again with openpyxl and compared with the schedules cell by cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from tests.conftest import make_project
from tests.packs.statements.st_fixtures import FY24, others, register

from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.statements.check import check_schedule
from mieruka.packs.statements.export_xlsx import NUMBER, NUMBER_BELOW_UNIT, write_xlsx
from mieruka.packs.statements.model import FixedAssetSchedule
from mieruka.packs.statements.reader import COLUMNS, read_schedule
from mieruka.packs.statements.schedule import build_schedule
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS

HEADINGS = {
    "A3": "資産の種類", "C3": "期首残高", "D3": "当期増加額", "E3": "当期減少額",
    "F3": "期末残高", "G3": "減価償却累計額", "G4": "累計額", "H4": "当期償却額",
    "I3": "減損損失累計額", "I4": "累計額", "J4": "当期減損額（損益内）",
    "K4": "当期減損額（損益外）", "L3": "差引当期末残高", "M3": "摘要",
}  # fmt: skip
HEADER_MERGES = {"A1:M1", "A2:M2", "A3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3",
                 "I3:K3", "L3:L4", "M3:M4"}  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FixedAssetSchedule]:
    fixed = build_schedule(register(), 2024, *FY24)
    assert check_schedule(fixed.rows).ok
    path = write_xlsx(tmp_path_factory.mktemp("xlsx") / "s.xlsx", fixed, others())
    return path, fixed


def grid(sheet: Worksheet) -> dict[str, Any]:
    """Every non-empty cell by its coordinate."""
    return {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value is not None}


def test_schedule_1_sheet_matches_the_schedule_cell_by_cell(exported):
    path, fixed = exported
    sheet = load_workbook(path)["(1)固定資産"]
    expected: dict[str, Any] = {"A1": "（1）固定資産の明細", "A2": "（単位：千円）", **HEADINGS}
    formats: dict[str, str] = {}
    merges = set(HEADER_MERGES)
    line = 5
    for section in SECTIONS:
        rows = fixed.section_rows(section)
        expected[f"A{line}"] = SECTIONS[section]
        if len(rows) > 1:
            merges.add(f"A{line}:A{line + len(rows) - 1}")
        for r in rows:
            expected[f"B{line}"] = r.asset_class
            for letter, column in zip("CDEFGHIJKL", AMOUNTS, strict=True):
                expected[f"{letter}{line}"] = r.get(column)
                formats[f"{letter}{line}"] = (
                    NUMBER_BELOW_UNIT if r.is_below_unit(column) else NUMBER
                )
            if r.note:
                expected[f"M{line}"] = r.note
            line += 1
    line += 1
    for note in ["（注）", *fixed.notes]:
        expected[f"A{line}"] = note
        line += 1
    assert grid(sheet) == expected
    assert {c: sheet[c].number_format for c in formats} == formats
    assert {str(r) for r in sheet.merged_cells.ranges} == merges
    assert sheet["B5"].font.name == "Noto Sans CJK JP"


def test_hand_worked_cells_of_the_workbook(exported):
    sheet = load_workbook(exported[0])["(1)固定資産"]
    # 建物 12,006,000 yen, 10 years from April 2020: 60 months by March 2025
    assert [sheet.cell(5, c).value for c in range(2, 14)] == [
        "建物", 12_006, 0, 0, 12_006, 6_003, 1_200, 0, 0, 0, 6_003, "当期償却額は損益外"]  # fmt: skip
    # 図書: 500 yen of depreciation prints 0, not -
    book = next(r for r in range(5, 40) if sheet.cell(r, 2).value == "図書")
    assert sheet.cell(book, 8).number_format == NUMBER_BELOW_UNIT
    assert sheet.cell(book, 3).number_format == NUMBER  # nothing at the opening: a dash


def test_the_other_schedules_cell_by_cell(exported):
    book = load_workbook(exported[0])
    inventories = book["(2)たな卸資産の明細"]
    assert grid(inventories) == {
        "A1": "（2）たな卸資産の明細", "A2": "（単位：千円）",
        "A3": "種類", "B3": "期首残高", "C3": "当期増加額（当期購入・製造・振替）",
        "D3": "当期増加額（その他）", "E3": "当期減少額（払出・振替）",
        "F3": "当期減少額（その他）", "G3": "期末残高",
        "A4": "医薬品", "B4": 5_000, "C4": 12_000, "D4": 0, "E4": 11_500, "F4": 0, "G4": 5_500,
        "A5": "計", "B5": 5_000, "C5": 12_000, "D5": 0, "E5": 11_500, "F5": 0, "G5": 5_500,
    }  # fmt: skip
    assert inventories["D4"].number_format == NUMBER_BELOW_UNIT  # 300 yen
    assert inventories["F4"].number_format == NUMBER  # nothing
    assert grid(book["(8)借入金の明細"]) == {
        "A1": "（8）借入金の明細", "A3": "該当がないため作成していません。"}  # fmt: skip
    assert [c.value for c in book["(10)引当金の明細"][4]] == ["賞与引当金", 1, 5, 1, 0, 5]


def test_the_documented_sheet_reads_back_as_the_same_schedule(exported):
    path, fixed = exported
    sheet = load_workbook(path)["schedule_fixed_assets"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == list(COLUMNS)
    assert values[1:] == [
        [r.section, r.asset_class,
         *(r.get(c) if r.get(c) or r.is_below_unit(c) else "-" for c in AMOUNTS), r.note or None]
        for r in fixed.rows
    ]  # fmt: skip
    again = read_schedule(path)
    assert [(r.section, r.asset_class, r.amounts, r.below_unit) for r in again] == [
        (r.section, r.asset_class, r.amounts, r.below_unit) for r in fixed.rows
    ]
    assert check_schedule(again).ok


def test_the_documented_sheet_loads_and_breaks_no_rule(exported, tmp_path: Path):
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    try:
        load(project, "schedule_fixed_assets", exported[0], sheet="schedule_fixed_assets")
        run = start_run(project, Period.for_fiscal_year(2024))
        assert [v for v in project.store.violations(run.id) if v["rule"].startswith("st.")] == []
        values = {v["indicator"]: v["value"] for v in project.store.values(run.id)}
        assert values["st.fa_prepared_schedule_errors"] == 0
    finally:
        project.close()
