"""Employee LTV as a document: the figure by department, its assumptions, retention curves.

The LTV figures are the run's (`hc.employee_ltv`, mean per person, in 千円 truncated with
△ for a negative value — a person can cost more than the value recorded). The model's
assumptions are printed beside them from the options stored with the run, so the printed
discount rate is the one the figure used. The Kaplan–Meier curves behind the expected
value are drawn by department (the run's `hc.retention_curve`) and by hire cohort
(`retention.py`), each with its numbers as a table for the workbook.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from mieruka.japan.wareki import format_wareki
from mieruka.packs.human_capital.disclosure import latest_run
from mieruka.packs.human_capital.documents import (
    Block,
    Document,
    Head,
    Section,
    Table,
    fiscal_year_label,
    number_cell,
    text_cell,
    yen_cell,
)
from mieruka.packs.human_capital.options import HcOptions
from mieruka.packs.human_capital.retention import HORIZON, Curve, cohort_curves, department_curves
from mieruka.packs.human_capital.retention_chart import step_chart

WORDS = {
    "ja": {
        "title": "従業員LTV（生涯価値）と定着率曲線",
        "organisation": "組織",
        "fiscal_year": "事業年度",
        "as_of": "基準日",
        "run": "実行番号",
        "ltv": "従業員LTV（1人当たり平均）",
        "unit": "（単位：千円）",
        "department": "部署",
        "people": "人数",
        "mean": "平均LTV",
        "total": "全体",
        "no_data": "データなし",
        "assumptions": "前提",
        "curves": "定着率曲線（カプラン・マイヤー推定）",
        "by_department": "部署別",
        "by_cohort": "入社年度別（5年度ごと）",
        "cohort": "入社年度",
        "percent": "（単位：%）",
        "hired": "入社数",
        "leavers": "退職数",
        "year_n": "{t}年",
        "x_label": "入社後の年数",
        "curve_note": "各年数の時点で在籍を続けている確率(%)。退職は全て離脱として扱い、"
        "基準日に在籍する者は打ち切りとする。在籍者のいなくなった年数以降は示さない。",
    },
    "en": {
        "title": "Employee lifetime value (LTV) and retention curves",
        "organisation": "Organisation",
        "fiscal_year": "Fiscal year",
        "as_of": "Reference date",
        "run": "Run",
        "ltv": "Employee LTV (mean per person)",
        "unit": "(thousands of yen)",
        "department": "Department",
        "people": "People",
        "mean": "Mean LTV",
        "total": "All",
        "no_data": "no data",
        "assumptions": "Assumptions",
        "curves": "Retention curves (Kaplan–Meier)",
        "by_department": "By department",
        "by_cohort": "By hire cohort (five fiscal years)",
        "cohort": "Hired",
        "percent": "(%)",
        "hired": "Hired",
        "leavers": "Left",
        "year_n": "yr {t}",
        "x_label": "Years after hire",
        "curve_note": "Probability (%) of still being employed t years after hire. Every "
        "separation is an event; people employed on the reference date are censored. A "
        "curve stops where no one is left at risk.",
    },
}


def assumptions(options: dict[str, Any], lang: str) -> list[str]:
    """The model's assumptions, in the words of the options the run used."""
    rate = HcOptions.from_mapping(options).ltv_discount_rate * 100
    rate_text = f"{rate.normalize():f}"
    if lang == "ja":
        return [
            "LTV = 実現価値 + 期待残存価値。実現価値 = 入社以来の付加価値（contribution.value_added）"
            "の累計 − 賃金（wages.total_wages）の累計。",
            "期待残存価値 = 直近3年度の年平均純価値 × 所属部署のカプラン・マイヤー残存率 S(τ+k)/S(τ)"
            " ÷ (1 + 割引率)^k を、65歳に達するまでの各年 k について合計。",
            f"割引率: 年{rate_text}%（mieruka.toml の ltv_discount_rate）。",
            "将来の純価値は直近3年度の平均で一定とし、昇給・物価は見込まない。"
            "生年月日のない者は40歳とみなす。",
            "対象: 基準日に在籍し付加価値のデータがある者。残存率は基準日までの全在籍者から推定。",
        ]
    return [
        "LTV = realised value + expected remaining value. Realised value = value added since "
        "hire (contribution.value_added) − wages (wages.total_wages).",
        "Expected remaining value = the mean yearly net value of the last three fiscal years × "
        "the department's Kaplan–Meier retention S(τ+k)/S(τ) ÷ (1 + discount rate)^k, summed "
        "over each year k until age 65.",
        f"Discount rate: {rate_text}% a year (ltv_discount_rate in mieruka.toml).",
        "Future net value stays at the recent three-year mean (no pay rises or inflation); a "
        "person without a birth date is taken to be 40.",
        "Covers people employed on the reference date with value-added data; retention is "
        "estimated from everyone employed up to that date.",
    ]


