"""Runs: figures a reader can check by hand, targets, rules, evidence, as-of dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.conftest import STAFF_CSV, STAFF_DATASETS, make_project, write

from mieruka.core.evidence import indicator_evidence
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.runs import start_run


def value_of(project, run_id, indicator, **dims):
    rows = [
        v for v in project.store.values(run_id) if v["indicator"] == indicator and v["dims"] == dims
    ]
    assert len(rows) == 1, rows
    return rows[0]


def test_female_manager_ratio_counts_managers_employed_at_year_end(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    total = value_of(staff_project, run.id, "t.female_managers")
    # S8, a woman manager who left on 2024-12-31, is not counted on 2025-03-31
    assert total["value"] == Decimal("40.0")
    assert (total["numerator"], total["denominator"]) == (Decimal(2), Decimal(5))
    assert value_of(staff_project, run.id, "t.female_managers", dept="管理")["value"] == Decimal(
        "0.0"
    )
    assert value_of(staff_project, run.id, "t.female_managers", dept="営業")["value"] == Decimal(
        "50.0"
    )


def test_counts_sums_and_a_composite_indicator(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    assert value_of(staff_project, run.id, "t.headcount")["value"] == Decimal(7)
    assert value_of(staff_project, run.id, "t.headcount", gender="F")["value"] == Decimal(3)
    assert value_of(staff_project, run.id, "t.payroll")["value"] == Decimal(49_200_000)
    # 49,200,000 / 7 = 7,028,571.43 truncated to the yen
    assert value_of(staff_project, run.id, "t.payroll_per_head")["value"] == Decimal(7_028_571)


def test_target_statuses(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    status = {t["indicator"]: t["status"] for t in staff_project.store.targets(run.id)}
    assert status == {
        "t.female_managers": "met",
        "t.headcount": "missed",
        "t.payroll": "no_target",
        "t.payroll_per_head": "no_target",
    }


def test_no_data_when_nothing_falls_in_the_period(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(1990))
    target = next(
        t for t in staff_project.store.targets(run.id) if t["indicator"] == "t.female_managers"
    )
    assert target["status"] == "no_target"
    assert value_of(staff_project, run.id, "t.female_managers")["value"] is None


def test_rule_violations_carry_their_keys(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    violations = staff_project.store.violations(run.id)
    assert [(v["rule"], v["key"], v["severity"]) for v in violations] == [
        ("t.leaver_still_manager", {"staff_id": "S8"}, "warning")
    ]
    assert violations[0]["row"]["leave_date"] == "2024-12-31"


def test_as_of_date_counts_people_employed_then(staff_project):
    run = start_run(staff_project, Period.as_of_date(date(2024, 9, 30)))
    assert run.fiscal_year == 2024
    # on 2024-09-30 S8 is still employed: 3 women among 6 managers
    assert value_of(staff_project, run.id, "t.female_managers")["value"] == Decimal("50.0")


def test_evidence_lists_numerator_and_denominator_keys(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    ev = indicator_evidence(staff_project, run, "t.female_managers", {})
    assert ev.numerator_keys == ["S2", "S5"]
    assert ev.denominator_keys == ["S1", "S2", "S3", "S5", "S7"]
    assert ev.matches
    dept = indicator_evidence(staff_project, run, "t.female_managers", {"dept": "開発"})
    assert dept.numerator_keys == ["S5"] and dept.denominator_keys == ["S3", "S5"]
    composite = indicator_evidence(staff_project, run, "t.payroll_per_head", {})
    assert composite.derived_from == ["t.payroll", "t.headcount"]


def test_evidence_refuses_an_unknown_dimension(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    with pytest.raises(MierukaError, match="cannot be broken down by gender"):
        indicator_evidence(staff_project, run, "t.female_managers", {"gender": "F"})


ROUNDING = """
indicators:
  - id: r.{mode}
    label: {{ja: 端数}}
    unit: percent
    aggregate: ratio
    rounding: {{digits: 0, mode: {mode}}}
    formula: SELECT staff_id AS key, staff_id = 'S1' AS numerator, TRUE AS denominator FROM staff WHERE staff_id IN ('S1','S2','S3','S4','S5','S6','S7','S8')
