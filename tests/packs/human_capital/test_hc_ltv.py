"""Employee LTV: realised value plus retention-weighted, discounted remaining value."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER, figures, total

from mieruka.packs.human_capital.ltv import kaplan_meier

EMPLOYEES = (
    EMPLOYEES_HEADER
    + """\
P,M,1961-10-01,2020-04-01,,
Q,F,1990-01-01,2020-04-01,2025-01-31,voluntary
R,F,1985-01-01,2019-04-01,,
"""
)
POSITIONS = POSITIONS_HEADER + "".join(
    f"{e},{d},,E01,A,G3,regular,×,×,\n"
    for e, d in (("P", "2020-04-01"), ("Q", "2020-04-01"), ("R", "2019-04-01"))
)
WAGES = """\
employee_id,fiscal_year,total_wages,commuting_allowance,retirement_allowance
P,2023,"6,000,000",0,0
P,2024,"6,000,000",0,0
"""
CONTRIBUTION = """\
employee_id,fiscal_year,value_added
P,2023,"9,000,000"
P,2024,"9,600,000"
"""
FILES = {
    "employees": EMPLOYEES,
    "positions": POSITIONS,
    "wages": WAGES,
    "contribution": CONTRIBUTION,
}


def test_kaplan_meier_counts_leavers_as_events_and_censors_current_staff():
    # three at risk in year 5; one leaves, two are censored -> S(5) = 2/3
    surv = kaplan_meier(np.array([4.999, 4.84, 6.0]), np.array([False, True, False]), 6)
    assert list(surv[:5]) == [1, 1, 1, 1, 1]
    assert abs(surv[5] - 2 / 3) < 1e-12 and abs(surv[6] - 2 / 3) < 1e-12


def test_ltv_of_a_63_year_old_with_one_year_left(hc):
    # P: realised (9.0M − 6.0M) + (9.6M − 6.0M) = 6,600,000. Aged 63.5 -> one more year to
    # 65; department A keeps 2 of 3 people through year 5 (Q left in her fifth year), so
    # expected = 3,300,000 (mean net) × 2/3 ÷ 1.05 = 2,095,238; LTV = 8,695,238.
    found = figures(hc(FILES), 2024)
    assert total(found, "hc.employee_ltv") == Decimal("8695238")
    assert total(found, "hc.retention_curve", department="A", tenure_year="05") == Decimal("66.7")


def test_the_discount_rate_is_an_option(hc):
    found = figures(hc(FILES, {"ltv_discount_rate": 0}), 2024)
    assert total(found, "hc.employee_ltv") == Decimal("8800000")  # 6.6M + 2.2M
