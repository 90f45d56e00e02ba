"""Depreciation and schedule (1) from a register, against figures worked out by hand."""

from __future__ import annotations

from datetime import date

from mieruka.packs.statements.check import check_schedule
from mieruka.packs.statements.depreciation import Asset, accumulated_depreciation, for_year
from mieruka.packs.statements.model import ScheduleRow
from mieruka.packs.statements.schedule import build_schedule

FY24 = (date(2024, 4, 1), date(2025, 3, 31))


def test_an_asset_bought_on_the_last_day_of_a_month_is_depreciated_for_that_month():
    pc = Asset("A", "工具器具備品", "other", date(2024, 3, 31), 1_200_000, 4)
    # 1,200,000 / 48 months = 25,000 a month; March 2024 counts in FY2023.
    assert accumulated_depreciation(pc, date(2024, 3, 31)) == 25_000
    assert for_year(pc, *FY24).depreciation_for_period == 12 * 25_000


def test_a_disposal_mid_year_charges_through_its_month_and_removes_cost_and_depreciation():
    pc = Asset("A", "工具器具備品", "other", date(2023, 4, 1), 1_200_000, 4, date(2024, 9, 15))
    year = for_year(pc, *FY24)
    assert (year.opening, year.decrease, year.closing) == (1_200_000, 1_200_000, 0)
    assert year.depreciation_for_period == 6 * 25_000  # April .. September
    assert year.accumulated_depreciation == 0 and year.net_closing == 0


def test_a_fully_depreciated_asset_is_carried_at_zero_with_no_charge():
    car = Asset("C", "車両運搬具", "other", date(2015, 4, 1), 3_000_001, 5)
    year = for_year(car, *FY24)
    assert year.accumulated_depreciation == 3_000_001
    assert year.depreciation_for_period == 0 and year.net_closing == 0


def test_land_is_never_depreciated():
    land = Asset("L", "土地", "non_depreciable", date(1990, 4, 1), 500_000_000)
    year = for_year(land, *FY24)
    assert year.accumulated_depreciation == year.depreciation_for_period == 0
    assert year.net_closing == 500_000_000


def test_after_an_impairment_the_rest_is_spread_over_the_remaining_life():
    sw = Asset("S", "ソフトウェア", "intangible_other", date(2023, 4, 1), 600_000, 5,
               impairment_in_pl=120_000, impaired_on=date(2024, 3, 31))  # fmt: skip
    # 12 months at 10,000 by 2024-03; then (600,000 - 120,000 - 120,000) / 48 = 7,500 a month.
    year = for_year(sw, *FY24)
    assert year.depreciation_for_period == 12 * 7_500
    assert year.accumulated_impairment == 120_000 and year.impairment_in_pl == 0
    assert year.net_closing == 600_000 - 210_000 - 120_000


