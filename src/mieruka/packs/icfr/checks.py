"""Domain checks run when an icfr dataset loads (beyond types and required cells).

Written as SQL over the typed table so a general ledger of hundreds of millions of lines is
checked inside DuckDB, never row by row in Python; each query stops at `LIMIT` findings.
"""

from __future__ import annotations

import difflib
from typing import Any

from mieruka.core.issues import Issue
from mieruka.packs.icfr.entity_controls import ALLOWED, ITEM_IDS, NOT_EVALUATED, normalise
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


def check_entity_controls(con: Any, table: str, file: str) -> list[Issue]:
    known = ", ".join(f"'{i}'" for i in ITEM_IDS)
    issues = [
        Issue("unknown checklist item", file, row, "item_id",
              expected=_closest(str(item)) + "or a company item with element and item",
              found=str(item))
        for row, item in _find(con, f"SELECT __row, item_id FROM {table} WHERE item_id NOT IN "
                                    f"({known}) AND (element IS NULL OR item IS NULL)")
    ]  # fmt: skip
    decided = ", ".join(f"'{c}'" for c in ALLOWED if normalise(c) != NOT_EVALUATED)
    issues += [
        Issue("a conclusion needs the evidence it rests on", file, row, "evidence",
              expected="a reference to the evidence (document, minutes, test paper)",
              found="blank")
        for (row,) in _find(con, f"SELECT __row FROM {table} WHERE conclusion IN ({decided}) "
                                 "AND (evidence IS NULL OR trim(evidence) = '')")
    ]  # fmt: skip
    return issues


RANGES = "CE01–CE13, RA01–RA04, CA01–CA07, IC01–IC06, MO01–MO07 or IT01–IT05"


def _closest(item: str) -> str:
    text = item.strip().upper()
    text = text[:2] + text[2:].replace("O", "0").replace("I", "1")  # CE1O → CE10
    near = [text] if text in ITEM_IDS else difflib.get_close_matches(text, list(ITEM_IDS), n=1)
    return (f"did you mean {near[0]}? " if near else "") + f"one of {RANGES}, "


CHECKS = {
    "journal_entries": (check_journal_entries,),
    "controls": (check_controls,),
    "tests": (check_tests,),
    "entity_controls": (check_entity_controls,),
}
