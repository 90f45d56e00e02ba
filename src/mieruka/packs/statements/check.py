"""The arithmetic of schedule (1), checked the way an auditor ticks it — with truncation.

Every identity (a row's roll-forward, its net book value, a section's 計, a total's class
rows) holds exactly in yen. Printed in 千円 with each cell truncated on its own, a cell
shown as t > 0 stands for a true value in [t, t+1), one shown as t < 0 for (t-1, t]. For
an identity Σ cₖ·Vₖ = 0 the printed difference D = Σ cₖ·tₖ therefore lies in (−n, p),
where n counts the terms with cₖ·tₖ > 0 and p those with cₖ·tₖ < 0. A difference inside
that window is accepted and reported as a truncation effect; anything else is an error.
A cell shown as `-` or 0 is taken as exactly zero, which is what `-` means in a
published schedule — it also keeps the window tight enough to catch a transposed digit
(whose difference is a multiple of 9) in a section of fewer than ten classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from mieruka.packs.statements.model import ScheduleRow, section_label
from mieruka.packs.statements.schemas import (
    AMOUNTS,
    NOT_DEPRECIATED,
    SECTIONS,
    SUBTOTAL,
    TOTALS,
)

Terms = list[tuple[int, int]]  # (coefficient, printed value) on the expected side


@dataclass(frozen=True)
class Finding:
    """One check outcome worth telling: an `error`, or an `accepted` truncation difference."""

    status: str
    check: str
    section: str
    asset_class: str
    column: str
    expected: int
    found: int
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = f"row {self.line}, " if self.line else ""
        return (
            f"{self.status}: {where}{section_label(self.section)} / {self.asset_class} / "
            f"{self.column}: {self.message}; expected {self.expected:,}, found {self.found:,}"
        )


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    rows: int = 0
    comparisons: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "error"]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "accepted"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "comparisons": self.comparisons,
            "errors": len(self.errors),
            "accepted_truncation": len(self.accepted),
            "findings": [f.to_dict() for f in self.findings],
        }


def truncation_window(terms: Terms, found: int) -> tuple[int, int]:
    """The open interval (−n, p) that per-cell truncation allows for expected − found."""
    signed = [c * v for c, v in terms] + [-found]
    return -sum(1 for s in signed if s > 0), sum(1 for s in signed if s < 0)


class _Checker:
    def __init__(self, rows: Sequence[ScheduleRow]) -> None:
        self.rows = list(rows)
        self.report = CheckReport(rows=len(self.rows))

    def add(self, status: str, check: str, row: ScheduleRow, column: str, exp: int, found: int,
            message: str) -> None:  # fmt: skip
        self.report.findings.append(
            Finding(
                status, check, row.section, row.asset_class, column, exp, found, message, row.line
            )
        )

    def compare(self, check: str, row: ScheduleRow, column: str, terms: Terms, what: str) -> int:
        """Compare a printed cell with the sum it must equal; returns expected − found."""
        self.report.comparisons += 1
        expected = sum(c * v for c, v in terms)
        found = row.get(column)
        diff = expected - found
        if diff == 0:
            return 0
        low, high = truncation_window(terms, found)
        if low < diff < high:
            self.add("accepted", check, row, column, expected, found,
                     f"{what}: a difference of {diff:+,} 千円 is explained by truncating each "
                     f"cell to 千円 (allowed: {low + 1:+} .. {high - 1:+})")  # fmt: skip
        else:
            self.add("error", check, row, column, expected, found,
                     f"{what} does not agree (difference {diff:+,} 千円, more than per-cell "
                     f"truncation allows: {low + 1:+} .. {high - 1:+})")  # fmt: skip
        return diff

    def rows_of(self, section: str) -> tuple[list[ScheduleRow], ScheduleRow | None]:
        members = [r for r in self.rows if r.section == section]
        subtotal = next((r for r in members if r.is_subtotal), None)
        return [r for r in members if not r.is_subtotal], subtotal

    def structure(self) -> None:
        seen: dict[tuple[str, str], ScheduleRow] = {}
        for row in self.rows:
            key = (row.section, row.asset_class)
            if key in seen:
                self.add("error", "duplicate", row, "asset_class", 1, 2,
                         "the same class appears twice in a section")  # fmt: skip
            seen[key] = row
        for section in SECTIONS:
            if (section, SUBTOTAL) not in seen:
                where = ScheduleRow(section, SUBTOTAL, {})
                self.add("error", "missing_subtotal", where, "asset_class", 1, 0,
                         f"the section has no {SUBTOTAL} row")  # fmt: skip

    def row_identities(self) -> None:
        for r in self.rows:
            self.compare("roll_forward", r, "closing",
                         [(1, r.get("opening")), (1, r.get("increase")), (-1, r.get("decrease"))],
                         "opening + increase − decrease = closing")  # fmt: skip
            self.compare("net", r, "net_closing",
                         [(1, r.get("closing")), (-1, r.get("accumulated_depreciation")),
                          (-1, r.get("accumulated_impairment"))],
                         "closing − accumulated depreciation − accumulated impairment = net")  # fmt: skip
            depreciated = r.get("depreciation_for_period") or r.get("accumulated_depreciation")
            if depreciated and (r.section == "non_depreciable" or r.asset_class in NOT_DEPRECIATED):
                self.add("error", "not_depreciated", r, "depreciation_for_period", 0, depreciated,
                         f"{r.asset_class} in {section_label(r.section)} is not depreciated")  # fmt: skip

    def section_totals(self) -> dict[str, dict[str, int]]:
        gaps: dict[str, dict[str, int]] = {}
        for section in SECTIONS:
            members, subtotal = self.rows_of(section)
            if subtotal is None:
                continue
            for column in AMOUNTS:
                terms = [(1, r.get(column)) for r in members]
                diff = self.compare(
                    "subtotal", subtotal, column, terms, "sum of the section's class rows"
                )
                if abs(diff) > len(terms):
                    gaps.setdefault(section, {})[column] = diff
        return gaps

    def group_totals(self) -> None:
        for total, parts in TOTALS.items():
            members, subtotal = self.rows_of(total)
            by_class = {r.asset_class: r for r in members}
            part_rows = [r for p in parts for r in self.rows if r.section == p]
            for name in dict.fromkeys(r.asset_class for r in part_rows if not r.is_subtotal):
                if name not in by_class and any(
                    r.amounts for r in part_rows if r.asset_class == name
                ):
                    where = ScheduleRow(total, name, {})
                    self.add("error", "missing_total_row", where, "asset_class", 1, 0,
                             "class shown in a section but missing from the total")  # fmt: skip
            for name, row in [*by_class.items(), *([(SUBTOTAL, subtotal)] if subtotal else [])]:
                sources = [r for r in part_rows if r.asset_class == name]
                for column in AMOUNTS:
                    self.compare("total", row, column, [(1, r.get(column)) for r in sources],
                                 f"sum of {name} over the sections")  # fmt: skip

    def moved_rows(self, gaps: dict[str, dict[str, int]]) -> None:
        """A row filed under the wrong section leaves one 計 short and another over by it."""
        for short, missing in gaps.items():
            for over, surplus in gaps.items():
                if short == over or missing.keys() != surplus.keys():
                    continue
                for row in self.rows_of(over)[0]:
                    if all(abs(row.get(c) - surplus[c]) <= 1 and abs(missing[c] + surplus[c]) <= 2
                           for c in surplus):  # fmt: skip
                        self.add("error", "moved_row", row, "section", 0, 0,
                                 f"this row seems to belong to {section_label(short)}: its "
                                 f"amounts are what that section's {SUBTOTAL} lacks and what "
                                 f"this section's {SUBTOTAL} does not include")  # fmt: skip


def check_schedule(rows: Sequence[ScheduleRow]) -> CheckReport:
    """Every identity of schedule (1) on printed 千円 figures; see the module docstring."""
    checker = _Checker(rows)
    checker.structure()
    checker.row_identities()
    gaps = checker.section_totals()
    checker.group_totals()
    checker.moved_rows(gaps)
    return checker.report