"""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("half_up", "13"), ("truncate", "12"), ("half_even", "12"), ("ceil", "13")],
)
def test_one_in_eight_is_twelve_point_five_percent_rounded_exactly(tmp_path, mode, expected):
    from mieruka.core.datasets import load

    project = make_project(
        tmp_path / "ws",
        {"datasets.yaml": STAFF_DATASETS, "r.yaml": ROUNDING.format(mode=mode)},
        packs=[],
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    run = start_run(project, Period.for_fiscal_year(2024))
    assert value_of(project, run.id, f"r.{mode}")["value"] == Decimal(expected)


def test_a_run_for_the_same_period_supersedes_the_earlier_one(staff_project):
    first = start_run(staff_project, Period.for_fiscal_year(2024))
    second = start_run(staff_project, Period.for_fiscal_year(2024))
    assert second.supersedes == first.id
    assert second.prev_hash == first.run_hash
    assert second.results_hash == first.results_hash


def test_a_failing_formula_stores_no_run(tmp_path):
    from mieruka.core.datasets import load

    bad = STAFF_SPECS_BAD
    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "bad.yaml": bad}, packs=[]
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    with pytest.raises(MierukaError, match=r"b.bad: the formula failed"):
        start_run(project, Period.for_fiscal_year(2024))
    assert project.store.runs() == []


STAFF_SPECS_BAD = """
indicators:
  - id: b.good
    label: {ja: 良い}
    aggregate: count
    formula: SELECT staff_id AS key FROM staff
  - id: b.bad
    label: {ja: 悪い}
    aggregate: sum
    formula: SELECT staff_id AS key, CAST(gender AS INTEGER) AS value FROM staff
"""


FLOATS = """
indicators:
  - id: f.amount
    label: {ja: 金額}
    unit: number
    aggregate: sum
    rounding: {digits: 1}
    formula: SELECT i AS key, 1e8 + (i % 7) * 0.1::DOUBLE AS value FROM range(1000) t(i)
"""


def test_floating_point_values_are_summed_exactly(tmp_path):
    # 1,000 amounts of 100,000,000.0 … 100,000,000.6: the exact total is 100,000,000,299.7;
    # a binary floating-point sum gives 100,000,000,299.70016 (and varies with thread order)
    project = make_project(tmp_path / "ws", {"f.yaml": FLOATS}, packs=[])
    run = start_run(project, Period.for_fiscal_year(2024))
    figure = value_of(project, run.id, "f.amount")
    assert figure["numerator"] == Decimal("100000000299.7")


BLANKS = """
indicators:
  - id: b.headcount
    label: {ja: 人数}
    unit: people
    aggregate: count
    by: [dept]
    formula: |
      SELECT staff_id AS key, CASE WHEN dept = '管理' THEN NULL ELSE dept END AS dept FROM staff
  - id: b.total_via_ind
    label: {ja: 合計}
    aggregate: value
    formula: SELECT value FROM ind('b.headcount') WHERE dept IS NULL
"""


def test_a_blank_dimension_value_is_its_own_group_never_the_total(tmp_path):
    from mieruka.core.datasets import load

    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "b.yaml": BLANKS}, packs=[]
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    run = start_run(project, Period.for_fiscal_year(2024))
    assert value_of(project, run.id, "b.headcount")["value"] == Decimal(9)
    assert value_of(project, run.id, "b.headcount", dept="(blank)")["value"] == Decimal(3)
    assert value_of(project, run.id, "b.total_via_ind")["value"] == Decimal(9)
    ev = indicator_evidence(project, run, "b.headcount", {"dept": "(blank)"})
    assert ev.denominator_keys == ["S7", "S8", "S9"] and ev.matches
