"""The borrower's annual SLL report for one fiscal year, as a plain model (JSON-ready).

What the SLLP asks a borrower to report at least yearly: each KPI's result against its
SPT, how the figure is calculated, what drove it, whether it was verified, and what the
result does to the margin. The renderers (`report_html`, `report_xlsx`) only lay this
model out, so the JSON, the HTML, the PDF and the XLSX always say the same thing.

Drivers are derived from the data, never invented: the change on the previous year (or
the baseline), the gap to the SPT, and — for a KPI fed by an indicator — the figure's
breakdown by its dimensions in the same run (e.g. by department).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from mieruka.packs.sll.achievement import KpiResult
from mieruka.packs.sll.checklist import checklist
from mieruka.packs.sll.kpivalue import parse_done, parse_number
from mieruka.packs.sll.model import Kpi, Loan, Observation
from mieruka.packs.sll.ratchet import YearAdjustment
from mieruka.packs.sll.schedule import Accrual
from mieruka.packs.sll.words import (
    bp_text,
    day_label,
    fy_label,
    rate_text,
    signed,
    target_text,
    value_text,
    words,
    yen,
)

MethodOf = Callable[[str], dict[str, str | None]]
BreakdownOf = Callable[[int, str], list[dict[str, Any]]]
VERDICT_WORD = {"passed": "passed", "failed": "failed", "pending": "verification_pending"}
BREAKDOWN_ROWS = 12  # drivers printed per indicator; the JSON keeps them all


def no_method(_indicator: str) -> dict[str, str | None]:
    return {}


def _no_breakdown(_run: int, _indicator: str) -> list[dict[str, Any]]:
    return []


def method_text(kpi: Kpi, lang: str, method_of: MethodOf) -> str:
    w = words(lang)
    if kpi.indicator is None:
        return w["borrower_reported"]
    found = method_of(kpi.indicator)
    note = found.get(lang) or found.get("ja" if lang == "en" else "en")
    label = found.get(f"label_{lang}") or kpi.indicator
    return f"{label} ({kpi.indicator})" + (f": {note}" if note else "")


def _drivers(
    kpi: Kpi, result: KpiResult, earlier: Observation | KpiResult | None, lang: str
) -> list[str]:
    w = words(lang)
    if result.value is None:
        return [w["no_value"]]
    if kpi.comparator == "done":
        done = parse_done(result.value)
        return [w["done_this_year" if done else "not_done_this_year"]] if done is not None else []
    out = []
    now = parse_number(result.value)
    before = parse_number(earlier.value) if earlier is not None else None
    if now is not None and before is not None:
        out.append(w["change_vs_previous"].format(delta=signed(now - before, lang)))
    goal = parse_number(result.target)
    if now is not None and goal is not None:
        out.append(w["gap_to_spt"].format(delta=signed(now - goal, lang)))
    return out


def _earlier(loan: Loan, results: Sequence[KpiResult], kpi_id: str, fy: int) -> Any:
    """The previous year's judged result, else its observation, else the baseline."""
    prev = next((r for r in results if r.kpi_id == kpi_id and r.fiscal_year == fy - 1), None)
    if prev is not None and prev.value is not None:
        return prev
    obs = loan.observations.get((kpi_id, fy - 1))
    return obs if obs is not None and obs.value else loan.baseline(kpi_id)


def _verification(result: KpiResult, lang: str) -> dict[str, Any]:
    w = words(lang)
    obs = result.observation
    sign = obs.signoff if obs else None
    return {
        "verified": result.verified,
        "text": w["verified"] if result.verified else w["unverified"],
        "by": obs.verified_by if obs else None,
        "on": obs.verified_on.isoformat() if obs and obs.verified_on else None,
        "verdict": obs.verification if obs else None,
        "verdict_text": VERDICT_WORD.get(obs.verification or "", "")
        and w[VERDICT_WORD[obs.verification or ""]]
        if obs
        else "",
        "signoff": sign,
    }


def _kpi_line(
    loan: Loan,
    kpi: Kpi,
    r: KpiResult,
    results: Sequence[KpiResult],
    lang: str,
    method_of: MethodOf,
    breakdown_of: BreakdownOf,
) -> dict[str, Any]:
    w = words(lang)
    earlier = _earlier(loan, results, kpi.kpi_id, r.fiscal_year)
    base = loan.baseline(kpi.kpi_id)
    breakdown = (
        breakdown_of(r.evidence["run"], kpi.indicator) if kpi.indicator and r.evidence else []
    )
    return {
        "kpi_id": kpi.kpi_id,
        "label": kpi.label,
        "unit": kpi.unit,
        "source": kpi.source,
        "comparator": kpi.comparator,
        "target": r.target,
        "target_text": target_text(kpi.comparator, r.target, kpi.unit, lang),
        "value": r.value,
        "value_text": value_text(r.value, kpi.unit, lang),
        "status": r.status,
        "status_text": w[r.status],
        "flags": list(r.flags),
        "flags_text": [w[f] for f in r.flags],
        "previous": earlier.value if earlier is not None else None,
        "previous_fy": earlier.fiscal_year if earlier is not None else None,
        "previous_text": value_text(earlier.value, kpi.unit, lang) if earlier is not None else "",
        "baseline": base.value if base else None,
        "baseline_fy": base.fiscal_year if base else None,
        "baseline_text": value_text(base.value, kpi.unit, lang) if base else "",
        "method": method_text(kpi, lang, method_of),
        "drivers": _drivers(kpi, r, earlier, lang),
        "breakdown": breakdown,
        "breakdown_shown": breakdown[:BREAKDOWN_ROWS],
        "verification": _verification(r, lang),
        "evidence_ref": r.observation.evidence_ref if r.observation else None,
        "indicator_evidence": r.evidence or None,
        "deadline": r.deadline.isoformat(),
    }


