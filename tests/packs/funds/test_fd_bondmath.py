"""Bond math against QuantLib, the oracle: 1e-8 per 100 face on a broad randomised set."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import QuantLib as ql

from mieruka.packs.funds import bondmath as bm

TOL = 1e-8
DC = ql.Actual365Fixed()


def _qd(d: np.datetime64) -> ql.Date:
    y, m, dd = (int(x) for x in str(d).split("-"))
    return ql.Date(dd, m, y)


def _cases(n: int = 1000, seed: int = 20250401):
    rng = np.random.default_rng(seed)
    settle = np.datetime64("2020-01-01") + rng.integers(0, 3000, n).astype("timedelta64[D]")
    maturity = settle + rng.integers(1, 40 * 365, n).astype("timedelta64[D]")
    maturity[:40] = (maturity[:40].astype("datetime64[M]") + 1).astype(
        "datetime64[D]"
    ) - 1  # month ends
    coupon = np.round(rng.uniform(0.0, 6.0, n), 3)
    yld = np.round(rng.uniform(-0.3, 8.0, n), 4)
    freq = rng.choice(np.array([1, 2, 4]), n, p=[0.1, 0.8, 0.1]).astype(np.int64)
    return settle, maturity, coupon, yld, freq


def _ql_leg(settle, maturity, coupon, freq):
    months = 12 // int(freq)
    sched = ql.Schedule(
        _qd(maturity)
        - ql.Period((int((maturity - settle).astype(int)) // 28 // months + 2) * months, ql.Months),
        _qd(maturity),
        ql.Period(months, ql.Months),
        ql.NullCalendar(),
        ql.Unadjusted,
        ql.Unadjusted,
        ql.DateGeneration.Backward,
        False,
    )
    dates = list(sched)
    leg = [ql.SimpleCashFlow(coupon / freq, d) for d in dates[1:]]
    leg.append(ql.SimpleCashFlow(100.0, _qd(maturity)))
    last = max(d for d in dates if d <= _qd(settle))
    return leg, last


def test_compound_price_duration_bpv_and_accrued_agree_with_quantlib():
    settle, maturity, coupon, yld, freq = _cases()
    dirty = bm.compound_dirty(coupon, settle, maturity, freq, yld)
    mod = bm.modified_duration(coupon, settle, maturity, freq, yld)
    acc = bm.accrued(coupon, settle, maturity, freq)
    bpv = bm.bpv(dirty, mod, bm.convexity(coupon, settle, maturity, freq, yld))
    worst = 0.0
    for i in range(len(settle)):
        leg, last = _ql_leg(settle[i], maturity[i], coupon[i], freq[i])
        s, y, f = _qd(settle[i]), yld[i] / 100, int(freq[i])
        q_dirty = ql.CashFlows.npv(leg, y, DC, ql.Compounded, f, False, s, s)
        q_mod = ql.CashFlows.duration(
            leg, y, DC, ql.Compounded, f, ql.Duration.Modified, False, s, s
        )
        q_bpv = ql.CashFlows.basisPointValue(leg, y, DC, ql.Compounded, f, False, s, s)
        q_acc = coupon[i] * DC.yearFraction(last, s)
        errs = (
            abs(dirty[i] - q_dirty),
            abs(acc[i] - q_acc),
            abs(bpv[i] - q_bpv),
            abs(mod[i] - q_mod) * q_dirty / 100,
        )
        worst = max(worst, *errs)
        assert max(errs) < TOL, (
            i,
            str(settle[i]),
            str(maturity[i]),
            coupon[i],
            yld[i],
            freq[i],
            errs,
        )
    assert worst < TOL


def test_simple_yield_price_uses_quantlib_day_count_and_round_trips():
    settle, maturity, coupon, yld, _ = _cases(seed=7)
    price = bm.simple_price(coupon, settle, maturity, yld)
    for i in range(len(settle)):
        t = DC.yearFraction(_qd(settle[i]), _qd(maturity[i]))
        assert abs(price[i] - (100 + coupon[i] * t) / (1 + yld[i] * t / 100)) < TOL
    back = bm.simple_yield(coupon, settle, maturity, price)
    np.testing.assert_allclose(back, yld, atol=1e-9)


def test_compound_yield_round_trips_from_the_dirty_price():
    settle, maturity, coupon, yld, freq = _cases(seed=11)
    dirty = bm.compound_dirty(coupon, settle, maturity, freq, yld)
    back = bm.compound_yield(coupon, settle, maturity, freq, dirty)
    np.testing.assert_allclose(back, yld, atol=1e-8)
    ql_yields = []
    for i in range(40):
        leg, _ = _ql_leg(settle[i], maturity[i], coupon[i], freq[i])
        s = _qd(settle[i])
        ql_yields.append(
            100
            * ql.CashFlows.yieldRate(
                leg, dirty[i], DC, ql.Compounded, int(freq[i]), False, s, s, 1e-12, 100, 0.01
            )
        )
    np.testing.assert_allclose(back[:40], ql_yields, atol=1e-7)


def test_a_known_jgb_quote():
    """JGB #372 (0.1 %, 2033-09-20) at a simple yield of 0.795 % for settlement 2024-03-21."""
    s, m = (
        np.array([date(2024, 3, 21)], "datetime64[D]"),
        np.array([date(2033, 9, 20)], "datetime64[D]"),
    )
    price = bm.simple_price(np.array([0.1]), s, m, np.array([0.795]))
    t = 3470 / 365  # 2024-03-21 .. 2033-09-20
    assert price[0] == pytest.approx((100 + 0.1 * t) / (1 + 0.795 * t / 100), abs=1e-12)
    assert bm.accrued(np.array([0.1]), s, m, np.array([2]))[0] == pytest.approx(0.1 * 1 / 365)


