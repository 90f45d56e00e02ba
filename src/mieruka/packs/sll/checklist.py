"""The verifier's checklist for one loan and fiscal year: what to tick before signing.

One line per KPI with an SPT that year; each item is `ok` True / False, or None when it
does not apply (an indicator-fed KPI has no file reference to look for: its rows are in
the ledger). The items follow the domain rules, so an unticked item is exactly why an SPT
would be *not reported*: no report, a late report, a value that cannot be read for the
KPI's unit, no evidence, no verification by the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mieruka.packs.sll.achievement import KpiResult, meets
from mieruka.packs.sll.model import Loan

ITEMS = ("reported", "on_time", "readable", "evidence", "verified", "signed_in_ledger")


def _item(item: str, ok: bool | None, detail: str = "") -> dict[str, Any]:
    return {"item": item, "ok": ok, "detail": detail}


def kpi_checklist(loan: Loan, result: KpiResult) -> list[dict[str, Any]]:
    kpi = loan.kpi(result.kpi_id)
    assert kpi is not None
    obs = result.observation
    reported = obs is not None and obs.reported_on is not None
    on_time = reported and obs is not None and obs.reported_on <= result.deadline  # type: ignore[operator]
    readable = meets(kpi, result.value, result.target) is not None
    if kpi.indicator:
        ev = result.evidence
        evidence = _item(
            "evidence",
            bool(ev),
            f"run {ev['run']} ({ev['rows']} rows) — {ev['open_rows']}" if ev else "",
        )
    else:
        ref = obs.evidence_ref if obs else None
        evidence = _item("evidence", bool(ref), ref or "")
    sign = obs.signoff if obs else None
    if sign is None:
        signed = _item("signed_in_ledger", False, "")
    else:
        state = "" if sign.get("current") else " — stale: the content changed after signing"
        signed = _item(
            "signed_in_ledger",
            bool(sign.get("current")),
            f"{sign['by']} {sign['on']} {sign['verdict']}{state}",
        )
    who = f"{obs.verified_by or ''} {obs.verified_on or ''} {obs.verification or ''}" if obs else ""
    return [
        _item("reported", reported, str(obs.reported_on) if reported and obs else ""),
        _item("on_time", on_time if reported else False, f"≤ {result.deadline.isoformat()}"),
        _item("readable", readable, result.value or ""),
        evidence,
        _item("verified", result.verified, who.strip()),
        signed,
    ]


def checklist(loan: Loan, results: Sequence[KpiResult], fy: int) -> list[dict[str, Any]]:
    """One entry per KPI judged in `fy`: the items, and whether all are ticked."""
    out = []
    for r in results:
        if r.fiscal_year != fy:
            continue
        items = kpi_checklist(loan, r)
        out.append(
            {
                "kpi_id": r.kpi_id,
                "status": r.status,
                "items": items,
                "complete": all(i["ok"] is not False for i in items),
            }
        )
    return out
