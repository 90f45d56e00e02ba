"""Eligibility, foreign currency, repos, corporate/samurai/euro-yen bonds and trusts (ch.2 §2-1, §2-2)."""

from __future__ import annotations

import pytest
from test_fd_world import World, banks, holding, holdings, shared_world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def plus(*rows):
    return [*holdings(), *rows]


def test_annual_cash_may_hold_deposits_but_not_a_jgb(world):
    [v] = world.violations(
        "funds.money_kind",
        holdings=plus(holding("J", "CASH", 6), holding("L", "CASH", 2, bank_id="B3")),
    )
    assert (v["holding_id"], v["category"], v["allowed"]) == ("J", "annual_cash", "(1),(2),(4)")


def test_an_endowment_may_not_hold_a_corporate_bond_but_operating_funds_may(world):
    rows = plus(
        holding("C-E", "ENDOW", 10, ratings="R&I:AA"), holding("C-O", "OPER", 10, ratings="R&I:AA")
    )
    assert [v["holding_id"] for v in world.violations("funds.money_kind", holdings=rows)] == ["C-E"]


def test_corporate_bonds_up_to_the_operating_share_are_allowed(tmp_path):
    w = World(tmp_path, "operating_corporate_share = 0.1\n")
    # the foundation: ¥400m municipal bonds + ¥40m corporate = 9.09 %, then ¥48.9m of ¥448.9m = 10.9 %
    assert w.violations("funds.operating_share") == []
    [v] = w.violations(
        "funds.operating_share",
        holdings=plus(
            holding("C2", "OPER", 10, ratings="JCR:AA", issuer="別会社", book_value=8_900_000)
        ),
    )
    assert (v["entity_id"], v["corporate_book"], v["total_book"], v["max_share"]) == (
        "ZAI",
        48_900_000,
        448_900_000,
        0.1,
    )
    w.close()


def test_euro_yen_of_a_domestic_issuer_is_judged_as_a_corporate_bond(world):
    # A- meets the corporate level (A-) but not the samurai level (AA-)
    rows = plus(
        holding("EY-D", "OPER", 13, issuer_domestic="true", ratings="R&I:A-", book_value=1_000_000),
        holding(
            "EY-F", "OPER", 13, issuer_domestic="false", ratings="S&P:A-", book_value=1_000_000
        ),
    )
    [v] = world.violations("funds.corporate_rating", holdings=rows)
    assert (v["holding_id"], v["judged_as"]) == ("EY-F", "samurai")


def test_one_agency_at_the_level_is_enough_and_one_notch_below_is_not(world):
    ok = plus(holding("C2", "OPER", 10, ratings="R&I:BBB+;JCR:A-", book_value=1_000_000))
    assert world.violations("funds.corporate_rating", holdings=ok) == []
    low = plus(holding("C2", "OPER", 10, ratings="R&I:BBB+;Moody's:Baa1", book_value=1_000_000))
    [v] = world.violations("funds.corporate_rating", holdings=low)
    assert (v["best_rank"], v["min_rank"]) == (8, 7)


def test_a_rating_changed_after_purchase_is_left_to_the_downgrade_rules(world):
    rows = plus(holding("C2", "OPER", 10, ratings="R&I:BBB", book_value=1_000_000))
    history = [
        {"holding_id": "C2", "agency": "R&I", "rating": "A", "date": "2024-04-01"},
        {"holding_id": "C2", "agency": "R&I", "rating": "BBB", "date": "2024-10-01"},
    ]
    assert world.violations("funds.corporate_rating", holdings=rows, rating_history=history) == []


def test_the_term_at_purchase_may_reach_but_not_pass_the_range_for_the_rating(world):
    # AA band: 10 years. Bought 2024-04-01; maturing exactly ten years later is allowed.
    ok = plus(
        holding(
            "C2", "OPER", 10, ratings="R&I:AA", maturity_date="2034-04-01", book_value=1_000_000
        )
    )
    assert world.violations("funds.corporate_term", holdings=ok) == []
    long = plus(
        holding(
            "C2", "OPER", 10, ratings="R&I:AA", maturity_date="2034-04-02", book_value=1_000_000
        )
    )
    [v] = world.violations("funds.corporate_term", holdings=long)
    assert (v["rating_band"], v["max_years"], v["judged_as"]) == ("AA", 10, "corporate")


