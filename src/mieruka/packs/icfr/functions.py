"""Pack functions: the journal-entry tests' parameters, materiality and the Benford tests.

The parameters are figures (aggregate `value`, one row per item) so that SQL rules can read
them with ind('…') and each run records the exact lists and thresholds it applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import jpholiday
import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
from mieruka.packs.icfr import benford
from mieruka.packs.icfr.options import resolved, settings_rows


def _items(dim: str, items: list[str], values: list[float] | None = None) -> pa.Table:
    vals = values if values is not None else [1.0] * len(items)
    return pa.table({dim: pa.array(items, pa.string()), "value": pa.array(vals, pa.float64())})


def je_settings(ctx: Context) -> pa.Table:
    rows = settings_rows(ctx.options)
    return _items("setting", list(rows), list(rows.values()))


def je_holidays(ctx: Context) -> pa.Table:
    """Holidays from the year before the fiscal year to the year after it (late postings)."""
    fy = ctx.period.fiscal_year
    days = [(d, n) for y in range(fy - 1, fy + 3) for d, n in jpholiday.year_holidays(y)]
    return _items("holiday", [f"{d.isoformat()} {n}" for d, n in sorted(days)])


def je_keywords(ctx: Context) -> pa.Table:
    return _items("keyword", [str(k) for k in resolved(ctx.options)["keywords"]])


def je_authorised_users(ctx: Context) -> pa.Table:
    return _items("user_id", [str(u) for u in resolved(ctx.options)["authorised_users"]])


def pretax_income(ctx: Context) -> int | None:
    table = ctx.tables.get("locations")
    if table is None:
        return None
    fy = ctx.period.fiscal_year
    rows = ctx.sql(f"SELECT sum(pretax_income) AS s FROM {table} WHERE fiscal_year = {fy}")
    total = rows.column("s")[0].as_py()
    return None if total is None else int(total)


def materiality_amount(options: dict[str, Any], income: int | None) -> float | None:
    """About 5% of consolidated pre-tax income, or of a normalised figure when configured
    (used when the year's income is abnormally small or a loss)."""
    opts = resolved(options)
    base = opts["normalised_pretax_income"] or income
    return None if base is None else float(base) * float(opts["materiality_rate"])


def materiality(ctx: Context) -> pa.Table:
    value = materiality_amount(dict(ctx.options), pretax_income(ctx))
    return pa.table({"value": pa.array([value], pa.float64())})


AMOUNTS = """SELECT abs(coalesce(debit, 0) - coalesce(credit, 0)) AS amount
FROM {table} WHERE effective_date BETWEEN DATE '{start}' AND DATE '{end}'"""


def _two_digit_counts(ctx: Context) -> dict[int, int]:
    """Lines per leading two digits (10–99) of the year's amounts ≥ 10, read once per run:
    the first-digit test sums them by their first digit."""
    p = ctx.period
    amounts = AMOUNTS.format(table=ctx.tables["journal_entries"], start=_iso(p.start),
                             end=_iso(p.end))  # fmt: skip

    def count() -> dict[int, int]:
        return {int(d): int(n) for d, n in ctx.engine.rows(benford.counts_sql(amounts, 2))}

    return once(ctx, "benford_two_digits", count)


def _benford(ctx: Context, digits: int) -> pa.Table:
    counts = _two_digit_counts(ctx)
    if digits == 1:
        firsts: dict[int, int] = {}
        for d, n in counts.items():
            firsts[d // 10] = firsts.get(d // 10, 0) + n
        counts = firsts
    r = benford.analyse(counts, digits)
    if r.n == 0:
        return _items("measure", [None], [None])  # type: ignore[list-item]
    measures = {None: r.mad, "chi_square": r.chi_square, "df": r.df, "p_value": r.p_value,
                "n": r.n, "conformity_band": benford.BAND_CODE[r.conformity]}  # fmt: skip
    return _items("measure", list(measures), [float(v) for v in measures.values()])  # type: ignore[arg-type]


def _iso(d: date) -> str:
    return d.isoformat()


FUNCTIONS = {
    "icfr_je_settings": je_settings,
    "icfr_je_holidays": je_holidays,
    "icfr_je_keywords": je_keywords,
    "icfr_je_authorised_users": je_authorised_users,
    "icfr_materiality": materiality,
    "icfr_benford_first": lambda ctx: _benford(ctx, 1),
    "icfr_benford_first_two": lambda ctx: _benford(ctx, 2),
}
