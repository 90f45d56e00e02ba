"""The SLL verifier's checklist and sign-off on the dashboard (`/packs/sll/verification`, the
`signoff` action), in local mode and in server mode on the real PostgreSQL server.

The borrower reported paid-leave uptake of 60.2 % for FY2024 on 2025-05-20 (SPT 58 %); the
file says the bank's verification is pending. FY2024 ends 2025-03-31, so the report and its
verification count until 2025-06-29 (90 days): signed on 2025-06-20, the SPT is achieved.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_project, write
from tests.packs.sll.test_sll_data import FILES, registered
from tests.packs.sll.test_sll_signoff import PENDING_FY2024
from tests.web.test_web_server import (  # noqa: F401  (schema_url is a fixture)
    PASSWORD,
    csrf_of,
    logged_in,
    schema_url,
)

from mieruka.core.datasets import load
from mieruka.core.project import Project
from mieruka.packs.sll.signoff import ACTION
from mieruka.web.app import create_app

PAGE = "/packs/sll/verification?loan=L1&fy=2024&as_of=2025-09-30"
TARGET = "sll:L1/paid_leave/2024"
SIGN = {
    "loan": "L1",
    "kpi": "paid_leave",
    "fy": "2024",
    "on": "2025-06-20",
    "note": "勤怠台帳と突合",
}


def sll_workspace(root: Path, store_url: str | None = None) -> Project:
    project = make_project(root / "ws", {}, store_url)
    for dataset, text in {**FILES, "observations": PENDING_FY2024}.items():
        load(project, dataset, write(root / f"{dataset}.csv", text))
    return project


def signoffs(project: Project) -> list[tuple[str, str, dict]]:
    return [
        (e["actor"], e["target"], json.loads(e["detail"]))
        for e in project.store.audit_log()
        if e["action"] == ACTION
    ]


def paid_leave(html: str) -> str:
    """The paid-leave KPI's section of the checklist page."""
    found = re.search(r'<section class="kpi-check" id="kpi-paid_leave">.*?</section>', html, re.S)
    assert found, html[:500]
    return found.group(0)


# --- local mode -----------------------------------------------------------------------------


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[Project, TestClient]]:
    with registered():
        project = sll_workspace(tmp_path)
        with TestClient(create_app(project)) as client:
            yield project, client
        project.close()


def test_checklist_shows_each_item_and_the_form_to_the_local_user(local) -> None:
    _, client = local
    section = paid_leave(client.get(PAGE).text)
    assert "年次有給休暇取得率" in section and "SPT ≥ 58" in section
    assert "未報告" in section  # unverified after the deadline: not reported
    assert re.search(
        r"根拠資料</td><td><span class=\"status met\">✓ 済</span></td><td>PL-2024.xlsx", section
    )
    assert re.search(r"期限内に検証済み</td><td><span class=\"status missed\">✗ 未", section)
    assert 'action="/packs/sll/signoff"' in section and 'name="csrf"' in section
    assert "署名する（local）" in section
    api = client.get("/api/v1/packs/sll/verification", params={"loan": "L1", "fy": 2024}).json()
    line = next(k for k in api["kpis"] if k["kpi_id"] == "paid_leave")
    assert (line["complete"], line["signoffs"]) == (False, [])