def test_accrued_interest_counts_the_leap_day_as_an_ordinary_day():
    # coupon dates 20 Sep and 20 Mar; from 2023-09-20 to 2024-03-19 is 181 days, 2024 has 29 Feb
    s = np.array([date(2024, 3, 19)], "datetime64[D]")
    m = np.array([date(2030, 3, 20)], "datetime64[D]")
    got = bm.accrued(np.array([1.0]), s, m, np.array([2]))[0]
    assert got == pytest.approx(1.0 * 181 / 365, abs=1e-15)
    assert DC.dayCount(ql.Date(20, 9, 2023), ql.Date(19, 3, 2024)) == 181
    on_coupon = bm.accrued(
        np.array([1.0]), np.array([date(2024, 3, 20)], "datetime64[D]"), m, np.array([2])
    )
    assert on_coupon[0] == 0.0


def test_the_one_pass_risk_figures_equal_the_separate_functions():
    settle, maturity, coupon, yld, freq = _cases(seed=3)
    r = bm.risk(coupon, settle, maturity, freq, yld, (50, 100, 200))
    np.testing.assert_allclose(
        r["dirty"], bm.compound_dirty(coupon, settle, maturity, freq, yld), atol=1e-10
    )
    np.testing.assert_allclose(
        r["duration"], bm.modified_duration(coupon, settle, maturity, freq, yld), atol=1e-10
    )
    np.testing.assert_allclose(
        r["convexity"], bm.convexity(coupon, settle, maturity, freq, yld), atol=1e-8
    )
    np.testing.assert_allclose(
        r["dirty_100"], bm.compound_dirty(coupon, settle, maturity, freq, yld + 1.0), atol=1e-10
    )


def test_accrued_interest_over_29_february_is_actual_over_365():
    """The domain's convention (ACT/365, one end counted): 29 February is an ordinary day."""
    m = np.array([date(2030, 9, 20)], "datetime64[D]")
    leap = bm.accrued(
        np.array([1.0]), np.array([date(2024, 3, 1)], "datetime64[D]"), m, np.array([2])
    )
    plain = bm.accrued(
        np.array([1.0]), np.array([date(2023, 3, 1)], "datetime64[D]"), m, np.array([2])
    )
    assert leap[0] == pytest.approx(163 / 365, abs=1e-15)  # 20 Sep 2023 → 1 Mar 2024
    assert plain[0] == pytest.approx(162 / 365, abs=1e-15)  # 20 Sep 2022 → 1 Mar 2023
    # an annual coupon one day before its date in a leap year has accrued a full year's rate
    annual = bm.accrued(
        np.array([2.0]),
        np.array([date(2024, 6, 19)], "datetime64[D]"),
        np.array([date(2030, 6, 20)], "datetime64[D]"),
        np.array([1]),
    )
    assert annual[0] == pytest.approx(
        2.0 * DC.yearFraction(ql.Date(20, 6, 2023), ql.Date(19, 6, 2024))
    )
    assert annual[0] == pytest.approx(2.0, abs=1e-15)


def test_price_to_simple_yield_and_back_at_the_edges():
    """Round trips for a bond a day from maturity, a 30-year bond, a zero coupon, a negative yield."""
    settle = np.array([date(2025, 3, 31)] * 4, "datetime64[D]")
    maturity = np.array(
        [date(2025, 4, 1), date(2055, 3, 20), date(2030, 3, 20), date(2027, 3, 20)], "datetime64[D]"
    )
    coupon = np.array([1.2, 2.3, 0.0, 0.1])
    price = np.array([100.002, 95.5, 97.25, 100.4])
    y = bm.simple_yield(coupon, settle, maturity, price)
    np.testing.assert_allclose(bm.simple_price(coupon, settle, maturity, y), price, atol=1e-10)
    assert y[3] < 0  # above par with a small coupon: a negative simple yield
