"""Loading a file and starting a run from the dashboard: the loader's own checks and messages,
all-or-nothing, CSRF, and the audit log (local mode; roles are walked in test_web_server.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import STAFF_CSV

from mieruka.core.project import Project


def _token(client: TestClient) -> str:
    token: str = client.get("/api/v1/me").json()["csrf_token"]
    return token


def test_a_bad_file_is_refused_with_row_column_expected_found_and_nothing_changes(
    client: TestClient, local_project: Project
) -> None:
    before = len(local_project.store.snapshots())
    bad = STAFF_CSV.replace("S4,F,開発,2015/4/1", "S4,X,開発,2015/4/1")  # gender must be F or M
    response = client.post(
        "/datasets/load",
        data={"dataset": "staff", "csrf": _token(client)},
        files={"file": ("社員.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 400
    page = response.text
    assert "読み込めませんでした" in page and "社員.csv" in page
    row = page.split("<tbody><tr>", 1)[1].split("</tr>", 1)[0]
    # S4 is the fifth line of the file (the header is row 1)
    assert ">5<" in row and "gender" in row and "F, M" in row and "<td>X</td>" in row
    assert len(local_project.store.snapshots()) == before
    assert not list((local_project.ws.private / "uploads").glob("*"))
    assert "dataset.load" not in [e["action"] for e in local_project.store.audit_log()]


def test_a_good_file_becomes_a_snapshot_and_the_load_is_audited(
    client: TestClient, local_project: Project
) -> None:
    changed = STAFF_CSV + 'S10,F,営業,2024-04-01,,×,"3,900,000"\n'
    response = client.post(
        "/datasets/load",
        data={"dataset": "staff", "csrf": _token(client)},
        files={"file": ("staff 2025.csv", changed.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/datasets?loaded=staff"
    current = local_project.store.latest_snapshots()["staff"]
    assert current.rows == 10
    assert current.source_file is not None and current.source_file.endswith("staff_2025.csv")
    entry = local_project.store.audit_log()[-1]
    assert (entry["action"], entry["target"], entry["after_hash"]) == (
        "dataset.load", "dataset:staff", current.hash
    )  # fmt: skip
    assert "読み込みました" in client.get("/datasets?loaded=staff").text


def test_loading_needs_the_csrf_token_and_a_known_dataset(client: TestClient) -> None:
    files = {"file": ("s.csv", STAFF_CSV.encode(), "text/csv")}
    assert client.post("/datasets/load", data={"dataset": "staff"}, files=files).status_code == 403
    unknown = client.post(
        "/datasets/load", data={"dataset": "nope", "csrf": _token(client)}, files=files
    )
    assert unknown.status_code == 400 and "nope" in unknown.text


def test_the_datasets_page_offers_the_upload_form_and_runs_start_from_the_ui(
    client: TestClient, local_project: Project
) -> None:
    page = client.get("/datasets").text
    assert 'enctype="multipart/form-data"' in page and 'name="csrf"' in page
    started = client.post(
        "/runs", data={"fy": 2024, "csrf": _token(client)}, follow_redirects=False
    )
    assert started.status_code == 303
    newest = local_project.store.runs()[-1]
    assert started.headers["location"] == f"/runs/{newest.id}" and newest.fiscal_year == 2024
    assert local_project.store.audit_log()[-1]["action"] == "run.start"