def test_a_samurai_bond_rated_a_has_no_allowed_term_by_default(world):
    rows = plus(
        holding(
            "S1",
            "OPER",
            12,
            issuer_domestic="false",
            ratings="S&P:AA-",
            maturity_date="2029-04-01",
            book_value=1_000_000,
        )
    )
    assert world.violations("funds.corporate_term", holdings=rows) == []  # AA band: 5 years


def test_an_ordinary_convertible_is_the_only_derivative_a_corporate_bond_may_carry(world):
    rows = plus(
        holding(
            "CB",
            "OPER",
            10,
            ratings="R&I:AA",
            has_derivative="true",
            convertible="true",
            derivative_kind="convertible",
            book_value=1,
        ),
        holding(
            "MCB",
            "OPER",
            10,
            ratings="R&I:AA",
            has_derivative="true",
            convertible="true",
            derivative_kind="mandatory_convertible",
            book_value=1,
        ),
        holding(
            "SAM",
            "OPER",
            12,
            issuer_domestic="false",
            ratings="S&P:AA",
            has_derivative="true",
            convertible="true",
            book_value=1,
        ),
    )
    assert [
        v["holding_id"] for v in world.violations("funds.embedded_derivative", holdings=rows)
    ] == ["MCB", "SAM"]


def test_a_repo_needs_public_collateral_and_an_investment_grade_counterparty(world):
    rows = plus(
        holding("R-OK", "KIKIN", 4, bank_id="SEC", underlying_type=6, maturity_date="2025-06-30"),
        holding("R-COLL", "KIKIN", 4, bank_id="SEC", maturity_date="2025-06-30"),
        holding(
            "R-CP", "KIKIN", 4, bank_id="B-JUNK", underlying_type=6, maturity_date="2025-06-30"
        ),
    )
    bank_rows = [*banks(), {"bank_id": "B-JUNK", "name": "格下証券", "rating": "BB+"}]
    found = world.violations("funds.repo", holdings=rows, banks=bank_rows)
    assert [(v["holding_id"], v["collateral_type"], v["counterparty_rating"]) for v in found] == [
        ("R-COLL", None, "A+"),
        ("R-CP", 6, "BB+"),
    ]


def test_a_trust_must_rest_on_public_bonds_use_only_swaps_and_yield_more(world):
    base = {"underlying_type": 6, "coupon_rate": "1.2", "underlying_yield": "1.0"}
    rows = plus(
        holding(
            "T-OK",
            "KIKIN",
            14,
            **base,
            has_derivative="true",
            derivative_kind="fixed_floating_swap",
        ),
        holding("T-OPT", "KIKIN", 14, **base, has_derivative="true", derivative_kind="option"),
        holding("T-EQ", "KIKIN", 14, **{**base, "underlying_yield": "1.2"}),
    )
    found = world.violations("funds.trust", holdings=rows)
    assert [(v["holding_id"], v["reason"]) for v in found] == [
        ("T-EQ", "no yield above the underlying recorded"),
        ("T-OPT", "derivative other than a fixed-for-floating swap"),
    ]


def test_foreign_currency_needs_a_recurring_payment_and_a_proportionate_amount(world):
    usd = holding("FX1", "OPER", 3, currency="USD", book_value=30_000_000, bank_id="B3")
    need = [{"entity_id": "ZAI", "currency": "USD", "annual_payments": "10,000,000"}]
    assert world.violations("funds.fx_need", holdings=plus(usd), fx_needs=need) == []
    more = plus({**usd, "book_value": 30_000_001})
    [v] = world.violations("funds.fx_need", holdings=more, fx_needs=need)
    assert (v["fx_book"], v["max_holding"]) == (30_000_001, 30_000_000)
    small = [{"entity_id": "ZAI", "currency": "USD", "annual_payments": "9,999,999"}]
    [v] = world.violations("funds.fx_need", holdings=plus(usd), fx_needs=small)
    assert v["min_annual_payments"] == 10_000_000


