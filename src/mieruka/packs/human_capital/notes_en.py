"""The method notes of `notes.py` in English, for the English edition of the disclosure.

Same inputs (the options stored with the run, the period, the count of X-gender workers
left out), same decisions; only the words differ. The Japanese note is the one a filer
pastes into its 有価証券報告書; this one lets a non-Japanese reader check the method.
"""

from __future__ import annotations

from mieruka.core.period import Period
from mieruka.packs.human_capital.options import HcOptions

GROUPS = {
    "all": "all workers",
    "regular": "regular workers",
    "non_regular": "part-time and fixed-term workers",
}
CHILDCARE = {
    "hc.male_childcare_leave_rate": (
        "Method 1, share taking childcare leave (Ordinance of the Childcare and Family Care "
        "Leave Act, art. 71-4 (i))",
        "childcare leave or postnatal paternity leave",
    ),
    "hc.male_childcare_leave_rate_incl_purpose": (
        "Method 2, share taking childcare leave or childcare-purpose leave (art. 71-4 (ii))",
        "childcare leave, postnatal paternity leave or childcare-purpose leave",
    ),
}


def period_text(period: Period) -> str:
    return f"Period: {period.start.isoformat()} to {period.end.isoformat()}."


def wage_gap_note(group: str, opts: HcOptions, period: Period, excluded: int = 0) -> str:
    return " ".join(
        [
            f"Method: women's mean annual wage ÷ men's mean annual wage × 100 ({GROUPS[group]}); "
            "mean annual wage = total wages ÷ headcount; rounded half up to one decimal.",
            _basis(opts),
            _headcount(opts),
            "Employment type as on the last day of the fiscal year (or the day a leaver left).",
            period_text(period),
            _exclusions(excluded),
        ]
    )


def _basis(opts: HcOptions) -> str:
    left_out = [
        name
        for name, on in (
            ("retirement allowances", opts.exclude_retirement_allowance),
            ("commuting allowances", opts.exclude_commuting_allowance),
        )
        if on
    ]
    base = "Wages: all wages under art. 11 of the Labour Standards Act (pay, overtime, bonuses)"
    if left_out:
        return base + f" excluding {' and '.join(left_out)} (the same basis for both sexes)."
    return base + ", retirement and commuting allowances included."


def _headcount(opts: HcOptions) -> str:
    if opts.wage_headcount == "month_end_average":
        text = "Headcount: mean of the 12 month-end headcounts (joiners and leavers pro rata)."
    else:
        text = "Headcount: people paid wages in the fiscal year."
    if opts.fte_part_time:
        text += (
            " Part-time and fixed-term workers converted to full-time equivalents by contracted "
            f"weekly hours ÷ {opts.standard_weekly_hours} hours (at most 1 per person)."
        )
    return text


def _exclusions(excluded: int) -> str:
    text = "Excluded: officers (paid directors' remuneration); agency workers are not employees."
    if excluded:
        text += (
            f" {excluded} worker(s) who declared neither gender are left out of the "
            "women/men figures and counted in the totals."
        )
    return text


def manager_note(period: Period) -> str:
    return (
        "Method: women among workers at section-manager level or above employed on the "
        "reference date; rounded half up to one decimal. "
        f"Reference date: {period.as_of.isoformat()}. Excluded: officers. Managers who "
        "declared neither gender are in the denominator."
    )


def childcare_note(indicator: str, period: Period) -> str:
    name, leave = CHILDCARE[indicator]
    return (
        f"Method: {name}. Men who started {leave} in the fiscal year ÷ men whose child was "
        "born in the fiscal year × 100. Leave for a child born in an earlier year counts in "
        "the numerator, so the rate can exceed 100%. Leave for one child taken in several "
        "spells counts once, in the year of the first spell. Truncated to a whole percent. "
        + period_text(period)
    )
