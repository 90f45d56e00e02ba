"""Voluntary KPIs of the HR dashboard, on a roster small enough to count by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.packs.human_capital.conftest import POSITIONS_HEADER, build, total

from mieruka.core.evidence import indicator_evidence
from mieruka.core.period import Period
from mieruka.core.runs import start_run

EMPLOYEES = """\
employee_id,gender,birth_date,hire_date,separation_date,separation_reason,new_graduate
A,F,1975-06-01,2014-04-01,,,×
B,M,1990-01-01,2020-04-01,2024-09-30,voluntary,×
C,M,1990-01-01,2023-10-01,,,×
D,F,1995-01-01,2024-07-01,2025-01-31,involuntary,×
E,M,2000-01-01,2022-04-01,2024-06-30,voluntary,○
G,F,2000-01-01,2022-04-01,,,○
H,M,1955-01-01,2000-04-01,,,×
K,M,1979-12-01,2024-04-01,,,×
"""
POSITIONS = (
    POSITIONS_HEADER
    + """\
A,2014-04-01,,E01,営業部,G4,regular,×,×,
B,2020-04-01,,E01,営業部,G2,regular,×,×,
C,2023-10-01,,E01,営業部,P,part_time,×,×,20
D,2024-07-01,,E02,製造部,G1,regular,×,×,
E,2022-04-01,,E02,製造部,G1,regular,×,×,
G,2022-04-01,,E02,製造部,G1,regular,×,×,
H,2000-04-01,,E01,役員室,EX,regular,○,○,
K,2024-04-01,,E02,製造部,G3,regular,×,×,
"""
)
PAID_LEAVE = """\
employee_id,fiscal_year,days_granted,days_carried_over,days_taken
A,2024,20,10,15
B,2024,20,0,5
C,2024,10,0,10
G,2024,10,0,7
K,2024,10,0,2
"""
HEALTH = """\
employee_id,fiscal_year,stress_check_done,dock_done
A,2024,○,○
C,2024,×,×
G,2024,○,×
K,2024,,×
"""
TRAINING = """\
employee_id,fiscal_year,hours,cost
A,2024,6,"30,000"
A,2024,4,"20,000"
B,2024,6,"30,000"
G,2024,4,"20,000"
"""


@pytest.fixture(scope="module")
def voluntary(tmp_path_factory):
    files = {
        "employees": EMPLOYEES,
        "positions": POSITIONS,
        "paid_leave": PAID_LEAVE,
        "health": HEALTH,
        "training": TRAINING,
    }
    project = build(tmp_path_factory.mktemp("voluntary"), files)
    try:
        yield project, start_run(project, Period.for_fiscal_year(2024))
    finally:
        project.close()


@pytest.fixture(scope="module")
def found(voluntary):
    project, run = voluntary
    return {
        (v["indicator"], tuple(sorted(v["dims"].items()))): v["value"]
        for v in project.store.values(run.id)
    }


def test_turnover_counts_leavers_over_the_headcount_on_the_first_day(found):
    # On 2024-04-01: A, B, C, E, G and K (hired that day); H is an officer, D joins in July.
    # Leavers in the year: B, D (hired and gone in the year: numerator only) and E.
    assert total(found, "hc.turnover") == Decimal("50.0")  # 3 / 6
    assert total(found, "hc.turnover", entity="E02") == Decimal("66.7")  # D, E over E, G, K
    assert total(found, "hc.turnover_voluntary") == Decimal("33.3")  # B, E over 6


def test_new_graduates_of_two_years_ago_who_left_within_three_years(found):
    # FY2022's new graduates E and G finish their third year with FY2024; E left.
    assert total(found, "hc.turnover_new_graduates") == Decimal("50.0")


def test_paid_leave_uptake_excludes_carry_over_and_counts_regular_workers(found):
    # Regular: (15 + 5 + 7 + 2) / (20 + 20 + 10 + 10) = 48.33…; A's 10 carried-over days
    # are not in the denominator, and B (left in September) is placed as regular.
    assert total(found, "hc.paid_leave_uptake") == Decimal("48.3")
    assert total(found, "hc.paid_leave_uptake_all") == Decimal("55.7")  # 39 / 70


def test_headcount_fte_and_average_tenure_at_the_year_end(found):
    assert total(found, "hc.headcount") == Decimal("4")  # A, C, G, K; the officer H is not
    assert total(found, "hc.headcount", gender="F") == Decimal("2")
    assert total(found, "hc.fte") == Decimal("3.5")  # C works 20 of 40 hours
    # (4017 + 547 + 1095 + 364) days / 4 / 365.25 = 4.12 years
    assert total(found, "hc.average_tenure") == Decimal("4.1")
    assert total(found, "hc.average_tenure", gender="F") == Decimal("7.0")  # (4017+1095)/2


def test_health_figures(found):
    # Stress check: A and G of the four on the roll on 2025-03-31.
    assert total(found, "hc.stress_check_coverage") == Decimal("50.0")
    # 45 or over during the year: A (49) and K (45 on 2024-12-01); only A had a dock.
    assert total(found, "hc.dock_uptake_45") == Decimal("50.0")


def test_training_per_employee_includes_leavers_training(found):
    # 20 hours and 100,000 yen (B's, who left, included) over the 4 on the roll.
    assert total(found, "hc.training_hours_per_employee") == Decimal("5.0")
    assert total(found, "hc.training_cost_per_employee") == Decimal("25000")


def _rows(evidence, *columns):
    return {r["key"]: tuple(r[c] for c in columns) for r in evidence.rows}


def test_training_evidence_is_one_row_per_person(voluntary):
    project, run = voluntary
    hours = indicator_evidence(project, run, "hc.training_hours_per_employee", {})
    assert hours.matches
    # A's two courses are one row; B left with training (numerator only); C and K are on
    # the roll without any; D and E left without training and the officer H never counts.
    assert {
        k: (Decimal(n), d) for k, (n, d) in _rows(hours, "numerator", "denominator").items()
    } == {
        "A": (Decimal(10), True),
        "B": (Decimal(6), False),
        "C": (Decimal(0), True),
        "G": (Decimal(4), True),
        "K": (Decimal(0), True),
    }
    cost = indicator_evidence(project, run, "hc.training_cost_total", {"fiscal_year": "2024"})
    assert cost.matches
    assert {k: Decimal(v) for k, (v,) in _rows(cost, "value").items()} == {
        "A": Decimal(50000),
        "B": Decimal(30000),
        "G": Decimal(20000),
    }
    stored = [v for v in project.store.values(run.id) if v["indicator"] == "hc.training_cost_total"]
    assert [(v["dims"], v["rows"]) for v in stored] == [({}, 3), ({"fiscal_year": "2024"}, 3)]


def test_turnover_and_paid_leave_evidence_name_the_people_counted(voluntary):
    project, run = voluntary
    turnover = indicator_evidence(project, run, "hc.turnover", {"entity": "E02"})
    assert turnover.matches
    assert turnover.numerator_keys == ["D", "E"]  # D was hired and left within the year
    assert turnover.denominator_keys == ["E", "G", "K"]  # on the roll on 2024-04-01
    leave = indicator_evidence(project, run, "hc.paid_leave_uptake", {"entity": "E01"})
    assert leave.matches
    # regular workers of E01 placed at the year end or on leaving: A, and B (left in
    # September); C is part-time and the officer H has no paid-leave row
    assert [r["key"] for r in leave.rows] == ["A", "B"]
