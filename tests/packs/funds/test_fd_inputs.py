"""The documented input formats load; what a treasurer gets wrong is named by file, row, column."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_fd_world import HEADERS, World, holding, holdings, write_csv

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.packs.funds import params
from mieruka.packs.funds.ratings import band_of, parse_ratings, rank


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def rejected(world: World, dataset: str, rows, tmp_path: Path) -> str:
    path = write_csv(tmp_path / f"{dataset}-bad.csv", rows, HEADERS.get(dataset))
    with pytest.raises(MierukaError) as info:
        load(world.project, dataset, path)
    return str(info.value)


def test_every_documented_file_loads_with_wareki_dates_and_triangle_negatives(world, tmp_path):
    rows = [
        *holdings(),
        holding(
            "W", "OPER", 10, ratings="R&I:AA", acquired_on="令和6年4月1日", book_value="△1,000"
        ),
    ]
    world.load(holdings=rows)  # a negative book value (△) is allowed: written-down holdings


def test_a_bond_without_a_maturity_and_an_unreadable_rating_are_named(world, tmp_path):
    rows = [*holdings(), holding("X", "OPER", 10, maturity_date="", ratings="R&I AA")]
    message = rejected(world, "holdings", rows, tmp_path)
    assert "row 6, column 'maturity_date'" in message and "needs a maturity date" in message
    assert "row 6, column 'ratings'" in message and "AGENCY:RATING" in message


def test_a_deposit_names_its_bank_and_types_run_from_1_to_14(world, tmp_path):
    rows = [*holdings(), holding("Y", "CASH", 1, bank_id=""), holding("Z", "CASH", 15)]
    message = rejected(world, "holdings", rows, tmp_path)
    assert "row 6, column 'bank_id'" in message and "row 7, column 'instrument_type'" in message


def test_a_market_row_is_for_a_holding_or_a_tenor_with_a_yield_or_a_price(world, tmp_path):
    rows = [
        {"date": "2025-03-31", "holding_id": "JGB1", "tenor_years": "5", "yield_pct": "1"},
        {"date": "2025-03-31", "holding_id": "JGB1", "yield_pct": "1", "price": "99"},
    ]
    message = rejected(world, "market", rows, tmp_path)
    assert "row 2, column 'holding_id'" in message and "row 3, column 'yield_pct'" in message


def test_a_bank_listed_twice_for_the_same_entity_is_refused(world, tmp_path):
    rows = [
        {"bank_id": "B1", "name": "a", "rating": "A"},
        {"bank_id": "B1", "name": "a", "rating": "AAA+"},
        {"bank_id": "B1", "name": "a", "entity_id": "ZAI"},
    ]
    message = rejected(world, "banks", rows, tmp_path)
    assert "unknown rating 'AAA+'" in message and "bank B1 appears twice" in message


def test_ratings_of_every_agency_share_one_scale():
    assert rank("AA-") == rank("Aa3") == 4 and rank("BBB-") == rank("Baa3") == 10
    assert band_of(rank("A+")) == "A" and band_of(rank("BB+")) is None
    assert parse_ratings("R&I:AA; JCR:AA+ ;S&P:A+") == {"R&I": "AA", "JCR": "AA+", "S&P": "A+"}


def test_settings_default_and_refuse_unknown_keys_with_a_suggestion():
    assert params.settings({})["deposit_floor"] == 10_000_000
    with pytest.raises(MierukaError, match="did you mean 'deposit_floor'"):
        params.settings({"deposit_flor": 5})
    with pytest.raises(MierukaError, match="corporate_min_rating"):
        params.settings({"corporate_min_rating": "good"})
    with pytest.raises(MierukaError, match="ladder steps"):
        params.settings({"ladder": {"after_5": 0.5}})


def test_every_setting_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "packs" / "funds.md").read_text(
        encoding="utf-8"
    )
    assert [k for k in params.DEFAULTS if f"`{k}`" not in doc] == []


def test_a_stricter_setting_changes_the_verdict(tmp_path):
    w = World(tmp_path, "deposit_floor = 5_000_000\n")
    [v] = w.violations("funds.deposit_per_bank")  # the ¥8m deposit of the prefecture
    assert (v["deposits"], v["deposit_limit"]) == (8_000_000, 5_000_000)
    w.close()
