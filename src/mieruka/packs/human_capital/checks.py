"""Domain checks run while a file is loaded: contradictions within one file.

Each check sees the typed table (with `__row`, the row as the user sees it in the file)
and returns issues naming file, row, column, what was expected and what was found. A
check only runs when the file's header is right, so every column exists. Checks that need
another dataset (wages for someone not employed that year) cannot run here, because a
load sees one file; they are rules evaluated in every run (`specs/rules.yaml`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from mieruka.core.issues import Issue

CAP = 50


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql + f" ORDER BY 1 LIMIT {CAP}").fetchall())


def _before(first: str, then: str, message: str) -> Callable[[Any, str, str], list[Issue]]:
    """A check that `then` is not earlier than `first` on the same row."""

    def check(con: Any, table: str, file: str) -> list[Issue]:
        rows = _rows(
            con,
            f'SELECT __row, "{first}", "{then}" FROM {table} WHERE "{then}" < "{first}"',
        )
        return [
            Issue(message, file, row, then, expected=f"on or after {first} {a}", found=str(b))
            for row, a, b in rows
        ]

    check.__doc__ = f"{then} earlier than {first}"
    return check


def _not_in_future(column: str, what: str) -> Callable[[Any, str, str], list[Issue]]:
    """Dates after the day of loading cannot be facts yet (a typo in the year, usually)."""

    def check(con: Any, table: str, file: str) -> list[Issue]:
        today = date.today()
        rows = _rows(
            con, f'SELECT __row, "{column}" FROM {table} WHERE "{column}" > DATE \'{today}\''
        )
        return [
            Issue(
                f"{what} is in the future",
                file,
                row,
                column,
                expected=f"a date on or before {today}",
                found=str(d),
            )
            for row, d in rows
        ]

    return check


def reason_matches_separation(con: Any, table: str, file: str) -> list[Issue]:
    """A reason without a date (or a date without a reason) makes turnover figures disagree."""
    rows = _rows(
        con,
        f"SELECT __row, separation_date, separation_reason FROM {table} "
        "WHERE (separation_date IS NULL) <> (separation_reason IS NULL)",
    )
    out = []
    for row, day, reason in rows:
        if day is None:
            out.append(
                Issue(
                    "separation reason given for someone still employed",
                    file,
                    row,
                    "separation_date",
                    expected="the separation date",
                    found="",
                )
            )
        else:
            out.append(
                Issue(
                    "separation date without a reason",
                    file,
                    row,
                    "separation_reason",
                    expected="voluntary, involuntary, retirement, death, transfer or other",
                    found=str(reason or ""),
                )
            )
    return out


def overlapping_positions(con: Any, table: str, file: str) -> list[Issue]:
    """Two positions in force on the same day would count one person twice."""
    rows = _rows(
        con,
        f"""SELECT b.__row, b.employee_id, b.valid_from, a.__row, a.valid_from, a.valid_to
        FROM {table} a JOIN {table} b
          ON a.employee_id = b.employee_id AND a.valid_from < b.valid_from
         AND (a.valid_to IS NULL OR a.valid_to >= b.valid_from)""",
    )
    return [
        Issue(
            f"position of {emp} overlaps the one on row {arow}",
            file,
            row,
            "valid_from",
            expected=f"a date after {ato or 'the open end'} (row {arow} runs {afrom} .. "
            f"{ato or 'open'})",
            found=str(start),
        )
        for row, emp, start, arow, afrom, ato in rows
    ]


def leave_taken_within_entitlement(con: Any, table: str, file: str) -> list[Issue]:
    """More days taken than granted plus carried over is impossible (a swapped column)."""
    rows = _rows(
        con,
        f"SELECT __row, days_granted + coalesce(days_carried_over, 0), days_taken FROM {table} "
        "WHERE days_taken > days_granted + coalesce(days_carried_over, 0)",
    )
    return [
        Issue(
            "more paid-leave days taken than granted and carried over",
            file,
            row,
            "days_taken",
            expected=f"at most {avail}",
            found=str(taken),
        )
        for row, avail, taken in rows
    ]


def wages_parts_within_total(con: Any, table: str, file: str) -> list[Issue]:
    """The allowances are parts of total_wages; larger parts mean the total left them out."""
    rows = _rows(
        con,
        f"SELECT __row, total_wages, coalesce(commuting_allowance, 0) "
        f"+ coalesce(retirement_allowance, 0) FROM {table} "
        "WHERE coalesce(commuting_allowance, 0) + coalesce(retirement_allowance, 0) > total_wages",
    )
    return [
        Issue(
            "commuting and retirement allowances exceed total_wages (they are parts of it)",
            file,
            row,
            "total_wages",
            expected=f"at least {parts}",
            found=str(total),
        )
        for row, total, parts in rows
    ]


CHECKS: dict[str, Sequence[Callable[[Any, str, str], list[Issue]]]] = {
    "employees": (
        _before("hire_date", "separation_date", "separation before hire"),
        _before("birth_date", "hire_date", "hired before being born"),
        _not_in_future("birth_date", "birth date"),
        reason_matches_separation,
    ),
    "positions": (
        _before("valid_from", "valid_to", "position ends before it starts"),
        overlapping_positions,
    ),
    "wages": (wages_parts_within_total,),
    "paid_leave": (leave_taken_within_entitlement,),
    "births": (_not_in_future("child_birth_date", "child's birth date"),),
    "childcare_leave": (
        _before("start_date", "end_date", "leave ends before it starts"),
        _not_in_future("child_birth_date", "child's birth date"),
    ),
}
