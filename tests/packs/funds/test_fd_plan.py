"""The yearly fund plan (ch.2 §1-3) and the events that force its revision (§1-3-(2), §3-2③).

The world's foundation (ZAI) holds ¥400m of 1 % municipal bonds and ¥40m of 1 % corporate
bonds, both paying on 20 March and 20 September until 20 March 2029; the prefecture holds
¥300m of the same JGB and ¥8m on deposit. Plans are for FY2024 (令和6年度, from 1 April 2024).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from test_fd_world import banks, holding, holdings, shared_world

from mieruka.core.issues import MierukaError
from mieruka.packs.funds.cli import funds_cli
from mieruka.packs.funds.plan_build import build_plan


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def plans(world, fy=2024, as_of=None, **tables):
    world.use(**tables)
    return {p["entity"]["entity_id"]: p for p in build_plan(world.project, fy, as_of)["plans"]}


def kinds(plan):
    return [(a["kind"], a["subject"]) for a in plan["alerts"]]


def test_coupons_redemptions_investable_amount_and_budgeted_yield(world):
    fund_plans = [{"entity_id": "ZAI", "fiscal_year": 2024, "inflows": "30,000,000",
                   "outflows": "10,000,000", "direction": "地方債中心のラダー型で再運用"}]  # fmt: skip
    zai = plans(world, fund_plans=fund_plans)["ZAI"]
    assert (zai["opening"], zai["inflows"], zai["outflows"], zai["investable"]) == (
        440_000_000, 30_000_000, 10_000_000, 460_000_000,
    )  # fmt: skip
    # two coupons of 0.5 % each in the year: 20 Sep 2024 and 20 Mar 2025
    assert (zai["coupons"], zai["interest"], zai["redemptions"]) == (4_400_000, 0, 0)
    assert zai["budgeted_yield_pct"] == 1.0
    assert zai["to_invest"] == 4_400_000 + 30_000_000 - 10_000_000
    assert zai["direction"] == "地方債中心のラダー型で再運用" and zai["plan_recorded"]
    assert zai["fy_label"] == "2024年度（令和6年度）" and zai["plan_date"] == "2024-04-01"


def test_the_five_year_outlook_ends_with_the_redemption(world):
    zai = plans(world)["ZAI"]
    years = [
        (y["fiscal_year"], y["coupons"], y["redemptions"], y["outstanding"]) for y in zai["outlook"]
    ]
    assert years == [
        (2024, 4_400_000, 0, 440_000_000),
        (2025, 4_400_000, 0, 440_000_000),
        (2026, 4_400_000, 0, 440_000_000),
        (2027, 4_400_000, 0, 440_000_000),
        (2028, 4_400_000, 440_000_000, 0),  # matures 20 March 2029, in FY2028
    ]
    assert zai["redemptions_due"] == [] and not zai["plan_recorded"] and zai["direction"] == ""


def test_deposit_interest_counts_the_leap_day_of_fy2027(world):
    deposit = holding("D2", "CASH", 1, bank_id="B3", book_value=10_000_000, coupon_rate="0.2",
                      acquired_on="2024-01-04")  # fmt: skip
    pref = plans(world, holdings=[*holdings(), deposit])["PREF"]
    interest = [y["interest"] for y in pref["outlook"]]
    assert interest == [20_000, 20_000, 20_000, 20_055, 20_000]  # 366 days to 31 March 2028
    assert pref["coupons"] == 3_000_000 and pref["opening"] == 318_000_000


def test_a_holding_maturing_in_the_year_is_a_redemption_due(world):
    short = holding("J1", "KIKIN", 6, maturity_date="2024-12-20", face_value=50_000_000,
                    book_value=49_900_000)  # fmt: skip
    pref = plans(world, holdings=[*holdings(), short])["PREF"]
    assert pref["redemptions"] == 50_000_000  # the face comes back, not the book value
    assert pref["redemptions_due"] == [
        {
            "holding_id": "J1",
            "instrument": "(6) 国債",
            "maturity_date": "2024-12-20",
            "amount": 50_000_000,
        }
    ]
    assert pref["coupons"] == 3_000_000 + 2 * 250_000  # J1 pays on 20 June and 20 December


def bond_c2(acquired="2023-04-01"):
    return holding("C2", "OPER", 10, ratings="R&I:A", book_value=1_000_000, acquired_on=acquired)


def test_a_downgrade_to_bb_during_the_year_forces_a_revision(world):
    history = [{"holding_id": "C2", "agency": "R&I", "rating": r, "date": d}
               for r, d in (("A", "2023-03-01"), ("BB", "2025-01-15"))]  # fmt: skip
    zai = plans(world, holdings=[*holdings(), bond_c2()], rating_history=history)["ZAI"]
    [alert] = zai["alerts"]
    assert (alert["kind"], alert["figures"]["downgraded_on"]) == ("downgrade_bb", "2025-01-15")
    assert "年間資金計画を変更する" in alert["action"]
    earlier = [{**h, "date": "2024-03-20"} if h["rating"] == "BB" else h for h in history]
    zai = plans(world, holdings=[*holdings(), bond_c2()], rating_history=earlier)["ZAI"]
    assert zai["alerts"] == []  # before this year's plan was made


def test_a_failed_bank_or_issuer_forces_a_revision(world):
    failed_bank = [{**b, "rating": "D"} if b["bank_id"] == "B1" else b for b in banks()]
    history = [{"holding_id": "CORP1", "agency": "JCR", "rating": "D", "date": "2024-10-01"}]
    found = plans(world, banks=failed_bank, rating_history=history)
    assert kinds(found["PREF"]) == [("bank_failure", "B1 みほん銀行")]
    assert kinds(found["ZAI"]) == [("issuer_failure", "CORP1 発行体CORP1")]


def market(then, now, corp_then=None, corp_now=None):
    rows = [{"date": d, "tenor_years": t, "yield_pct": y}
            for d, y in (("2024-03-31", then), ("2025-03-31", now)) for t in (1, 10)]  # fmt: skip
    for d, p in (("2024-03-31", corp_then), ("2025-03-31", corp_now)):
        if p is not None:
            rows.append({"date": d, "holding_id": "CORP1", "price": p})
    return rows


def test_a_large_fall_in_the_bonds_value_forces_a_revision(world):
    calm = plans(world, market=market(0.5, 0.8))
    assert calm["ZAI"]["alerts"] == [] and calm["PREF"]["alerts"] == []
    found = plans(world, market=market(0.5, 3.0))
    [alert] = found["PREF"]["alerts"]
    assert alert["kind"] == "portfolio_price" and alert["figures"]["change"] < -0.05
    assert alert["figures"]["value_then"] > alert["figures"]["value_now"]


def test_one_holding_losing_more_than_a_fifth_of_its_price(world):
    at_limit = plans(world, market=market(0.5, 0.5, 100.0, 80.0))["ZAI"]
    assert [a["kind"] for a in at_limit["alerts"]] == []  # exactly 20 % is not "more than"
    over = plans(world, market=market(0.5, 0.5, 100.0, 79.99))["ZAI"]
    assert [(a["kind"], a["subject"], a["figures"]["change"]) for a in over["alerts"]] == [
        ("holding_price", "CORP1", -0.2001)
    ]


def test_investments_far_from_the_planned_investable_amount(world):
    def plan(inflows):
        rows = [{"entity_id": "ZAI", "fiscal_year": 2024, "inflows": inflows, "outflows": 0}]
        return plans(world, fund_plans=rows)["ZAI"]

    assert plan(110_000_000)["alerts"] == []  # 440m held against 550m planned: exactly −20 %
    [alert] = plan(110_000_001)["alerts"]
    assert (alert["kind"], alert["figures"]["investable"], alert["figures"]["investments_now"]) == (
        "funds_change", 550_000_001, 440_000_000,
    )  # fmt: skip


def test_alerts_are_judged_within_the_plans_year(world):
    world.use()
    with pytest.raises(MierukaError, match="outside the plan's fiscal year"):
        build_plan(world.project, 2024, date(2025, 4, 1))


def test_the_cli_prints_json_and_exits_1_on_an_alert(world, tmp_path):
    history = [{"holding_id": "C2", "agency": "R&I", "rating": r, "date": d}
               for r, d in (("A", "2023-03-01"), ("BB", "2025-01-15"))]  # fmt: skip
    world.use(holdings=[*holdings(), bond_c2()], rating_history=history)
    ws = {"workspace": world.project.ws.root}
    result = CliRunner().invoke(funds_cli, ["plan", "--fy", "2024", "--json"], obj=ws)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [p["entity"]["entity_id"] for p in data["plans"]] == ["PREF", "ZAI"]
    assert data["alerts_as_of"] == "2025-03-31"
    text = CliRunner().invoke(funds_cli, ["plan", "--fy", "2024", "--entity", "PREF"], obj=ws)
    assert text.exit_code == 0 and "budgeted yield" in text.output and "ZAI" not in text.output
    out = tmp_path / "plan.xlsx"
    wrote = CliRunner().invoke(
        funds_cli, ["plan", "--fy", "2024", "--format", "xlsx", "--out", str(out)], obj=ws
    )
    assert wrote.exit_code == 1 and out.stat().st_size > 0
