"""Domain checks run while a funds file loads: what a schema cannot say about one row.

Each returns located issues (file, row, column, expected, found), so a treasurer sees every
problem in a file at once and nothing is stored until the file is right. Cross-file
references (a holding's fund exists) are not checked here, because files load one at a time.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from mieruka.core.issues import Issue
from mieruka.packs.funds.ratings import parse_ratings, rank

BONDS = tuple(range(6, 14))  # types with a coupon and a maturity (6–13)
DEPOSITS = (1, 2, 3)


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql).fetchall())


def holdings(con: Any, table: str, file: str) -> list[Issue]:
    issues: list[Issue] = []
    sql = (
        "SELECT __row, instrument_type, issue_date, maturity_date, coupon_rate, ratings, "
        f"bank_id, acquired_on, coupon_frequency FROM {table} ORDER BY __row"
    )
    for row, kind, issued, matures, coupon, ratings, bank, acquired, freq in _rows(con, sql):
        if issued and matures and matures <= issued:
            issues.append(
                Issue(
                    "a holding matures on or before its issue date",
                    file=file,
                    row=row,
                    column="maturity_date",
                    expected=f"a date after {issued}",
                    found=str(matures),
                )
            )
        if kind in BONDS and (matures is None or coupon is None):
            column = "maturity_date" if matures is None else "coupon_rate"
            issues.append(
                Issue(
                    f"a bond (instrument type {kind}) needs a maturity date and a coupon rate",
                    file=file,
                    row=row,
                    column=column,
                    expected="a value",
                    found="",
                )
            )
        if freq is not None and freq not in (0, 1, 2, 4, 12):
            issues.append(
                Issue(
                    "unknown coupon frequency",
                    file=file,
                    row=row,
                    column="coupon_frequency",
                    expected="0, 1, 2, 4 or 12 payments a year",
                    found=str(freq),
                )
            )
        if kind in DEPOSITS and not bank:
            issues.append(
                Issue(
                    "a deposit names the bank that holds it",
                    file=file,
                    row=row,
                    column="bank_id",
                    expected="a bank_id from the banks file",
                    found="",
                )
            )
        if acquired and matures and acquired > matures:
            issues.append(
                Issue(
                    "acquired after it matured",
                    file=file,
                    row=row,
                    column="acquired_on",
                    expected=f"on or before {matures}",
                    found=str(acquired),
                )
            )
        issues.extend(_ratings(ratings, file, row))
    return issues


def _ratings(text: str | None, file: str, row: int) -> list[Issue]:
    try:
        parse_ratings(text)
    except ValueError as exc:
        return [
            Issue(
                f"unreadable ratings: {exc}",
                file=file,
                row=row,
                column="ratings",
                expected="AGENCY:RATING separated by ';', e.g. R&I:AA;JCR:AA+",
                found=text,
            )
        ]
    return []


def _one_rating(text: str | None, file: str, row: int, column: str) -> list[Issue]:
    if text is None:
        return []
    try:
        rank(text)
    except ValueError as exc:
        return [Issue(str(exc), file=file, row=row, column=column, found=text)]
    return []


def rating_history(con: Any, table: str, file: str) -> list[Issue]:
    rows = _rows(con, f"SELECT __row, rating FROM {table} ORDER BY __row")
    return [i for row, rating in rows for i in _one_rating(rating, file, row, "rating")]


def banks(con: Any, table: str, file: str) -> list[Issue]:
    issues = [
        i
        for row, rating in _rows(con, f"SELECT __row, rating FROM {table} ORDER BY __row")
        for i in _one_rating(rating, file, row, "rating")
    ]
    dupes = _rows(
        con,
        f"SELECT max(__row), bank_id, entity_id FROM {table} "
        "GROUP BY bank_id, entity_id HAVING count(*) > 1 ORDER BY 1",
    )
    issues.extend(
        Issue(
            f"bank {bank} appears twice" + (f" for entity {entity}" if entity else ""),
            file=file,
            row=row,
            column="bank_id",
            expected="one row per bank (and per entity, when entity_id is given)",
            found=bank,
        )
        for row, bank, entity in dupes
    )
    return issues


def market(con: Any, table: str, file: str) -> list[Issue]:
    sql = f"SELECT __row, holding_id, tenor_years, yield_pct, price FROM {table} ORDER BY __row"
    issues: list[Issue] = []
    for row, holding, tenor, yld, price in _rows(con, sql):
        if (holding is None) == (tenor is None):
            issues.append(
                Issue(
                    "a market row is either for one holding or for a tenor of the yield curve",
                    file=file,
                    row=row,
                    column="holding_id",
                    expected="exactly one of holding_id, tenor_years",
                    found=f"holding_id={holding or ''}, tenor_years={tenor if tenor is not None else ''}",
                )
            )
        if (yld is None) == (price is None):
            issues.append(
                Issue(
                    "a market row gives a yield or a price",
                    file=file,
                    row=row,
                    column="yield_pct",
                    expected="exactly one of yield_pct, price",
                    found=f"yield_pct={yld if yld is not None else ''}, price={price if price is not None else ''}",
                )
            )
        elif tenor is not None and yld is None:
            issues.append(
                Issue(
                    "a yield-curve point needs a yield",
                    file=file,
                    row=row,
                    column="yield_pct",
                    expected="a yield in %",
                    found="",
                )
            )
    return issues


def committee_actions(con: Any, table: str, file: str) -> list[Issue]:
    """A decision has its date; a closed item was decided; referral ≤ decision ≤ closure."""
    issues: list[Issue] = []
    sql = f"SELECT __row, referred_on, decision, decided_on, closed_on FROM {table} ORDER BY __row"
    for row, referred, decision, decided, closed in _rows(con, sql):
        if (decision is None) != (decided is None):
            column = "decided_on" if decided is None else "decision"
            issues.append(
                Issue(
                    "a committee decision is recorded with its date",
                    file=file,
                    row=row,
                    column=column,
                    expected="both decision and decided_on, or neither",
                    found=f"decision={decision or ''}, decided_on={decided or ''}",
                )
            )
        if closed is not None and decision is None:
            issues.append(
                Issue(
                    "an item is closed only after the committee decided",
                    file=file,
                    row=row,
                    column="decision",
                    expected="sell, keep or keep_with_plan",
                    found="",
                )
            )
        dated = [(c, d) for c, d in (("referred_on", referred), ("decided_on", decided),
                                      ("closed_on", closed)) if d is not None]  # fmt: skip
        for (before, a), (after, b) in pairwise(dated):
            if b < a:
                issues.append(
                    Issue(
                        f"{after} is before {before}",
                        file=file,
                        row=row,
                        column=after,
                        expected=f"on or after {a}",
                        found=str(b),
                    )
                )
    return issues


CHECKS = {
    "holdings": (holdings,),
    "rating_history": (rating_history,),
    "banks": (banks,),
    "market": (market,),
    "committee_actions": (committee_actions,),
}
