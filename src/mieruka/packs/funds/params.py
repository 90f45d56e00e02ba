"""The levels the guideline leaves "to be notified separately", as workspace settings.

They live under `[packs.funds]` in `mieruka.toml`; every key has a documented default
(docs/packs/funds.md) and an unknown key is an error naming the closest one. Rule formulas
are SQL and see no settings, so the `funds.parameters` indicator publishes them as rows
(`name`, `value`) that rules join through `ind('funds.parameters')`. That keeps the rules
declarative and puts the levels a run used into the run itself, where `verify` finds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.packs.funds.ratings import BANDS, RANK, rank

DEFAULTS: dict[str, Any] = {
    # holdings acquired before this date by an affiliate are "legacy" (第2章第3-3)
    "policy_date": date(2013, 3, 21),
    "deposit_floor": 10_000_000,  # the deposit-insurance amount per bank (第2章第2-1-(1))
    "committee_threshold": 1_000_000_000,  # investments needing a committee (第2章第1-4)
    "fx_min_rating": "A-",  # (3) deposit bank, (11) issuer (第2章第2-1-(3)(11))
    "fx_min_annual_payments": 10_000_000,  # yen equivalent of a recurring need
    "fx_max_years_of_payments": 3,  # holdings at most this many years of payments
    "corporate_min_rating": "A-",  # (10) and domestic (13)
    "samurai_min_rating": "AA-",  # (12) and foreign (13)
    "corporate_max_years": {"AAA": 20, "AA": 10, "A": 5},
    "samurai_max_years": {"AAA": 10, "AA": 5},
    "operating_corporate_share": 0.5,  # (10)–(13) in an affiliate's investments (第2章第2-2-(2))
    "issuer_max_share": 0.1,  # one issuer of (10)–(13) in an entity's investments (第2章第2-4)
    "max_remaining_years": 20,  # (6)–(14) (第2章第2-5-(1))
    "ladder": {"over_5y": 0.7, "over_10y": 0.4},  # share of (6)–(14) maturing after N years
    "short_sale_days": 90,  # a sale within N days of the purchase (第2章第2-3-④)
    # events that force a revision of the yearly fund plan (第2章第1-3-(2))
    "plan_price_move": 0.05,  # ③ the marketable bonds' value moved by more than this share
    "plan_holding_price_move": 0.2,  # ④ one holding's price moved by more than this share
    "plan_funds_change": 0.2,  # ⑤ investments differ from the plan's investable amount
}

RATING_KEYS = ("fx_min_rating", "corporate_min_rating", "samurai_min_rating")
BAND_KEYS = ("corporate_max_years", "samurai_max_years")


def _fail(message: str, key: str, expected: str, found: object) -> MierukaError:
    return MierukaError(
        Issue(f"[packs.funds] {key}: {message}", expected=expected, found=str(found))
    )


def settings(options: Mapping[str, Any]) -> dict[str, Any]:
    """The workspace's settings over the defaults, checked; raises with every key named."""
    unknown = [k for k in options if k not in DEFAULTS]
    if unknown:
        raise MierukaError(
            [
                Issue(f"[packs.funds]: unknown setting '{k}'{did_you_mean(k, DEFAULTS)}")
                for k in unknown
            ]
        )
    merged = {**DEFAULTS, **options}
    for key in RATING_KEYS:
        try:
            rank(str(merged[key]))
        except ValueError as exc:
            raise _fail(str(exc), key, "a rating such as A- or AA", merged[key]) from None
    for key in (*BAND_KEYS, "ladder"):
        if not isinstance(merged[key], Mapping):
            raise _fail("must be a table", key, "e.g. {AAA = 20, AA = 10}", merged[key])
    for key in BAND_KEYS:
        bad = [b for b in merged[key] if b not in BANDS]
        if bad:
            raise _fail("unknown rating band", key, "AAA, AA, A or BBB", ", ".join(bad))
    for name in merged["ladder"]:
        if not (name.startswith("over_") and name.endswith("y") and name[5:-1].isdigit()):
            raise _fail("ladder steps are named over_<N>y", "ladder", "e.g. over_10y", name)
    if not isinstance(merged["policy_date"], date):
        raise _fail("must be a TOML date", "policy_date", "e.g. 2013-03-21", merged["policy_date"])
    return merged


def rows(options: Mapping[str, Any]) -> list[tuple[str, Decimal]]:
    """(name, value) rows: numbers as they are, ratings as ranks, dates as YYYYMMDD."""
    s = settings(options)
    out: list[tuple[str, Decimal]] = []
    for key, value in s.items():
        if key in RATING_KEYS:
            out.append((key, Decimal(rank(str(value)))))
        elif key in BAND_KEYS:
            out.extend((f"{key}:{band}", Decimal(str(v))) for band, v in value.items())
        elif key == "ladder":
            out.extend((f"ladder_over:{k[5:-1]}", Decimal(str(v))) for k, v in value.items())
        elif key == "policy_date":
            out.append((key, Decimal(value.strftime("%Y%m%d"))))
        else:
            out.append((key, Decimal(str(value))))
    out.extend((f"rating:{notation}", Decimal(r)) for notation, r in RANK.items())
    return out


def parameters_table(options: Mapping[str, Any]) -> pa.Table:
    data = rows(options)
    return pa.table(
        {
            "name": pa.array([n for n, _ in data], pa.string()),
            "value": pa.array([v for _, v in data], pa.decimal128(38, 6)),
        }
    )


def parameters(ctx: Any) -> pa.Table:
    """Pack function behind `funds.parameters`."""
    return parameters_table(ctx.options)