def test_a_foreign_currency_deposit_bank_must_be_rated_at_the_level(world):
    rows = plus(
        holding("FX1", "OPER", 3, currency="USD", bank_id="B3"),
        holding("FX2", "OPER", 3, currency="USD", bank_id="B2"),
    )
    assert [v["holding_id"] for v in world.violations("funds.fx_quality", holdings=rows)] == ["FX2"]


def test_the_operating_share_may_be_reached_exactly(tmp_path):
    w = World(tmp_path, "operating_corporate_share = 0.1\n")
    base = [
        dict(r, book_value=360_000_000) if r["holding_id"] == "MUNI1" else r for r in holdings()
    ]
    assert w.violations("funds.operating_share", holdings=base) == []  # 40m of 400m = 10 %
    over = [*base, holding("C2", "OPER", 10, ratings="JCR:AA", issuer="別会社", book_value=1)]
    [v] = w.violations("funds.operating_share", holdings=over)
    assert (v["corporate_book"], v["total_book"]) == (40_000_001, 400_000_001)
    w.close()


def test_a_samurai_bond_exactly_at_double_a_minus_qualifies(world):
    rows = plus(
        holding("S-AA", "OPER", 12, issuer_domestic="false", ratings="S&P:AA-", book_value=1),
        holding("S-A", "OPER", 12, issuer_domestic="false", ratings="S&P:A+", book_value=1),
    )
    assert [v["holding_id"] for v in world.violations("funds.corporate_rating", holdings=rows)] == [
        "S-A"
    ]


def test_euro_yen_terms_follow_the_issuers_domicile(world):
    # rated A, bought 2024-04-01 for five years: a domestic issuer's euro-yen bond is a
    # corporate bond (A band: 5 years); a foreign issuer's is a samurai bond (no A band)
    rows = plus(
        holding("EY-D", "OPER", 13, issuer_domestic="true", ratings="R&I:A", book_value=1,
                maturity_date="2029-04-01"),
        holding("EY-F", "OPER", 13, issuer_domestic="false", ratings="R&I:AA-", book_value=1,
                maturity_date="2029-04-01"),
        holding("EY-F6", "OPER", 13, issuer_domestic="false", ratings="R&I:AA-", book_value=1,
                maturity_date="2029-04-02"),
    )  # fmt: skip
    found = world.violations("funds.corporate_term", holdings=rows)
    assert [(v["holding_id"], v["judged_as"], v["max_years"]) for v in found] == [
        ("EY-F6", "samurai", 5)
    ]


def test_a_convertible_euro_yen_is_excepted_only_for_a_domestic_issuer(world):
    cb = {"has_derivative": "true", "convertible": "true", "derivative_kind": "convertible",
          "book_value": 1, "ratings": "R&I:AA"}  # fmt: skip
    rows = plus(
        holding("EY-D", "OPER", 13, issuer_domestic="true", **cb),
        holding("EY-F", "OPER", 13, issuer_domestic="false", **cb),
    )
    found = world.violations("funds.embedded_derivative", holdings=rows)
    assert [v["holding_id"] for v in found] == ["EY-F"]


def test_a_foreign_currency_bank_exactly_at_the_level_qualifies(world):
    rated = [*banks(), {"bank_id": "B5", "name": "外為銀行", "rating": "A-"},
             {"bank_id": "B6", "name": "外為信金", "rating": "BBB+"}]  # fmt: skip
    rows = plus(
        holding("FX1", "OPER", 3, currency="USD", bank_id="B5"),
        holding("FX2", "OPER", 3, currency="USD", bank_id="B6"),
    )
    found = world.violations("funds.fx_quality", holdings=rows, banks=rated)
    assert [v["holding_id"] for v in found] == ["FX2"]


def test_a_repo_counterparty_at_triple_b_minus_qualifies(world):
    rated = [*banks(), {"bank_id": "B-BBB", "name": "末席証券", "rating": "BBB-"}]
    rows = plus(
        holding("R1", "KIKIN", 4, bank_id="B-BBB", underlying_type=9, maturity_date="2025-06-30")
    )
    assert world.violations("funds.repo", holdings=rows, banks=rated) == []
