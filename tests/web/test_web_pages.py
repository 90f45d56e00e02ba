"""The pages in local mode: figures as a reader checks them by hand, and how they are written.

The staff workspace has five managers at the end of FY2024, two of them women: 40.0 %.
"""

from __future__ import annotations

import csv
import io

import openpyxl
from fastapi.testclient import TestClient


def test_overview_shows_every_indicator_with_value_target_and_status(client: TestClient) -> None:
    page = client.get("/").text
    assert "女性管理職比率" in page
    assert "40.0%" in page
    assert "30.0%以上" in page  # the target, written the Japanese way
    assert 'class="status met"' in page
    assert '<svg class="spark"' in page  # a trend over FY2023..FY2024, drawn without JS
    assert "2023年度–2024年度" in page


def test_overview_filtered_by_a_department_shows_that_departments_figures(
    client: TestClient,
) -> None:
    page = client.get("/", params={"filter": "dept=開発"}).text
    # 開発: S3 (M) and S5 (F) are managers -> 50.0 %
    assert "50.0%" in page
    assert "従業員数" not in page  # headcount has no dept breakdown
    same = client.get("/", params={"dim": "dept", "member": "開発"}).text
    assert "50.0%" in same


def test_unknown_filter_is_not_found(client: TestClient) -> None:
    assert client.get("/", params={"filter": "dept=存在しない"}).status_code == 404
    assert client.get("/", params={"dim": "salary", "member": "1"}).status_code == 404


def test_english_wareki_and_millions(client: TestClient) -> None:
    page = client.get("/", params={"lang": "en", "era": "wareki", "yen": "million"}).text
    assert "Women in management" in page
    assert "令和6年度" in page
    assert "¥ million" in page
    # the choice is remembered in a cookie for the next page
    assert "Runs" in client.get("/runs").text
    yen = client.get("/", params={"lang": "ja", "yen": "thousand"}).text
    assert "千円" in yen


def test_payroll_in_thousands_is_truncated(client: TestClient) -> None:
    # 8,000,000 + 7,500,000 + 9,000,000 + 5,000,000 + 8,200,000 + 7,000,000 + 4,500,000
    page = client.get("/", params={"yen": "thousand"}).text
    assert "49,200千円" in page
    millions = client.get("/", params={"yen": "million"}).text
    assert "49百万円" in millions


def test_indicator_page_has_series_breakdowns_and_method(client: TestClient) -> None:
    page = client.get("/indicators/t.female_managers").text
    assert "年度末時点の管理職に占める女性の割合" in page
    assert "2023年度" in page and "2024年度" in page
    assert "data-chart=" in page
    assert "営業" in page and "開発" in page and "管理" in page
    assert "evidence?run=2&amp;dim=dept&amp;member=%E9%96%8B%E7%99%BA" in page


def test_evidence_is_paginated_and_marks_the_numerator(client: TestClient) -> None:
    page = client.get(
        "/indicators/t.female_managers/evidence",
        params={"run": 2, "dim": "dept", "member": "開発"},
    ).text
    assert "S3" in page and "S5" in page and "S1" not in page
    assert "実行時の結果と一致" in page
    assert page.count('class="in-num"') == 1  # S5


def test_evidence_downloads_as_csv_and_xlsx(client: TestClient) -> None:
    response = client.get("/indicators/t.female_managers/evidence.csv", params={"run": 2})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["key"] for r in rows) == ["S1", "S2", "S3", "S5", "S7"]
    xlsx = client.get("/indicators/t.female_managers/evidence.xlsx", params={"run": 2})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    keys = [row[0] for row in book.active.iter_rows(min_row=5, values_only=True)]
    assert sorted(keys) == ["S1", "S2", "S3", "S5", "S7"]
    assert client.get("/indicators/t.female_managers/evidence.pdf").status_code == 404


def test_runs_ledger_verify_and_diff(client: TestClient) -> None:
    runs = client.get("/runs").text
    assert "#1" in runs and "#2" in runs
    verified = client.get("/runs/2", params={"check": 1}).text
    assert "一致（改ざんなし）" in verified
    diff = client.get("/runs/diff", params={"a": 1, "b": 2}).text
    assert "parameters" in diff
    assert client.get("/runs/99").status_code == 404


def test_datasets_page_lists_snapshots_and_schemas(client: TestClient) -> None:
    page = client.get("/datasets").text
    assert "staff" in page and "hire_date" in page
    assert ">9<" in page  # rows


def test_pages_work_offline_and_without_inline_script(client: TestClient) -> None:
    response = client.get("/")
    assert "http://" not in response.text.replace("http://testserver", "")
    assert "https://" not in response.text
    assert "<script>" not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/static/vendor/chart.umd.min.js").status_code == 200


def test_local_mode_starts_a_run_only_with_the_csrf_token(client: TestClient) -> None:
    assert client.post("/runs", data={"fy": 2024}).status_code == 403
    token = client.get("/api/v1/me").json()["csrf_token"]
    response = client.post("/runs", data={"fy": 2024, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/runs/3"
    audit = client.app.state.web.project.store.audit_log()  # type: ignore[attr-defined]
    assert [(e["actor"], e["action"], e["target"]) for e in audit] == [
        ("local", "run.start", "run:3")
    ]
