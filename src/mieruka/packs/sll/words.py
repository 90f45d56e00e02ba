"""Japanese and English words of the SLL documents (annual report, checklist, SLLP sheet).

One table per language so that a missing translation is a KeyError in the tests, not a
blank cell in a borrower's report.
"""

from __future__ import annotations

from decimal import Decimal

from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.japan.yen import format_yen
from mieruka.packs.sll.kpivalue import parse_done, parse_number

LANGS = ("ja", "en")

WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "report_title": "サステナビリティ・リンク・ローン 年次報告書",
        "sllp_title": "サステナビリティ・リンク・ローン原則（SLLP）適合性評価シート",
        "checklist_title": "検証チェックリスト",
        "loan": "ローン",
        "borrower": "借入人",
        "lender": "貸付人",
        "principal": "借入金額",
        "period": "借入期間",
        "base_rate": "基準金利（SLL調整前）",
        "ratchet": "金利調整",
        "fiscal_year": "対象年度",
        "deadline": "報告・検証期限",
        "judgment_date": "判定日（適用開始日）",
        "as_of": "基準日",
        "kpi": "KPI",
        "spt": "SPT",
        "value": "実績",
        "status": "判定",
        "flags": "注記",
        "baseline": "基準年度実績",
        "previous": "前年度実績",
        "method": "算出方法",
        "drivers": "増減要因",
        "verification": "検証",
        "evidence": "根拠資料",
        "kpi_performance": "KPIの実績とSPTの達成状況",
        "spt_path": "SPTの推移（年度別）",
        "margin_effect": "金利への影響",
        "adjustment": "調整幅",
        "previous_adjustment": "前年度の判定による調整幅",
        "applies": "適用期間",
        "rate": "適用金利",
        "effect": "適用期間の利息への影響（基準金利比）",
        "life_effect": "借入期間全体の影響（判定済み年度のみ）",
        "undecided": "未確定",
        "after_maturity": "判定日が満期以降のため金利への影響なし",
        "non_cumulative": "調整は累積せず、各年度の判定が前年度の調整を置き換えます。",
        "yen_note": "金額は円（円未満切捨て）。△は減少（利息の軽減）。",
        "breakdown": "内訳",
        "indicator_run": "指標の算出（台帳）",
        "open_rows": "明細の確認",
        "borrower_reported": "借入人による報告値",
        "item": "確認項目",
        "result": "結果",
        "detail": "内容",
        "complete": "完了",
        "incomplete": "未完了",
        "ok": "○",
        "ng": "×",
        "na": "－",
        "reported": "報告を受領している",
        "on_time": "報告期限内に受領している",
        "readable": "報告値がKPIの単位で読み取れる",
        "signed_in_ledger": "検証者の署名が台帳に記録されている",
        "verified": "検証済み（期限内・合格）",
        "unverified": "未検証",
        "achieved": "達成",
        "missed": "未達",
        "not_reported": "未報告",
        "pending": "判定前",
        "no_report": "報告なし",
        "late": "期限後の報告",
        "verification_failed": "検証不合格",
        "no_indicator_figure": "指標の算出結果なし",
        "signoff_stale": "署名後に内容が変更",
        "passed": "合格",
        "verification_pending": "検証中",
        "failed": "不合格",
        "done": "実施",
        "not_done": "未実施",
        "change_vs_previous": "前年度比 {delta}pt",
        "gap_to_spt": "SPTとの差 {delta}pt",
        "done_this_year": "当年度は実施",
        "not_done_this_year": "当年度は未実施",
        "no_value": "実績値なし",
        "symmetric": "達成で引下げ・未達で引上げ",
        "discount_only": "達成で引下げのみ",
        "premium_only": "未達で引上げのみ",
        "each_kpi": "KPIごとに1段階（合算）",
        "all_kpis": "全KPI達成で1段階",
        "step": "1段階 {bp}bp",
        "cap": "上限 {bp}bp",
        "component": "構成要素",
        "criterion": "評価の観点",
        "facts": "データからの事前記入",
        "assessment": "評価（審査担当者）",
        "comment": "コメント（審査担当者）",
        "reviewer_note": "黄色の欄を審査担当者が記入してください。",
        "calibration": "SPTの水準（基準年度・ベンチマーク比）",
        "benchmark": "ベンチマーク",
        "source": "出典",
        "vs_baseline": "基準年度比",
        "vs_benchmark": "ベンチマーク比",
        "generated": "作成",
        "page": "頁",
    },
    "en": {
        "report_title": "Sustainability-linked loan — annual report",
        "sllp_title": "Sustainability-Linked Loan Principles (SLLP) assessment sheet",
        "checklist_title": "Verification checklist",
        "loan": "Loan",
        "borrower": "Borrower",
        "lender": "Lender",
        "principal": "Principal",
        "period": "Term",
        "base_rate": "Base rate (before SLL adjustment)",
        "ratchet": "Margin ratchet",
        "fiscal_year": "Fiscal year",
        "deadline": "Reporting and verification deadline",
        "judgment_date": "Judgment date (adjustment starts)",
        "as_of": "As of",
        "kpi": "KPI",
        "spt": "SPT",
        "value": "Result",
        "status": "Status",
        "flags": "Notes",
        "baseline": "Baseline",
        "previous": "Previous year",
        "method": "Calculation method",
        "drivers": "Drivers",
        "verification": "Verification",
        "evidence": "Evidence",
        "kpi_performance": "KPI performance against the SPTs",
        "spt_path": "SPTs by fiscal year",
        "margin_effect": "Effect on the margin",
        "adjustment": "Adjustment",
        "previous_adjustment": "Adjustment from the previous year's judgment",
        "applies": "Applies",
        "rate": "All-in rate",
        "effect": "Interest effect over that period (vs. base rate)",
        "life_effect": "Effect over the loan's life (judged years only)",
        "undecided": "undecided",
        "after_maturity": "none: the judgment date falls on or after maturity",
        "non_cumulative": "Adjustments do not accumulate: each year's judgment replaces the previous one.",
        "yen_note": "Amounts in yen (fractions truncated). Negative = interest saved.",
        "breakdown": "Breakdown",
        "indicator_run": "Indicator run (ledger)",
        "open_rows": "Open the rows",
        "borrower_reported": "Reported by the borrower",
        "item": "Check",
        "result": "Result",
        "detail": "Detail",
        "complete": "complete",
        "incomplete": "incomplete",
        "ok": "yes",
        "ng": "no",
        "na": "n/a",
        "reported": "Report received",
        "on_time": "Received by the deadline",
        "readable": "Value readable in the KPI's unit",
        "signed_in_ledger": "Verifier's sign-off recorded in the ledger",
        "verified": "Verified (passed, by the deadline)",
        "unverified": "unverified",
        "achieved": "achieved",
        "missed": "missed",
        "not_reported": "not reported",
        "pending": "pending",
        "no_report": "no report",
        "late": "late report",
        "verification_failed": "verification failed",
        "no_indicator_figure": "no indicator figure",
        "signoff_stale": "content changed after sign-off",
        "passed": "passed",
        "verification_pending": "pending",
        "failed": "failed",
        "done": "done",
        "not_done": "not done",
        "change_vs_previous": "{delta} pt on the previous year",
        "gap_to_spt": "{delta} pt against the SPT",
        "done_this_year": "done this year",
        "not_done_this_year": "not done this year",
        "no_value": "no value",
        "symmetric": "down when achieved, up when missed",
        "discount_only": "down when achieved only",
        "premium_only": "up when missed only",
        "each_kpi": "one step per KPI, summed",
        "all_kpis": "one step when every SPT is met",
        "step": "step {bp} bp",
        "cap": "cap {bp} bp",
        "component": "Component",
        "criterion": "Criterion",
        "facts": "Pre-filled from the data",
        "assessment": "Assessment (reviewer)",
        "comment": "Comment (reviewer)",
        "reviewer_note": "The reviewer completes the yellow cells.",
        "calibration": "SPT calibration (against baseline and benchmarks)",
        "benchmark": "Benchmark",
        "source": "Source",
        "vs_baseline": "vs. baseline",
        "vs_benchmark": "vs. benchmark",
        "generated": "Generated",
        "page": "page",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS[lang]


def fy_label(fy: int, lang: str, start_month: int = 4) -> str:
    if lang == "ja":
        return f"{fy}年度（{format_fiscal_year_wareki(fy, start_month)}）"
    year = FiscalYear(fy, start_month)
    return f"FY{fy} ({year.start.isoformat()} – {year.end.isoformat()})"


def day_label(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{format_wareki(day)}（{iso}）" if lang == "ja" else iso


def yen(amount: int | None, lang: str) -> str:
    if amount is None:
        return ""
    if lang == "ja":
        return format_yen(amount) + "円"
    return ("-" if amount < 0 else "") + "¥" + format_yen(abs(amount))


def signed(delta: Decimal, lang: str) -> str:
    """A difference in points with its sign: +5.6 / △2.0 (ja) or -2.0 (en)."""
    text = format(abs(delta), "f")
    if delta > 0:
        return "+" + text
    if delta < 0:
        return ("△" if lang == "ja" else "-") + text
    return text


def value_text(value: str | None, unit: str, lang: str) -> str:
    """A KPI value or SPT as people read it: 55.4%, 実施 / done, 12 t."""
    if value is None:
        return ""
    if unit == "done":
        done = parse_done(value)
        if done is None:
            return value
        return WORDS[lang]["done" if done else "not_done"]
    number = parse_number(value)
    if number is None:
        return value
    return f"{number}%" if unit == "pct" else f"{number} {unit}"


def bp_text(bp: Decimal | None, lang: str) -> str:
    if bp is None:
        return WORDS[lang]["undecided"]
    return f"{signed(bp.normalize() if bp != 0 else Decimal(0), lang)}bp"


def rate_text(pct: Decimal) -> str:
    """1.2000 → 1.2%; 1.30 → 1.3%."""
    return format(pct.normalize(), "f") + "%"


def target_text(comparator: str, target: str, unit: str, lang: str) -> str:
    """How an SPT reads: 53%以上 / ≥ 53%, 11%以下 / ≤ 11%, 実施 / done."""
    shown = value_text(target, unit, lang)
    if comparator == "done":
        return shown
    if lang == "ja":
        return shown + ("以上" if comparator == ">=" else "以下")
    return ("≥ " if comparator == ">=" else "≤ ") + shown
