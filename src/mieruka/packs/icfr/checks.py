"""Domain checks run when an icfr dataset loads (beyond types and required cells).

Written as SQL over the typed table so a general ledger of hundreds of millions of lines is
checked inside DuckDB, never row by row in Python; each query stops at `LIMIT` findings.
"""

from __future__ import annotations

from typing import Any

from mieruka.core.issues import Issue
from mieruka.packs.icfr.schemas import ASSERTIONS

LIMIT = 50


def _find(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql + f" ORDER BY __row LIMIT {LIMIT}").fetchall())


def check_journal_entries(con: Any, table: str, file: str) -> list[Issue]:
    issues = [
        Issue("posted_at is not a timestamp", file, row, "posted_at",
              expected="ISO date and time, e.g. 2024-04-01 09:30:00", found=str(found))
        for row, found in _find(con, f"SELECT __row, posted_at FROM {table} "
                                     "WHERE TRY_CAST(posted_at AS TIMESTAMP) IS NULL")
    ]  # fmt: skip
    issues += [
        Issue("a line carries both a debit and a credit", file, row, "credit",
              expected="one side only (write two lines)", found=f"{debit:,} / {credit:,}")
        for row, debit, credit in _find(con, f"SELECT __row, debit, credit FROM {table} "
                                             "WHERE debit <> 0 AND credit <> 0")
    ]  # fmt: skip
    issues += [
        Issue("a line has neither a debit nor a credit", file, row, "debit",
              expected="an amount on one side", found="blank")
        for (row,) in _find(con, f"SELECT __row FROM {table} "
                                 "WHERE debit IS NULL AND credit IS NULL")
    ]  # fmt: skip
    return issues


def check_controls(con: Any, table: str, file: str) -> list[Issue]:
    allowed = ", ".join(f"'{a}'" for a in ASSERTIONS)
    rows = _find(
        con,
        f"SELECT __row, a FROM (SELECT __row, trim(unnest(string_split(assertions, ';'))) AS a "
        f"FROM {table} WHERE assertions IS NOT NULL) WHERE a <> '' AND a NOT IN ({allowed})",
    )
    return [
        Issue("unknown assertion", file, row, "assertions", expected=", ".join(ASSERTIONS),
              found=found)
        for row, found in rows
    ]  # fmt: skip


def check_tests(con: Any, table: str, file: str) -> list[Issue]:
    issues = [
        Issue("more deviations than items sampled", file, row, "deviations",
              expected=f"at most {n}", found=str(d))
        for row, n, d in _find(con, f"SELECT __row, sample_size, deviations FROM {table} "
                                    "WHERE deviations > sample_size")
    ]  # fmt: skip
    issues += [
        Issue("the sample is larger than the population", file, row, "sample_size",
              expected=f"at most {pop}", found=str(n))
        for row, pop, n in _find(con, f"SELECT __row, population_size, sample_size FROM {table} "
                                      "WHERE sample_size > population_size")
    ]  # fmt: skip
    return issues


CHECKS = {
    "journal_entries": (check_journal_entries,),
    "controls": (check_controls,),
    "tests": (check_tests,),
}
