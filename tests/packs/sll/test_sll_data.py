"""SLL input files: the documented formats load, and every domain mistake is named with its row.

The book used across the SLL tests is shaped like a typical regional-bank SLL to a small
contractor: ¥100,000,000 from 2023-07-31 to 2028-07-10, four KPIs (stress check done,
group analysis done, check-ups of staff aged 45+ at 100 %, paid-leave uptake 53 → 58 → 70 %).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.packs.sll import pack
from mieruka.packs.sll.service import integrity_issues

LOANS = """\
loan_id,borrower,lender,principal,currency,start_date,maturity_date,base_rate_pct,ratchet_step_bp,ratchet_mode,ratchet_basis,judgment_date,report_deadline_days,day_count
L1,架空電設株式会社,見える化銀行,"100,000,000",JPY,2023-07-31,2028-07-10,1.5,5,symmetric,each_kpi,07-31,90,ACT/365F
"""
LOAN_KPIS = """\
loan_id,kpi_id,label,unit,comparator,source
L1,stress_check,全従業員のストレスチェック実施,done,done,manual
L1,group_analysis,ストレスチェック集団分析,done,done,manual
L1,checkup_45,45歳以上の人間ドック受診率,pct,>=,manual
L1,paid_leave,年次有給休暇取得率,pct,>=,manual
"""
SPTS = """\
loan_id,kpi_id,fiscal_year,target
L1,stress_check,2023,done
L1,group_analysis,2023,done
L1,checkup_45,2023,100
L1,paid_leave,2023,53
L1,paid_leave,2024,58
L1,paid_leave,2025,70
"""
OBSERVATIONS = """\
loan_id,kpi_id,fiscal_year,value,reported_on,evidence_ref,verified_by,verified_on,verification
L1,stress_check,2023,実施,2024-05-20,SC-2023.pdf,見える化銀行 審査部,2024-06-10,passed
L1,group_analysis,2023,done,2024-05-20,GA-2023.pdf,見える化銀行 審査部,2024-06-10,passed
L1,checkup_45,2023,100,2024-05-20,HD-2023.xlsx,見える化銀行 審査部,2024-06-10,passed
L1,paid_leave,2023,55.2%,2024-05-20,PL-2023.xlsx,見える化銀行 審査部,2024-06-10,passed
"""
REPAYMENTS = """\
loan_id,date,amount
L1,2024-07-10,"20,000,000"
"""
FILES = {
    "loans": LOANS,
    "loan_kpis": LOAN_KPIS,
    "spts": SPTS,
    "observations": OBSERVATIONS,
    "repayments": REPAYMENTS,
}


@contextmanager
def registered() -> Iterator[None]:
    """The pack registered in process, for as long as a test needs it (until the entry
    point is installed, and harmlessly afterwards)."""
    if any(p.name == "sll" for p in registry.installed_packs()):
        yield  # installed through the entry point, or registered by an outer fixture
        return
    registry.register(pack)
    try:
        yield
    finally:
        registry.unregister("sll")


def sll_project(root: Path, **texts: str) -> Project:
    """A workspace with the SLL files loaded; keyword arguments replace a file's text."""
    project = make_project(root / "ws", {})
    for dataset, text in {**FILES, **texts}.items():
        if text:
            load(project, dataset, write(root / f"{dataset}.csv", text))
    return project


@pytest.fixture(autouse=True)
def _sll() -> Iterator[None]:
    with registered():
        yield


def load_error(tmp_path: Path, dataset: str, text: str) -> str:
    project = make_project(tmp_path / "ws", {})
    with pytest.raises(MierukaError) as info:
        load(project, dataset, write(tmp_path / f"{dataset}.csv", text))
    return str(info.value)


def test_the_documented_files_load_and_pass_every_rule(tmp_path):
    project = sll_project(tmp_path)
    assert {s.dataset for s in project.store.snapshots()} == set(FILES)
    assert integrity_issues(project, 2024) == []


def test_a_maturity_before_the_start_and_an_impossible_judgment_date_are_refused(tmp_path):
    bad = LOANS.replace("2028-07-10", "2022-07-10").replace(",07-31,", ",02-30,")
    message = load_error(tmp_path, "loans", bad)
    assert "row 2, column 'maturity_date': loan L1: the maturity date is not after" in message
    assert "column 'judgment_date'" in message and "found '02-30'" in message


def test_an_unknown_ratchet_mode_names_the_allowed_ones(tmp_path):
    message = load_error(tmp_path, "loans", LOANS.replace("symmetric", "stepwise"))
    assert "ratchet_mode" in message and "stepwise" in message and "discount_only" in message


