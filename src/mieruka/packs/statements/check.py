"""The arithmetic of schedule (1), checked the way an auditor ticks it — with truncation.

Every identity (a row's roll-forward, its net book value, a section's 計, a total's class
rows) holds exactly in yen; a difference that per-cell 千円 truncation explains (see
`truncation.py`) is accepted and reported as such, anything else is an error naming
section, class, column, expected and found. Across sections: every section has a 計, a
customary class sits only in a section it can belong to (land is not a specified
depreciable asset), nothing non-depreciable is depreciated, and a row filed under the
wrong section — one 計 over by exactly what another lacks — is named.

Each check has a twin SQL rule (`RULES`) that runs on a loaded `schedule_fixed_assets`,
so a failing schedule shows up in a run with its rows as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from mieruka.packs.statements.model import ScheduleRow, section_label
from mieruka.packs.statements.schemas import (
    AMOUNTS,
    HOME_SECTIONS,
    NOT_DEPRECIATED,
    REGISTER_SECTIONS,
    SECTIONS,
    SUBTOTAL,
    TOTALS,
)
from mieruka.packs.statements.truncation import Sum, total

RULES: dict[str, str] = {
    "roll_forward": "st.fa_roll_forward",
    "net": "st.fa_net_closing",
    "subtotal": "st.fa_subtotal",
    "missing_subtotal": "st.fa_missing_subtotal",
    "total": "st.fa_class_total",
    "missing_total_row": "st.fa_class_total",
    "moved_row": "st.fa_moved_row",
    "not_depreciated": "st.fa_not_depreciated",
    "wrong_section": "st.fa_wrong_section",
}
"""Each check and the rule of `specs/statements.yaml` that finds the same rows in a run
(a duplicate row cannot be loaded: (section, asset_class) is the dataset's key)."""


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


class _Checker:
    def __init__(self, rows: Sequence[ScheduleRow]) -> None:
        self.rows = list(rows)
        self.report = CheckReport(rows=len(self.rows))
        # section -> column -> the sum of its class rows (kept for the moved-row search)
        self.sections: dict[str, dict[str, Sum]] = {}

    def add(self, status: str, check: str, row: ScheduleRow, column: str, exp: int, found: int,
            message: str) -> None:  # fmt: skip
        self.report.findings.append(
            Finding(
                status, check, row.section, row.asset_class, column, exp, found, message, row.line
            )
        )

    def compare(self, check: str, row: ScheduleRow, column: str, terms: Sum, what: str) -> bool:
        """Compare a printed cell with the sum it must equal; False when it is an error."""
        self.report.comparisons += 1
        found, below = row.get(column), row.is_below_unit(column)
        diff = terms.expected - found
        if diff == 0:
            return True
        allowed = f"allowed: {terms.allowed(found, below)}"
        if terms.explains(found, below):
            self.add("accepted", check, row, column, terms.expected, found,
                     f"{what}: a difference of {diff:+,} 千円 is explained by truncating each "
                     f"cell to 千円 ({allowed})")  # fmt: skip
            return True
        self.add("error", check, row, column, terms.expected, found,
                 f"{what} does not agree (difference {diff:+,} 千円, more than per-cell "
                 f"truncation allows: {allowed})")  # fmt: skip
        return False

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

    def classes_in_place(self) -> None:
        """A customary class filed where it cannot belong, or depreciation on land."""
        for r in self.rows:
            home = HOME_SECTIONS.get(r.asset_class)
            if r.section in REGISTER_SECTIONS and r.section != "other_assets" and home \
                    and r.section not in home:  # fmt: skip
                self.add("error", "wrong_section", r, "section", 0, 0,
                         f"{r.asset_class} belongs to "
                         f"{' or '.join(section_label(s) for s in home)}")  # fmt: skip
            if r.section != "non_depreciable" and r.asset_class not in NOT_DEPRECIATED:
                continue
            for column in ("accumulated_depreciation", "depreciation_for_period"):
                if r.get(column) or r.is_below_unit(column):
                    self.add("error", "not_depreciated", r, column, 0, r.get(column),
                             f"{r.asset_class} in {section_label(r.section)} is not "
                             "depreciated")  # fmt: skip

    def row_identities(self) -> None:
        for r in self.rows:
            b = r.is_below_unit
            self.compare("roll_forward", r, "closing",
                         total((1, r.get("opening"), b("opening")),
                               (1, r.get("increase"), b("increase")),
                               (-1, r.get("decrease"), b("decrease"))),
                         "opening + increase − decrease = closing")  # fmt: skip
            self.compare("net", r, "net_closing",
                         total((1, r.get("closing"), b("closing")),
                               (-1, r.get("accumulated_depreciation"), b("accumulated_depreciation")),
                               (-1, r.get("accumulated_impairment"), b("accumulated_impairment"))),
                         "closing − accumulated depreciation − accumulated impairment = net")  # fmt: skip

    def section_totals(self) -> None:
        for section in SECTIONS:
            members, subtotal = self.rows_of(section)
            if subtotal is None:
                continue
            sums = self.sections.setdefault(section, {})
            for column in AMOUNTS:
                sums[column] = total(
                    *((1, r.get(column), r.is_below_unit(column)) for r in members)
                )
                self.compare("subtotal", subtotal, column, sums[column],
                             "sum of the section's class rows")  # fmt: skip

    def group_totals(self) -> None:
        for total_section, parts in TOTALS.items():
            members, subtotal = self.rows_of(total_section)
            by_class = {r.asset_class: r for r in members}
            part_rows = [r for p in parts for r in self.rows if r.section == p]
            for name in dict.fromkeys(r.asset_class for r in part_rows if not r.is_subtotal):
                if name not in by_class and any(
                    not r.is_blank() for r in part_rows if r.asset_class == name
                ):
                    where = ScheduleRow(total_section, name, {})
                    self.add("error", "missing_total_row", where, "asset_class", 1, 0,
                             "class shown in a section but missing from the total")  # fmt: skip
            for name, row in [*by_class.items(), *([(SUBTOTAL, subtotal)] if subtotal else [])]:
                sources = [r for r in part_rows if r.asset_class == name]
                for column in AMOUNTS:
                    terms = total(*((1, r.get(column), r.is_below_unit(column)) for r in sources))
                    self.compare("total", row, column, terms, f"sum of {name} over the sections")

    def _fits(self, section: str) -> bool:
        _, subtotal = self.rows_of(section)
        assert subtotal is not None
        return all(
            self.sections[section][c].explains(subtotal.get(c), subtotal.is_below_unit(c))
            for c in AMOUNTS
        )

    def moved_rows(self) -> None:
        """A row filed under the wrong section leaves its 計 over, and another 計 short, by
        that row: named when moving it back makes both 計 rows agree in every column."""
        broken = [s for s in REGISTER_SECTIONS if s in self.sections and not self._fits(s)]
        for over in broken:
            members, subtotal_over = self.rows_of(over)
            for short in broken:
                if short == over:
                    continue
                _, subtotal_short = self.rows_of(short)
                assert subtotal_over is not None and subtotal_short is not None
                for row in members:
                    if all(
                        self.sections[over][c]
                        .minus(1, row.get(c), row.is_below_unit(c))
                        .explains(subtotal_over.get(c), subtotal_over.is_below_unit(c))
                        and self.sections[short][c]
                        .plus(1, row.get(c), row.is_below_unit(c))
                        .explains(subtotal_short.get(c), subtotal_short.is_below_unit(c))
                        for c in AMOUNTS
                    ):
                        self.add("error", "moved_row", row, "section", 0, 0,
                                 f"this row seems to belong to {section_label(short)}: its "
                                 f"amounts are what that section's {SUBTOTAL} lacks and what "
                                 f"this section's {SUBTOTAL} does not include")  # fmt: skip


def check_schedule(rows: Sequence[ScheduleRow]) -> CheckReport:
    """Every identity of schedule (1) on printed 千円 figures; see the module docstring."""
    checker = _Checker(rows)
    checker.structure()
    checker.classes_in_place()
    checker.row_identities()
    checker.section_totals()
    checker.group_totals()
    checker.moved_rows()
    return checker.report
