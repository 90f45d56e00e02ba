"""Present value and interest-rate risk of every holding, as pack functions behind indicators.

Marketable holdings are the yen bonds (6)–(13) with a coupon and a maturity. Their clean
price comes from the market file: a price for the holding, else a (simple) yield for the
holding, else the yield curve interpolated linearly at the remaining term (flat beyond its
ends) — quotes in Japan are simple yields, so yields convert to prices that way. Risk is
measured on the compound yield implied by that price: modified duration, BPV and full
revaluation under parallel shocks. Everything else (deposits, repos, trusts, foreign-currency
bonds, bonds without a market figure) is carried at book value with no rate risk; a foreign
bond would need an FX rate the documented formats do not carry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from mieruka.packs.funds import bondmath as bm

SHOCKS_BP = (50, 100, 200)

HOLDINGS_SQL = """
SELECT h.holding_id, f.entity_id, h.fund_id, h.instrument_type,
       coalesce(h.currency, 'JPY') AS currency, CAST(h.face_value AS DOUBLE) AS face,
       CAST(h.book_value AS DOUBLE) AS book, CAST(h.coupon_rate AS DOUBLE) AS coupon,
       coalesce(h.coupon_frequency, 2) AS freq, h.maturity_date
FROM {holdings} h JOIN {funds} f ON f.fund_id = h.fund_id
WHERE coalesce(h.acquired_on, DATE '{as_of}') <= DATE '{as_of}'
  AND (h.maturity_date IS NULL OR h.maturity_date > DATE '{as_of}')
  AND (h.disposed_on IS NULL OR h.disposed_on > DATE '{as_of}')
ORDER BY h.holding_id
"""

QUOTES_SQL = """
SELECT holding_id, arg_max(price, date) AS price, arg_max(yield_pct, date) AS yield_pct
FROM {market} WHERE holding_id IS NOT NULL AND date <= DATE '{as_of}' GROUP BY holding_id
"""

CURVE_SQL = """
SELECT tenor_years, yield_pct FROM {market}
WHERE tenor_years IS NOT NULL AND date = (
  SELECT max(date) FROM {market} WHERE tenor_years IS NOT NULL AND date <= DATE '{as_of}')
