"""Loading a register or a prepared schedule: bad lines named, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import make_project, write

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError

HEADER = (
    "asset_id,asset_class,section,acquired_on,cost,useful_life_years,disposed_on,"
    "impairment_in_pl,impairment_outside_pl,funding\n"
)


def test_a_register_with_misfiled_classes_is_refused_line_by_line(tmp_path: Path):
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    register = write(tmp_path / "fa.csv", HEADER + (
        "A1,建物,specified,令和2年4月1日,\"12,000,000\",38,,,,facility_grant\n"
        "A2,土地,intangible_other,2001/4/1,500000000,,,,,own\n"
        "A3,電話加入権,non_depreciable,2001-04-01,72800,,,,,own\n"
        "A4,ソフトウェア,other,2024-04-01,600000,5,,,,own\n"
        "A5,工具器具備品,other,2024-04-01,600000,,,,,own\n"
        "A6,建物,other,2024-04-01,600000,31,2024-03-31,,,own\n"))  # fmt: skip
    try:
        with pytest.raises(MierukaError) as caught:
            load(project, "fixed_assets", register)
        found = {(i.row, i.column, i.expected) for i in caught.value.issues}
        assert found == {
            (3, "section", "non_depreciable"),
            (4, "section", "intangible_other"),
            (5, "section", "intangible_specified or intangible_other"),
            (6, "useful_life_years", "a whole number of years"),
            (7, "disposed_on", "on or after 2024-04-01"),
        }
        assert "fixed_assets" not in project.store.latest_snapshots()
    finally:
        project.close()


def test_a_prepared_schedule_with_a_word_for_an_amount_is_refused(tmp_path: Path):
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    text = (
        "section,asset_class,opening,increase,decrease,closing,accumulated_depreciation,"
        "depreciation_for_period,accumulated_impairment,impairment_in_pl,"
        "impairment_outside_pl,net_closing,note\n"
        "specified,建物,千,-,-,-,-,-,-,-,-,-,\n"
    )
    try:
        with pytest.raises(MierukaError) as caught:
            load(project, "schedule_fixed_assets", write(tmp_path / "s.csv", text))
        assert [(i.row, i.column) for i in caught.value.issues] == [(2, "opening")]
    finally:
        project.close()
