"""女性管理職比率: managers on the fiscal year's last day, officers excluded."""

from __future__ import annotations

from decimal import Decimal

from tests.packs.human_capital.conftest import EMPLOYEES_HEADER, POSITIONS_HEADER, figures, total

EMPLOYEES = (
    EMPLOYEES_HEADER
    + """\
E1,F,1975-05-01,2000-04-01,,
E2,M,1970-05-01,1995-04-01,,
E3,F,1960-05-01,1985-04-01,,
E4,F,1972-05-01,1996-04-01,2024-12-31,voluntary
E5,M,1968-05-01,1992-04-01,,
E6,F,1964-04-10,1987-04-01,2025-03-31,retirement
E7,X,1980-05-01,2005-04-01,,
E8,F,1990-05-01,2013-04-01,,
E9,F,1985-05-01,2008-04-01,,
"""
)

POSITIONS = (
    POSITIONS_HEADER
    + """\
E1,2015-04-01,,E01,営業部,M1,regular,○,×,
E2,2010-04-01,,E01,営業部,M2,regular,○,×,
E3,2018-06-25,,E01,役員室,EX,regular,○,○,
E4,2016-04-01,,E01,開発部,M1,regular,○,×,
E5,2012-04-01,,E02,製造部,M1,regular,○,×,
E6,2010-04-01,,E01,開発部,M2,regular,○,×,
E7,2019-04-01,,E01,開発部,M1,regular,○,×,
E8,2013-04-01,,E01,開発部,G3,regular,×,×,
E9,2008-04-01,2025-03-31,E01,開発部,G3,regular,×,×,
E9,2025-04-01,,E01,開発部,M1,regular,○,×,
"""
)


def test_women_in_management_at_the_fiscal_year_end(hc):
    # Managers on 2025-03-31: E01 has E1 (F), E2 (M), E6 (F, retires that very day) and
    # E7 (X, counted among managers); E02 has E5 (M). The officer E3 is not a manager, E4
    # left in December, and E9 becomes a manager only on 2025-04-01.
    project = hc({"employees": EMPLOYEES, "positions": POSITIONS})
    found = figures(project, 2024)
    assert total(found, "hc.female_manager_share") == Decimal("40.0")  # 2 / 5
    assert total(found, "hc.female_manager_share", entity="E01") == Decimal("50.0")  # 2 / 4
    assert total(found, "hc.female_manager_share", entity="E02") == Decimal("0.0")


def test_the_share_is_rounded_half_up_to_one_decimal(hc):
    # 1 woman among 8 managers = 12.5 % exactly; 1 among 3 = 33.333… -> 33.3
    rows = [f"M{i},M,1970-01-01,2000-04-01,," for i in range(7)]
    emp = EMPLOYEES_HEADER + "W1,F,1970-01-01,2000-04-01,,\n" + "\n".join(rows) + "\n"
    pos = POSITIONS_HEADER + "W1,2010-04-01,,E01,A,M1,regular,○,×,\n"
    pos += "\n".join(
        f"M{i},2010-04-01,,{'E01' if i < 2 else 'E02'},A,M1,regular,○,×," for i in range(7)
    )
    found = figures(hc({"employees": emp, "positions": pos + "\n"}), 2024)
    assert total(found, "hc.female_manager_share") == Decimal("12.5")
    assert total(found, "hc.female_manager_share", entity="E01") == Decimal("33.3")
