"""What the holdings of a plan date pay in each of the next fiscal years, held to maturity.

For the yearly fund plan (ch.2 §1-3): coupons and interest receivable and redemptions due,
per holding and fiscal year, assuming nothing is sold or reinvested.
- Yen coupon bonds (6–13, JPY, a coupon and a frequency): each coupon date of the backward
  schedule (`bondmath.schedule`) on or after the plan date pays face × C ÷ f; the face is redeemed
  at maturity. A short first coupon is counted as a full one.
- Every other holding with a rate (deposits, repos, trusts, foreign-currency bonds, whose
  face is not in yen): simple interest on book value, book × rate × days held in the year ÷ 365,
  and the book value back at maturity. Without a maturity it earns for the whole horizon.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.funds import bondmath as bm


def year_ends(first_fy: int, years: int, start_month: int) -> list[tuple[date, date]]:
    out = []
    for fy in range(first_fy, first_fy + years):
        y = FiscalYear(fy, start_month)
        out.append((y.start, y.end))
    return out


def _bond_mask(holdings: pa.Table) -> np.ndarray:
    kind = np.asarray(holdings.column("instrument_type").to_pylist())
    coupon = np.asarray(
        [c if c is not None else np.nan for c in holdings.column("coupon").to_pylist()], float
    )
    freq = np.asarray(holdings.column("freq").to_pylist())
    currency = np.asarray(holdings.column("currency").to_pylist())
    has_maturity = np.asarray([m is not None for m in holdings.column("maturity_date").to_pylist()])
    return (
        (kind >= 6)
        & (kind <= 13)
        & (currency == "JPY")
        & ~np.isnan(coupon)
        & (freq > 0)
        & has_maturity
    )


def flows_by_year(
    holdings: pa.Table, plan_date: date, first_fy: int, years: int, start_month: int
) -> dict[str, np.ndarray]:
    """Arrays holdings × years: `coupons` (bond coupons), `interest` (other holdings),
    `redemptions` (principal back) and `outstanding` (book value still held at each year end)."""
    n = holdings.num_rows
    spans = year_ends(first_fy, years, start_month)
    out = {k: np.zeros((n, years)) for k in ("coupons", "interest", "redemptions", "outstanding")}
    if n == 0:
        return out
    face = np.asarray(holdings.column("face").to_pylist(), float)
    book = np.asarray(holdings.column("book").to_pylist(), float)
    rate = np.nan_to_num(
        np.asarray(
            [c if c is not None else np.nan for c in holdings.column("coupon").to_pylist()], float
        )
    )
    freq = np.asarray(holdings.column("freq").to_pylist(), np.int64)
    horizon_end = spans[-1][1]
    maturity_list = holdings.column("maturity_date").to_pylist()
    maturity = np.array(
        [m or (horizon_end + timedelta(days=1)) for m in maturity_list], "datetime64[D]"
    )
    bond = _bond_mask(holdings)
    edges = np.array([s for s, _ in spans] + [horizon_end + timedelta(days=1)], "datetime64[D]")
    # redemptions and what is still held at each year end
    year_of_maturity = np.searchsorted(edges, maturity, side="right") - 1
    principal = np.where(bond, face, book)
    for k in range(years):
        matures = (year_of_maturity == k) & np.array([m is not None for m in maturity_list])
        out["redemptions"][:, k] = np.where(matures, principal, 0.0)
        out["outstanding"][:, k] = np.where(maturity > edges[k + 1] - 1, book, 0.0)
    # coupons of yen bonds on each schedule date after the plan date
    idx = np.flatnonzero(bond)
    if idx.size:
        settle = np.full(idx.size, np.datetime64(plan_date - timedelta(days=1), "D"))
        dates, _, _ = bm.schedule(settle, maturity[idx], freq[idx])
        slot = np.searchsorted(edges, dates, side="right") - 1  # NaT sorts last: slot = years
        pay = face[idx] * rate[idx] / 100.0 / freq[idx]
        for k in range(years):
            hits = ((slot == k) & ~np.isnat(dates)).sum(axis=1)
            out["coupons"][idx, k] = hits * pay
    # simple interest on book for everything else with a rate
    other = np.flatnonzero(~bond & (rate > 0))
    if other.size:
        start = np.datetime64(plan_date, "D")
        for k in range(years):
            lo = np.maximum(edges[k], start)
            hi = np.minimum(edges[k + 1], maturity[other])
            days = np.maximum((hi - lo).astype(np.int64), 0)
            out["interest"][other, k] = book[other] * rate[other] / 100.0 * days / 365.0
    return out
