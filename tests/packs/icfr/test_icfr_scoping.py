"""Scoping: include to the threshold (exact at the boundary), add with reasons, say so."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.packs.icfr import pack
from mieruka.packs.icfr.cli import icfr
from mieruka.packs.icfr.scoping import scope_locations


def _locs(**revenue: int) -> list[dict]:
    return [{"location_id": k, "name": k, "fiscal_year": 2024, "revenue": v, "total_assets": 1,
             "pretax_income": -v if k == "LOSS" else v} for k, v in revenue.items()]  # fmt: skip


def test_the_location_that_reaches_exactly_two_thirds_is_the_last_one_in():
    s = scope_locations(_locs(HQ=600, OS=200, FK=100), 2024)
    assert [x.location_id for x in s.selected] == ["HQ"]  # 600/900 is exactly 2/3
    assert s.ratio == Fraction(2, 3)


def test_one_yen_short_of_the_threshold_brings_in_the_next_location():
    s = scope_locations(_locs(HQ=599, OS=200, FK=101), 2024)
    assert [x.location_id for x in s.selected] == ["HQ", "OS"]
    assert [x.location_id for x in s.excluded] == ["FK"]


def test_ties_rank_by_location_id():
    s = scope_locations(_locs(HQ=450, OS=150, NG=150, FK=150), 2024)
    assert [x.location_id for x in s.selected] == ["HQ", "FK"]


def test_an_added_location_carries_its_reason_into_the_statement():
    s = scope_locations(_locs(HQ=700, OS=200, SUB=100), 2024,
                        additions={"SUB": "新規に買収した子会社である"})  # fmt: skip
    assert [(x.location_id, x.reason) for x in s.selected] == [
        ("HQ", "threshold"), ("SUB", "新規に買収した子会社である")]  # fmt: skip
    text = s.statement()
    assert "売上高を指標とし" in text and "到達割合 70.0%" in text
    assert "SUB（SUB）を新規に買収した子会社であるため個別に評価範囲に含めた" in text


def test_pretax_income_ranks_losses_by_their_size_and_bad_input_is_refused():
    s = scope_locations(_locs(HQ=100, LOSS=300), 2024, indicator="pretax_income")
    assert s.selected[0].location_id == "LOSS"
    with pytest.raises(ValueError, match="unknown location"):
        scope_locations(_locs(HQ=1), 2024, additions={"XX": "?"})
    with pytest.raises(ValueError):
        scope_locations(_locs(HQ=1), 2024, threshold="3/2")


def test_the_scope_command_prints_the_statement_and_records_the_override(tmp_path: Path):
    registry.register(pack)
    try:
        project = make_project(tmp_path / "ws", {}, packs=["icfr"])
        load(project, "locations", write(tmp_path / "l.csv",
             "location_id,name,fiscal_year,revenue,total_assets,pretax_income\n"
             "HQ,本社,2024,700,1,1\nOS,大阪,2024,200,1,1\nTH,タイ,2024,100,1,1\n"))  # fmt: skip
        result = CliRunner().invoke(icfr, ["scope", "--fy", "2024", "--add", "TH=不正リスクが高い",
                                           "--workspace", str(tmp_path / "ws")])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "TH（タイ）を不正リスクが高いため個別に評価範囲に含めた" in result.output
        assert "評価範囲の売上高の合計は全体の80.0%" in result.output
        entry = project.store.audit_log()[-1]
        assert entry["action"] == "icfr.scope_override" and "不正リスクが高い" in entry["detail"]
        project.close()
    finally:
        registry.unregister("icfr")