def test_a_comparator_that_does_not_fit_the_unit_is_refused(tmp_path):
    bad = LOAN_KPIS.replace("pct,>=,manual\nL1,paid", "pct,done,manual\nL1,paid")
    message = load_error(tmp_path, "loan_kpis", bad)
    assert "row 4, column 'comparator': loan L1, KPI checkup_45" in message
    assert "does not fit the unit 'pct'" in message


def test_an_unknown_source_is_refused_with_the_expected_form(tmp_path):
    message = load_error(
        tmp_path, "loan_kpis", LOAN_KPIS.replace(",manual\nL1,paid", ",excel\nL1,paid")
    )
    assert "unknown source" in message and "indicator:hc.paid_leave_rate" in message


def test_a_target_that_is_neither_a_number_nor_done_is_refused(tmp_path):
    message = load_error(tmp_path, "spts", SPTS.replace("2024,58", "2024,58ish"))
    assert "row 6, column 'target'" in message and "found '58ish'" in message


def test_a_verification_dated_before_the_report_is_refused(tmp_path):
    bad = OBSERVATIONS.replace(
        "PL-2023.xlsx,見える化銀行 審査部,2024-06-10", "PL-2023.xlsx,見える化銀行 審査部,2024-05-01"
    )
    message = load_error(tmp_path, "observations", bad)
    assert "row 5, column 'verified_on'" in message and "verified before it was reported" in message


def test_a_passed_verification_needs_a_verifier(tmp_path):
    bad = OBSERVATIONS.replace("GA-2023.pdf,見える化銀行 審査部", "GA-2023.pdf,")
    message = load_error(tmp_path, "observations", bad)
    assert "row 3, column 'verified_by'" in message


def _rules(project: Project) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for v in integrity_issues(project, 2024):
        found.setdefault(v["rule"], []).append(v["key"])
    return found


def test_cross_file_mistakes_are_rules_naming_the_rows(tmp_path):
    spts = SPTS + "L1,co2,2024,10\nL1,paid_leave,2029,70\nL1,checkup_45,2024,done\n"
    obs = OBSERVATIONS + "L1,paid_leave,2024,実施,2025-06-01,,,,\n"
    repayments = REPAYMENTS + 'L1,2029-01-10,1\nL1,2028-07-10,"90,000,000"\n'
    found = _rules(sll_project(tmp_path, spts=spts, observations=obs, repayments=repayments))
    assert found["sll.spt_without_kpi"] == [{"loan_id": "L1", "kpi_id": "co2", "fiscal_year": 2024}]
    # FY2028 starts 2028-04-01, before maturity on 2028-07-10; FY2029 is outside the life
    assert found["sll.spt_outside_loan_life"] == [
        {"loan_id": "L1", "kpi_id": "paid_leave", "fiscal_year": 2029}
    ]
    assert found["sll.spt_target_does_not_fit"] == [
        {"loan_id": "L1", "kpi_id": "checkup_45", "fiscal_year": 2024}
    ]
    assert found["sll.observation_value_does_not_fit"] == [
        {"loan_id": "L1", "kpi_id": "paid_leave", "fiscal_year": 2024}
    ]
    assert found["sll.repayment_outside_loan_life"] == [{"loan_id": "L1", "date": "2029-01-10"}]
    assert found["sll.repayments_exceed_principal"] == [{"loan_id": "L1"}]


def test_a_report_after_the_deadline_is_a_warning(tmp_path):
    # FY2023 ends 2024-03-31; 90 days later is 2024-06-29
    late = OBSERVATIONS.replace("55.2%,2024-05-20", "55.2%,2024-06-30").replace(
        "PL-2023.xlsx,見える化銀行 審査部,2024-06-10", "PL-2023.xlsx,見える化銀行 審査部,2024-07-01"
    )
    found = [v for v in integrity_issues(sll_project(tmp_path, observations=late), 2024)]
    assert [(v["rule"], v["severity"], v["row"]["deadline"]) for v in found] == [
        ("sll.report_after_deadline", "warning", "2024-06-29")
    ]


def test_the_rules_run_in_every_evaluation_and_are_skipped_without_sll_data(tmp_path):
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run

    project = make_project(tmp_path / "ws", {})
    run = start_run(project, Period.for_fiscal_year(2024))
    skipped = project.store.run(run.id).params_dict()["skipped"]
    assert "sll.spt_without_kpi" in skipped
