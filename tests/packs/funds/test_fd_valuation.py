"""Present value and rate risk of the portfolio, as indicators (ch.2 §3-1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from test_fd_world import shared_world

from mieruka.packs.funds import bondmath as bm

AS_OF = np.array([date(2025, 3, 31)], "datetime64[D]")
MAT = np.array([date(2029, 3, 20)], "datetime64[D]")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def figures(result):
    return {
        (v["indicator"], v["dims"].get("entity_id")): v["value"]
        for v in result.values
        if v["indicator"].startswith("funds.") and v["indicator"] != "funds.parameters"
    }


def test_a_jgb_is_valued_from_its_simple_yield_and_the_rest_at_book(world):
    market = [
        {"date": "2025-03-31", "holding_id": "JGB1", "yield_pct": "1.1"},
        {"date": "2025-03-31", "tenor_years": "1", "yield_pct": "0.5"},
        {"date": "2025-03-31", "tenor_years": "10", "yield_pct": "1.5"},
    ]
    got = figures(world.evaluate(market=market))
    clean = bm.simple_price(np.array([1.0]), AS_OF, MAT, np.array([1.1]))[0]
    dirty = clean + 1.0 * 11 / 365  # last coupon 2025-03-20
    jgb = 300_000_000 * dirty / 100
    assert got[("funds.present_value", "PREF")] == Decimal(int(jgb + 8_000_000))  # + the deposit
    assert got[("funds.unrealised_gain", "PREF")] == Decimal(
        int(300_000_000 * clean / 100 - 300_000_000)
    )
    # the municipal and corporate bonds of the foundation are valued on the curve at 3.97 years
    curve_yield = (
        0.5
        + (1.5 - 0.5)
        * ((np.datetime64("2029-03-20") - np.datetime64("2025-03-31")).astype(int) / 365 - 1)
        / 9
    )
    muni_clean = bm.simple_price(np.array([1.0]), AS_OF, MAT, np.array([curve_yield]))[0]
    assert got[("funds.unrealised_gain", "ZAI")] == Decimal(
        int(440_000_000 * muni_clean / 100 - 440_000_000)
    )


def test_risk_figures_are_consistent(world):
    market = [{"date": "2025-03-31", "tenor_years": "5", "yield_pct": "1.0"}]
    got = figures(world.evaluate(market=market))
    bpv, s50, s100, s200 = (
        float(got[(i, None)])
        for i in ("funds.bpv", "funds.shock_50bp", "funds.shock_100bp", "funds.shock_200bp")
    )
    assert bpv < 0 and s200 < s100 < s50 < 0
    assert s50 == pytest.approx(50 * bpv, rel=0.05)  # nearly linear for a 4-year portfolio
    duration = float(got[("funds.modified_duration", None)])
    assert 3.5 < duration < 4.0


def test_without_market_data_every_holding_is_at_book_and_there_is_no_risk(world):
    got = figures(world.evaluate())
    assert got[("funds.present_value", None)] == Decimal(748_000_000)
    assert got[("funds.bpv", None)] is None  # no bond has a market figure


def test_a_price_quote_and_the_simple_yield_it_implies_value_a_bond_alike(world):
    price = 98.765
    implied = bm.simple_yield(np.array([1.0]), AS_OF, MAT, np.array([price]))[0]
    by_price = figures(
        world.evaluate(market=[{"date": "2025-03-31", "holding_id": "JGB1", "price": price}])
    )
    by_yield = figures(
        world.evaluate(
            market=[{"date": "2025-03-31", "holding_id": "JGB1", "yield_pct": f"{implied:.12f}"}]
        )
    )
    key = ("funds.present_value", "PREF")
    assert by_price[key] == Decimal(int(300_000_000 * (price + 11 / 365) / 100 + 8_000_000))
    assert abs(by_yield[key] - by_price[key]) <= 1  # the yield was written with 12 decimals
