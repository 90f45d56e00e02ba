"""Exports read back cell by cell, the schedules in a run, and the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from tests.conftest import make_project, write

from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.statements import pack
from mieruka.packs.statements.cli import statements
from mieruka.packs.statements.depreciation import Asset
from mieruka.packs.statements.export_html import cell, render_html
from mieruka.packs.statements.export_xlsx import NUMBER, write_xlsx
from mieruka.packs.statements.others import ALLOWANCES, BORROWINGS, build_simple
from mieruka.packs.statements.schedule import build_schedule

FY24 = (date(2024, 4, 1), date(2025, 3, 31))


def test_the_workbook_holds_the_customary_layout_cell_by_cell(tmp_path: Path):
    building = Asset("B", "建物", "specified", date(2020, 4, 1), 12_000_999, 10)
    fixed = build_schedule([building], 2024, *FY24)
    loans = build_simple(BORROWINGS, [])
    allowances = build_simple(ALLOWANCES, [{"name": "賞与引当金", "opening": 1_999,
        "increase": 5_000, "used": 1_999, "reversed": 0, "closing": 5_000}])  # fmt: skip
    path = write_xlsx(tmp_path / "s.xlsx", fixed, [loans, allowances])
    book = load_workbook(path)
    sheet = book["(1)固定資産"]
    assert sheet["A1"].value == "（1）固定資産の明細" and sheet["A2"].value == "（単位：千円）"
    assert "G3:H3" in {str(r) for r in sheet.merged_cells.ranges}  # 減価償却累計額 over two
    assert (sheet["G3"].value, sheet["G4"].value, sheet["H4"].value) == (
        "減価償却累計額", "累計額", "当期償却額")  # fmt: skip
    # 建物: 12,000,999 yen; 60 of 120 months by 2025-03 -> 6,000,499 yen accumulated
    assert [sheet.cell(5, c).value for c in range(1, 14)] == [
        "有形固定資産（特定償却資産）", "建物", 12_000, 0, 0, 12_000, 6_000, 1_200, 0, 0, 0,
        6_000, "当期償却額は損益外"]  # fmt: skip
    assert sheet["C5"].number_format == NUMBER
    assert book["(8)借入金の明細"]["A3"].value == "該当がないため作成していません。"
    assert [c.value for c in book["(10)引当金の明細"][4]] == ["賞与引当金", 1, 5, 1, 0, 5]
    result = CliRunner().invoke(statements, ["check", str(path)])  # the workbook reads back
    assert result.exit_code == 0, result.output


def test_the_html_prints_dashes_and_triangles():
    fixed = build_schedule([Asset("L", "土地", "non_depreciable", date(2000, 4, 1), 5_000)],
                           2024, *FY24)  # fmt: skip
    html = render_html(fixed, [build_simple(BORROWINGS, [])], "国立大学法人みえる大学")
    assert "該当がないため作成していません" in html and '<td class="n">5</td>' in html
    assert '<td class="n">-</td>' in html
    assert (cell(-1_234), cell(0), cell(0, below_unit=True)) == ("△1,234", "-", "0")


SCHEDULE = """\
section,asset_class,opening,increase,decrease,closing,accumulated_depreciation,depreciation_for_period,accumulated_impairment,impairment_in_pl,impairment_outside_pl,net_closing,note
specified,建物,"1,000",100,-,"1,010",400,40,-,-,-,700,
specified,計,"1,000",100,-,"1,100",400,40,-,-,-,700,
"""


def test_a_loaded_schedule_with_a_transposed_digit_fails_its_rules_in_a_run(tmp_path: Path):
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    load(project, "schedule_fixed_assets", write(tmp_path / "s.csv", SCHEDULE))
    run = start_run(project, Period.for_fiscal_year(2024))
    violations = project.store.violations(run.id)
    by_rule = {v["rule"]: v for v in violations}
    assert by_rule["st.fa_roll_forward"]["key"] == {
        "section": "specified", "asset_class": "建物", "column_name": "closing"}  # fmt: skip
    assert "st.fa_missing_subtotal" in by_rule  # e.g. no 計 row for the other sections
    values = {v["indicator"]: v["value"] for v in project.store.values(run.id)}
    assert values["st.fa_prepared_schedule_errors"] > 0
    project.close()


def test_the_demo_university_builds_schedules_that_pass(tmp_path: Path):
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    pack.demo(project, "small")
    assert project.store.latest_snapshots()["fixed_assets"].rows == 2_500
    run = start_run(project, Period.for_fiscal_year(2025))
    values = {v["indicator"]: v["value"] for v in project.store.values(run.id) if not v["dims"]}
    assert values["st.fa_built_schedule_errors"] == 0
    assert (tmp_path / "ws" / "reports" / "statements_2025.pdf").stat().st_size > 10_000
    project.close()
