"""The SLLP five-component assessment sheet, pre-filled from the loan's data.

The LMA/APLMA/LSTA Sustainability-Linked Loan Principles (2023), followed by the Ministry
of the Environment guideline (2022), name five core components; a bank's second-opinion
report assesses each. The sheet writes down, for each component, the facts the data
already holds — KPI definitions and sources, SPT paths against the baseline and national
benchmarks, the ratchet and its yen range, reports received on time, verifications and
ledger sign-offs — and leaves the judgement (assessment, comment) to the bank's reviewer.
Nothing here decides conformity: a tool cannot judge materiality or ambition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.sll.achievement import ACHIEVED, MISSED, PENDING, KpiResult
from mieruka.packs.sll.benchmarks import Benchmark, for_kpi
from mieruka.packs.sll.kpivalue import parse_number
from mieruka.packs.sll.model import Kpi, Loan
from mieruka.packs.sll.ratchet import margin_path
from mieruka.packs.sll.report import MethodOf, method_text, no_method
from mieruka.packs.sll.schedule import schedule, totals
from mieruka.packs.sll.sllp_words import ASSESSMENTS, COMPARATOR, COMPONENTS, CRITERIA, FACTS
from mieruka.packs.sll.words import (
    bp_text,
    day_label,
    rate_text,
    signed,
    value_text,
    words,
    yen,
)


def _scenario(loan: Loan, status: str) -> tuple[Decimal | None, int]:
    """If every SPT were `status`: the largest yearly adjustment, and the life interest effect.

    "Largest" is the furthest from zero (a year with more KPIs moves the margin more when
    the basis is `each_kpi`); the effect is the whole schedule against the base rate.
    """
    results = [
        KpiResult(loan.loan_id, k, fy, "", t, None, status, loan.deadline(fy))
        for (k, fy), t in sorted(loan.spts.items(), key=lambda x: (x[0][1], x[0][0]))
    ]
    path = margin_path(loan, results)
    steps = [p.adjustment_bp for p in path if p.adjustment_bp is not None]
    bp = max(steps, key=abs) if steps else None
    return bp, totals(schedule(loan, path))["difference"]


def _benchmark_text(b: Benchmark, lang: str) -> str:
    return f"{b.label.get(lang)} {b.value}% ({b.year}; {b.source.get(lang)})"


def calibration(
    loan: Loan, results: Sequence[KpiResult], benchmarks: list[Benchmark], lang: str
) -> list[dict[str, Any]]:
    """One row per SPT: the target against the baseline and each benchmark, and the result."""
    by_key = {(r.kpi_id, r.fiscal_year): r for r in results}
    rows = []
    for kpi in loan.kpis:
        base = loan.baseline(kpi.kpi_id)
        base_n = parse_number(base.value) if base else None
        marks = for_kpi(benchmarks, kpi)
        for fy in loan.fiscal_years:
            if (kpi.kpi_id, fy) not in loan.spts:
                continue
            target = loan.spts[(kpi.kpi_id, fy)]
            goal = parse_number(target)
            r = by_key.get((kpi.kpi_id, fy))
            rows.append(
                {
                    "kpi_id": kpi.kpi_id,
                    "label": kpi.label,
                    "fiscal_year": fy,
                    "target": value_text(target, kpi.unit, lang),
                    "baseline": value_text(base.value, kpi.unit, lang) if base else "",
                    "baseline_fy": base.fiscal_year if base else None,
                    "vs_baseline": signed(goal - base_n, lang)
                    if goal is not None and base_n is not None
                    else "",
                    "benchmarks": [
                        {
                            "text": _benchmark_text(b, lang),
                            "value": str(b.value),
                            "vs": signed(goal - b.value, lang) if goal is not None else "",
                        }
                        for b in marks
                    ],
                    "value": value_text(r.value, kpi.unit, lang) if r else "",
                    "status": words(lang)[r.status] if r else "",
                }
            )
    return rows


def _kpi_facts(kpi: Kpi, benchmarks: list[Benchmark], lang: str, method_of: MethodOf) -> str:
    w = words(lang)
    marks = for_kpi(benchmarks, kpi)
    unit = {"pct": "%", "done": w["done"] + "/" + w["not_done"]}.get(kpi.unit, kpi.unit)
    parts = [
        f"{w['method']}: {method_text(kpi, lang, method_of)}",
        FACTS[lang]["unit"].format(unit=unit, comparator=COMPARATOR[lang][kpi.comparator]),
        f"{w['benchmark']}: " + ("; ".join(_benchmark_text(b, lang) for b in marks) or "—"),
    ]
    return "\n".join(parts)


def _spt_facts(loan: Loan, kpi: Kpi, cal: list[dict[str, Any]], lang: str) -> str:
    w = words(lang)
    mine = [c for c in cal if c["kpi_id"] == kpi.kpi_id]
    lines = []
    if mine and mine[0]["baseline"]:
        lines.append(f"{w['baseline']} FY{mine[0]['baseline_fy']}: {mine[0]['baseline']}")
    for c in mine:
        extra = f" ({w['vs_baseline']} {c['vs_baseline']}pt)" if c["vs_baseline"] else ""
        vs = "; ".join(f"{w['vs_benchmark']} {b['vs']}pt" for b in c["benchmarks"] if b["vs"])
        result = f" → {c['value']} {c['status']}" if c["value"] else ""
        lines.append(
            f"FY{c['fiscal_year']} {w['spt']} {c['target']}{extra}{'; ' + vs if vs else ''}{result}"
        )
    return "\n".join(lines)


def _reporting(loan: Loan, results: Sequence[KpiResult], lang: str) -> str:
    t = FACTS[lang]
    lines = [t["deadline"].format(days=loan.report_deadline_days)]
    for fy in loan.fiscal_years:
        mine = [r for r in results if r.fiscal_year == fy]
        on_time = sum(1 for r in mine if r.observation and r.observation.reported_on
                      and r.observation.reported_on <= r.deadline)  # fmt: skip
        late = sum(1 for r in mine if "late" in r.flags)
        due = sum(1 for r in mine if "no_report" in r.flags and r.status == PENDING)
        none = sum(1 for r in mine if "no_report" in r.flags) - due
        lines.append(t["reports"].format(
            fy=fy, deadline=day_label(loan.deadline(fy).isoformat(), lang), on_time=on_time,
            late=late, none=none, due=due, n=len(mine),
        ))  # fmt: skip
    return "\n".join(lines)


def _verification(loan: Loan, results: Sequence[KpiResult], lang: str) -> str:
    t = FACTS[lang]
    verifiers = sorted({r.observation.verified_by for r in results
                        if r.observation and r.observation.verified_by})  # fmt: skip
    lines = [t["verifiers"].format(names=", ".join(verifiers) or "—")]
    for fy in loan.fiscal_years:
        mine = [r for r in results if r.fiscal_year == fy]
        ok = sum(1 for r in mine if r.verified)
        signed_now = sum(1 for r in mine if r.observation and r.observation.signoff
                         and r.observation.signoff.get("current"))  # fmt: skip
        lines.append(t["verified"].format(fy=fy, ok=ok, n=len(mine), signed=signed_now))
    return "\n".join(lines)


def _evidence(loan: Loan, results: Sequence[KpiResult], lang: str) -> str:
    """Per KPI: where the verifier finds the rows (ledger run) or the borrower's documents."""
    lines = []
    for kpi in loan.kpis:
        mine = [r for r in results if r.kpi_id == kpi.kpi_id and r.observation]
        if kpi.indicator:
            runs = sorted({r.evidence["run"] for r in mine if r.evidence})
            where = ", ".join(f"mieruka evidence {run} {kpi.indicator}" for run in runs)
            lines.append(f"{kpi.kpi_id} ← {kpi.indicator}: {where or '—'}")
        else:
            refs = sum(1 for r in mine if r.observation and r.observation.evidence_ref)
            lines.append(f"{kpi.kpi_id}: {FACTS[lang]['documents']} {refs}/{len(mine)}")
    return "\n".join(lines)