def _ltv_table(values: list[dict[str, Any]], w: dict[str, str]) -> Table:
    rows = []
    found = [v for v in values if v["indicator"] == "hc.employee_ltv"]
    found.sort(key=lambda v: (bool(v["dims"]), str(v["dims"].get("department", ""))))
    for v in found:
        if v["dims"] and set(v["dims"]) != {"department"}:
            continue
        name = v["dims"].get("department") or w["total"]
        people = number_cell(None if v["rows"] is None else Decimal(v["rows"]), missing="")
        rows.append([text_cell(name), people, yen_cell(v["value"], missing=w["no_data"])])
    header = [[Head(w["department"]), Head(w["people"]), Head(w["mean"])]]
    return Table(header, rows, unit=w["unit"])


def _curve_table(curves: list[Curve], w: dict[str, str], counts: bool) -> Table:
    first = Head(w["cohort"] if counts else w["department"])
    years = [Head(w["year_n"].format(t=t)) for t in range(HORIZON + 1)]
    extra = [Head(w["hired"]), Head(w["leavers"])] if counts else []
    rows = []
    for c in curves:
        head = [text_cell(c.group)]
        if counts:
            head += [number_cell(Decimal(c.people)), number_cell(Decimal(c.leavers))]
        cells = [number_cell(c.survival[t]) if t < len(c.survival) else text_cell("")
                 for t in range(HORIZON + 1)]  # fmt: skip
        rows.append(head + cells)
    return Table([[first, *extra, *years]], rows, unit=w["percent"])


def _chart(curves: list[Curve], w: dict[str, str], counts: bool) -> Markup:
    series = [(f"{c.group}（{c.people}）" if counts else c.group, c.survival) for c in curves]
    return step_chart(series, years=HORIZON, x_label=w["x_label"])


def ltv_document(project: Any, fy: int, lang: str = "ja") -> Document:
    w = WORDS[lang]
    run = latest_run(project, fy)
    params = json.loads(run.params)
    options = params.get("options", {}).get("human_capital", {})
    values = project.store.values(run.id)
    departments = department_curves(values)
    cohorts = cohort_curves(project, run, lang)
    ltv_blocks: list[Block] = [
        _ltv_table(values, w),
        [f"{w['assumptions']}:"] + [f"・{a}" for a in assumptions(options, lang)],
    ]
    curve_blocks: list[Block] = []
    for title, curves, counts in (
        (w["by_department"], departments, False),
        (w["by_cohort"], cohorts, True),
    ):
        if curves:
            curve_blocks += [[title], _chart(curves, w, counts), _curve_table(curves, w, counts)]
    curve_blocks.append([w["curve_note"]])
    as_of = run.as_of
    payload = {
        "fiscal_year": fy,
        "run": run.id,
        "lang": lang,
        "ltv": [
            {"department": v["dims"].get("department"), "people": v["rows"], "value": v["value"]}
            for v in values
            if v["indicator"] == "hc.employee_ltv" and set(v["dims"]) <= {"department"}
        ],
        "assumptions": assumptions(options, lang),
        "retention": {
            "department": [c.__dict__ for c in departments],
            "hire_cohort": [c.__dict__ for c in cohorts],
        },
    }
    return Document(
        lang=lang,
        title=w["title"],
        meta=[
            (w["organisation"], project.ws.settings.organisation),
            (
                w["fiscal_year"],
                fiscal_year_label(fy, lang, project.ws.settings.fiscal_year_start_month),
            ),
            (
                w["as_of"],
                (format_wareki(as_of) if lang == "ja" else as_of.isoformat()) if as_of else "",
            ),
            (w["run"], str(run.id)),
        ],
        sections=[
            Section(w["ltv"], ltv_blocks, sheet="LTV"),
            Section(w["curves"], curve_blocks, sheet="Retention"),
        ],
        payload=payload,
        name=f"hc_ltv_FY{fy}",
    )
