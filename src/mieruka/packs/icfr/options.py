"""The `[packs.icfr]` options of `mieruka.toml` and their defaults, in one place.

Every threshold an auditor may want to argue about is an option rather than a constant, and
the values a run used are recorded in that run (indicator `icfr.je_settings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.packs.icfr.jetests import TESTS

SAMPLE_SIZES = {"annual": 1, "quarterly": 2, "monthly": 2, "weekly": 5, "daily": 25,
                "multiple_daily": 25, "on_demand": 25}  # fmt: skip
"""Common practice by control frequency (the domain page); `on_demand` treated like daily."""

DEFAULTS: dict[str, Any] = {
    "round_multiples": [1_000_000],
    "close_days": 10,
    "few_postings": 3,
    "seldom_account_lines": 3,
    "near_materiality_from": 0.9,
    "keywords": ["修正", "調整", "訂正", "仮", "取消"],
    "authorised_users": [],
    "weights": {t.name: t.weight for t in TESTS},
    "materiality_rate": 0.05,
    "normalised_pretax_income": None,
    "sample_sizes": SAMPLE_SIZES,
}


def resolved(options: Mapping[str, Any]) -> dict[str, Any]:
    """The defaults overlaid with the workspace's options; tables merge key by key."""
    out = dict(DEFAULTS)
    for key, value in options.items():
        if key in ("weights", "sample_sizes"):
            unknown = set(value) - set(DEFAULTS[key])
            if unknown:
                raise MierukaError(Issue(f"[packs.icfr] {key}: unknown name(s) {sorted(unknown)}",
                                         expected=", ".join(DEFAULTS[key])))  # fmt: skip
            out[key] = {**DEFAULTS[key], **value}
        else:
            out[key] = value
    return out


def settings_rows(options: Mapping[str, Any]) -> dict[str, float]:
    """The numeric settings the journal-entry rules read through ind('icfr.je_settings')."""
    opts = resolved(options)
    rows: dict[str, float] = {f"round_multiple_{m}": float(m) for m in opts["round_multiples"]}
    for name in ("close_days", "few_postings", "seldom_account_lines", "near_materiality_from"):
        rows[name] = float(opts[name])
    rows.update({f"weight_{name}": float(w) for name, w in opts["weights"].items()})
    return rows
