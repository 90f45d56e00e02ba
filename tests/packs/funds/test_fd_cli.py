"""`mieruka funds check|value` on the demo portfolio, through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mieruka.core.project import Project
from mieruka.core.workspace import init_workspace
from mieruka.packs.funds.cli import funds_cli
from mieruka.packs.funds.demo import demo


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = init_workspace(tmp_path_factory.mktemp("fd-cli") / "ws", organisation="見本県")
    project = Project(ws)
    demo(project, "small")
    project.close()
    return ws.root


def test_check_lists_each_planted_breach_with_its_section_and_action(workspace):
    result = CliRunner().invoke(
        funds_cli, ["check", "--fy", "2025", "--json"], obj={"workspace": workspace}
    )
    assert result.exit_code == 1, result.output  # errors were found
    data = json.loads(result.output)
    rules = {v["rule"] for v in data["violations"]}
    assert {
        "funds.deposit_per_bank",
        "funds.money_kind",
        "funds.corporate_rating",
        "funds.trust",
        "funds.legacy_plan",
        "funds.fx_need",
        "funds.committee",
        "funds.competitive_quotes",
        "funds.short_term_sale",
        "funds.sale_rationale",
        "funds.downgrade_keep",
        "funds.downgrade_review",
        "funds.downgrade_sell",
    } <= rules
    sell = next(v for v in data["violations"] if v["rule"] == "funds.downgrade_sell")
    assert "第2章第3-2③" in sell["label"] and "年間資金計画" in sell["action"]
    assert sell["key"] == {"holding_id": "DG-SELL"} and sell["figures"]["ratings_now"] == "R&I:BB"
    assert data["skipped"] == {}


def test_in_fy2024_the_steel_bond_was_only_below_the_level_with_bbb_left(workspace):
    result = CliRunner().invoke(
        funds_cli, ["check", "--as-of", "R7.3.31", "--json"], obj={"workspace": workspace}
    )
    keys = {
        (v["rule"], v["key"].get("holding_id")) for v in json.loads(result.output)["violations"]
    }
    assert ("funds.downgrade_review", "DG-SELL") in keys and (
        "funds.downgrade_sell",
        "DG-SELL",
    ) not in keys


def test_value_prints_every_holding_and_the_total(workspace):
    result = CliRunner().invoke(
        funds_cli, ["value", "--as-of", "2026-03-31"], obj={"workspace": workspace}
    )
    assert result.exit_code == 0, result.output
    assert "total present value" in result.output and "H00001" in result.output
    data = json.loads(
        CliRunner()
        .invoke(funds_cli, ["value", "--fy", "2025", "--json"], obj={"workspace": workspace})
        .output
    )
    jgbs = [h for h in data["holdings"] if h["marketable"]]
    assert jgbs and all(h["shock_200"] < h["shock_100"] < h["shock_50"] < 0 for h in jgbs)


def test_the_quarterly_report_of_an_affiliate_as_of_1_july(workspace, tmp_path):
    args = ["report", "ZAI", "--as-of", "2025-07-01"]
    data = json.loads(CliRunner().invoke(funds_cli, args, obj={"workspace": workspace}).output)
    assert data["entity"]["kind"] == "affiliate" and data["is_reporting_date"]
    assert data["totals"]["pv"] > data["totals"]["bpv"] * -1 > 0
    assert sum(s["book"] for s in data["ladder"]) == data["totals"]["book"]
    assert {f["rule"] for f in data["findings"]} >= {"funds.committee", "funds.money_kind"}
    out = tmp_path / "zai.html"
    result = CliRunner().invoke(
        funds_cli, [*args, "--format", "html", "--out", str(out)], obj={"workspace": workspace}
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "資金運用状況報告" in page and "見本県文化振興財団" in page and "指摘事項と対応" in page


def test_the_prefecture_does_not_report_on_1_july(workspace):
    result = CliRunner().invoke(
        funds_cli, ["report", "PREF", "--as-of", "2025-07-01"], obj={"workspace": workspace}
    )
    assert json.loads(result.stdout)["is_reporting_date"] is False
