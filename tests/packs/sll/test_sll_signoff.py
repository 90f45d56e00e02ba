"""A verifier's sign-off: recorded in the store's audit log, and what it does to an SPT.

The borrower reports paid-leave uptake of 60.2 % for FY2024 on 2025-05-20 (SPT 58 %); the
bank's verification is still pending in the file. FY2024 ends 2025-03-31, so the report
and its verification count until 2025-06-29 (90 days).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import write
from tests.packs.sll.test_sll_data import OBSERVATIONS, registered, sll_project

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.packs.sll import service
from mieruka.packs.sll.achievement import Options
from mieruka.packs.sll.cli import sll
from mieruka.packs.sll.signoff import ACTION, read_signoffs, record_signoff

PENDING_FY2024 = OBSERVATIONS + "L1,paid_leave,2024,60.2,2025-05-20,PL-2024.xlsx,,,pending\n"
VERIFIER = "監査法人みえる 山田花子"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Path]:
    with registered():
        sll_project(tmp_path, observations=PENDING_FY2024).close()
        yield tmp_path / "ws"


def cli(ws: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(sll, list(args), obj={"workspace": ws})
    return result.exit_code, result.output


def paid_leave_2024(ws: Path, as_of: str = "2025-09-30") -> dict:
    code, output = cli(ws, "status", "L1", "--as-of", as_of, "--json")
    assert code == 0, output
    spts = json.loads(output)["loans"][0]["spts"]
    return next(s for s in spts if s["kpi_id"] == "paid_leave" and s["fiscal_year"] == 2024)


def test_an_unverified_report_is_not_reported_after_the_deadline(ws):
    before = paid_leave_2024(ws, "2025-06-01")
    assert (before["status"], before["verified"], before["flags"]) == (
        "pending",
        False,
        ["unverified"],
    )
    after = paid_leave_2024(ws)
    assert (after["status"], after["verified"]) == ("not_reported", False)


def test_a_sign_off_is_an_audit_log_entry_that_verifies_the_report(ws):
    code, output = cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER,
                       "--on", "2025-06-20", "--note", "勤怠台帳と突合")  # fmt: skip
    assert code == 0, output
    project = Project.open(ws)
    try:
        (entry,) = [e for e in project.store.audit_log() if e["action"] == ACTION]
    finally:
        project.close()
    detail = json.loads(entry["detail"])
    assert (entry["actor"], entry["target"]) == (VERIFIER, "sll:L1/paid_leave/2024")
    assert detail["verdict"] == "passed" and detail["on"] == "2025-06-20"
    assert detail["content"]["value"] == "60.2" and len(entry["after_hash"]) == 64
    spt = paid_leave_2024(ws)
    assert (spt["status"], spt["verified"], spt["verified_by"]) == ("achieved", True, VERIFIER)
    assert spt["signoff"]["current"] is True and spt["signoff"]["hash"] == entry["after_hash"]
    code, text = cli(ws, "status", "L1", "--as-of", "2025-09-30")
    assert f"verified (signed: {VERIFIER} 2025-06-20)" in text.replace("\n", "")


def test_a_sign_off_after_the_deadline_leaves_the_spt_not_reported(ws):
    assert (
        cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER, "--on", "2025-06-30")[0]
        == 0
    )
    spt = paid_leave_2024(ws)
    assert (spt["status"], spt["verified"], spt["flags"]) == ("not_reported", False, ["unverified"])


def test_a_failed_verification_signed_off_means_no_verified_value(ws):
    cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER, "--on", "2025-06-20",
        "--verdict", "failed")  # fmt: skip
    spt = paid_leave_2024(ws)
    assert (spt["status"], spt["flags"]) == ("not_reported", ["verification_failed"])


def test_a_corrected_report_after_signing_makes_the_sign_off_stale(ws, tmp_path):
    cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER, "--on", "2025-06-20")
    corrected = PENDING_FY2024.replace("L1,paid_leave,2024,60.2", "L1,paid_leave,2024,57.9")
    with registered():
        project = Project.open(ws)
        try:
            load(project, "observations", write(tmp_path / "fixed.csv", corrected))
        finally:
            project.close()
    spt = paid_leave_2024(ws)
    assert spt["value"] == "57.9" and spt["signoff"]["current"] is False
    assert (spt["status"], spt["flags"]) == ("not_reported", ["signoff_stale", "unverified"])


def test_the_latest_matching_sign_off_wins(ws):
    cli(
        ws,
        "signoff",
        "L1",
        "paid_leave",
        "2024",
        "--by",
        "A",
        "--on",
        "2025-06-20",
        "--verdict",
        "failed",
    )
    cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", "B", "--on", "2025-06-25")
    spt = paid_leave_2024(ws)
    assert (spt["status"], spt["verified_by"]) == ("achieved", "B")


def test_the_checklist_ticks_the_sign_off(ws):
    code, output = cli(ws, "checklist", "L1", "--fy", "2024", "--as-of", "2025-09-30", "--json")
    assert code == 0, output
    (line,) = json.loads(output)["kpis"]
    items = {i["item"]: i["ok"] for i in line["items"]}
    assert items == {"reported": True, "on_time": True, "readable": True, "evidence": True,
                     "verified": False, "signed_in_ledger": False}  # fmt: skip
    assert line["complete"] is False
    cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER, "--on", "2025-06-20")
    (line,) = json.loads(
        cli(ws, "checklist", "L1", "--fy", "2024", "--as-of", "2025-09-30", "--json")[1]
    )["kpis"]
    assert line["complete"] is True and line["status"] == "achieved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "2025-05-19"], "the verification date is before the report date"),
        (["--on", "2999-01-01"], "cannot be dated in the future"),
        (["--on", "R7.6.20", "--by", " "], "needs the verifier's name"),
    ],
)
def test_a_sign_off_that_cannot_be_right_is_refused_and_nothing_is_recorded(ws, args, message):
    base = ["signoff", "L1", "paid_leave", "2024", "--by", VERIFIER]
    code, output = cli(ws, *base, *args)
    assert code == 1 and message in output.replace("\n", " ")
    project = Project.open(ws)
    try:
        assert read_signoffs(project.store) == {}
    finally:
        project.close()


def test_nothing_to_sign_and_unknown_names_are_refused(ws):
    code, output = cli(ws, "signoff", "L1", "paid_leave", "2025", "--by", VERIFIER)
    assert code == 1 and "nothing reported to sign" in output
    code, output = cli(ws, "signoff", "L1", "co2", "2024", "--by", VERIFIER)
    assert code == 1 and "has no KPI 'co2'" in output
    code, output = cli(ws, "signoff", "L1", "paid_leave", "2031", "--by", VERIFIER)
    assert code == 1 and "no SPT for FY2031" in output


def test_an_indicator_kpi_without_a_run_has_no_value_to_sign(tmp_path):
    kpis = (
        "loan_id,kpi_id,label,unit,comparator,source\n"
        "L1,paid_leave,年次有給休暇取得率,pct,>=,indicator:hc.paid_leave_rate\n"
    )
    spts = "loan_id,kpi_id,fiscal_year,target\nL1,paid_leave,2024,58\n"
    obs = (
        "loan_id,kpi_id,fiscal_year,value,reported_on,evidence_ref,verified_by,verified_on,verification\n"
        "L1,paid_leave,2024,,2025-05-20,,,,pending\n"
    )
    with registered():
        project = sll_project(tmp_path, loan_kpis=kpis, spts=spts, observations=obs)
        try:
            lookup = service.ledger_lookup(project)
            (loan,) = service.load_book(project)
            with pytest.raises(MierukaError, match=r"run `mieruka run --fy 2024` first"):
                record_signoff(project.store, loan, "paid_leave", 2024, by=VERIFIER,
                               on=date(2025, 6, 1), lookup=lookup, options=Options())  # fmt: skip
        finally:
            project.close()


def test_signing_never_rewrites_a_snapshot(ws):
    """The sign-off is an audit entry: the loaded files and their hashes stay as they were."""
    project = Project.open(ws)
    try:
        before = {d: s.hash for d, s in project.store.latest_snapshots().items()}
    finally:
        project.close()
    cli(ws, "signoff", "L1", "paid_leave", "2024", "--by", VERIFIER, "--on", "2025-06-20")
    project = Project.open(ws)
    try:
        after = {d: s.hash for d, s in project.store.latest_snapshots().items()}
    finally:
        project.close()
    assert before == after and "observations" in after
