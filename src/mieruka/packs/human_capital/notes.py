"""The 算出方法 note a disclosure prints beside each statutory figure, from the options.

The YAML `method` of an indicator is static and describes the defaults; the note printed
in a disclosure must describe how *this* figure was computed (basis, headcount method,
FTE conversion, exclusions and their counts, the period). It is generated from the
options stored with the run, so a note regenerated later still matches the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mieruka.core.period import Period
from mieruka.japan.wareki import format_wareki
from mieruka.packs.human_capital import notes_en
from mieruka.packs.human_capital.options import HcOptions

GROUP_LABELS = {
    "all": "全労働者",
    "regular": "正規雇用労働者",
    "non_regular": "パート・有期労働者（パートタイム労働者及び有期雇用労働者）",
}
CHILDCARE = {
    "hc.male_childcare_leave_rate": (
        "育児休業等の取得割合（育児・介護休業法施行規則第71条の4第1号）",
        "育児休業等（育児休業及び産後パパ育休）",
    ),
    "hc.male_childcare_leave_rate_incl_purpose": (
        "育児休業等と育児目的休暇の取得割合（同第2号）",
        "育児休業等又は育児目的休暇",
    ),
}


def period_text(period: Period) -> str:
    return f"対象期間: {format_wareki(period.start)}～{format_wareki(period.end)}。"


def wage_gap_note(group: str, opts: HcOptions, period: Period, excluded: int = 0) -> str:
    """Basis, headcount and exclusions of 男女の賃金の差異, in the words of the options."""
    parts = [
        f"算出方法: 女性の平均年間賃金 ÷ 男性の平均年間賃金 × 100（{GROUP_LABELS[group]}）。"
        "平均年間賃金は賃金総額 ÷ 人員数。小数第2位を四捨五入。",
        _basis(opts),
        _headcount(opts),
        "雇用形態は年度末日（年度中の退職者は退職日）の雇用形態による。",
        period_text(period),
        _exclusions(excluded),
    ]
    return "".join(parts)


def _basis(opts: HcOptions) -> str:
    left_out = [
        name
        for name, on in (
            ("退職手当", opts.exclude_retirement_allowance),
            ("通勤手当", opts.exclude_commuting_allowance),
        )
        if on
    ]
    base = "賃金: 労働基準法第11条の賃金（基本給、超過労働に対する報酬、賞与等）"
    if left_out:
        return base + f"から{'及び'.join(left_out)}を除く（男女同一の基準）。"
    return base + "（退職手当及び通勤手当を含む）。"


def _headcount(opts: HcOptions) -> str:
    if opts.wage_headcount == "month_end_average":
        text = "人員数: 各月末日の在籍者数の12か月平均（年度中の入退社者は在籍した月末の数÷12で按分）。"
    else:
        text = "人員数: 当該年度に賃金の支払がある者の数。"
    if opts.fte_part_time:
        text += (
            "パート・有期労働者は週所定労働時間 ÷ "
            f"{opts.standard_weekly_hours}時間（正規雇用労働者の所定労働時間）で人員数を換算"
            "（上限1人）。"
        )
    return text


def _exclusions(excluded: int) -> str:
    text = "除外: 役員（役員報酬の支給対象者）。派遣労働者は対象外。"
    if excluded:
        text += (
            f"性別を男女いずれとも申告していない者{excluded}名は男女別の算定から除き、総数に含む。"
        )
    return text


def manager_note(period: Period) -> str:
    return (
        "算出方法: 基準日に在籍し課長級以上の職位にある労働者のうち女性の割合。"
        "小数第2位を四捨五入。"
        f"基準日: {format_wareki(period.as_of)}。"
        "除外: 役員。性別を男女いずれとも申告していない管理職は分母に含む。"
    )


def childcare_note(indicator: str, period: Period) -> str:
    name, leave = CHILDCARE[indicator]
    return (
        f"算出方法: {name}。事業年度中に{leave}を開始した男性労働者の数 ÷ "
        "事業年度中に配偶者が出産した男性労働者の数 × 100。"
        "前年度以前に出生した子についての取得も分子に含むため100%を超えることがある。"
        "同じ子について分割して取得した場合は最初の取得時のみ数える。小数第1位以下切捨て。"
        + period_text(period)
    )


def method_note(
    indicator: str, options: Mapping[str, Any], period: Period, excluded: int = 0, lang: str = "ja"
) -> str | None:
    """The method note of a statutory figure, in Japanese or (`lang="en"`, `notes_en`)
    English, or None for other indicators; one choice of note for both languages."""
    wage_gap, manager, childcare = (
        (notes_en.wage_gap_note, notes_en.manager_note, notes_en.childcare_note)
        if lang == "en"
        else (wage_gap_note, manager_note, childcare_note)
    )
    opts = HcOptions.from_mapping(options)
    if indicator.startswith("hc.wage_gap_") and indicator != "hc.wage_gap_excluded":
        return wage_gap(indicator.removeprefix("hc.wage_gap_"), opts, period, excluded)
    if indicator == "hc.female_manager_share":
        return manager(period)
    if indicator in CHILDCARE:
        return childcare(indicator, period)
    return None
