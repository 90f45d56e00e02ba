"""Deficiency evaluation: impact × likelihood, compensating controls, aggregation, verdict.

Each deficiency's impact = potential misstatement × likelihood factor, reduced when its
compensating control was tested effective in the year. Impacts are summed per (account,
assertion, location); a group reaching materiality makes every deficiency in it a
開示すべき重要な不備 (material weakness). A deficiency remediated and re-tested without
deviation on or before the assessment date is not reported. Entity-level and IT-general
deficiencies are flagged for qualitative judgment: the numbers cannot weigh them. Every
verdict carries its reasoning as sentences, because the report must state why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DEFICIENCY = "不備"
MATERIAL_WEAKNESS = "開示すべき重要な不備"
NOT_REPORTED = "報告対象外（評価時点までに是正）"
LIKELIHOOD = {"remote": 0.0, "reasonably_possible": 0.5, "probable": 1.0}
COMPENSATING_REDUCTION = 0.5


@dataclass
class Finding:
    deficiency_id: str
    impact: float
    classification: str = DEFICIENCY
    groups: list[tuple[str, str, str]] = field(default_factory=list)
    judgment: bool = False  # entity-level or IT-general: weigh qualitatively
    reasons: list[str] = field(default_factory=list)


def _yen(x: float) -> str:
    return f"{round(x):,}円"


def _effective(control: str, tests: list[dict[str, Any]], fy: int, on: date) -> bool | None:
    """Whether the control's latest operating/retest test of the year found no deviation."""
    done = [t for t in tests if t["control_id"] == control and t["fiscal_year"] == fy
            and t["phase"] in ("operating", "retest") and t["tested_on"] <= on]  # fmt: skip
    if not done:
        return None
    return (max(done, key=lambda t: t["tested_on"])["deviations"] or 0) == 0


def _retested(d: dict[str, Any], tests: list[dict[str, Any]], on: date) -> bool:
    fixed = d["remediated_on"]
    return any(t["control_id"] == d["control_id"] and t["phase"] == "retest"
               and fixed <= t["tested_on"] <= on and (t["deviations"] or 0) == 0
               for t in tests)  # fmt: skip


def _impact(f: Finding, d: dict[str, Any], tests: list[dict[str, Any]], fy: int, on: date,
            opts: Mapping[str, Any]) -> float:  # fmt: skip
    factors = {**LIKELIHOOD, **opts.get("likelihood_factors", {})}
    likelihood = d["likelihood"] or "probable"
    amount = float(d["potential_misstatement"] or 0)
    impact = amount * factors[likelihood]
    f.reasons.append(f"潜在的な虚偽記載額 {_yen(amount)} × 発生可能性（{likelihood}）"
                     f"{factors[likelihood]:g} = {_yen(impact)}")  # fmt: skip
    comp = d["compensating_control_id"]
    if comp:
        ok = _effective(comp, tests, fy, on)
        if ok:
            cut = float(opts.get("compensating_reduction", COMPENSATING_REDUCTION))
            impact *= 1 - cut
            f.reasons.append(f"補完統制 {comp} が有効（運用評価で逸脱なし）のため影響額を"
                             f"{cut:.0%}減額 → {_yen(impact)}")  # fmt: skip
        else:
            f.reasons.append(f"補完統制 {comp} は{'有効でない' if ok is False else '未評価'}"
                             "ため減額しない")  # fmt: skip
    return impact


def evaluate_deficiencies(
    deficiencies: list[dict[str, Any]], controls: list[dict[str, Any]],
    processes: list[dict[str, Any]], tests: list[dict[str, Any]], fy: int,
    assessment_date: date, materiality: float, options: Mapping[str, Any] | None = None,
) -> tuple[list[Finding], dict[tuple[str, str, str], float]]:  # fmt: skip
    """Findings for the fiscal year's deficiencies and the aggregated impact per group."""
    opts = options or {}
    ctl = {c["control_id"]: c for c in controls}
    loc = {p["process_id"]: p["location_id"] or "-" for p in processes}
    findings: list[Finding] = []
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for d in sorted((d for d in deficiencies if d["fiscal_year"] == fy),
                    key=lambda d: d["deficiency_id"]):  # fmt: skip
        f = Finding(d["deficiency_id"], 0.0)
        findings.append(f)
        if d["remediated_on"] is not None and d["remediated_on"] <= assessment_date:
            if _retested(d, tests, assessment_date):
                f.classification = NOT_REPORTED
                f.reasons.append(f"{d['remediated_on']} に是正され、評価時点 {assessment_date} "
                                 "までの再評価で逸脱がないため報告しない")  # fmt: skip
                continue
            f.reasons.append(f"{d['remediated_on']} に是正とされるが、評価時点までに逸脱なしの"
                             "再評価がないため、是正されていないものとして扱う")  # fmt: skip
        control = ctl.get(d["control_id"] or "", {})
        f.impact = _impact(f, d, tests, fy, assessment_date, opts)
        if d["entity_level"] or control.get("nature") == "itgc":
            f.judgment = True
            f.reasons.append("全社的な内部統制またはIT全般統制の不備: 業務プロセスへの影響を"
                             "質的に検討すること（金額だけでは判断しない）")  # fmt: skip
        assertions = [a.strip() for a in (control.get("assertions") or "").split(";")
                      if a.strip()] or ["-"]  # fmt: skip
        where = loc.get(control.get("process_id") or "", "-")
        for a in assertions:
            group = (d["account_code"] or "-", a, where)
            f.groups.append(group)
            totals[group] += f.impact
    for f in findings:
        if f.classification == NOT_REPORTED:
            continue
        worst = max(f.groups, key=lambda g: totals[g], default=None)
        if worst is not None and totals[worst] >= materiality:
            f.classification = MATERIAL_WEAKNESS
        verb = "以上" if f.classification == MATERIAL_WEAKNESS else "未満"
        if worst is not None:
            f.reasons.append(f"科目 {worst[0]}・アサーション {worst[1]}・拠点 {worst[2]} の影響額合計 "
                             f"{_yen(totals[worst])} は重要性の基準値 {_yen(materiality)} {verb}"
                             f" → {f.classification}")  # fmt: skip
    return findings, dict(totals)
