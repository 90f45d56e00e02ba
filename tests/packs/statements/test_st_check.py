"""The checker: truncation differences accepted (and said), real mistakes named."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mieruka.packs.statements.check import check_schedule, truncation_window
from mieruka.packs.statements.cli import statements
from mieruka.packs.statements.model import ScheduleRow
from mieruka.packs.statements.reader import COLUMNS, read_schedule
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS


def line(section: str, cls: str, opening: int, inc: int, dec: int, acc: int = 0) -> list[str]:
    closing = opening + inc - dec
    values = [opening, inc, dec, closing, acc, 0, 0, 0, 0, closing - acc]
    return [section, cls, *(f"{v:,}" if v else "-" for v in values), ""]


def schedule() -> list[list[str]]:
    """建物 1,000 + 構築物 500 in specified, 工具器具備品 300 in other, 土地 2,000."""
    rows = [
        line("specified", "建物", 1_000, 100, 0, 400), line("specified", "構築物", 500, 0, 0, 100),
        line("specified", "計", 1_500, 100, 0, 500),
        line("other", "工具器具備品", 300, 50, 20, 150), line("other", "計", 300, 50, 20, 150),
        line("non_depreciable", "土地", 2_000, 0, 0), line("non_depreciable", "計", 2_000, 0, 0),
        line("tangible_total", "建物", 1_000, 100, 0, 400),
        line("tangible_total", "構築物", 500, 0, 0, 100),
        line("tangible_total", "工具器具備品", 300, 50, 20, 150),
        line("tangible_total", "土地", 2_000, 0, 0), line("tangible_total", "計", 3_800, 150, 20, 650),
    ]  # fmt: skip
    rows += [line(s, "計", 0, 0, 0) for s in SECTIONS if s not in {r[0] for r in rows}]
    return rows


def write(tmp_path: Path, rows: list[list[str]], name: str = "s.csv") -> Path:
    path = tmp_path / name
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in [list(COLUMNS), *rows])
    path.write_text(text, encoding="utf-8")
    return path


def test_a_consistent_schedule_passes_with_exit_status_zero(tmp_path):
    result = CliRunner().invoke(statements, ["check", str(write(tmp_path, schedule()))])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_the_truncation_window_is_one_per_term_on_the_right_side():
    # three rows of 100 (each up to 100.999) sum to a total shown as 100..302
    assert truncation_window([(1, 100), (1, 100), (1, 100)], 300) == (-3, 1)


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
