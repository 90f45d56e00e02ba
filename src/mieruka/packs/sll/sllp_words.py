"""The words of the SLLP assessment sheet: components, criteria and pre-filled facts (ja/en).

Component names and criteria follow the LMA/APLMA/LSTA Sustainability-Linked Loan
Principles (2023) and the Ministry of the Environment guideline (2022).
"""

from __future__ import annotations

ASSESSMENTS = {
    "ja": ("適合", "一部適合", "不適合", "該当なし"),
    "en": ("conforms", "partly", "does not conform", "n/a"),
}

COMPONENTS = {
    "ja": (
        "KPIの選定",
        "SPTの設定（キャリブレーション）",
        "ローンの特性",
        "レポーティング",
        "検証",
    ),
    "en": (
        "Selection of KPIs",
        "Calibration of SPTs",
        "Loan characteristics",
        "Reporting",
        "Verification",
    ),
}

CRITERIA = {
    "ja": {
        "kpi": "{label}：借入人の事業に関連し中核的・マテリアルか、測定可能か、ベンチマーク可能か",
        "spt": "{label}：基準年度・ベンチマークを上回る野心的な水準か（BAUを超えるか）",
        "timeline": "SPTの期間・水準が契約前に定められ、各判定年度を網羅しているか",
        "mechanism": "貸出条件（金利）がSPTの達成状況に連動しているか",
        "range": "金利調整の幅と借入期間全体への影響",
        "reporting": "少なくとも年1回、貸付人に（可能なら公に）報告されているか",
        "verification": "少なくとも年1回、独立した外部検証を受けているか",
        "evidence": "検証者が算出根拠（明細）を確認できるか",
    },
    "en": {
        "kpi": "{label}: relevant, core and material to the business; measurable; benchmarkable?",
        "spt": "{label}: ambitious beyond the baseline and benchmarks (beyond business as usual)?",
        "timeline": "SPTs and their timeline fixed before signing, covering every judged year?",
        "mechanism": "Do the loan's terms (margin) move with SPT performance?",
        "range": "Size of the margin adjustment and its effect over the loan's life",
        "reporting": "Reported at least yearly to the lender (and publicly where possible)?",
        "verification": "Independently verified at least yearly?",
        "evidence": "Can the verifier open the rows behind each figure?",
    },
}


COMPARATOR = {
    "ja": {">=": "SPT以上で達成", "<=": "SPT以下で達成", "done": "実施で達成"},
    "en": {
        ">=": "met at or above the SPT",
        "<=": "met at or below the SPT",
        "done": "met when done",
    },
}
FACTS = {
    "ja": {
        "unit": "単位 {unit}、{comparator}",
        "deadline": "報告期限：年度末から{days}日",
        "reports": "{fy}年度（期限 {deadline}）：期限内 {on_time}、期限後 {late}、未報告 {none}、期限前 {due} ／ {n}件",
        "verifiers": "検証者：{names}",
        "verified": "{fy}年度：期限内に検証合格 {ok}／{n}件、台帳への署名 {signed}件",
        "timeline": "SPT {first}–{last}年度（{n}年度分）、借入期間 {start} – {end}",
        "gaps": "SPTのない判定年度：{years}",
        "no_gaps": "満期前の各判定日にSPTあり",
        "span": "基準金利 {base}、1年あたり {best} … {worst}、借入期間全体：全SPT達成 {best_yen}、全SPT未達 {worst_yen}",
        "documents": "根拠資料（借入人の提出資料：evidence_ref）",
    },
    "en": {
        "unit": "unit {unit}, {comparator}",
        "deadline": "reporting deadline: fiscal year end + {days} days",
        "reports": "FY{fy} (deadline {deadline}): on time {on_time}, late {late}, missing {none}, not yet due {due} / {n}",
        "verifiers": "verifiers: {names}",
        "verified": "FY{fy}: verified passed by the deadline {ok}/{n}, ledger sign-offs {signed}",
        "timeline": "SPTs FY{first}–FY{last} ({n} years); term {start} – {end}",
        "gaps": "judged years without SPTs: {years}",
        "no_gaps": "every judgment date before maturity has SPTs",
        "span": "base rate {base}; per year {best} … {worst}; over the life: every SPT met {best_yen}, every SPT missed {worst_yen}",
        "documents": "borrower's documents (evidence_ref)",
    },
}
