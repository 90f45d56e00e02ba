"""The words of a report in Japanese and English, and how its numbers are written.

Headings, statuses, severities and units; `Shape` writes a value the Japanese way (yen in
千円 truncated toward zero, △ before a negative, percentages with the indicator's digits).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mieruka.japan.yen import round_decimal, truncate_to_unit

COMPARATOR_EN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
COMPARATOR_JA = {">=": "以上", "<=": "以下", ">": "超", "<": "未満", "==": ""}

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "title": "指標報告書",
        "fiscal_year": "年度",
        "as_of": "基準日",
        "created": "作成日時",
        "run": "実行番号",
        "indicator": "指標ID",
        "label": "名称",
        "value": "値",
        "unit": "単位",
        "comparator": "比較",
        "target": "目標",
        "status": "状況",
        "method": "算出方法",
        "pack": "区分",
        "own": "自組織の指標",
        "breakdowns": "内訳",
        "numerator": "分子",
        "denominator": "分母",
        "rows": "件数",
        "trends": "推移",
        "violations": "ルール違反",
        "rule": "ルール",
        "severity": "重要度",
        "action": "対応",
        "count": "件数",
        "seq": "連番",
        "key": "キー",
        "row": "行の内容",
        "no_violations": "ルール違反はありません。",
        "more": "ほか {n} 件（XLSX 版に全件）",
        "footer": "検証情報",
        "run_hash": "実行ハッシュ",
        "prev_hash": "前の実行のハッシュ",
        "results_hash": "結果ハッシュ",
        "spec_hash": "仕様ハッシュ",
        "snapshots": "スナップショット",
        "code_version": "コードバージョン",
        "supersedes": "訂正対象の実行",
        "verify": "次のコマンドで再計算し、一致を確かめられます：",
        "skipped": "未算出",
        "organisation": "組織",
        "summary": "指標一覧",
        "sheet_summary": "指標一覧",
        "sheet_breakdown": "内訳",
        "sheet_violations": "違反",
        "sheet_info": "実行情報",
        "status_counts": "目標の達成状況",
        "member": "区分値",
        "met": "達成",
        "missed": "未達",
        "no_target": "目標なし",
        "no_data": "データなし",
        "error": "エラー",
        "warning": "警告",
        "info": "情報",
        "unit_note": "金額の単位：千円（千円未満切捨て、△は負数）",
    },
    "en": {
        "title": "Indicator report",
        "fiscal_year": "Fiscal year",
        "as_of": "As of",
        "created": "Created",
        "run": "Run",
        "indicator": "Indicator",
        "label": "Name",
        "value": "Value",
        "unit": "Unit",
        "comparator": "Comparator",
        "target": "Target",
        "status": "Status",
        "method": "Method",
        "pack": "Pack",
        "own": "Organisation's own indicators",
        "breakdowns": "Breakdowns",
        "numerator": "Numerator",
        "denominator": "Denominator",
        "rows": "Rows",
        "trends": "Trends",
        "violations": "Rule violations",
        "rule": "Rule",
        "severity": "Severity",
        "action": "Action",
        "count": "Count",
        "seq": "No.",
        "key": "Key",
        "row": "Row",
        "no_violations": "No rule violations.",
        "more": "{n} more (all in the XLSX report)",
        "footer": "Verification",
        "run_hash": "Run hash",
        "prev_hash": "Previous run hash",
        "results_hash": "Results hash",
        "spec_hash": "Spec hash",
        "snapshots": "Snapshots",
        "code_version": "Code version",
        "supersedes": "Supersedes run",
        "verify": "Re-compute and check these figures with:",
        "skipped": "not evaluated",
        "organisation": "Organisation",
        "summary": "Indicators",
        "sheet_summary": "Indicators",
        "sheet_breakdown": "Breakdown",
        "sheet_violations": "Violations",
        "sheet_info": "Run info",
        "status_counts": "Targets",
        "member": "Member",
        "met": "met",
        "missed": "missed",
        "no_target": "no target",
        "no_data": "no data",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "unit_note": "Amounts in thousands of yen, truncated toward zero",
    },
}
UNIT_TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "percent": "%",
        "yen": "千円",
        "count": "件",
        "people": "人",
        "days": "日",
        "hours": "時間",
        "years": "年",
        "score": "点",
        "ratio": "倍",
        "number": "",
    },
    "en": {
        "percent": "%",
        "yen": "¥ thousand",
        "count": "",
        "people": "people",
        "days": "days",
        "hours": "hours",
        "years": "years",
        "score": "points",
        "ratio": "×",
        "number": "",
    },
}


@dataclass(frozen=True)
class Shape:
    """How an indicator's numbers are shown: its unit and its digits."""

    unit: str
    digits: int
    mode: str
    lang: str

    @classmethod
    def of(cls, indicator: dict[str, Any], lang: str) -> Shape:
        """The shape of an indicator as the run's stored specs declare it."""
        rounding = indicator.get("rounding") or {}
        digits, mode = int(rounding.get("digits", 1)), str(rounding.get("mode", "half_up"))
        return cls(str(indicator.get("unit", "number")), digits, mode, lang)

    @property
    def unit_text(self) -> str:
        return UNIT_TEXT[self.lang].get(self.unit, "")

    def shown(self, value: Decimal | None) -> Decimal | None:
        """The value in the displayed unit: 千円 (truncated) for yen, rounded digits otherwise."""
        if value is None:
            return None
        if self.unit == "yen":
            return Decimal(truncate_to_unit(value, 1000))
        return round_decimal(value, self.digits, self.mode)

    def text(self, value: Decimal | None) -> str:
        number = self.shown(value)
        if number is None:
            return "—"
        digits = 0 if self.unit == "yen" else max(self.digits, 0)
        body = f"{abs(number):,.{digits}f}"
        sign = ("△" if self.lang == "ja" else "-") if number < 0 else ""
        return sign + body

    def text_unit(self, value: Decimal | None) -> str:
        """The text with its unit: 40.0%, 1,234千円, 12人 (12 people in English)."""
        text, unit = self.text(value), self.unit_text
        if value is None or not unit:
            return text
        return text + unit if self.lang == "ja" or unit in ("%", "×") else f"{text} {unit}"


def pick_label(labels: dict[str, str | None] | None, lang: str, fallback: str = "") -> str:
    labels = labels or {}
    other = "en" if lang == "ja" else "ja"
    return labels.get(lang) or labels.get(other) or fallback


def to_decimal(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def target_text(comparator: str | None, target: Decimal | None, shape: Shape) -> str:
    if comparator is None or target is None:
        return ""
    shown = shape.text_unit(target)
    if shape.lang == "ja":
        return f"{shown}{COMPARATOR_JA[comparator]}"
    return f"{COMPARATOR_EN[comparator]} {shown}"
