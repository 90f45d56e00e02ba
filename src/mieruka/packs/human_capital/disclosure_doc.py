"""The 有報 human-capital table as a document: ① the filer, ② each subsidiary, then (注).

The layout follows the customary table of 有価証券報告書「第1 企業の概況 5 従業員の
状況」: one row per company, the women-in-management share, the men's childcare-leave
rate (both official methods, each column naming its method) and the gender pay gap for
all, regular and part-time/fixed-term workers; every column points at its numbered note,
and each note is the method note generated from the run's options — so changing an
option (FTE conversion, headcount method, wage basis) changes the note and the figures
together, in every format.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mieruka.core.period import Period
from mieruka.japan.wareki import format_wareki
from mieruka.packs.human_capital.disclosure import STATUTORY, build_disclosure, latest_run
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
)
from mieruka.packs.human_capital.notes import method_note
from mieruka.packs.human_capital.options import HcOptions

WIDTHS = ("16%", "14%", "13%", "15%", "14%", "14%", "14%")  # both tables line up
ORDER = tuple(STATUTORY)  # manager share, childcare (methods 1 and 2), pay gap (3 groups)
WORDS = {
    "ja": {
        "title": "従業員の状況（管理職に占める女性労働者の割合、男性労働者の育児休業取得率"
        "及び労働者の男女の賃金の差異）",
        "organisation": "組織",
        "fiscal_year": "事業年度",
        "period": "対象期間",
        "as_of": "基準日",
        "run": "実行番号",
        "section": "有価証券報告書 従業員の状況",
        "filer": "① 提出会社",
        "subsidiaries": "② 連結子会社",
        "name": "名称",
        "manager": "管理職に占める女性労働者の割合(%)",
        "childcare": "男性労働者の育児休業取得率(%)",
        "method1": "育児休業等の取得割合",
        "method2": "育児休業等と育児目的休暇の取得割合",
        "gap": "労働者の男女の賃金の差異(%)",
        "all": "全労働者",
        "regular": "うち正規雇用労働者",
        "non_regular": "うちパート・有期労働者",
        "note_mark": "(注{n})",
        "notes": "（注）",
        "missing": "「－」は算定の対象となる労働者がいないことを示す。",
        "no_filer": "提出会社が設定されていないため、全ての会社を連結子会社として示す"
        "（mieruka.toml の [packs.human_capital] filer_entity で提出会社の会社コードを設定）。",
        "none": "該当なし",
    },
    "en": {
        "title": "Employees: women in management, men taking childcare leave and the gender "
        "pay gap",
        "organisation": "Organisation",
        "fiscal_year": "Fiscal year",
        "period": "Period",
        "as_of": "Reference date",
        "run": "Run",
        "section": "Annual securities report: employees",
        "filer": "(1) Filing company",
        "subsidiaries": "(2) Consolidated subsidiaries",
        "name": "Company",
        "manager": "Women in management (%)",
        "childcare": "Men taking childcare leave (%)",
        "method1": "Childcare leave (method 1)",
        "method2": "Incl. childcare-purpose leave (method 2)",
        "gap": "Gender pay gap: women's pay as % of men's",
        "all": "All workers",
        "regular": "Regular workers",
        "non_regular": "Part-time and fixed-term",
        "note_mark": " (note {n})",
        "notes": "Notes",
        "missing": "“－”: no worker to count.",
        "no_filer": "No filing company is set, so every company is shown as a subsidiary "
        "(set filer_entity under [packs.human_capital] in mieruka.toml).",
        "none": "None",
    },
}


def _header(w: dict[str, str]) -> list[list[Head]]:
    def mark(text: str, n: int) -> str:
        return text + w["note_mark"].format(n=n)

    return [
        [
            Head(w["name"], rowspan=2),
            Head(mark(w["manager"], 1), rowspan=2),
            Head(w["childcare"], colspan=2),
            Head(w["gap"], colspan=3),
        ],
        [
            Head(mark(w["method1"], 2)),
            Head(mark(w["method2"], 3)),
            Head(mark(w["all"], 4)),
            Head(mark(w["regular"], 5)),
            Head(mark(w["non_regular"], 6)),
        ],
    ]


def _row(entity: dict[str, Any]) -> list[Cell]:
    figures = entity["figures"]
    return [
        text_cell(entity["entity"]),
        *(
            number_cell(None if figures.get(i) is None else Decimal(figures[i]), missing=MISSING)
            for i in ORDER
        ),
    ]


def _run_context(project: Any, fy: int) -> tuple[Any, dict[str, Any], Period, int]:
    """The run, its human-capital options, its period and the X-gender workers left out."""
    run = latest_run(project, fy)
    params = json.loads(run.params)
    options = params.get("options", {}).get("human_capital", {})
    excluded = next(
        (
            int(v["value"] or 0)
            for v in project.store.values(run.id)
            if v["indicator"] == "hc.wage_gap_excluded" and not v["dims"]
        ),
        0,
    )
    return run, options, Period.from_json(params), excluded


def disclosure_document(project: Any, fy: int, lang: str = "ja") -> Document:
    """The latest run of `fy` as the 有報 table, with its notes in `lang`."""
    w = WORDS[lang]
    table = build_disclosure(project, fy)
    run, options, period, excluded = _run_context(project, fy)
    filer = HcOptions.from_mapping(options).filer_entity
    if lang == "ja":
        notes = table.notes
    else:
        notes = {i: method_note(i, options, period, excluded, lang="en") or "" for i in ORDER}
    blocks: list[Block] = []
    filers = [e for e in table.entities if filer and e["entity"] == filer]
    subsidiaries = [e for e in table.entities if e not in filers]
    if filers:
        blocks.append(
            Table(_header(w), [_row(e) for e in filers], caption=w["filer"], widths=WIDTHS)
        )
    else:
        blocks.append([w["no_filer"]])
    if subsidiaries:
        rows = [_row(e) for e in subsidiaries]
        blocks.append(Table(_header(w), rows, caption=w["subsidiaries"], widths=WIDTHS))
    paragraphs = [w["notes"], *(f"{n}. {notes[i]}" for n, i in enumerate(ORDER, 1))]
    blocks.append([*paragraphs, w["missing"]])
    if lang == "ja":
        when = f"{format_wareki(period.start)}～{format_wareki(period.end)}"
        as_of = format_wareki(period.as_of)
    else:
        when = f"{period.start.isoformat()} – {period.end.isoformat()}"
        as_of = period.as_of.isoformat()
    meta = [
        (w["organisation"], project.ws.settings.organisation),
        (w["fiscal_year"], fiscal_year_label(fy, lang, period.start_month)),
        (w["period"], when),
        (w["as_of"], as_of),
        (w["run"], str(run.id)),
    ]
    payload = {
        **table.to_json(),
        "lang": lang,
        "filer_entity": filer or None,
        "labels": {i: _label(i, w) for i in ORDER},
        "notes": notes,
        "options": {k: str(v) if isinstance(v, Decimal) else v for k, v in options.items()},
    }
    return Document(
        lang=lang,
        title=w["title"],
        meta=meta,
        sections=[Section(w["section"], blocks, sheet="有報" if lang == "ja" else "Disclosure")],
        payload=payload,
        landscape=True,
        name=f"hc_disclosure_FY{fy}",
    )


def _label(indicator: str, w: dict[str, str]) -> str:
    if indicator == "hc.female_manager_share":
        return w["manager"]
    if indicator == "hc.male_childcare_leave_rate":
        return f"{w['childcare']} {w['method1']}"
    if indicator == "hc.male_childcare_leave_rate_incl_purpose":
        return f"{w['childcare']} {w['method2']}"
    return f"{w['gap']} {w[indicator.removeprefix('hc.wage_gap_')]}"
