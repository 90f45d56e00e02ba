"""Achievement, the margin ratchet and the interest schedule, on loans a banker would recognise.

Every expected yen figure is computed by hand in the comment next to it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from mieruka.packs.sll.achievement import DEFAULT_OPTIONS, IndicatorFigure, Options, judge_loan
from mieruka.packs.sll.model import Kpi, Loan, Observation
from mieruka.packs.sll.ratchet import margin_path
from mieruka.packs.sll.schedule import interest, schedule, totals

BANK = "見える化銀行 審査部"
KPIS = (
    Kpi("checkup_45", "45歳以上の人間ドック受診率", "pct", ">="),
    Kpi("group_analysis", "集団分析", "done", "done"),
    Kpi("paid_leave", "有給休暇取得率", "pct", ">="),
    Kpi("stress_check", "ストレスチェック", "done", "done"),
)
SPTS = {
    ("stress_check", 2023): "done",
    ("group_analysis", 2023): "done",
    ("checkup_45", 2023): "100",
    ("paid_leave", 2023): "53",
    ("paid_leave", 2024): "58",
    ("paid_leave", 2025): "70",
}


def report(kpi: str, fy: int, value: str | None, **kw: object) -> Observation:
    fields: dict[str, object] = {
        "reported_on": date(fy + 1, 5, 20),
        "verified_by": BANK,
        "verified_on": date(fy + 1, 6, 10),
        "verification": "passed",
        **kw,
    }
    return Observation(kpi, fy, value, **fields)  # type: ignore[arg-type]


FY2023 = {
    ("stress_check", 2023): report("stress_check", 2023, "実施"),
    ("group_analysis", 2023): report("group_analysis", 2023, "done"),
    ("checkup_45", 2023): report("checkup_45", 2023, "100"),
    ("paid_leave", 2023): report("paid_leave", 2023, "55.2"),
}
LOAN = Loan(
    loan_id="L1",
    borrower="架空電設株式会社",
    lender="見える化銀行",
    principal=100_000_000,
    start_date=date(2023, 7, 31),
    maturity_date=date(2028, 7, 10),
    base_rate_pct=Decimal("1.5"),
    ratchet_step_bp=Decimal(5),
    kpis=KPIS,
    spts=SPTS,
    observations=FY2023,
)
AFTER_FY2023 = date(2024, 7, 31)


def loan(**changes: object) -> Loan:
    return dataclasses.replace(LOAN, **changes)  # type: ignore[arg-type]


def with_obs(**obs: Observation) -> Loan:
    return loan(observations={**FY2023, **{(o.kpi_id, o.fiscal_year): o for o in obs.values()}})


def fy2023_bp(
    lo: Loan, options: Options = DEFAULT_OPTIONS, as_of: date = AFTER_FY2023
) -> Decimal | None:
    path = margin_path(lo, judge_loan(lo, as_of, options=options), options)
    return next(p.adjustment_bp for p in path if p.fiscal_year == 2023)


def statuses(lo: Loan, as_of: date = AFTER_FY2023) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {r.kpi_id: (r.status, r.flags) for r in judge_loan(lo, as_of) if r.fiscal_year == 2023}


def test_every_spt_met_steps_the_margin_down_once_per_kpi():
    assert {k: s for k, (s, _) in statuses(LOAN).items()} == dict.fromkeys(
        ("checkup_45", "group_analysis", "paid_leave", "stress_check"), "achieved"
    )
    assert fy2023_bp(LOAN) == Decimal(-20)  # 4 KPIs x -5 bp


def test_a_value_below_the_spt_is_missed_and_steps_up_by_the_same_amount():
    lo = with_obs(p=report("paid_leave", 2023, "52.9"))
    assert statuses(lo)["paid_leave"] == ("missed", ())
    assert fy2023_bp(lo) == Decimal(-10)  # 3 x -5 + 1 x +5


def test_a_late_report_is_not_reported_flagged_and_treated_as_missed_by_default():
    # FY2023 ends 2024-03-31; + 90 days = 2024-06-29; reported on 2024-06-30
    lo = with_obs(
        p=report(
            "paid_leave", 2023, "60", reported_on=date(2024, 6, 30), verified_on=date(2024, 6, 30)
        )
    )
    # verified on the same late day, so the verification is also past the deadline
    assert statuses(lo)["paid_leave"] == ("not_reported", ("late", "unverified"))
    assert fy2023_bp(lo) == Decimal(-10)
    assert fy2023_bp(lo, Options(not_reported="no_change")) == Decimal(-15)


def test_an_unverified_report_is_pending_until_the_deadline_then_not_reported():
    lo = with_obs(p=report("paid_leave", 2023, "60", verification="pending", verified_on=None))
    assert statuses(lo, date(2024, 6, 1))["paid_leave"] == ("pending", ("unverified",))
    assert fy2023_bp(lo, as_of=date(2024, 6, 1)) is None  # undecided: the base rate applies
    assert statuses(lo)["paid_leave"] == ("not_reported", ("unverified",))


def test_a_failed_verification_means_no_verified_value():
    lo = with_obs(p=report("paid_leave", 2023, "60", verification="failed"))
    assert statuses(lo)["paid_leave"] == ("not_reported", ("verification_failed",))


def test_a_missing_report_is_flagged():
    obs = {k: v for k, v in FY2023.items() if k[0] != "checkup_45"}
    assert statuses(loan(observations=obs))["checkup_45"] == ("not_reported", ("no_report",))


def test_an_action_not_done_misses_a_done_spt():
    lo = with_obs(s=report("stress_check", 2023, "未実施"))
    assert statuses(lo)["stress_check"] == ("missed", ())


def test_ratchet_modes_and_bases_with_one_kpi_missed():
    lo = with_obs(p=report("paid_leave", 2023, "50"))
    assert fy2023_bp(dataclasses.replace(lo, ratchet_mode="discount_only")) == Decimal(-15)
    assert fy2023_bp(dataclasses.replace(lo, ratchet_mode="premium_only")) == Decimal(5)
    all_kpis = dataclasses.replace(lo, ratchet_basis="all_kpis")
    assert fy2023_bp(all_kpis) == Decimal(5)  # one miss: one step up
    assert fy2023_bp(dataclasses.replace(all_kpis, ratchet_mode="discount_only")) == Decimal(0)
    assert fy2023_bp(dataclasses.replace(LOAN, ratchet_basis="all_kpis")) == Decimal(-5)
    assert (
        fy2023_bp(dataclasses.replace(LOAN, ratchet_basis="all_kpis", ratchet_mode="premium_only"))
        == 0
    )


def test_each_kpi_sum_is_capped():
    assert fy2023_bp(loan(ratchet_cap_bp=Decimal(10))) == Decimal(-10)  # -20 capped at -10


def test_the_ratchet_is_not_cumulative():
    # FY2023 all met: -20 bp from 2024-07-31. FY2024 (only paid leave, SPT 58 %) missed with
    # 57 %: +5 bp from 2025-07-31 — replacing the -20, not added to it (which would be -15).
    lo = with_obs(p24=report("paid_leave", 2024, "57"))
    path = margin_path(lo, judge_loan(lo, date(2026, 1, 1)))
    assert [(p.fiscal_year, p.adjustment_bp, p.effective_from, p.effective_to) for p in path] == [
        (2023, Decimal(-20), date(2024, 7, 31), date(2025, 7, 31)),
        (2024, Decimal(5), date(2025, 7, 31), date(2026, 7, 31)),
        (2025, None, date(2026, 7, 31), date(2027, 7, 31)),
    ]


def test_a_kpi_fed_by_an_indicator_takes_its_figure_and_evidence():
    kpis = tuple(
        dataclasses.replace(k, source="indicator:hc.paid_leave_rate")
        if k.kpi_id == "paid_leave"
        else k
        for k in KPIS
    )
    evidence = {"run": 7, "indicator": "hc.paid_leave_rate", "rows": 27}
    seen = []

    def lookup(indicator: str, fy: int) -> IndicatorFigure:
        seen.append((indicator, fy))
        return IndicatorFigure(Decimal("61.4"), evidence)

    lo = with_obs(p=report("paid_leave", 2023, None))
    paid = next(
        r
        for r in judge_loan(
            loan(kpis=kpis, observations=lo.observations), AFTER_FY2023, lookup=lookup
        )
        if r.kpi_id == "paid_leave"
    )
    assert (paid.value, paid.status, paid.evidence) == ("61.4", "achieved", evidence)
    assert seen[0] == ("hc.paid_leave_rate", 2023)
    # the borrower's own figure is ignored unless the workspace prefers observations
    lo = loan(kpis=kpis)  # observation says 55.2
    prefer = Options(prefer_observations=True)
    assert (
        next(
            r for r in judge_loan(lo, AFTER_FY2023, lookup=lookup) if r.kpi_id == "paid_leave"
        ).value
        == "61.4"
    )
    assert (
        next(
            r
            for r in judge_loan(lo, AFTER_FY2023, lookup=lookup, options=prefer)
            if r.kpi_id == "paid_leave"
        ).value
        == "55.2"
    )


def test_interest_is_act_365_fixed_and_truncated_to_the_yen():
    # 100,000,000 x 1.5 % x 184 / 365 = 756,164.38...
    assert interest(100_000_000, Decimal("1.5"), 184) == 756_164


def test_a_leap_year_period_counts_366_days_over_365():
    one_year = loan(maturity_date=date(2024, 7, 31), spts={}, observations={})
    (row,) = schedule(one_year, [])
    # 2023-07-31 .. 2024-07-31 holds 2024-02-29: 366 days; 1,500,000 x 366 / 365 = 1,504,109.58
    assert (row.days, row.interest, row.repayment) == (366, 1_504_109, 100_000_000)


def test_amortisation_reduces_the_outstanding_principal():
    amortising = loan(
        maturity_date=date(2024, 7, 31),
        spts={},
        observations={},
        repayments=((date(2024, 1, 31), 50_000_000),),
    )
    rows = schedule(amortising, [])
    # 184 days on 100M: 756,164; then 182 days (with 2024-02-29) on 50M: 750,000 x 182/365 = 373,972.60
    assert [(r.days, r.outstanding, r.interest, r.repayment) for r in rows] == [
        (184, 100_000_000, 756_164, 50_000_000),
        (182, 50_000_000, 373_972, 50_000_000),
    ]


def test_the_schedule_applies_each_margin_from_its_judgment_date_and_shows_the_saving():
    only_fy2023 = loan(spts={k: v for k, v in SPTS.items() if k[1] == 2023})
    path = margin_path(only_fy2023, judge_loan(only_fy2023, date(2026, 1, 1)))
    rows = schedule(only_fy2023, path)
    assert [(r.start, r.days, r.rate_pct, r.interest, r.difference) for r in rows] == [
        (date(2023, 7, 31), 366, Decimal("1.5"), 1_504_109, 0),
        # 1.30 % for a 365-day year: 1,300,000 against 1,500,000 at the base rate
        (date(2024, 7, 31), 365, Decimal("1.30"), 1_300_000, -200_000),
        # no SPT for FY2024: back to base; 2025-07-31 .. 2028-07-10 = 1,075 days
        # 1,500,000 x 1,075 / 365 = 4,417,808.2
        (date(2025, 7, 31), 1075, Decimal("1.5"), 4_417_808, 0),
    ]
    assert totals(rows) == {
        "interest": 7_221_917,
        "base_interest": 7_421_917,
        "difference": -200_000,
    }


def test_what_if_projected_values_give_the_margin_path_and_interest():
    # Projected FY2024 paid leave 60 % (SPT 58 %): -5 bp for 2025-07-31 .. 2026-07-31,
    # a year of 365 days on 100M: 100,000,000 x 0.05 % = 50,000 saved
    only = loan(spts={k: v for k, v in SPTS.items() if k[1] <= 2024})
    results = judge_loan(only, date(2024, 8, 1), projections={("paid_leave", 2024): "60"})
    rows = schedule(only, margin_path(only, results))
    projected = [r for r in results if r.projected]
    assert [(r.kpi_id, r.status) for r in projected] == [("paid_leave", "achieved")]
    assert totals(rows)["difference"] == -200_000 - 50_000


@pytest.mark.parametrize(
    ("mode", "basis", "all_met", "one_missed", "one_unreported"),
    [
        # each_kpi: 4 KPIs x 5 bp; one missed = 3 down, 1 up
        ("symmetric", "each_kpi", -20, -10, -10),
        ("discount_only", "each_kpi", -20, -15, -15),
        ("premium_only", "each_kpi", 0, 5, 5),
        # all_kpis: one step down only when every SPT is met, one step up when any is missed
        ("symmetric", "all_kpis", -5, 5, 5),
        ("discount_only", "all_kpis", -5, 0, 0),
        ("premium_only", "all_kpis", 0, 5, 5),
    ],
)
def test_every_ratchet_mode_and_basis(mode, basis, all_met, one_missed, one_unreported):
    lo = loan(ratchet_mode=mode, ratchet_basis=basis)
    missed = dataclasses.replace(with_obs(p=report("paid_leave", 2023, "50")), ratchet_mode=mode,
                                 ratchet_basis=basis)  # fmt: skip
    unreported = dataclasses.replace(
        lo, observations={k: v for k, v in FY2023.items() if k[0] != "paid_leave"}
    )
    assert (fy2023_bp(lo), fy2023_bp(missed), fy2023_bp(unreported)) == (
        Decimal(all_met),
        Decimal(one_missed),
        Decimal(one_unreported),
    )


def test_an_unreported_kpi_moves_nothing_when_configured_so():
    unreported = loan(observations={k: v for k, v in FY2023.items() if k[0] != "paid_leave"})
    no_change = Options(not_reported="no_change")
    assert fy2023_bp(unreported, no_change) == Decimal(-15)  # three met, the fourth moves 0
    all_kpis = dataclasses.replace(unreported, ratchet_basis="all_kpis")
    # not every SPT was met, none was missed: no step either way
    assert fy2023_bp(all_kpis, no_change) == Decimal(0)


def test_day_counts_around_29_february_2024():
    # interest dates on 28 Feb and 1 Mar 2024 (zero repayments mark interest dates)
    lo = loan(
        start_date=date(2023, 12, 1),
        maturity_date=date(2024, 12, 1),
        spts={},
        observations={},
        repayments=((date(2024, 2, 28), 0), (date(2024, 3, 1), 0)),
    )
    rows = schedule(lo, [])
    # 1 Dec .. 28 Feb = 31 (Dec) + 31 (Jan) + 27 = 89 days;
    # 28 Feb .. 1 Mar crosses the leap day: 2 days; 1 Mar .. 1 Dec = 275 days; 366 in all
    assert [r.days for r in rows] == [89, 2, 275]
    # 100,000,000 x 1.5 % x 2 / 365 = 8,219.17 -> 8,219 (ACT/365F: the divisor stays 365)
    assert rows[1].interest == 8_219
    # the same two days a year later hold no 29 February: 28 Feb .. 1 Mar 2025 is 1 day
    later = loan(
        start_date=date(2024, 12, 1),
        maturity_date=date(2025, 12, 1),
        spts={},
        observations={},
        repayments=((date(2025, 2, 28), 0), (date(2025, 3, 1), 0)),
    )
    assert [r.days for r in schedule(later, [])] == [89, 1, 275]


def test_a_judgment_date_cuts_the_period_and_the_leap_year_counts_366_days():
    # FY2023 met (-20 bp) from 2024-07-31; the loan runs 2023-07-31 .. 2025-07-31.
    only = loan(
        maturity_date=date(2025, 7, 31), spts={k: v for k, v in SPTS.items() if k[1] == 2023}
    )
    rows = schedule(only, margin_path(only, judge_loan(only, date(2025, 1, 1))))
    # 2023-07-31 .. 2024-07-31 holds 29 Feb 2024: 366 days at 1.5 %; then 365 days at 1.3 %
    assert [(r.days, r.rate_pct, r.interest) for r in rows] == [
        (366, Decimal("1.5"), 1_504_109),
        (365, Decimal("1.30"), 1_300_000),
    ]
