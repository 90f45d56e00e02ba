"""Deposit limits per bank (guideline ch.2 §2-1-(1), (2)): insurance floor, offsetting, designation."""

from __future__ import annotations

import pytest
from test_fd_world import banks, holding, holdings, shared_world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def deposits(*rows):
    base = [h for h in holdings() if h["instrument_type"] != 1]
    return base + list(rows)


def test_the_baseline_breaks_no_rule(world):
    result = world.evaluate()
    assert [v["rule"] for v in result.violations] == []


def test_exactly_ten_million_at_a_bank_without_borrowings_is_allowed(world):
    rows = deposits(
        holding("D1", "CASH", 1, book_value=6_000_000),
        holding("D2", "KIKIN", 1, book_value=4_000_000),
    )
    assert world.violations("funds.deposit_per_bank", holdings=rows) == []


def test_one_yen_over_ten_million_is_a_breach_naming_the_bank_and_figures(world):
    rows = deposits(
        holding("D1", "CASH", 1, book_value=6_000_000),
        holding("D2", "KIKIN", 1, book_value=4_000_001),
    )
    [v] = world.violations("funds.deposit_per_bank", holdings=rows)
    assert (v["entity_id"], v["bank_id"], v["bank_name"]) == ("PREF", "B1", "みほん銀行")
    assert (v["deposits"], v["deposit_limit"], v["excess"]) == (10_000_001, 10_000_000, 1)
    assert v["holdings"] == "D1,D2"


def test_borrowings_above_ten_million_raise_the_limit_to_the_borrowings(world):
    at_b2 = {"bank_id": "B2"}  # B2 lends the entity ¥30m
    ok = deposits(holding("D1", "CASH", 1, book_value=30_000_000, **at_b2))
    assert world.violations("funds.deposit_per_bank", holdings=ok) == []
    over = deposits(holding("D1", "CASH", 1, book_value=30_000_001, **at_b2))
    [v] = world.violations("funds.deposit_per_bank", holdings=over)
    assert v["borrowings"] == 30_000_000 and v["excess"] == 1


def test_a_designated_bank_has_no_limit(world):
    rows = deposits(holding("D1", "CASH", 1, book_value=900_000_000, bank_id="B3"))
    assert world.violations("funds.deposit_per_bank", holdings=rows) == []


def test_borrowings_are_per_entity_when_the_bank_list_says_whose_they_are(world):
    bank_rows = [
        *[b for b in banks() if b["bank_id"] != "B2"],
        {"bank_id": "B2", "name": "ためし信金", "borrowings": "0", "rating": "BBB"},
        {
            "bank_id": "B2",
            "name": "ためし信金",
            "borrowings": "50,000,000",
            "entity_id": "ZAI",
            "rating": "BBB",
        },
    ]
    rows = deposits(
        holding("D1", "CASH", 1, book_value=20_000_000, bank_id="B2"),  # the prefecture: no offset
        holding(
            "D2", "OPER", 1, book_value=20_000_000, bank_id="B2"
        ),  # the foundation: ¥50m offset
    )
    [v] = world.violations("funds.deposit_per_bank", banks=bank_rows, holdings=rows)
    assert v["entity_id"] == "PREF"


def test_a_large_deposit_needs_borrowings_at_that_bank(world):
    rows = deposits(holding("L1", "KIKIN", 2, book_value=1_000_000, bank_id="B1"))
    [v] = world.violations("funds.large_deposit", holdings=rows)
    assert (v["bank_id"], v["borrowings"], v["excess"]) == ("B1", 0, 1_000_000)


def test_a_large_deposit_up_to_the_borrowings_is_allowed_and_one_yen_more_is_not(world):
    ok = deposits(holding("L1", "KIKIN", 2, book_value=30_000_000, bank_id="B2"))
    assert world.violations("funds.large_deposit", holdings=ok) == []
    over = deposits(holding("L1", "KIKIN", 2, book_value=30_000_001, bank_id="B2"))
    assert [v["excess"] for v in world.violations("funds.large_deposit", holdings=over)] == [1]


def test_a_matured_or_withdrawn_deposit_no_longer_counts(world):
    rows = deposits(
        holding("D1", "CASH", 1, book_value=20_000_000, maturity_date="2025-03-31"),
        holding("D2", "CASH", 1, book_value=20_000_000, disposed_on="2025-01-10"),
    )
    assert world.violations("funds.deposit_per_bank", holdings=rows) == []


def test_borrowings_below_ten_million_leave_the_insurance_floor(world):
    small = [*banks(), {"bank_id": "B4", "name": "こもの信組", "borrowings": "5,000,000",
                        "designated": "false", "rating": "BBB"}]  # fmt: skip
    ok = deposits(holding("D1", "CASH", 1, book_value=10_000_000, bank_id="B4"))
    assert world.violations("funds.deposit_per_bank", banks=small, holdings=ok) == []
    over = deposits(holding("D1", "CASH", 1, book_value=10_000_001, bank_id="B4"))
    [v] = world.violations("funds.deposit_per_bank", banks=small, holdings=over)
    assert (v["borrowings"], v["deposit_limit"], v["excess"]) == (5_000_000, 10_000_000, 1)


def test_ten_million_each_for_two_entities_at_one_bank_is_allowed(world):
    rows = deposits(
        holding("D1", "CASH", 1, book_value=10_000_000),  # the prefecture
        holding("D2", "OPER", 1, book_value=10_000_000),  # the foundation
    )
    assert world.violations("funds.deposit_per_bank", holdings=rows) == []


def test_a_large_deposit_at_a_designated_bank_needs_no_borrowings(world):
    rows = deposits(holding("L1", "KIKIN", 2, book_value=500_000_000, bank_id="B3"))
    assert world.violations("funds.large_deposit", holdings=rows) == []
