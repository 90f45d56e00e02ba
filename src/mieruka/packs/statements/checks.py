"""Domain checks run when a statements dataset is loaded (beyond types and required cells).

They catch what a schema cannot say: a depreciable asset without a useful life, land in a
depreciable section, a disposal before the acquisition, a line that does not roll forward
in yen, a schedule cell that is not an amount. Each issue names the file, row and column.
"""

from __future__ import annotations

from typing import Any

from mieruka.core.issues import Issue
from mieruka.packs.statements.others import TEMPLATES, roll_forward_gaps
from mieruka.packs.statements.reader import parse_cell
from mieruka.packs.statements.schemas import AMOUNTS, HOME_SECTIONS, NOT_DEPRECIATED


def _rows(con: Any, table: str) -> list[dict[str, Any]]:
    cursor = con.execute(f"SELECT * FROM {table} ORDER BY __row")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def check_fixed_assets(con: Any, table: str, file: str) -> list[Issue]:
    issues: list[Issue] = []
    for r in _rows(con, table):
        row, cls, section = r["__row"], r["asset_class"], r["section"]
        depreciated = cls not in NOT_DEPRECIATED and section != "non_depreciable"
        if depreciated and not r["useful_life_years"]:
            issues.append(Issue(f"{cls} is depreciated and needs a useful life", file, row,
                                "useful_life_years", expected="a whole number of years", found=""))  # fmt: skip
        home = HOME_SECTIONS.get(cls)
        if home and section != "other_assets" and section not in home:
            issues.append(Issue(f"{cls} cannot be filed under {section}", file, row, "section",
                                expected=" or ".join(home), found=section))  # fmt: skip
        if r["disposed_on"] is not None and r["disposed_on"] < r["acquired_on"]:
            issues.append(Issue("disposed before it was acquired", file, row, "disposed_on",
                                expected=f"on or after {r['acquired_on']}", found=str(r["disposed_on"])))  # fmt: skip
        impairment = (r["impairment_in_pl"] or 0) + (r["impairment_outside_pl"] or 0)
        if impairment > r["cost"]:
            issues.append(Issue("impairment exceeds the cost", file, row, "impairment_in_pl",
                                expected=f"at most {r['cost']:,}", found=f"{impairment:,}"))  # fmt: skip
    return issues


def check_schedule_cells(con: Any, table: str, file: str) -> list[Issue]:
    issues: list[Issue] = []
    for r in _rows(con, table):
        for column in AMOUNTS:
            try:
                parse_cell(r[column])
            except ValueError as exc:
                issues.append(Issue(str(exc), file, r["__row"], column))
    return issues


def _roll_forward(dataset: str) -> Any:
    template = TEMPLATES[dataset]

    def check(con: Any, table: str, file: str) -> list[Issue]:
        found = []
        for r in _rows(con, table):
            gap = roll_forward_gaps(template, r)
            if gap:
                found.append(Issue("the line does not roll forward (opening + increases − "
                                   "decreases = closing)", file, r["__row"], "closing",
                                   expected=f"{r['closing'] + gap:,}", found=f"{r['closing']:,}"))  # fmt: skip
        return found

    return check


CHECKS = {
    "fixed_assets": (check_fixed_assets,),
    "schedule_fixed_assets": (check_schedule_cells,),
    **{name: (_roll_forward(name),) for name in TEMPLATES},
}