def test_specified_assets_charge_is_outside_pl_and_every_cell_is_truncated_alone():
    a = Asset("B1", "建物", "specified", date(2020, 4, 1), 1_000_999, 10)
    b = Asset("B2", "建物", "specified", date(2020, 4, 1), 1_000_999, 10)
    s = build_schedule([a, b], 2024, *FY24)
    row = next(r for r in s.rows if r.section == "specified" and r.asset_class == "建物")
    assert row.get("closing") == 2_001  # 2,001,998 yen
    # each asset 100,099 a year (1,000,999 / 120 × 12, truncated per month total)
    assert row.get("depreciation_for_period") == 200
    assert s.outside_pl_depreciation == 2 * (1_000_999 * 60 // 120 - 1_000_999 * 48 // 120)
    empty = next(r for r in s.rows if r.section == "other" and r.asset_class == "船舶")
    assert not any(empty.amounts.values())
    assert check_schedule(s.rows).ok


def test_an_asset_bought_on_the_last_day_of_the_fiscal_year_is_depreciated_for_march():
    pc = Asset("A", "工具器具備品", "other", date(2025, 3, 31), 1_200_000, 4)
    year = for_year(pc, *FY24)
    assert (year.opening, year.increase, year.closing) == (0, 1_200_000, 1_200_000)
    assert year.depreciation_for_period == year.accumulated_depreciation == 25_000


def test_a_useful_life_ending_mid_year_charges_only_the_months_left():
    pc = Asset("A", "工具器具備品", "other", date(2020, 10, 1), 1_200_000, 4)
    # October 2020 .. September 2024 is 48 months: FY2024 has April .. September
    year = for_year(pc, *FY24)
    assert year.depreciation_for_period == 6 * 25_000
    assert year.accumulated_depreciation == 1_200_000 and year.net_closing == 0


def test_an_asset_bought_and_disposed_in_the_same_year_shows_in_both_columns():
    pc = Asset("A", "工具器具備品", "other", date(2024, 6, 10), 1_200_000, 4, date(2024, 6, 20))
    year = for_year(pc, *FY24)
    assert (year.opening, year.increase, year.decrease, year.closing) == (
        0,
        1_200_000,
        1_200_000,
        0,
    )
    assert year.depreciation_for_period == 25_000  # June: the month of acquisition counts
    assert year.accumulated_depreciation == 0


def test_a_fully_depreciated_asset_disposed_mid_year_takes_no_charge():
    car = Asset("C", "車両運搬具", "other", date(2015, 4, 1), 3_000_000, 5, date(2024, 10, 1))
    year = for_year(car, *FY24)
    assert (year.opening, year.decrease, year.closing) == (3_000_000, 3_000_000, 0)
    assert year.depreciation_for_period == 0 and year.accumulated_depreciation == 0


def test_land_sold_mid_year_and_impaired_land_are_never_depreciated():
    sold = Asset("L1", "土地", "non_depreciable", date(1990, 4, 1), 80_000_000,
                 disposed_on=date(2024, 11, 30))  # fmt: skip
    impaired = Asset("L2", "土地", "non_depreciable", date(1995, 4, 1), 50_000_000,
                     impairment_in_pl=7_500_000, impaired_on=date(2025, 3, 31))  # fmt: skip
    s = build_schedule([sold, impaired], 2024, *FY24)
    land = next(r for r in s.rows if r.section == "non_depreciable" and r.asset_class == "土地")
    assert {c: land.get(c) for c in ("opening", "decrease", "closing", "accumulated_depreciation",
            "depreciation_for_period", "accumulated_impairment", "impairment_in_pl",
            "net_closing")} == {"opening": 130_000, "decrease": 80_000, "closing": 50_000,
            "accumulated_depreciation": 0, "depreciation_for_period": 0,
            "accumulated_impairment": 7_500, "impairment_in_pl": 7_500, "net_closing": 42_500}  # fmt: skip
    assert check_schedule(s.rows).ok


def test_an_amount_under_a_thousand_yen_prints_zero_and_the_schedule_still_checks():
    # 建物 12,006,000 yen over 10 years: 1,200,600 a year (1,200 千円); a 30,000-yen book
    # bought in March 2025 over 5 years: 500 yen (0 千円); the 計, 1,201,100 yen: 1,201 千円.
    building = Asset("B", "建物", "specified", date(2020, 4, 1), 12_006_000, 10)
    book = Asset("K", "図書", "specified", date(2025, 3, 1), 30_000, 5)
    s = build_schedule([building, book], 2024, *FY24)
    rows = {r.asset_class: r for r in s.rows if r.section == "specified"}
    assert rows["図書"].get("depreciation_for_period") == 0
    assert rows["図書"].is_below_unit("depreciation_for_period")
    assert not rows["船舶"].is_below_unit("depreciation_for_period")  # nothing: a dash
    assert rows["計"].get("depreciation_for_period") == 1_201
    assert check_schedule(s.rows).ok
    # read as a dash, the 図書 cell could not explain the 計: that would be an error
    dashed = [ScheduleRow(r.section, r.asset_class, r.amounts, r.note) for r in s.rows]
    assert not check_schedule(dashed).ok
