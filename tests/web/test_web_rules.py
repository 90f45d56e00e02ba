"""A run's rule violations on the dashboard: every violating row as the run stored it, with
its key and values, paginated, downloadable as CSV, linked from the overview and the run,
and the same as JSON under /api/v1.

The staff workspace's rule `t.leaver_still_manager` flags S8, a woman manager who left on
2024-12-31: FY2024 (run 2) violates it, FY2023 (run 1, year end 2024-03-31) does not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_project, write

from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.web.app import create_app

RULE = "t.leaver_still_manager"


def test_overview_and_run_page_link_to_the_violated_rule(client: TestClient) -> None:
    overview = client.get("/").text
    assert "ルール違反" in overview
    assert f'href="/runs/2/rules/{RULE}"' in overview
    run = client.get("/runs/2").text
    assert f'<a href="/runs/2/rules/{RULE}">1</a>' in run  # the count links to the rows
    assert "退職済みの管理職フラグ" in run
    assert "ルール違反" not in client.get("/?run=1").text  # FY2023: nobody had left yet


def test_rule_page_lists_each_violating_row_with_its_key_and_values(client: TestClient) -> None:
    page = client.get(f"/runs/2/rules/{RULE}").text
    assert "退職済みの管理職フラグ" in page and "warning" in page
    assert '<th class="key">staff_id</th><th>leave_date</th>' in page
    assert '<td class="key">S8</td><td>2024-12-31</td>' in page
    assert "leave_date &lt;= :fy_end" in page  # the rule's SQL, escaped
    passed = client.get(f"/runs/1/rules/{RULE}").text
    assert "違反なし" in passed and '<table class="evidence violations">' not in passed


def test_rule_violations_download_as_csv(client: TestClient) -> None:
    response = client.get(f"/runs/2/rules/{RULE}/violations.csv")
    assert response.status_code == 200
    assert f"violations_{RULE}_run2.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["seq", "staff_id", "leave_date"], ["1", "S8", "2024-12-31"]]


def test_rule_api_lists_rules_and_their_rows(client: TestClient) -> None:
    rules = client.get("/api/v1/runs/2/rules").json()
    assert rules[0]["id"] == RULE and rules[0]["violations"] == 1  # the violated come first
    skipped = [r for r in rules if r["skipped"]]
    assert skipped and all(r["violations"] == 0 for r in skipped)  # packs without data
    found = client.get(f"/api/v1/runs/2/rules/{RULE}").json()
    assert found["rule"]["severity"] == "warning" and found["key_columns"] == ["staff_id"]
    assert found["rows"] == [
        {
            "seq": 1,
            "key": {"staff_id": "S8"},
            "values": {"staff_id": "S8", "leave_date": "2024-12-31"},
        }
    ]


def test_unknown_rule_or_run_is_not_found(client: TestClient) -> None:
    assert client.get("/runs/2/rules/t.nope").status_code == 404
    assert client.get("/api/v1/runs/2/rules/t.nope").json()["code"] == "not_found"
    assert client.get(f"/api/v1/runs/9/rules/{RULE}").status_code == 404
    hostile = client.get("/runs/2/rules/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert hostile.status_code == 404 and "<script>alert" not in hostile.text


# --- many violations: pagination, and cells a spreadsheet would evaluate --------------------

PAYMENTS = """
datasets:
  - id: payments
    key: payment_id
    columns:
      - {name: payment_id, type: string, required: true}
      - {name: payee, type: string, required: true}
      - {name: amount, type: yen, required: true}
rules:
  - id: p.negative_payment
    label: {ja: 負の支払額, en: Negative payment}
    action: {ja: 返金として計上し直す, en: Book it as a refund}
    key: [payment_id]
    formula: SELECT payment_id, payee, amount FROM payments WHERE amount < 0
"""


@pytest.fixture
def payments_client(tmp_path: Path) -> Iterator[TestClient]:
    lines = ["payment_id,payee,amount"]
    for i in range(1, 131):  # every second payment is negative: 65 violations
        payee = '=HYPERLINK("http://x")' if i == 1 else f"取引先{i:03d}"
        lines.append(f'P{i:03d},"{payee.replace(chr(34), chr(34) * 2)}",{-i if i % 2 else i}')
    project: Project = make_project(tmp_path / "ws", {"specs.yaml": PAYMENTS}, packs=[])
    load(project, "payments", write(tmp_path / "payments.csv", "\n".join(lines) + "\n"))
    start_run(project, Period.for_fiscal_year(2024))
    with TestClient(create_app(project)) as c:
        yield c
    project.close()


def test_violations_are_paginated_fifty_a_page(payments_client: TestClient) -> None:
    first = payments_client.get("/runs/1/rules/p.negative_payment").text
    assert "違反行 65" in first and "ページ 1 / 2" in first and "返金として計上し直す" in first
    assert first.count('<td class="key">') == 50
    second = payments_client.get("/runs/1/rules/p.negative_payment", params={"page": 2}).text
    assert second.count('<td class="key">') == 15 and '<td class="key">P129</td>' in second
    api = payments_client.get(
        "/api/v1/runs/1/rules/p.negative_payment", params={"page": 3, "per_page": 30}
    ).json()
    assert (api["total"], api["pages"], api["page"], len(api["rows"])) == (65, 3, 3, 5)
    assert api["rows"][-1]["values"] == {"payment_id": "P129", "payee": "取引先129", "amount": -129}


def test_violations_csv_has_every_row_and_quotes_formulas(payments_client: TestClient) -> None:
    body = payments_client.get("/runs/1/rules/p.negative_payment/violations.csv").content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["seq", "payment_id", "amount", "payee"]  # key, then as stored
    assert len(rows) == 66
    assert rows[1][1:] == ["P001", "-1", '\'=HYPERLINK("http://x")']


# --- a failing prepared schedule (the statements pack's rules) ------------------------------


def test_a_prepared_schedule_with_a_transposed_digit_shows_its_rows(tmp_path: Path) -> None:
    """建物 in 特定償却資産 closes at 1,010 where 1,000 + 100 − 0 = 1,100: the roll-forward rule
    names that cell with what was expected and what was found."""
    from tests.packs.statements.st_fixtures import COL, find, schedule
    from tests.packs.statements.st_fixtures import write as write_rows

    rows = schedule()
    find(rows, "specified", "建物")[COL["closing"]] = "1,010"
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    load(project, "schedule_fixed_assets", write_rows(tmp_path, rows, "prepared.csv"))
    start_run(project, Period.for_fiscal_year(2024))
    try:
        with TestClient(create_app(project)) as client:
            overview = client.get("/").text
            for rule in ("st.fa_roll_forward", "st.fa_net_closing", "st.fa_subtotal"):
                assert f'href="/runs/1/rules/{rule}"' in overview, rule
            page = client.get("/runs/1/rules/st.fa_roll_forward").text
            assert '<td class="key">specified</td><td class="key">建物</td>' in page
            assert '<td class="key">closing</td>' in page
            found = client.get("/api/v1/runs/1/rules/st.fa_roll_forward").json()
            assert found["key_columns"] == ["section", "asset_class", "column_name"]
            ((row,),) = [found["rows"]]
            values = row["values"]
            assert (values["opening"], values["increase"], values["decrease"]) == (1000, 100, 0)
            assert (values["expected"], values["found"], values["difference"]) == (1100, 1010, 90)
    finally:
        project.close()
