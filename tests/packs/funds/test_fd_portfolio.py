"""Issuers, terms, the maturity ladder, trading, the committee and legacy holdings."""

from __future__ import annotations

import pytest
from test_fd_world import entities, holding, holdings, shared_world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def plus(*rows):
    return [*holdings(), *rows]


def test_one_issuer_may_reach_but_not_pass_its_share_of_the_investments(world):
    # the foundation holds ¥440m; ¥44m of one issuer is exactly 10 %
    ok = plus(
        holding("C2", "OPER", 10, issuer="発行体CORP1", ratings="R&I:AA", book_value=4_000_000)
    )
    ok = [dict(r, book_value=40_000_000) if r["holding_id"] == "CORP1" else r for r in ok]
    ok = [dict(r, book_value=396_000_000) if r["holding_id"] == "MUNI1" else r for r in ok]
    assert world.violations("funds.issuer_concentration", holdings=ok) == []
    over = [dict(r, book_value=4_000_001) if r["holding_id"] == "C2" else r for r in ok]
    [v] = world.violations("funds.issuer_concentration", holdings=over)
    assert (v["issuer"], v["issuer_book"], v["holdings"]) == ("発行体CORP1", 44_000_001, "C2,CORP1")


def test_a_remaining_term_of_exactly_twenty_years_is_allowed(world):
    ok = plus(holding("J20", "KIKIN", 6, maturity_date="2045-03-31", book_value=1))
    assert world.violations("funds.remaining_term", holdings=ok) == []
    [v] = world.violations(
        "funds.remaining_term",
        holdings=plus(holding("J30", "KIKIN", 6, maturity_date="2045-04-01", book_value=1)),
    )
    assert (v["holding_id"], v["max_years"]) == ("J30", 20)


def test_the_ladder_limits_the_share_maturing_after_ten_years(world):
    # the prefecture: ¥300m JGB to 2029; ¥200m more beyond ten years = 40 % (allowed), then 40.1 %
    long = holding("J15", "KIKIN", 6, maturity_date="2040-03-20", book_value=200_000_000)
    assert world.violations("funds.maturity_ladder", holdings=plus(long)) == []
    [v] = world.violations(
        "funds.maturity_ladder", holdings=plus({**long, "book_value": 201_000_000})
    )
    assert (v["entity_id"], v["over_years"], v["long_book"], v["max_share"]) == (
        "PREF",
        10,
        201_000_000,
        0.4,
    )


def txn(txn_id, holding_id, side, day, **extra):
    row = {
        "txn_id": txn_id,
        "holding_id": holding_id,
        "side": side,
        "trade_date": day,
        "quotes_received": 2,
        "best_quote_taken": "true",
        "rationale": "金利上昇局面での入替え",
    }
    row.update(extra)
    return row


def test_two_quotes_and_the_best_taken_or_a_single_dealer_reason(world):
    trades = [
        txn("T1", "JGB1", "buy", "2024-05-01"),
        txn("T2", "JGB1", "buy", "2024-05-02", quotes_received=1),
        txn(
            "T3",
            "JGB1",
            "buy",
            "2024-05-03",
            quotes_received=1,
            single_dealer_reason="主幹事方式の公募債",
        ),
        txn("T4", "JGB1", "buy", "2024-05-04", quotes_received=3, best_quote_taken="false"),
    ]
    found = world.violations("funds.competitive_quotes", transactions=trades)
    assert [v["txn_id"] for v in found] == ["T2", "T4"]


def test_selling_within_ninety_days_of_buying_is_flagged(world):
    trades = [txn("B", "CORP1", "buy", "2024-06-01"), txn("S", "CORP1", "sell", "2024-08-30")]
    [v] = world.violations("funds.short_term_sale", transactions=trades)
    assert (v["txn_id"], v["days_held"], v["min_days"]) == ("S", 90, 90)
    later = [trades[0], txn("S", "CORP1", "sell", "2024-08-31")]
    assert world.violations("funds.short_term_sale", transactions=later) == []


def test_a_sale_before_maturity_records_its_rationale(world):
    trades = [
        txn("S1", "JGB1", "sell", "2024-09-01", rationale=""),
        txn("S2", "MUNI1", "sell", "2024-09-01"),
    ]
    assert [v["txn_id"] for v in world.violations("funds.sale_rationale", transactions=trades)] == [
        "S1"
    ]


def test_an_affiliate_investing_one_billion_needs_a_committee(world):
    just = plus(holding("M2", "ENDOW", 8, book_value=560_000_000))  # 440m + 560m = ¥1bn
    [v] = world.violations("funds.committee", holdings=just)
    assert (v["entity_id"], v["total_book"], v["threshold"]) == (
        "ZAI",
        1_000_000_000,
        1_000_000_000,
    )
    below = plus(holding("M2", "ENDOW", 8, book_value=559_999_999))
    assert world.violations("funds.committee", holdings=below) == []
    with_committee = [dict(e, has_committee="true") for e in entities()]
    assert world.violations("funds.committee", holdings=just, entities=with_committee) == []


def test_a_legacy_holding_that_does_not_qualify_needs_a_complete_plan(world):
    legacy = holding(
        "OLD",
        "ENDOW",
        10,
        ratings="R&I:BBB",
        acquired_on="2012-04-01",
        maturity_date="2032-04-01",
        book_value=1,
    )
    [v] = world.violations("funds.legacy_plan", holdings=plus(legacy))
    assert (v["holding_id"], v["plan_status"]) == ("OLD", "no plan")
    assert v["reasons"] == "not allowed for this kind of money; rated below the purchase level"
    plan = {
        "holding_id": "OLD",
        "instrument_name": "第5回みほん電力社債",
        "present_value": "98,000,000",
        "value_basis": "日本証券業協会 売買参考統計値",
        "disposal_criteria": "",
    }
    [v] = world.violations("funds.legacy_plan", holdings=plus(legacy), management_plans=[plan])
    assert v["plan_status"] == "plan incomplete"
    plan["disposal_criteria"] = "時価が簿価の100%以上となった時点で売却"
    assert (
        world.violations("funds.legacy_plan", holdings=plus(legacy), management_plans=[plan]) == []
    )


def test_a_legacy_holding_is_not_judged_by_the_purchase_rules_but_a_new_one_is(world):
    rows = plus(
        holding(
            "OLD",
            "ENDOW",
            10,
            ratings="R&I:AA",
            acquired_on="2012-04-01",
            maturity_date="2032-04-01",
            book_value=1,
        ),
        holding("NEW", "ENDOW", 10, ratings="R&I:AA", acquired_on="2013-03-21", book_value=1),
    )
    assert [v["holding_id"] for v in world.violations("funds.money_kind", holdings=rows)] == ["NEW"]
