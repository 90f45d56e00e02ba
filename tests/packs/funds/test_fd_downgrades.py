"""Downgrades while held (ch.2 §3-2): keep, sell in principle (BBB exception), sell promptly."""

from __future__ import annotations

import pytest
from test_fd_world import holding, holdings, shared_world

BOND = holding("C2", "OPER", 10, book_value=1_000_000, acquired_on="2024-04-01")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def history(*changes):
    """(agency, rating, date) rows for the bond C2."""
    return [{"holding_id": "C2", "agency": a, "rating": r, "date": d} for a, r, d in changes]


def classify(world, *changes):
    out = {}
    for rule in ("funds.downgrade_keep", "funds.downgrade_review", "funds.downgrade_sell"):
        for v in world.violations(
            rule, holdings=[*holdings(), BOND], rating_history=history(*changes)
        ):
            out[v["holding_id"]] = (rule.split("_")[-1], v)
    return out


def test_a_downgrade_that_still_meets_the_purchase_level_may_be_kept(world):
    found = classify(world, ("R&I", "AA", "2024-03-01"), ("R&I", "A", "2024-11-01"))
    kind, v = found["C2"]
    assert kind == "keep" and v["ratings_at_purchase"] == "R&I:AA" and v["ratings_now"] == "R&I:A"


def test_below_the_level_but_bbb_somewhere_is_sell_in_principle_with_the_exception(world):
    kind, v = classify(world, ("R&I", "A", "2024-03-01"), ("R&I", "BBB-", "2025-01-15"))["C2"]
    assert kind == "review" and (v["best_rank"], v["min_rank"], v["downgraded_on"]) == (
        10,
        7,
        "2025-01-15",
    )


def test_bb_plus_is_double_b_and_means_sell_promptly_and_revise_the_plan(world):
    kind, v = classify(world, ("R&I", "A", "2024-03-01"), ("R&I", "BB+", "2025-01-15"))["C2"]
    assert kind == "sell" and v["ratings_now"] == "R&I:BB+"


def test_with_two_agencies_it_is_a_downgrade_only_when_both_downgraded(world):
    one = classify(
        world, ("R&I", "A", "2024-03-01"), ("JCR", "A+", "2024-03-01"), ("R&I", "BB", "2025-01-15")
    )
    assert one == {}
    both = classify(
        world,
        ("R&I", "A", "2024-03-01"),
        ("JCR", "A+", "2024-03-01"),
        ("R&I", "BB", "2025-01-15"),
        ("JCR", "BBB", "2025-02-01"),
    )
    kind, v = both["C2"]
    assert (
        kind == "review" and v["ratings_now"] == "JCR:BBB;R&I:BB"
    )  # JCR's BBB keeps the exception


def test_a_downgrade_after_the_reporting_date_is_not_seen_yet(world):
    assert classify(world, ("R&I", "A", "2024-03-01"), ("R&I", "BB", "2025-04-01")) == {}


def test_an_upgrade_is_not_a_downgrade(world):
    assert classify(world, ("R&I", "A", "2024-03-01"), ("R&I", "AA", "2024-09-01")) == {}


def test_a_euro_yen_downgrade_is_judged_by_the_issuers_domicile(world):
    # AA → A+: still at the corporate level (A-), below the samurai level (AA-)
    for domestic, expected in (("true", "keep"), ("false", "review")):
        bond = holding("C2", "OPER", 13, issuer_domestic=domestic, book_value=1_000_000)
        found = {}
        changes = history(("R&I", "AA", "2024-03-01"), ("R&I", "A+", "2024-11-01"))
        for rule in ("funds.downgrade_keep", "funds.downgrade_review", "funds.downgrade_sell"):
            for v in world.violations(rule, holdings=[*holdings(), bond], rating_history=changes):
                found[v["holding_id"]] = rule.split("_")[-1]
        assert found == {"C2": expected}, domestic


def test_a_foreign_currency_deposit_bank_downgraded_to_bb_is_sold(world):
    fx = holding("C2", "OPER", 3, currency="USD", bank_id="B3", book_value=1_000_000)
    changes = history(("S&P", "A", "2024-03-01"), ("S&P", "BB-", "2024-12-01"))
    [v] = world.violations(
        "funds.downgrade_sell", holdings=[*holdings(), fx], rating_history=changes
    )
    assert (v["holding_id"], v["min_rank"]) == ("C2", 7)  # the fx level, A-
