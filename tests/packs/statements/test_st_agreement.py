"""Schedule (1) against the balance sheet and schedule (13), when the user gives them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.packs.statements.st_fixtures import FY24, register, schedule, write

from mieruka.packs.statements.agreement import (
    CAPITAL_LINE,
    agree_with_balance_sheet,
    agree_with_capital,
    read_balance_sheet,
    read_capital,
)
from mieruka.packs.statements.check import CheckReport
from mieruka.packs.statements.cli import statements
from mieruka.packs.statements.reader import read_schedule
from mieruka.packs.statements.schedule import build_schedule

BALANCE_SHEET = """\
section,asset_class,closing,accumulated_depreciation,accumulated_impairment,net_closing
tangible_total,建物,"1,100",400,-,700
tangible_total,構築物,500,100,,400
tangible_total,工具器具備品,330,150,,180
tangible_total,土地,"2,000",,-,"2,000"
tangible_total,計,"3,930",650,,"3,280"
"""


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bs_findings(tmp_path: Path, text: str) -> list[tuple[str, str, str, int, int, str]]:
    rows = read_schedule(write(tmp_path, schedule()))
    report = CheckReport()
    agree_with_balance_sheet(rows, read_balance_sheet(_text(tmp_path / "bs.csv", text)), report)
    return [(f.status, f.section, f.asset_class, f.expected, f.found, f.column)
            for f in report.findings]  # fmt: skip


def test_a_balance_sheet_that_agrees_leaves_nothing_to_say(tmp_path: Path):
    assert _bs_findings(tmp_path, BALANCE_SHEET) == []


def test_a_balance_sheet_figure_one_thousand_off_is_an_error_not_truncation(tmp_path: Path):
    # both truncate the same yen amount: even 1 千円 is a real difference
    text = BALANCE_SHEET.replace("tangible_total,建物,\"1,100\",400,-,700",
                                 "tangible_total,建物,\"1,100\",400,-,699")  # fmt: skip
    assert _bs_findings(tmp_path, text) == [
        ("error", "tangible_total", "建物", 700, 699, "net_closing")
    ]


def test_a_dash_is_compared_as_zero_and_a_blank_is_not_compared(tmp_path: Path):
    text = BALANCE_SHEET.replace("tangible_total,土地,\"2,000\",,-,\"2,000\"",
                                 "tangible_total,土地,\"2,000\",-,5,\"1,995\"")  # fmt: skip
    assert _bs_findings(tmp_path, text) == [
        ("error", "tangible_total", "土地", 0, 5, "accumulated_impairment"),
        ("error", "tangible_total", "土地", 2_000, 1_995, "net_closing"),
    ]


def test_a_class_the_schedule_does_not_have_is_an_error(tmp_path: Path):
    text = BALANCE_SHEET + "tangible_total,車両運搬具,10,,,10\n"
    assert ("error", "tangible_total", "車両運搬具", 0, 10, "closing") in _bs_findings(
        tmp_path, text
    )


@pytest.mark.parametrize(
    ("printed", "status"),
    [("△2,281", None), ("2,282", "accepted"), ("△2,283", "error"), ("2,280", "error")],
)
def test_outside_pl_depreciation_agrees_with_13_within_what_truncation_explains(
    tmp_path: Path, printed: str, status: str | None
):
    # (1): specified 計 1,201 (1,200,600 + 500 yen) and intangible specified 計 1,080 千円;
    # (13) prints the yen total 2,281,100 truncated once: 2,281. Each 計 hides < 1 千円, so
    # (13) may show 2,282 but never 2,283, and never less than 2,281.
    fixed = build_schedule(register(), 2024, *FY24)
    capital = _text(tmp_path / "c13.csv", (
        "item,opening,increase,decrease,closing\n"
        "資本金,\"1,000\",-,-,\"1,000\"\n"
        f"損益外減価償却累計額,△50,\"{printed}\",-,△52\n"
        "損益外減損損失累計額,-,△600,-,△600\n"))  # fmt: skip
    report = CheckReport()
    agree_with_capital(fixed.rows, read_capital(capital), report)
    found = [(f.status, f.asset_class, f.expected) for f in report.findings]
    assert found == ([] if status is None else [(status, "損益外減価償却累計額", 2_281)])


def test_a_13_without_the_outside_pl_impairment_line_disagrees(tmp_path: Path):
    fixed = build_schedule(register(), 2024, *FY24)
    capital = _text(tmp_path / "c13.csv",
                    "item,opening,increase,decrease,closing\n損益外減価償却累計額,,△2281,,\n")  # fmt: skip
    report = CheckReport()
    agree_with_capital(fixed.rows, read_capital(capital), report)
    assert [(f.status, f.section, f.asset_class, f.expected, f.found) for f in report.errors] == [
        ("error", CAPITAL_LINE, "損益外減損損失累計額", 600, 0)
    ]


def test_check_with_both_files_reports_and_fails(tmp_path: Path):
    text = BALANCE_SHEET.replace(",330,150,,180", ",330,150,,18")
    args = ["check", str(write(tmp_path, schedule())), "--json",
            "--balance-sheet", str(_text(tmp_path / "bs.csv", text)),
            "--capital", str(_text(tmp_path / "c.csv", "item,increase\n損益外減価償却累計額,-\n"))]  # fmt: skip
    result = CliRunner().invoke(statements, args)
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [(f["check"], f["asset_class"], f["column"], f["expected"], f["found"], f.get("line"))
            for f in findings] == [
        ("balance_sheet", "工具器具備品", "net_closing", 180, 18, 4)]  # fmt: skip


def test_a_balance_sheet_with_an_unknown_column_is_refused_by_name(tmp_path: Path):
    bad = _text(tmp_path / "bs.csv", "section,asset_class,net\ntangible_total,建物,700\n")
    args = ["check", str(write(tmp_path, schedule())), "--balance-sheet", str(bad)]
    result = CliRunner().invoke(statements, args)
    assert result.exit_code == 1
    assert "unknown column 'net'" in result.output and "net_closing" in result.output
