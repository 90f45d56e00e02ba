"""The checker: truncation differences accepted (and said), real mistakes named."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.packs.statements.st_fixtures import schedule, write

from mieruka.packs.statements.check import check_schedule
from mieruka.packs.statements.cli import statements
from mieruka.packs.statements.model import ScheduleRow
from mieruka.packs.statements.reader import read_schedule
from mieruka.packs.statements.schemas import AMOUNTS
from mieruka.packs.statements.truncation import total


def test_a_consistent_schedule_passes_with_exit_status_zero(tmp_path):
    result = CliRunner().invoke(statements, ["check", str(write(tmp_path, schedule()))])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_the_truncation_window_is_one_per_term_on_the_right_side():
    # three rows of 100 (each up to 100.999) sum to a total shown as 100..302
    assert total(*[(1, 100, False)] * 3).window(300) == (-3, 1)
    assert total(*[(1, 100, False)] * 3).allowed(300) == "-2 .. +0"
    # a 計 printed 0 over two rows printed 0: each hides under 千円 either way
    assert total((1, 0, True), (1, 0, True)).window(0, below_unit=True) == (-3, 3)


def test_a_total_short_by_what_truncation_explains_is_accepted_and_reported(tmp_path):
    rows = schedule()
    rows[2][2] = "1,501"  # 計 opening: 1,000.6 + 500.6 = 1,501.2 is possible
    rows[2][5] = "1,601"
    rows[2][11] = "1,101"
    rows[11][2], rows[11][5], rows[11][11] = "3,801", "3,931", "3,281"  # the tangible 計 too
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    assert report.ok
    accepted = {(f.section, f.column) for f in report.accepted}
    assert ("specified", "opening") in accepted


def test_a_difference_truncation_cannot_explain_is_an_error(tmp_path):
    rows = schedule()
    rows[2][2] = "1,499"  # the parts sum to at least 1,500: a total of 1,499 is impossible
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    errors = [(f.section, f.asset_class, f.column, f.expected, f.found) for f in report.errors]
    assert ("specified", "計", "opening", 1_500, 1_499) in errors


def test_a_transposed_digit_is_named_with_section_row_column_expected_found(tmp_path):
    rows = schedule()
    rows[0][5] = "1,010"  # 建物 closing should be 1,100
    result = CliRunner().invoke(statements, ["check", str(write(tmp_path, rows)), "--json"])
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert {k: v for k, v in found[0].items() if k != "message"} == {"status": "error", "check": "roll_forward", "section": "specified",
            "asset_class": "建物", "column": "closing", "expected": 1_100, "found": 1_010,
            "line": 2}  # fmt: skip


def test_a_missing_subtotal_is_an_error(tmp_path):
    rows = [r for r in schedule() if not (r[0] == "other" and r[1] == "計")]
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    first, *rest = report.errors
    assert (first.check, first.section) == ("missing_subtotal", "other")
    # without it the tangible 計 no longer adds up from the sections' 計 rows either
    assert {(f.check, f.section, f.asset_class) for f in rest} == {
        ("total", "tangible_total", "計")
    }


def test_a_row_moved_between_sections_is_pointed_out(tmp_path):
    rows = schedule()
    rows[1][0] = "other"  # 構築物 filed under other; both 計 rows left as they were
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    moved = [f for f in report.errors if f.check == "moved_row"]
    assert [(f.section, f.asset_class) for f in moved] == [("other", "構築物")]
    assert "特定償却資産）" in moved[0].message


def test_depreciation_on_land_is_an_error():
    amounts = dict.fromkeys(AMOUNTS, 0) | {"depreciation_for_period": 5}
    report = check_schedule([ScheduleRow("non_depreciable", "土地", amounts)])
    assert "not_depreciated" in {f.check for f in report.errors}


def test_a_bad_cell_is_a_file_issue_with_its_row_and_column(tmp_path):
    rows = schedule()
    rows[3][2] = "三百"
    result = CliRunner().invoke(statements, ["check", str(write(tmp_path, rows))])
    assert result.exit_code == 1
    assert "row 5" in result.output and "column 'opening'" in result.output


def _errors(rows: list[list[str]], tmp_path) -> set[tuple[str, str, str, str]]:
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    return {(f.check, f.section, f.asset_class, f.column) for f in report.errors}


def test_a_closing_one_above_its_roll_forward_is_truncation_one_below_is_not(tmp_path):
    # opening 1,000 and increase 100 are at least 1,000,000 and 100,000 yen: the closing is
    # at least 1,100,000 yen, so 1,099 千円 is impossible while 1,101 千円 is possible.
    rows = schedule()
    rows[0][5] = "1,101"
    rows[0][11] = "701"
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    assert ("roll_forward", "specified", "建物", "closing") in {
        (f.check, f.section, f.asset_class, f.column) for f in report.accepted
    }
    rows[0][5], rows[0][11] = "1,099", "699"
    assert ("roll_forward", "specified", "建物", "closing") in _errors(rows, tmp_path)


def test_a_total_two_above_two_rows_is_more_than_truncation_explains(tmp_path):
    rows = schedule()
    rows[2][2] = "1,502"  # 建物 1,000.x + 構築物 500.x < 1,502
    assert ("subtotal", "specified", "計", "opening") in _errors(rows, tmp_path)


def test_a_printed_zero_may_hide_up_to_a_thousand_yen_a_dash_nothing(tmp_path):
    rows = schedule()
    # 建物 depreciation 40 and 構築物 shown as 0 (under 千円): the 計 of 41 is possible
    for first, second, subtotal in ((0, 1, 2), (7, 8, 11)):  # the section and the total
        rows[first][7], rows[second][7], rows[subtotal][7] = "40", "0", "41"
    report = check_schedule(read_schedule(write(tmp_path, rows)))
    assert report.ok
    assert {(f.section, f.column) for f in report.accepted} == {
        ("specified", "depreciation_for_period"), ("tangible_total", "depreciation_for_period")}  # fmt: skip
    rows[1][7] = "-"  # but not when 構築物 had nothing at all
    assert ("subtotal", "specified", "計", "depreciation_for_period") in _errors(rows, tmp_path)


def test_a_transposed_digit_in_a_total_is_named(tmp_path):
    rows = schedule()
    rows[11][2] = "3,080"  # tangible 計 opening: 3,800
    assert _errors(rows, tmp_path) == {
        ("subtotal", "tangible_total", "計", "opening"),
        ("total", "tangible_total", "計", "opening"),
        ("roll_forward", "tangible_total", "計", "closing"),
    }


def test_land_filed_as_a_specified_asset_is_in_the_wrong_section(tmp_path):
    amounts = dict.fromkeys(AMOUNTS, 0) | {"opening": 5, "closing": 5, "net_closing": 5}
    report = check_schedule([ScheduleRow("specified", "土地", amounts)])
    wrong = [f for f in report.errors if f.check == "wrong_section"]
    assert len(wrong) == 1 and "非償却資産" in wrong[0].message


def test_a_schedule_saved_by_japanese_excel_in_cp932_is_read(tmp_path):
    path = write(tmp_path, schedule())
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932"))
    result = CliRunner().invoke(statements, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == 16
