"""ISO 30414 metrics as a document: each metric's figure, or "no data" / データなし.

The figures are exactly those of `iso30414.iso_report` (the run's own values); this module
adds the Japanese names of areas and metrics, the unit of each figure (from the run's
indicator specs) and the layout. A metric without data is printed as such and written to
the workbook as text — never as zero or an estimate.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mieruka.packs.human_capital.documents import (
    MISSING,
    Block,
    Cell,
    Document,
    Head,
    Section,
    Table,
    fiscal_year_label,
    number_cell,
    text_cell,
    yen_cell,
)
from mieruka.packs.human_capital.iso30414 import NO_DATA, iso_report

AREAS_JA = {
    "Compliance and ethics": "コンプライアンスと倫理",
    "Costs": "コスト",
    "Diversity": "ダイバーシティ",
    "Leadership": "リーダーシップ",
    "Occupational health, safety and well-being": "労働安全衛生・ウェルビーイング",
    "Productivity": "生産性",
    "Recruitment, mobility and turnover": "採用・異動・離職",
    "Skills and capabilities": "スキルと能力",
    "Succession planning": "後継者計画",
    "Workforce availability": "労働力",
    "Organisational culture": "組織文化",
}
METRICS_JA = {
    "Number and type of grievances filed": "提起された苦情の件数と種類",
    "Number and type of concluded disciplinary actions": "懲戒処分の件数と種類",
    "Percentage of employees who completed compliance training": "コンプライアンス研修の修了率",
    "Total workforce costs": "総労働力コスト",
    "Workforce diversity: women": "労働力の多様性（女性の人数）",
    "Workforce diversity: men": "労働力の多様性（男性の人数）",
    "Diversity of leadership": "リーダー層の多様性",
    "Leadership trust": "リーダーシップへの信頼",
    "Lost time for injury": "労働災害による損失時間",
    "Number of occupational accidents": "労働災害の件数",
    "Number of people killed during work": "業務上の死亡者数",
    "EBIT / revenue / profit per employee": "従業員1人当たりEBIT・売上高・利益",
    "Human capital ROI": "人的資本ROI",
    "Time to fill vacant positions": "欠員補充に要する期間",
    "Time to fill vacant critical positions": "重要ポジションの欠員補充に要する期間",
    "Percentage of positions filled internally": "内部登用による充足率",
    "Percentage of critical positions filled internally": "重要ポジションの内部登用による充足率",
    "Turnover rate": "離職率",
    "Voluntary turnover rate": "自己都合離職率",
    "Total development and training cost": "研修・能力開発の総費用",
    "Training hours per employee": "従業員1人当たり研修時間",
    "Succession effectiveness rate": "後継者計画の有効率",
    "Succession coverage rate": "後継者カバー率",
    "Succession readiness rate": "後継者準備率",
    "Number of employees": "従業員数",
    "Full-time equivalents": "フルタイム当量（FTE）",
    "Engagement (favourable share)": "エンゲージメント（肯定的回答率）",
}
NOTES_JA = {"proxy: share of women among managers": "代替指標: 管理職に占める女性の割合"}
UNITS = {
    "ja": {"percent": "%", "yen": "千円", "people": "人", "hours": "時間", "years": "年"},
    "en": {"percent": "%", "yen": " thousand yen", "people": "", "hours": " h", "years": " years"},
}


def unit_cell(value: Decimal | None, unit: str, lang: str, missing: str = MISSING) -> Cell:
    """A figure with its unit; yen in 千円 (truncated, △ for a negative)."""
    suffix = UNITS[lang].get(unit, "")
    if unit == "yen":
        return yen_cell(value, suffix=suffix, missing=missing)
    return number_cell(value, suffix=suffix, missing=missing)


WIDTHS = ("20%", "30%", "13%", "20%", "17%")
WORDS = {
    "ja": {
        "title": "ISO 30414 人的資本報告の指標",
        "organisation": "組織",
        "fiscal_year": "事業年度",
        "run": "実行番号",
        "supported": "データのある指標",
        "section": "ISO 30414 指標一覧",
        "area": "領域",
        "metric": "指標",
        "value": "値",
        "indicator": "指標ID",
        "note": "注記",
        "no_data": "データなし",
        "closing": "「データなし」は、データから算出できないことを示す（推計値は示さない）。"
        "指標の対応づけは ISO 30414（2018年版）の外部報告指標に基づく。",
    },
    "en": {
        "title": "ISO 30414 human capital reporting metrics",
        "organisation": "Organisation",
        "fiscal_year": "Fiscal year",
        "run": "Run",
        "supported": "Metrics with data",
        "section": "ISO 30414 metrics",
        "area": "Area",
        "metric": "Metric",
        "value": "Value",
        "indicator": "Indicator",
        "note": "Note",
        "no_data": "no data",
        "closing": "“no data”: the data cannot support the metric (no estimate is shown). "
        "The mapping follows the external-reporting metrics of ISO 30414 (2018).",
    },
}


def _units(project: Any, run_id: int) -> dict[str, str]:
    spec = json.loads(project.store.spec(project.store.run(run_id).spec_hash))
    return {i["id"]: i.get("unit", "") for i in spec["indicators"]}


def iso_document(project: Any, fy: int, lang: str = "ja") -> Document:
    w = WORDS[lang]
    report = iso_report(project, fy)
    units = _units(project, report["run"])
    rows = []
    for m in report["metrics"]:
        area = AREAS_JA.get(m["area"], m["area"]) if lang == "ja" else m["area"]
        name = METRICS_JA.get(m["metric"], m["metric"]) if lang == "ja" else m["metric"]
        note = NOTES_JA.get(m["note"], m["note"]) if lang == "ja" else m["note"]
        if m["value"] == NO_DATA:
            value = text_cell(w["no_data"], status="no_data")
        else:
            value = unit_cell(Decimal(m["value"]), units.get(m["indicator"] or "", ""), lang)
        rows.append([text_cell(area), text_cell(name), value, text_cell(m["indicator"] or ""),
                     text_cell(note)])  # fmt: skip
    header = [[Head(w[k]) for k in ("area", "metric", "value", "indicator", "note")]]
    blocks: list[Block] = [Table(header, rows, widths=WIDTHS), [w["closing"]]]
    supported = f"{report['supported']} / {len(report['metrics'])}"
    return Document(
        lang=lang,
        title=w["title"],
        meta=[
            (w["organisation"], project.ws.settings.organisation),
            (
                w["fiscal_year"],
                fiscal_year_label(fy, lang, project.ws.settings.fiscal_year_start_month),
            ),
            (w["run"], str(report["run"])),
            (w["supported"], supported),
        ],
        sections=[Section(w["section"], blocks, sheet="ISO30414")],
        payload={**report, "lang": lang},
        name=f"hc_iso30414_FY{fy}",
    )
