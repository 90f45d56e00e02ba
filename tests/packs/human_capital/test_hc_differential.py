"""A straightforward pandas computation of the statutory figures agrees with the pack.

Written from the domain page alone, row by row in pandas, on the demo organisation's
snapshots; every entity and the all-entity total must match exactly, as disclosed.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
import pytest
from tests.conftest import make_project

from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.human_capital import pack

FY_START, FY_END = pd.Timestamp(2024, 4, 1), pd.Timestamp(2025, 3, 31)


def _round(value: Fraction, digits: int, mode: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=mode)


def position_on(positions: pd.DataFrame, emp: str, day: pd.Timestamp) -> pd.Series | None:
    """The latest position that started on or before `day`."""
    rows = positions[(positions.employee_id == emp) & (positions.valid_from <= day)]
    return None if rows.empty else rows.sort_values("valid_from").iloc[-1]


def managers(emp: pd.DataFrame, pos: pd.DataFrame) -> dict[str | None, Decimal]:
    d = FY_END
    staff = emp[(emp.hire_date <= d) & (emp.separation_date.isna() | (emp.separation_date >= d))]
    now = pos[(pos.valid_from <= d) & (pos.valid_to.isna() | (pos.valid_to >= d))]
    m = staff.merge(now, on="employee_id")
    m = m[m.is_manager.fillna(False).astype(bool) & ~m.is_officer.fillna(False).astype(bool)]
    out = {}
    for entity, group in [*m.groupby("entity"), (None, m)]:
        out[entity] = _round(
            Fraction(int((group.gender == "F").sum()) * 100, len(group)), 1, ROUND_HALF_UP
        )
    return out


def childcare(emp, pos, births, leave, kinds) -> dict[str | None, Decimal]:
    men = emp[emp.gender == "M"].set_index("employee_id")
    den: dict[tuple, str] = {}
    for _, b in births.drop_duplicates().iterrows():
        if b.employee_id not in men.index or not FY_START <= b.child_birth_date <= FY_END:
            continue
        e = men.loc[b.employee_id]
        employed = e.hire_date <= b.child_birth_date and (
            pd.isna(e.separation_date) or e.separation_date >= b.child_birth_date
        )
        if employed:
            den[(b.employee_id, b.child_birth_date)] = position_on(
                pos, b.employee_id, b.child_birth_date
            ).entity
    num: dict[tuple, str] = {}
    spells = leave[leave.kind.isin(kinds) & leave.employee_id.isin(men.index)]
    for (who, child), group in spells.groupby(["employee_id", "child_birth_date"]):
        first = group.start_date.min()
        if FY_START <= first <= FY_END:
            num[(who, child)] = den.get((who, child)) or position_on(pos, who, first).entity
    out = {}
    for entity in {*den.values(), None}:
        n = sum(1 for v in num.values() if entity in (None, v))
        d = sum(1 for v in den.values() if entity in (None, v))
        if d:
            out[entity] = _round(Fraction(n * 100, d), 0, ROUND_DOWN)
    return out


def wage_gap(emp, pos, wages, types) -> dict[str | None, Decimal]:
    w = wages[wages.fiscal_year == 2024].merge(emp, on="employee_id")
    sums: dict[tuple, list[int]] = {}
    for _, r in w.iterrows():
        day = min(r.separation_date, FY_END) if pd.notna(r.separation_date) else FY_END
        p = position_on(pos, r.employee_id, day)
        if p is None or bool(p.is_officer) or p.employment_type not in types:
            continue
        if r.gender not in ("F", "M"):
            continue
        pay = (
            int(r.total_wages) - int(r.commuting_allowance or 0) - int(r.retirement_allowance or 0)
        )
        for entity in (p.entity, None):
            acc = sums.setdefault((entity, r.gender), [0, 0])
            acc[0] += pay
            acc[1] += 1
    out = {}
    for entity in {e for e, _ in sums}:
        f, m = sums.get((entity, "F")), sums.get((entity, "M"))
        if f and m:
            out[entity] = _round(
                Fraction(f[0], f[1]) / Fraction(m[0], m[1]) * 100, 1, ROUND_HALF_UP
            )
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("diff") / "ws", {})
    assert pack.demo is not None
    pack.demo(project, "small")
    run = start_run(project, Period.for_fiscal_year(2024))
    frames = {}
    for dataset, record in project.store.latest_snapshots().items():
        df = pd.read_parquet(project.snapshot_path(record.path))
        for column in df.columns:
            if df[column].map(lambda v: isinstance(v, date)).any():
                df[column] = pd.to_datetime(df[column])
        frames[dataset] = df
    values: dict[tuple[str, str | None], Decimal | None] = {}
    for v in project.store.values(run.id):
        if set(v["dims"]) <= {"entity"}:
            values[(v["indicator"], v["dims"].get("entity"))] = v["value"]
    yield frames, values
    project.close()


def _check(expected: dict[str | None, Decimal], values, indicator: str) -> None:
    assert expected, indicator
    got = {e: v for (i, e), v in values.items() if i == indicator and v is not None}
    assert got == expected, indicator


def test_women_in_management_agrees(demo):
    f, values = demo
    _check(managers(f["employees"], f["positions"]), values, "hc.female_manager_share")


@pytest.mark.parametrize(
    ("indicator", "kinds"),
    [
        ("hc.male_childcare_leave_rate", ("childcare_leave", "postnatal_paternity")),
        (
            "hc.male_childcare_leave_rate_incl_purpose",
            ("childcare_leave", "postnatal_paternity", "purpose_leave"),
        ),
    ],
)
def test_male_childcare_leave_agrees(demo, indicator, kinds):
    f, values = demo
    found = childcare(f["employees"], f["positions"], f["births"], f["childcare_leave"], kinds)
    _check(found, values, indicator)


@pytest.mark.parametrize(
    ("indicator", "types"),
    [
        ("hc.wage_gap_all", ("regular", "part_time", "fixed_term")),
        ("hc.wage_gap_regular", ("regular",)),
        ("hc.wage_gap_non_regular", ("part_time", "fixed_term")),
    ],
)
def test_wage_gap_agrees(demo, indicator, types):
    f, values = demo
    _check(wage_gap(f["employees"], f["positions"], f["wages"], types), values, indicator)
