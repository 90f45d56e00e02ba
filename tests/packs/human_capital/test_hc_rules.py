"""Contradictions across datasets are reported as violations of the run."""

from __future__ import annotations

from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER

from mieruka.core.period import Period
from mieruka.core.runs import start_run

EMPLOYEES = (
    EMPLOYEES_HEADER
    + """\
A,F,1990-01-01,2015-04-01,2024-03-31,retirement
B,M,1990-01-01,2024-10-01,,
C,M,1990-01-01,2010-04-01,,
"""
)
POSITIONS = (
    POSITIONS_HEADER
    + """\
A,2015-04-01,2024-03-31,E01,営業部,G3,regular,×,×,
B,2024-10-01,,E01,営業部,G3,regular,×,×,
Z,2024-04-01,,E01,営業部,G3,regular,×,×,
"""
)
WAGES = """\
employee_id,fiscal_year,total_wages,commuting_allowance,retirement_allowance
A,2024,"2,000,000",0,"2,000,000"
B,2024,"2,500,000",0,0
C,2024,"6,000,000",0,0
Z,2024,"1,000,000",0,0
"""


def violations(project, fy: int) -> dict[str, list[dict]]:
    run = start_run(project, Period.for_fiscal_year(fy))
    out: dict[str, list[dict]] = {}
    for v in project.store.violations(run.id):
        out.setdefault(v["rule"], []).append(v["key"])
    return out


def test_wages_for_someone_not_employed_that_year(hc):
    # A left on 2024-03-31: her FY2024 row holds only the retirement allowance paid after
    # leaving, which is legitimate. Z is not on the roster at all.
    project = hc({"employees": EMPLOYEES, "positions": POSITIONS, "wages": WAGES})
    found = violations(project, 2024)
    assert found["hc.wages_while_not_employed"] == [{"employee_id": "Z", "fiscal_year": 2024}]
    assert found["hc.position_of_unknown_employee"] == [
        {"employee_id": "Z", "valid_from": "2024-04-01"}
    ]
    # C is employed on 2025-03-31 but has no position: missing from per-entity figures
    assert found["hc.employed_without_position"] == [{"employee_id": "C"}]


def test_leave_for_a_child_whose_birth_is_not_recorded(hc):
    leave = "employee_id,child_birth_date,start_date,end_date,kind\n"
    leave += "B,2024-11-01,2024-11-02,2024-12-01,postnatal_paternity\n"
    births = "employee_id,child_birth_date\nC,2024-06-01\n"
    files = {"employees": EMPLOYEES, "births": births, "childcare_leave": leave}
    found = violations(hc(files), 2024)
    assert found["hc.leave_without_birth"] == [
        {"employee_id": "B", "child_birth_date": "2024-11-01"}
    ]
