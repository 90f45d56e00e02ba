"""男女の賃金の差異: three groups, the default basis, and the options that change it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER, figures, total

from mieruka.core.issues import MierukaError

EMPLOYEES = (
    EMPLOYEES_HEADER
    + """\
W1,F,1985-01-01,2010-04-01,,
W2,F,1975-01-01,2018-04-01,,
P1,F,1992-01-01,2020-04-01,,
M1,M,1980-01-01,2005-04-01,,
M2,M,1964-06-01,1987-04-01,2024-09-30,retirement
M3,M,1970-01-01,2019-04-01,,
X1,X,1990-01-01,2015-04-01,,
"""
)
POSITIONS = (
    POSITIONS_HEADER
    + """\
W1,2010-04-01,,E01,営業部,G4,regular,×,×,
W2,2018-04-01,,E01,営業部,P,part_time,×,×,20
P1,2020-04-01,2024-09-30,E01,開発部,P,part_time,×,×,30
P1,2024-10-01,,E01,開発部,G2,regular,×,×,
M1,2005-04-01,,E01,開発部,G5,regular,×,×,
M2,1987-04-01,,E01,開発部,M2,regular,○,×,
M3,2019-04-01,,E01,営業部,P,fixed_term,×,×,30
X1,2015-04-01,,E01,営業部,G3,regular,×,×,
"""
)
WAGES = """\
employee_id,fiscal_year,total_wages,commuting_allowance,retirement_allowance
W1,2024,"5,000,000","120,000",0
W2,2024,"1,200,000","60,000",0
P1,2024,"3,000,000",0,0
M1,2024,"6,000,000","150,000",0
M2,2024,"9,000,000","100,000","3,000,000"
M3,2024,"1,500,000",0,0
X1,2024,"5,000,000",0,0
"""
FILES = {"employees": EMPLOYEES, "positions": POSITIONS, "wages": WAGES}


def test_the_default_basis_excludes_commuting_and_retirement_allowances(hc):
    # Regular: women W1 4,880,000 and P1 3,000,000 (part-timer made regular in October:
    # placed by her year-end status) -> 3,940,000; men M1 5,850,000 and M2 5,900,000
    # (retirement allowance excluded) -> 5,875,000; 3,940,000 / 5,875,000 = 67.06… -> 67.1
    found = figures(hc(FILES), 2024)
    assert total(found, "hc.wage_gap_regular") == Decimal("67.1")
    # パート・有期: W2 1,140,000 / M3 1,500,000 = 76.0
    assert total(found, "hc.wage_gap_non_regular") == Decimal("76.0")
    # All: 9,020,000 / 3 over 13,250,000 / 3 = 68.07… -> 68.1; X1 is left out of both sides
    assert total(found, "hc.wage_gap_all") == Decimal("68.1")
    assert total(found, "hc.wage_gap_all", entity="E01") == Decimal("68.1")
    assert total(found, "hc.wage_gap_excluded") == Decimal("1")
    # the mean wages behind the gap, one side of one company
    assert total(found, "hc.wage_mean_regular", entity_gender="E01:M") == Decimal("5875000")


def test_including_the_retirement_allowance_changes_the_gap(hc):
    # M2's 3,000,000 retirement allowance now counts: men 7,375,000; 3,940,000 / 7,375,000
    found = figures(hc(FILES, {"exclude_retirement_allowance": False}), 2024)
    assert total(found, "hc.wage_gap_regular") == Decimal("53.4")


def test_fte_conversion_of_part_timers_changes_the_gap(hc):
    # W2 works 20 of 40 hours (0.5), M3 30 (0.75): 2,280,000 / 2,000,000 = 114.0
    found = figures(hc(FILES, {"fte_part_time": True}), 2024)
    assert total(found, "hc.wage_gap_non_regular") == Decimal("114.0")
    # All: 9,020,000 / 2.5 over 13,250,000 / 2.75 = 74.88… -> 74.9
    assert total(found, "hc.wage_gap_all") == Decimal("74.9")


def test_month_end_average_headcount_weights_a_leaver_by_months_employed(hc):
    # M2 left on 30 September: employed at 6 of 12 month-ends -> 0.5 of a person.
    # Regular men: 11,750,000 / 1.5; 3,940,000 / 7,833,333.3… = 50.29… -> 50.3
    found = figures(hc(FILES, {"wage_headcount": "month_end_average"}), 2024)
    assert total(found, "hc.wage_gap_regular") == Decimal("50.3")


def test_a_tie_rounds_half_up_even_when_the_means_do_not_terminate(hc):
    # Three women paid 451,451 each, three men 2,002,000 in total (mean 667,333.33…):
    # the ratio is exactly 1353/2000 = 67.65 %, shown as 67.7 (四捨五入), not 67.6.
    employees = EMPLOYEES_HEADER + "".join(
        f"{e},{e[0]},1990-01-01,2015-04-01,,\n" for e in ("F1", "F2", "F3", "M1", "M2", "M3")
    )
    positions = POSITIONS_HEADER + "".join(
        f"{e},2015-04-01,,E02,A,G3,regular,×,×,\n" for e in ("F1", "F2", "F3", "M1", "M2", "M3")
    )
    wages = "employee_id,fiscal_year,total_wages,commuting_allowance,retirement_allowance\n"
    wages += "F1,2024,451451,0,0\nF2,2024,451451,0,0\nF3,2024,451451,0,0\n"
    wages += "M1,2024,667333,0,0\nM2,2024,667333,0,0\nM3,2024,667334,0,0\n"
    found = figures(hc({"employees": employees, "positions": positions, "wages": wages}), 2024)
    assert total(found, "hc.wage_gap_regular", entity="E02") == Decimal("67.7")


def test_an_unknown_option_is_named_with_a_suggestion(hc):
    project = hc(FILES, {"fte_part_times": True})
    with pytest.raises(MierukaError, match="did you mean 'fte_part_time'"):
        figures(project, 2024)


def test_evidence_names_the_people_behind_one_side_of_the_gap(hc):
    from mieruka.core.evidence import indicator_evidence

    project = hc(FILES)
    figures(project, 2024)
    run = project.store.runs()[-1]
    evidence = indicator_evidence(project, run, "hc.wage_mean_regular", {"entity_gender": "E01:F"})
    assert evidence.matches
    assert evidence.denominator_keys == ["P1", "W1"]
