"""Journal-entry tests over a small ledger with one planted anomaly per test.

Forty ordinary sales entries (E000001…E000041, two lines each, posted on the business day
they are dated, by authorised users U1/U2, non-round amounts) and one planted entry per
test, which an auditor would recognise. Each test must flag its planted lines and nothing
else; the combined score carries every test a line failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import jpholiday
import pytest
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.core.workspace import open_workspace
from mieruka.packs.icfr import pack

HEADER = "entry_id,line_no,account_code,debit,credit,posted_at,effective_date,user_id,description"
OPTIONS = '\n[packs.icfr]\nauthorised_users = ["U1", "U2", "U3"]\n'
LOCATIONS = """\
location_id,name,fiscal_year,revenue,total_assets,pretax_income
HQ,本社,2024,"900,000,000","2,000,000,000","80,000,000"
OS,大阪支店,2024,"300,000,000","500,000,000","20,000,000"
"""


def _entry(
    no: int,
    day: date,
    amount: int,
    *,
    user: str = "U1",
    account: str = "4000",
    desc: str = "売上計上",
    posted: str | None = None,
    credit: int | None = None,
) -> str:
    at = posted or f"{day.isoformat()} 10:00:00"
    eid = f"E{no:06d}"
    return (f"{eid},1,1100,{amount},,{at},{day},{user},{desc}\n"
            f"{eid},2,{account},,{credit if credit is not None else amount},{at},{day},{user},{desc}\n")  # fmt: skip


def _ordinary() -> str:
    rows, day = [], date(2024, 4, 8)  # Mondays and Tuesdays that are not holidays
    for i in range(1, 41):
        while day.weekday() > 1 or jpholiday.is_holiday(day):
            day += timedelta(days=1)
        if i != 30:  # E000030 is missing: the number gap
            rows.append(_entry(i, day, 123_457 + i * 1_013, user="U1" if i % 2 else "U2"))
        day += timedelta(days=1)
    return "".join(rows)


PLANTED = {
    "weekend_holiday": [_entry(41, date(2024, 6, 14), 211_311, posted="2024-06-15 11:00:00"),
                        _entry(42, date(2024, 11, 4), 211_322)],  # 振替休日
    "late_posting": [_entry(43, date(2024, 9, 30), 211_333, posted="2024-10-25 09:00:00")],
    "round_amount": [_entry(44, date(2024, 7, 2), 3_000_000)],
    "unauthorised_user": [_entry(45 + i, date(2024, 7, 9), 211_355 + i, user="U9")
                          for i in range(4)],
    "rare_user": [_entry(49, date(2024, 7, 16), 211_399, user="U3")],
    "keyword": [_entry(50, date(2024, 7, 23), 211_400, desc="売上の修正")],
    "unbalanced": [_entry(51, date(2024, 8, 6), 211_411, credit=211_311)],
    "duplicate": [_entry(52, date(2024, 8, 20), 277_777), _entry(53, date(2024, 8, 20), 277_777)],
    "seldom_account": [_entry(54, date(2024, 8, 27), 211_444, account="7999")],
    "near_materiality": [_entry(55, date(2024, 9, 3), 4_612_345)],
}  # fmt: skip
EXPECTED = {
    "weekend_holiday": {"E000041", "E000042"}, "late_posting": {"E000043"},
    "round_amount": {"E000044"}, "unauthorised_user": {"E000045", "E000046", "E000047", "E000048"},
    "rare_user": {"E000049"}, "keyword": {"E000050"}, "unbalanced": {"E000051"},
    "duplicate": {"E000052", "E000053"}, "seldom_account": {"E000054"},
    "near_materiality": {"E000055"}, "number_gap": {"E000031"},
}  # fmt: skip


@pytest.fixture(scope="module")
def icfr() -> Iterator[None]:
    registry.register(pack)
    yield
    registry.unregister("icfr")


@pytest.fixture(scope="module")
def ledger_run(
    tmp_path_factory: pytest.TempPathFactory, icfr: None
) -> Iterator[tuple[Project, int]]:
    tmp_path = tmp_path_factory.mktemp("je")
    make_project(tmp_path / "ws", {}, packs=["icfr"]).close()
    with (tmp_path / "ws" / "mieruka.toml").open("a", encoding="utf-8") as f:
        f.write(OPTIONS)
    project = Project(open_workspace(tmp_path / "ws"))
    text = HEADER + "\n" + _ordinary() + "".join("".join(v) for v in PLANTED.values())
    load(project, "journal_entries", write(tmp_path / "je.csv", text))
    load(project, "locations", write(tmp_path / "loc.csv", LOCATIONS))
    run = start_run(project, Period.for_fiscal_year(2024))
    yield project, run.id
    project.close()


def _flagged(project: Project, run_id: int, rule: str) -> set[str]:
    return {v["key"]["entry_id"] for v in project.store.violations(run_id, rule)}


@pytest.mark.parametrize("test", sorted(EXPECTED))
def test_each_planted_anomaly_is_found_and_nothing_else(ledger_run, test):
    project, run_id = ledger_run
    assert _flagged(project, run_id, f"icfr.je_{test}") == EXPECTED[test]


def test_every_line_of_a_flagged_entry_is_its_own_evidence(ledger_run):
    project, run_id = ledger_run
    keys = {(v["key"]["entry_id"], v["key"]["line_no"])
            for v in project.store.violations(run_id, "icfr.je_unbalanced")}  # fmt: skip
    assert keys == {("E000051", 1), ("E000051", 2)}
    late = project.store.violations(run_id, "icfr.je_late_posting")[0]["row"]
    assert str(late["close_date"]).startswith("2024-10-10")


def test_the_combined_score_sums_the_weights_of_the_failed_tests(ledger_run):
    project, run_id = ledger_run
    score = {(v["key"]["entry_id"], v["key"]["line_no"]): v["row"]
             for v in project.store.violations(run_id, "icfr.je_score")}  # fmt: skip
    assert {e for e, _ in score} == set().union(*EXPECTED.values())
    assert score[("E000054", 2)]["tests"] == "seldom_account"
    assert ("E000054", 1) not in score  # the other line of the entry passes every test
    assert float(score[("E000051", 1)]["score"]) == 5  # unbalanced weighs 5
    # weekend entry posted on Saturday: only that test, weight 1
    assert score[("E000041", 1)]["tests"] == "weekend_holiday"


def test_materiality_is_five_percent_of_pretax_income_and_recorded(ledger_run):
    project, run_id = ledger_run
    values = {v["indicator"]: v for v in project.store.values(run_id) if not v["dims"]}
    assert values["icfr.materiality"]["value"] == 5_000_000
    assert "icfr.je_benford_first" in values


def test_number_gaps_are_found_within_each_series_only():
    """Two series (AJ…, E…) and an id without a number: a gap is a jump inside a series;
    the step from the last AJ number to the first E number is not one."""
    import duckdb

    from mieruka.packs.icfr.jetests import TESTS

    sql = next(t.select for t in TESTS if t.name == "number_gap")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE je AS SELECT * FROM (VALUES ('AJ0001', 1), ('AJ0001', 2), ('AJ0002', 1),"
        " ('AJ0004', 2), ('AJ0004', 1), ('E000001', 1), ('E000003', 2), ('E000004', 1),"
        " ('MEMO', 1)) t(entry_id, line_no)"
    )
    assert con.execute(f"SELECT * FROM ({sql}) ORDER BY entry_id").fetchall() == [
        ("AJ0004", 1, 3, 3),
        ("E000003", 2, 2, 2),
    ]
    con.close()