def sllp_sheet(
    loan: Loan,
    as_of: date,
    results: Sequence[KpiResult],
    benchmarks: list[Benchmark],
    *,
    lang: str = "ja",
    method_of: MethodOf = no_method,
) -> dict[str, Any]:
    w, crit = words(lang), CRITERIA[lang]
    cal = calibration(loan, results, benchmarks, lang)
    best_bp, best = _scenario(loan, ACHIEVED)
    worst_bp, worst = _scenario(loan, MISSED)
    years = loan.fiscal_years
    missing = [fy for fy in range(loan.start_date.year - 1, loan.maturity_date.year + 1)
               if FiscalYear(fy, loan.start_month).end >= loan.start_date
               and loan.judgment_day(fy) < loan.maturity_date and fy not in years]  # fmt: skip
    t = FACTS[lang]
    timeline = "—"
    if years:
        timeline = t["timeline"].format(
            first=years[0], last=years[-1], n=len(years),
            start=loan.start_date.isoformat(), end=loan.maturity_date.isoformat(),
        ) + "\n" + (t["gaps"].format(years=", ".join(f"FY{y}" for y in missing))
                     if missing else t["no_gaps"])  # fmt: skip
    ratchet = (
        f"{w[loan.ratchet_mode]}; {w[loan.ratchet_basis]}; "
        f"{w['step'].format(bp=loan.ratchet_step_bp.normalize())}"
        + (
            f"; {w['cap'].format(bp=loan.ratchet_cap_bp.normalize())}"
            if loan.ratchet_cap_bp
            else ""
        )
        + f"; {w['judgment_date']} {loan.judgment_date}. {w['non_cumulative']}"
    )
    span = t["span"].format(
        base=rate_text(loan.base_rate_pct), best=bp_text(best_bp, lang), worst=bp_text(worst_bp, lang),
        best_yen=yen(best, lang), worst_yen=yen(worst, lang),
    )  # fmt: skip
    comps: list[list[tuple[str, str]]] = [
        [(crit["kpi"].format(label=k.label), _kpi_facts(k, benchmarks, lang, method_of))
         for k in loan.kpis],
        [*((crit["spt"].format(label=k.label), _spt_facts(loan, k, cal, lang)) for k in loan.kpis),
         (crit["timeline"], timeline)],
        [(crit["mechanism"], ratchet), (crit["range"], span)],
        [(crit["reporting"], _reporting(loan, results, lang))],
        [(crit["verification"], _verification(loan, results, lang)),
         (crit["evidence"], _evidence(loan, results, lang))],
    ]  # fmt: skip
    return {
        "kind": "sll.sllp_assessment",
        "lang": lang,
        "title": w["sllp_title"],
        "as_of": as_of.isoformat(),
        "loan": {
            "loan_id": loan.loan_id,
            "borrower": loan.borrower,
            "lender": loan.lender,
            "principal_text": yen(loan.principal, lang),
            "period_text": f"{day_label(loan.start_date.isoformat(), lang)} – "
            f"{day_label(loan.maturity_date.isoformat(), lang)}",
        },
        "assessments": list(ASSESSMENTS[lang]),
        "components": [
            {
                "no": i + 1,
                "name": COMPONENTS[lang][i],
                "rows": [
                    {"criterion": c, "facts": f, "assessment": "", "comment": ""} for c, f in rows
                ],
            }
            for i, rows in enumerate(comps)
        ],
        "calibration": cal,
        "scenarios": {
            "all_achieved_bp": None if best_bp is None else str(best_bp),
            "all_missed_bp": None if worst_bp is None else str(worst_bp),
            "all_achieved_life_yen": best,
            "all_missed_life_yen": worst,
        },
    }
