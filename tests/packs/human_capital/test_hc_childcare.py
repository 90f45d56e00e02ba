"""男性労働者の育児休業等取得率, methods 1 and 2, as 育児・介護休業法 counts them."""

from __future__ import annotations

from decimal import Decimal

from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER, figures, total

METHOD_1 = "hc.male_childcare_leave_rate"
METHOD_2 = "hc.male_childcare_leave_rate_incl_purpose"

EMPLOYEES = (
    EMPLOYEES_HEADER
    + "\n".join(
        f"{e},{g},1990-01-01,2015-04-01,,"
        for e, g in [
            ("A", "M"),
            ("B", "M"),
            ("C", "M"),
            ("D", "M"),
            ("E", "M"),
            ("F", "F"),
            ("G", "M"),
        ]
    )
    + "\n"
)
POSITIONS = (
    POSITIONS_HEADER
    + "\n".join(
        f"{e},2015-04-01,,{'E01' if e == 'A' else 'E02'},営業部,G3,regular,×,×," for e in "ABCDEFG"
    )
    + "\n"
)
BIRTHS = """\
employee_id,child_birth_date
A,2024-05-10
B,2024-03-15
C,2024-06-01
C,2024-06-01
D,2024-08-01
E,2024-10-01
F,2024-07-07
G,2025-02-01
"""
LEAVE = """\
employee_id,child_birth_date,start_date,end_date,kind
A,2024-05-10,2024-05-20,2024-06-10,postnatal_paternity
B,2024-03-15,2024-04-10,2024-09-30,childcare_leave
D,2024-08-01,2024-09-01,2024-09-30,childcare_leave
D,2024-08-01,2025-04-01,2025-05-31,childcare_leave
E,2024-10-01,2024-10-02,2024-10-03,purpose_leave
F,2024-07-07,2024-07-07,2025-07-06,childcare_leave
G,2025-02-01,2025-03-20,2025-06-30,childcare_leave
"""


def project(hc):
    return hc(
        {
            "employees": EMPLOYEES,
            "positions": POSITIONS,
            "births": BIRTHS,
            "childcare_leave": LEAVE,
        }
    )


def test_method_1_counts_men_who_started_leave_over_men_whose_child_was_born(hc):
    # Born in FY2024 to men: A, C (twins: one birth), D, E, G -> denominator 5.
    # Started 育児休業等 in FY2024: A, B (child born in March, leave in April), D, G (leave
    # running into the next year) -> numerator 4. E took only 育児目的休暇; F is a woman.
    found = figures(project(hc), 2024)
    assert total(found, METHOD_1) == Decimal("80")
    assert total(found, METHOD_1, entity="E01") == Decimal("100")  # A alone
    assert total(found, METHOD_1, entity="E02") == Decimal("75")  # B, D, G over C, D, E, G


def test_method_2_also_counts_childcare_purpose_leave(hc):
    found = figures(project(hc), 2024)
    assert total(found, METHOD_2) == Decimal("100")  # E joins the numerator: 5 / 5


def test_a_father_whose_child_was_born_in_march_counts_only_in_the_denominator_that_year(hc):
    # FY2023: B's child is born (denominator 1); his leave starts in April, in FY2024.
    found = figures(project(hc), 2023)
    assert total(found, METHOD_1) == Decimal("0")


def test_leave_for_one_child_split_over_two_years_counts_once(hc):
    # D's second spell starts in FY2025: no numerator that year, and no birth either.
    found = figures(project(hc), 2025)
    assert total(found, METHOD_1) is None


def test_the_rate_can_exceed_100_percent_and_is_truncated(hc):
    # FY2024: one birth (P, no leave yet) and two fathers of last year's children on leave.
    employees = EMPLOYEES_HEADER + "P,M,1990-01-01,2015-04-01,,\nQ,M,1990-01-01,2015-04-01,,\n"
    employees += "R,M,1990-01-01,2015-04-01,,\n"
    positions = POSITIONS_HEADER + "".join(
        f"{e},2015-04-01,,E01,A,G3,regular,×,×,\n" for e in "PQR"
    )
    births = "employee_id,child_birth_date\nP,2024-12-01\nQ,2024-02-01\nR,2024-03-01\n"
    leave = "employee_id,child_birth_date,start_date,end_date,kind\n"
    leave += "Q,2024-02-01,2024-04-01,2024-06-30,childcare_leave\n"
    leave += "R,2024-03-01,2024-05-01,2024-05-31,postnatal_paternity\n"
    files = {"employees": employees, "positions": positions, "births": births}
    found = figures(hc({**files, "childcare_leave": leave}), 2024)
    assert total(found, METHOD_1) == Decimal("200")


def test_two_of_three_is_66_percent_not_67(hc):
    employees = EMPLOYEES_HEADER + "".join(f"{e},M,1990-01-01,2015-04-01,,\n" for e in "PQR")
    positions = POSITIONS_HEADER + "".join(
        f"{e},2015-04-01,,E01,A,G3,regular,×,×,\n" for e in "PQR"
    )
    births = "employee_id,child_birth_date\nP,2024-05-01\nQ,2024-06-01\nR,2024-07-01\n"
    leave = "employee_id,child_birth_date,start_date,end_date,kind\n"
    leave += "P,2024-05-01,2024-05-02,2024-05-31,postnatal_paternity\n"
    leave += "Q,2024-06-01,2024-06-02,2024-06-30,childcare_leave\n"
    files = {"employees": employees, "positions": positions, "births": births}
    found = figures(hc({**files, "childcare_leave": leave}), 2024)
    assert total(found, METHOD_1) == Decimal("66")  # 66.66… truncated (小数第1位以下切捨て)