ORDER BY tenor_years
"""


def value_portfolio(
    holdings: pa.Table, quotes: pa.Table, curve: pa.Table, as_of: Any
) -> dict[str, np.ndarray]:
    """Per holding: pv, clean, unrealised, duration, bpv, shock_<bp> (yen unless noted)."""
    n = holdings.num_rows
    col = {c: holdings.column(c).to_numpy(zero_copy_only=False) for c in holdings.column_names}
    face, book = col["face"].astype(float), col["book"].astype(float)
    coupon = np.nan_to_num(col["coupon"].astype(float))
    freq = np.where(col["freq"] == 0, 2, col["freq"]).astype(np.int64)
    maturity = np.array(
        [m if m is not None else as_of for m in holdings.column("maturity_date").to_pylist()],
        dtype="datetime64[D]",
    )
    settle = np.full(n, np.datetime64(as_of, "D"))
    price_of = dict(
        zip(
            quotes.column("holding_id").to_pylist(), quotes.column("price").to_pylist(), strict=True
        )
    )
    yield_of = dict(
        zip(
            quotes.column("holding_id").to_pylist(),
            quotes.column("yield_pct").to_pylist(),
            strict=True,
        )
    )
    ids = holdings.column("holding_id").to_pylist()
    quoted_price = np.array(
        [price_of.get(i) if price_of.get(i) is not None else np.nan for i in ids], float
    )
    quoted_yield = np.array(
        [yield_of.get(i) if yield_of.get(i) is not None else np.nan for i in ids], float
    )
    remaining = (maturity - settle).astype(np.float64) / 365.0
    if curve.num_rows:
        tenors = np.asarray(curve.column("tenor_years").to_pylist(), float)
        ylds = np.asarray(curve.column("yield_pct").to_pylist(), float)
        curve_yield = np.interp(remaining, tenors, ylds)
    else:
        curve_yield = np.full(n, np.nan)
    bond = (
        np.isin(col["instrument_type"], np.arange(6, 14))
        & (col["currency"] == "JPY")
        & ~np.isnan(col["coupon"].astype(float))
        & (maturity > settle)
    )
    yld = np.where(np.isnan(quoted_yield), curve_yield, quoted_yield)
    clean = np.where(
        np.isnan(quoted_price), bm.simple_price(coupon, settle, maturity, yld), quoted_price
    )
    marketable = bond & ~np.isnan(clean)
    out = {k: np.zeros(n) for k in ("pv", "unrealised", "duration", "bpv", "clean", "market_yield")}
    out.update({f"shock_{bp}": np.zeros(n) for bp in SHOCKS_BP})
    out["pv"] = book.copy()
    m = np.flatnonzero(marketable)
    if m.size:
        c, s, t, f = coupon[m], settle[m], maturity[m], freq[m]
        dirty = clean[m] + bm.accrued(c, s, t, f)
        y = bm.compound_yield(c, s, t, f, dirty)
        r = bm.risk(c, s, t, f, y, SHOCKS_BP)
        out["pv"][m] = face[m] * dirty / 100
        out["clean"][m] = clean[m]
        out["market_yield"][m] = y
        out["unrealised"][m] = face[m] * clean[m] / 100 - book[m]
        out["duration"][m] = r["duration"]
        out["bpv"][m] = face[m] * r["bpv"] / 100
        for bp in SHOCKS_BP:
            out[f"shock_{bp}"][m] = face[m] * (r[f"dirty_{bp}"] - r["dirty"]) / 100
    out["marketable"] = marketable
    return out


_cache: dict[tuple[int, str], tuple[Any, pa.Table, dict[str, np.ndarray]]] = {}


def valued(ctx: Any) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """One valuation per run (engine) and date, shared by the risk indicators.

    The cache keeps the engine itself beside its id: a closed engine's id may be reused by the
    next one, which must not inherit the previous data's valuation."""
    as_of = ctx.period.as_of
    key = (id(ctx.engine), as_of.isoformat())
    if key not in _cache or _cache[key][0] is not ctx.engine:
        names = {d: ctx.tables[d] for d in ("holdings", "funds")}
        holdings = ctx.sql(HOLDINGS_SQL.format(as_of=as_of, **names))
        if "market" in ctx.tables:
            quotes = ctx.sql(QUOTES_SQL.format(market=ctx.tables["market"], as_of=as_of))
            curve = ctx.sql(CURVE_SQL.format(market=ctx.tables["market"], as_of=as_of))
        else:
            quotes = pa.table({"holding_id": [], "price": [], "yield_pct": []})
            curve = pa.table({"tenor_years": [], "yield_pct": []})
        _cache.clear()
        _cache[key] = (ctx.engine, holdings, value_portfolio(holdings, quotes, curve, as_of))
    _, holdings, figures = _cache[key]
    return holdings, figures


def _figure(metric: str, only_marketable: bool) -> Callable[[Any], pa.Table]:
    def function(ctx: Any) -> pa.Table:
        if not {"holdings", "funds"} <= set(ctx.tables):
            return pa.table(
                {
                    "key": pa.array([], pa.string()),
                    "entity_id": pa.array([], pa.string()),
                    "value": pa.array([], pa.float64()),
                }
            )
        holdings, figures = valued(ctx)
        keep = figures["marketable"] if only_marketable else np.ones(holdings.num_rows, bool)
        idx = np.flatnonzero(keep)
        return pa.table(
            {
                "key": pa.array(holdings.column("holding_id").take(idx).to_pylist(), pa.string()),
                "entity_id": pa.array(
                    holdings.column("entity_id").take(idx).to_pylist(), pa.string()
                ),
                "value": pa.array(np.round(figures[metric][idx], 6), pa.float64()),
            }
        )

    function.__doc__ = f"Pack function: {metric} per holding, for a sum indicator by entity."
    return function


FUNCTIONS: dict[str, Callable[[Any], pa.Table]] = {
    "funds_present_value": _figure("pv", False),
    "funds_bond_value": _figure("pv", True),
    "funds_unrealised": _figure("unrealised", True),
    "funds_bpv": _figure("bpv", True),
    **{f"funds_shock_{bp}": _figure(f"shock_{bp}", True) for bp in SHOCKS_BP},
}
