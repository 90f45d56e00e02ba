"""Files that contradict themselves are refused at load, naming file, row and column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.conftest import make_project, write
from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError


def refused(tmp_path, dataset: str, text: str) -> MierukaError:
    project = make_project(tmp_path / "ws", {})
    try:
        with pytest.raises(MierukaError) as info:
            load(project, dataset, write(tmp_path / f"{dataset}.csv", text))
        assert project.store.snapshots() == []  # all or nothing
    finally:
        project.close()
    return info.value


def test_overlapping_positions_of_one_employee(tmp_path):
    text = POSITIONS_HEADER + (
        "E1,2020-04-01,2024-03-31,E01,営業部,G3,regular,×,×,\n"
        "E1,2024-01-01,,E01,開発部,G3,regular,×,×,\n"
        "E2,2020-04-01,,E01,開発部,G3,regular,×,×,\n"
    )
    error = refused(tmp_path, "positions", text)
    issue = error.issues[0]
    assert (issue.row, issue.column) == (3, "valid_from")
    assert "overlaps the one on row 2" in issue.message and issue.found == "2024-01-01"
    assert issue.file and issue.file.endswith("positions.csv")


def test_a_position_ending_before_it_starts(tmp_path):
    text = POSITIONS_HEADER + "E1,2024-04-01,2024-03-31,E01,営業部,G3,regular,×,×,\n"
    issue = refused(tmp_path, "positions", text).issues[0]
    assert (issue.row, issue.column, issue.found) == (2, "valid_to", "2024-03-31")
    assert issue.expected == "on or after valid_from 2024-04-01"


def test_leave_ending_before_it_starts(tmp_path):
    text = (
        "employee_id,child_birth_date,start_date,end_date,kind\n"
        "A,2024-05-01,2024-06-01,2024-05-31,childcare_leave\n"
    )
    issue = refused(tmp_path, "childcare_leave", text).issues[0]
    assert "leave ends before it starts" in str(issue) and issue.column == "end_date"


def test_a_birth_date_in_the_future(tmp_path):
    later = date.today() + timedelta(days=30)
    text = f"employee_id,child_birth_date\nA,2024-05-01\nB,{later}\n"
    issue = refused(tmp_path, "births", text).issues[0]
    assert (issue.row, issue.column, issue.found) == (3, "child_birth_date", str(later))
    assert "in the future" in issue.message


def test_separation_before_hire_and_a_reason_without_a_date(tmp_path):
    text = EMPLOYEES_HEADER + (
        "E1,F,1990-01-01,2020-04-01,2019-03-31,voluntary\nE2,M,1990-01-01,2020-04-01,,voluntary\n"
    )
    issues = refused(tmp_path, "employees", text).issues
    assert [(i.row, i.column) for i in issues] == [(2, "separation_date"), (3, "separation_date")]
    assert "separation before hire" in issues[0].message
    assert "still employed" in issues[1].message


def test_an_unknown_employment_type_is_refused_with_the_allowed_values(tmp_path):
    text = POSITIONS_HEADER + "E1,2024-04-01,,E01,営業部,G3,dispatched,×,×,\n"
    issue = refused(tmp_path, "positions", text).issues[0]
    assert issue.column == "employment_type" and issue.found == "dispatched"


def test_more_leave_taken_than_available(tmp_path):
    text = "employee_id,fiscal_year,days_granted,days_carried_over,days_taken\nE1,2024,20,5,26\n"
    issue = refused(tmp_path, "paid_leave", text).issues[0]
    assert (issue.column, issue.expected, issue.found) == ("days_taken", "at most 25.000", "26.000")


def test_allowances_larger_than_the_total(tmp_path):
    text = (
        "employee_id,fiscal_year,total_wages,commuting_allowance,retirement_allowance\n"
        "E1,2024,100000,50000,60000\n"
    )
    issue = refused(tmp_path, "wages", text).issues[0]
    assert (issue.row, issue.column) == (2, "total_wages")