def test_local_user_signs_and_the_spt_is_achieved(local) -> None:
    project, client = local
    response = client.post(
        "/packs/sll/signoff",
        data={**SIGN, "csrf": csrf_of(client), "as_of": "2025-09-30"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == "/packs/sll/verification?loan=L1&fy=2024&as_of=2025-09-30"
    )
    ((actor, target, detail),) = signoffs(project)
    assert (actor, target, detail["verdict"], detail["on"]) == (
        "local",
        TARGET,
        "passed",
        "2025-06-20",
    )
    assert detail["note"] == "勤怠台帳と突合" and detail["content"]["value"] == "60.2"
    section = paid_leave(client.get(response.headers["location"]).text)
    assert "達成" in section and "チェック完了" in section
    assert "<td>local</td><td>2025-06-20</td><td>適合</td>" in section


def test_an_invalid_sign_off_is_refused_with_the_reason_and_nothing_is_recorded(local) -> None:
    project, client = local
    token = csrf_of(client)
    early = client.post("/packs/sll/signoff", data={**SIGN, "on": "2025-05-01", "csrf": token})
    assert early.status_code == 400
    assert "受け付けませんでした" in early.text
    assert "the verification date is before the report date" in early.text
    assert "on or after 2025-05-20" in early.text
    assert 'value="2025-05-01"' in early.text  # the form keeps what was entered
    unreported = client.post("/packs/sll/signoff", data={**SIGN, "fy": "2025", "csrf": token})
    assert unreported.status_code == 400 and "nothing reported to sign" in unreported.text
    for field, value, said in (
        ("verdict", "maybe", "passed or failed"),
        ("on", "someday", "a date"),
        ("kpi", "co2", "has no KPI 'co2'"),
        ("fy", "2031", "has no SPT for FY 2031"),
    ):
        refused = client.post("/packs/sll/signoff", data={**SIGN, field: value, "csrf": token})
        assert refused.status_code == 400, (field, refused.text[-800:])
        assert said in html.unescape(refused.text), field
    api = client.post(
        "/api/v1/packs/sll/signoff",
        json={**SIGN, "on": "2099-01-01"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 400 and api.json()["code"] == "invalid"
    assert "cannot be dated in the future" in api.json()["message"]
    assert signoffs(project) == []


def test_a_sign_off_needs_the_csrf_token_even_locally(local) -> None:
    project, client = local
    assert client.post("/packs/sll/signoff", data=SIGN).status_code == 403
    assert client.post("/api/v1/packs/sll/signoff", json=SIGN).status_code == 403
    assert signoffs(project) == []


def test_a_corrected_report_makes_the_sign_off_stale_on_the_page(local, tmp_path: Path) -> None:
    project, client = local
    client.post("/packs/sll/signoff", data={**SIGN, "csrf": csrf_of(client)})
    corrected = PENDING_FY2024.replace("L1,paid_leave,2024,60.2", "L1,paid_leave,2024,57.9")
    load(project, "observations", write(tmp_path / "fixed.csv", corrected))
    section = paid_leave(client.get(PAGE).text)
    assert "無効（内容変更または後の署名）" in section
    assert re.search(
        r"署名が記録済み（現在の内容）</td><td><span class=\"status missed\">", section
    )
    assert "署名後に内容が変わったため無効" in section and "チェック完了" not in section


# --- server mode ----------------------------------------------------------------------------

pg = pytest.mark.postgres


@pytest.fixture
def server(tmp_path: Path, schema_url: str) -> Iterator[Project]:  # noqa: F811
    with registered():
        project = sll_workspace(tmp_path, schema_url)
        accounts = create_app(project, server=True).state.web.accounts
        for role in ("viewer", "editor", "verifier", "admin"):
            accounts.create_user(role, PASSWORD, role, actor="test")
        yield project
        project.close()


@pg
def test_verifier_signs_in_server_mode_as_the_logged_in_user(server: Project) -> None:
    verifier = logged_in(server, "verifier")
    page = verifier.get(PAGE).text
    assert "署名する（verifier）" in page
    response = verifier.post(
        "/packs/sll/signoff", data={**SIGN, "csrf": csrf_of(verifier)}, follow_redirects=False
    )
    assert response.status_code == 303
    ((actor, target, detail),) = signoffs(server)
    assert (actor, target, detail["verdict"]) == ("verifier", TARGET, "passed")
    viewer = logged_in(server, "viewer")
    section = paid_leave(viewer.get(PAGE).text)
    assert "<td>verifier</td><td>2025-06-20</td><td>適合</td>" in section and "達成" in section


@pg
def test_viewers_and_editors_see_the_status_but_may_not_sign(server: Project) -> None:
    for role in ("viewer", "editor"):
        client = logged_in(server, role)
        page = client.get(PAGE)
        assert page.status_code == 200 and "期限内に検証済み" in page.text
        assert 'action="/packs/sll/signoff"' not in page.text
        assert "署名は検証者（verifier）または管理者が行います。" in page.text
        token = csrf_of(client)
        html = client.post("/packs/sll/signoff", data={**SIGN, "csrf": token})
        api = client.post("/api/v1/packs/sll/signoff", json=SIGN, headers={"X-CSRF-Token": token})
        assert (html.status_code, api.status_code) == (403, 403), role
        assert api.json()["code"] == "forbidden"
    anonymous = TestClient(create_app(server, server=True), base_url="https://testserver")
    assert anonymous.post("/api/v1/packs/sll/signoff", json=SIGN).status_code in (401, 403)
    assert signoffs(server) == []


@pg
def test_admin_signs_through_the_api_and_a_refusal_records_nothing(server: Project) -> None:
    admin = logged_in(server, "admin")
    headers = {"X-CSRF-Token": csrf_of(admin)}
    refused = admin.post(
        "/api/v1/packs/sll/signoff", json={**SIGN, "on": "2025-05-19"}, headers=headers
    )
    assert refused.status_code == 400 and "before the report date" in refused.json()["message"]
    assert signoffs(server) == []
    signed = admin.post(
        "/api/v1/packs/sll/signoff", json={**SIGN, "fy": 2024, "verdict": "failed"}, headers=headers
    )
    assert signed.status_code == 201, signed.text
    body = signed.json()
    assert (body["by"], body["verdict"], body["target"]) == ("admin", "failed", TARGET)
    ((actor, _, detail),) = signoffs(server)
    assert actor == "admin" and detail["content"]["evidence_ref"] == "PL-2024.xlsx"
    audit = logged_in(server, "admin").get("/admin/audit").text
    assert ACTION in audit and TARGET in audit
