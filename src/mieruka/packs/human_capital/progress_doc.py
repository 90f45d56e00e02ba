"""The KPI progress report as a document: figure vs target per fiscal year, met or missed.

One row per targeted figure and year (the indicator named once), the comparator in words
(以上 / 以下 …), and the status the run recorded; a line per indicator shows the trend
when there are two or more years of figures.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from mieruka.packs.human_capital.documents import (
    Block,
    Cell,
    Document,
    Head,
    Section,
    Table,
    fiscal_year_label,
    text_cell,
)
from mieruka.packs.human_capital.iso30414_doc import UNITS, unit_cell
from mieruka.packs.human_capital.progress import YEARS, kpi_progress
from mieruka.render.svg import line_chart

COMPARATORS = {
    "ja": {">=": "以上", "<=": "以下", ">": "超", "<": "未満", "==": "と等しい"},
    "en": {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="},
}
STATUS = {
    "ja": {"met": "達成", "missed": "未達", "no_data": "データなし", "no_target": "目標なし"},
    "en": {"met": "met", "missed": "missed", "no_data": "no data", "no_target": "no target"},
}
WORDS = {
    "ja": {
        "title": "人的資本KPIの目標達成状況",
        "organisation": "組織",
        "fiscal_year": "事業年度",
        "runs": "実行番号",
        "summary": "当年度の判定",
        "summary_text": "達成 {met}・未達 {missed}・データなし {no_data}",
        "section": "目標と実績",
        "trend": "推移",
        "indicator": "指標",
        "breakdown": "内訳",
        "year": "年度",
        "value": "実績",
        "comparator": "比較",
        "target": "目標",
        "status": "判定",
        "total": "全体",
        "paren": "（{}）",
        "none": "目標が設定された人的資本指標（hc.）はない。"
        "ワークスペースの specs/*.yaml の targets に目標を追加すると、ここに示される。",
        "closing": "判定は各年度の実行が記録したもの（端数処理後の値と目標を比較）。"
        "過年度は、当年度の実行以前に記録された各年度の最新の実行による。",
    },
    "en": {
        "title": "Human-capital KPIs against their targets",
        "organisation": "Organisation",
        "fiscal_year": "Fiscal year",
        "runs": "Runs",
        "summary": "This year",
        "summary_text": "met {met}, missed {missed}, no data {no_data}",
        "section": "Targets and results",
        "trend": "Trend",
        "indicator": "Indicator",
        "breakdown": "Breakdown",
        "year": "Fiscal year",
        "value": "Result",
        "comparator": "Comparator",
        "target": "Target",
        "status": "Status",
        "total": "total",
        "paren": " ({})",
        "none": "No human-capital (hc.) indicator has a target. Add targets to the workspace's "
        "specs/*.yaml to see them here.",
        "closing": "Statuses are those each year's run recorded (the rounded figure against "
        "the target). Earlier years come from the latest run of each year made no later "
        "than this year's run.",
    },
}


def _label(row: dict[str, Any], lang: str) -> str:
    label = row["label"]
    return str(label.get(lang) or label.get("ja") or row["indicator"])


def _dims(dims: dict[str, Any], w: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in dims.items()) or w["total"]


def _rows(row: dict[str, Any], lang: str, w: dict[str, str], start: int) -> list[list[Cell]]:
    out = []
    for n, year in enumerate(row["years"]):
        first = n == 0
        comparator = COMPARATORS[lang].get(year["comparator"] or "", "")
        out.append(
            [
                text_cell(_label(row, lang) if first else ""),
                text_cell(_dims(row["dims"], w) if first else ""),
                text_cell(fiscal_year_label(year["fiscal_year"], lang, start)),
                unit_cell(year["value"], row["unit"], lang),
                text_cell(comparator),
                unit_cell(year["target"], row["unit"], lang, missing=""),
                text_cell(STATUS[lang][year["status"]], status=year["status"]),
            ]
        )
    return out


def _chart(row: dict[str, Any], lang: str) -> Markup:
    suffix = UNITS[lang].get(row["unit"], "")
    points = [
        (f"FY{y['fiscal_year']}", y["value"], "" if y["value"] is None else f"{y['value']}{suffix}")
        for y in row["years"]
    ]
    return line_chart(points, width=90 + 70 * len(points), height=130)


def progress_document(project: Any, fy: int, lang: str = "ja", years: int = YEARS) -> Document:
    w = WORDS[lang]
    data = kpi_progress(project, fy, years)
    start = project.ws.settings.fiscal_year_start_month
    columns = ("indicator", "breakdown", "year", "value", "comparator", "target", "status")
    header = [[Head(w[c]) for c in columns]]
    blocks: list[Block] = []
    if data["rows"]:
        rows = [cells for row in data["rows"] for cells in _rows(row, lang, w, start)]
        blocks += [Table(header, rows), [w["closing"]]]
    else:
        blocks.append([w["none"]])
    sections = [Section(w["section"], blocks, sheet="KPI")]
    charts: list[Block] = []
    for row in data["rows"]:
        if sum(y["value"] is not None for y in row["years"]) >= 2:
            caption = f"{_label(row, lang)}" + w["paren"].format(_dims(row["dims"], w))
            charts.append(
                Markup('<figure class="trend"><figcaption>{}</figcaption>{}</figure>').format(
                    caption, _chart(row, lang)
                )
            )
    if charts:
        sections.append(Section(w["trend"], charts, in_workbook=False))
    runs = ", ".join(f"FY{y}: {r}" for y, r in data["runs"].items())
    return Document(
        lang=lang,
        title=w["title"],
        meta=[
            (w["organisation"], project.ws.settings.organisation),
            (w["fiscal_year"], fiscal_year_label(fy, lang, start)),
            (w["runs"], runs),
            (w["summary"], w["summary_text"].format(**data["summary"])),
        ],
        sections=sections,
        payload={**data, "lang": lang},
        name=f"hc_progress_FY{fy}",
    )
