"""Load-time checks of one SLL file at a time: what a single row can already get wrong.

Checks that need two datasets (an SPT for a KPI the loan does not have, a fiscal year
outside the loan's life…) are rules in `rules.yaml`, because a file is loaded alone and
the other datasets may come later or change; the rules run with every evaluation.
Each check returns located issues (file, row, column, expected, found), never raises.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from mieruka.core.issues import Issue
from mieruka.packs.sll.kpivalue import is_done_target, parse_done, parse_number

_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_SOURCE = re.compile(r"^(manual|indicator:[a-z][a-z0-9_]*(\.[a-z0-9_]+)*)$")


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a judgment date such as `07-31`; None when it is not a real day.

    A leap day is refused: a yearly judgment date must exist every year.
    """
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2023, month, day)
    except ValueError:
        return None
    return month, day


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql).fetchall())


def check_loans(con: Any, table: str, file: str) -> list[Issue]:
    issues = [
        Issue(
            f"loan {loan}: the maturity date is not after the start date",
            file=file,
            row=row,
            column="maturity_date",
            expected=f"a date after {start}",
            found=str(end),
        )
        for row, loan, start, end in _rows(
            con,
            f"SELECT __row, loan_id, start_date, maturity_date FROM {table} "
            "WHERE maturity_date <= start_date ORDER BY __row",
        )
    ]
    for row, loan, text in _rows(
        con, f"SELECT __row, loan_id, judgment_date FROM {table} ORDER BY __row"
    ):
        if month_day(str(text)) is None:
            issues.append(
                Issue(
                    f"loan {loan}: the judgment date is not a month-day",
                    file=file,
                    row=row,
                    column="judgment_date",
                    expected="a month-day such as 07-31 (not 02-29)",
                    found=str(text),
                )
            )
    return issues


def check_loan_kpis(con: Any, table: str, file: str) -> list[Issue]:
    issues: list[Issue] = []
    sql = f"SELECT __row, loan_id, kpi_id, unit, comparator, source FROM {table} ORDER BY __row"
    for row, loan, kpi, unit, comparator, source in _rows(con, sql):
        where = f"loan {loan}, KPI {kpi}"
        if (unit == "done") != (comparator == "done"):
            expected = "'done' for a KPI whose unit is 'done'" if unit == "done" else ">= or <="
            issues.append(
                Issue(
                    f"{where}: the comparator does not fit the unit '{unit}'",
                    file=file,
                    row=row,
                    column="comparator",
                    expected=expected,
                    found=comparator,
                )
            )
        if source is not None and not _SOURCE.match(source):
            issues.append(
                Issue(
                    f"{where}: unknown source",
                    file=file,
                    row=row,
                    column="source",
                    expected="manual or indicator:<indicator id>, e.g. indicator:hc.paid_leave_rate",
                    found=source,
                )
            )
    return issues


def check_spts(con: Any, table: str, file: str) -> list[Issue]:
    sql = f"SELECT __row, loan_id, kpi_id, fiscal_year, target FROM {table} ORDER BY __row"
    return [
        Issue(
            f"loan {loan}, KPI {kpi}, FY{fy}: the target is neither a number nor 'done'",
            file=file,
            row=row,
            column="target",
            expected="a number such as 53 or 53.5, or done",
            found=target,
        )
        for row, loan, kpi, fy, target in _rows(con, sql)
        if parse_number(target) is None and not is_done_target(target)
    ]


def check_observations(con: Any, table: str, file: str) -> list[Issue]:
    issues: list[Issue] = []
    sql = (
        "SELECT __row, loan_id, kpi_id, fiscal_year, value, reported_on, verified_by, "
        f"verified_on, verification FROM {table} ORDER BY __row"
    )
    for row, loan, kpi, fy, value, reported, by, on, verdict in _rows(con, sql):
        where = f"loan {loan}, KPI {kpi}, FY{fy}"
        if value is not None and parse_number(value) is None and parse_done(value) is None:
            issues.append(
                Issue(
                    f"{where}: the value is neither a number nor done / not done",
                    file=file,
                    row=row,
                    column="value",
                    expected="a number such as 58.3, or done / not done (実施 / 未実施)",
                    found=value,
                )
            )
        if on is not None and reported is not None and on < reported:
            issues.append(
                Issue(
                    f"{where}: verified before it was reported",
                    file=file,
                    row=row,
                    column="verified_on",
                    expected=f"a date on or after the report date {reported}",
                    found=str(on),
                )
            )
        if verdict in ("passed", "failed") and (by is None or on is None):
            column = "verified_by" if by is None else "verified_on"
            issues.append(
                Issue(
                    f"{where}: a verification '{verdict}' needs who verified it and when",
                    file=file,
                    row=row,
                    column=column,
                    expected="the verifier and the verification date",
                    found="",
                )
            )
        if verdict is not None and reported is None:
            issues.append(
                Issue(
                    f"{where}: a verification without a report date",
                    file=file,
                    row=row,
                    column="reported_on",
                    expected="the date the borrower reported the value",
                    found="",
                )
            )
    return issues


CHECKS = {
    "loans": (check_loans,),
    "loan_kpis": (check_loan_kpis,),
    "spts": (check_spts,),
    "observations": (check_observations,),
}
