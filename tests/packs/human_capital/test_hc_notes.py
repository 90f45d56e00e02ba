"""The method note printed beside a statutory figure follows the options it was run with."""

from __future__ import annotations

from mieruka.core.period import Period
from mieruka.packs.human_capital.notes import method_note

FY2024 = Period.for_fiscal_year(2024)


def test_the_default_note_states_basis_headcount_period_and_exclusions():
    note = method_note("hc.wage_gap_all", {}, FY2024, excluded=2)
    assert note is not None
    assert "退職手当及び通勤手当を除く" in note
    assert "当該年度に賃金の支払がある者の数" in note
    assert "令和6年4月1日～令和7年3月31日" in note
    assert "2名は男女別の算定から除き" in note


def test_the_note_changes_with_each_option():
    options = {
        "exclude_retirement_allowance": False,
        "wage_headcount": "month_end_average",
        "fte_part_time": True,
        "standard_weekly_hours": 37.5,
    }
    note = method_note("hc.wage_gap_non_regular", options, FY2024)
    assert note is not None
    assert "から通勤手当を除く" in note and "退職手当及び" not in note
    assert "各月末日の在籍者数の12か月平均" in note
    assert "週所定労働時間 ÷ 37.5時間" in note
    assert "パート・有期労働者" in note and "名は男女別" not in note


def test_childcare_notes_name_the_method_and_the_truncation():
    one = method_note("hc.male_childcare_leave_rate", {}, FY2024) or ""
    two = method_note("hc.male_childcare_leave_rate_incl_purpose", {}, FY2024) or ""
    assert "第1号" in one and "育児目的休暇" not in one.split("。")[1]
    assert "第2号" in two and "小数第1位以下切捨て" in two
    assert method_note("hc.headcount", {}, FY2024) is None