def _margin(
    loan: Loan, fy: int, path: Sequence[YearAdjustment], rows: Sequence[Accrual], lang: str
) -> dict[str, Any]:
    step = next((p for p in path if p.fiscal_year == fy), None)
    prev = next((p for p in path if p.fiscal_year == fy - 1), None)
    w = words(lang)
    out: dict[str, Any] = {
        "judged": step is not None,
        "adjustment_bp": None,
        "adjustment_text": w["undecided"],
        "previous_bp": None
        if prev is None or prev.adjustment_bp is None
        else str(prev.adjustment_bp),
        "previous_text": bp_text(prev.adjustment_bp, lang) if prev else "",
        "effective_from": None,
        "effective_to": None,
        "rate_pct": None,
        "rate_text": None,
        "effect_yen": None,
        "effect_text": "",
        "life_effect_yen": sum(r.difference for r in rows),
        "life_effect_text": yen(sum(r.difference for r in rows), lang),
    }
    if step is None:  # judged on or after maturity: the result moves no interest
        out["adjustment_text"] = w["after_maturity"]
        return out
    mine = [r for r in rows if step.effective_from <= r.start < step.effective_to]
    effect = sum(r.difference for r in mine) if step.adjustment_bp is not None else None
    rate = (
        max(Decimal(0), loan.base_rate_pct + step.adjustment_bp / 100)
        if step.adjustment_bp is not None
        else None
    )
    out.update(
        adjustment_bp=None if step.adjustment_bp is None else str(step.adjustment_bp),
        adjustment_text=bp_text(step.adjustment_bp, lang),
        effective_from=step.effective_from.isoformat(),
        effective_to=step.effective_to.isoformat(),
        rate_pct=None if rate is None else str(rate),
        rate_text=None if rate is None else rate_text(rate),
        effect_yen=effect,
        effect_text=yen(effect, lang),
    )
    return out


def _spt_path(loan: Loan, results: Sequence[KpiResult], lang: str) -> dict[str, Any]:
    years = loan.fiscal_years
    by_key = {(r.kpi_id, r.fiscal_year): r for r in results}
    rows = []
    for kpi in loan.kpis:
        cells = []
        for fy in years:
            r = by_key.get((kpi.kpi_id, fy))
            cells.append(
                {
                    "fiscal_year": fy,
                    "target": value_text(r.target, kpi.unit, lang) if r else "",
                    "value": value_text(r.value, kpi.unit, lang) if r else "",
                    "status": r.status if r else None,
                    "status_text": words(lang)[r.status] if r else "",
                }
            )
        base = loan.baseline(kpi.kpi_id)
        rows.append(
            {
                "kpi_id": kpi.kpi_id,
                "label": kpi.label,
                "baseline": value_text(base.value, kpi.unit, lang) if base else "",
                "baseline_fy": base.fiscal_year if base else None,
                "cells": cells,
            }
        )
    return {"years": years, "rows": rows}


def annual_report(
    loan: Loan,
    fy: int,
    as_of: date,
    results: Sequence[KpiResult],
    path: Sequence[YearAdjustment],
    rows: Sequence[Accrual],
    *,
    lang: str = "ja",
    method_of: MethodOf = no_method,
    breakdown_of: BreakdownOf = _no_breakdown,
) -> dict[str, Any]:
    """The report model for fiscal year `fy` of one loan, in `lang` (ja or en)."""
    w = words(lang)
    mine = [r for r in results if r.fiscal_year == fy]
    kpis = []
    for r in mine:
        kpi = loan.kpi(r.kpi_id)
        assert kpi is not None
        kpis.append(_kpi_line(loan, kpi, r, results, lang, method_of, breakdown_of))
    checks = checklist(loan, results, fy)
    for entry in checks:
        for item in entry["items"]:
            item["label"] = w[item["item"]]
            item["mark"] = w["na" if item["ok"] is None else "ok" if item["ok"] else "ng"]
    ratchet = [w[loan.ratchet_mode], w[loan.ratchet_basis],
               w["step"].format(bp=loan.ratchet_step_bp.normalize())]  # fmt: skip
    if loan.ratchet_cap_bp is not None:
        ratchet.append(w["cap"].format(bp=loan.ratchet_cap_bp.normalize()))
    return {
        "kind": "sll.annual_report",
        "lang": lang,
        "title": w["report_title"],
        "as_of": as_of.isoformat(),
        "fiscal_year": fy,
        "fiscal_year_text": fy_label(fy, lang, loan.start_month),
        "deadline": loan.deadline(fy).isoformat(),
        "deadline_text": day_label(loan.deadline(fy).isoformat(), lang),
        "judgment_day": loan.judgment_day(fy).isoformat(),
        "judgment_day_text": day_label(loan.judgment_day(fy).isoformat(), lang),
        "loan": {
            "loan_id": loan.loan_id,
            "borrower": loan.borrower,
            "lender": loan.lender,
            "principal": loan.principal,
            "principal_text": yen(loan.principal, lang),
            "start_date": loan.start_date.isoformat(),
            "maturity_date": loan.maturity_date.isoformat(),
            "period_text": f"{day_label(loan.start_date.isoformat(), lang)} – "
            f"{day_label(loan.maturity_date.isoformat(), lang)}",
            "base_rate_pct": str(loan.base_rate_pct),
            "base_rate_text": rate_text(loan.base_rate_pct),
            "ratchet_text": "、".join(ratchet) if lang == "ja" else "; ".join(ratchet),
        },
        "kpis": kpis,
        "spt_path": _spt_path(loan, results, lang),
        "margin": _margin(loan, fy, path, rows, lang),
        "checklist": checks,
    }
