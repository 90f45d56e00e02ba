"""The dashboard in a real browser: Playwright driving Debian's Chromium (never a downloaded
one). Screenshots go to artifacts/web/ for people to look at."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from tests.web.conftest import build_workspace

from mieruka.core.project import Project
from mieruka.web.app import create_app

CHROMIUM = os.environ.get("MIERUKA_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
PASSWORD = "correct horse battery"

if not Path(CHROMIUM).exists():
    pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/setup", pytrace=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def local_url(local_project: Project) -> Iterator[str]:
    served = Served(create_app(local_project))
    yield served.url
    served.stop()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_overview_drill_to_evidence_and_switch_language(browser: Any, local_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(req.url))
    page.goto(local_url + "/")
    assert page.locator("h1").inner_text().startswith("概要")
    assert page.locator("svg.spark").count() >= 3
    shot(page, "01_overview_ja")

    page.locator("a[href^='/indicators/t.female_managers?']").click()
    page.wait_for_selector("canvas")
    page.wait_for_function(
        "() => !!window.Chart && Chart.getChart(document.querySelector('canvas'))"
    )
    shot(page, "02_indicator")

    page.locator("a.figure[href$='member=%E9%96%8B%E7%99%BA']").click()  # 開発: 50.0%
    assert "根拠データ" in page.locator("h1").inner_text()
    rows = page.locator("table.evidence tbody tr")
    assert rows.count() == 2
    assert page.locator("tr.in-num").count() == 1
    shot(page, "03_evidence")

    page.locator("a[data-pref=lang-en]").click()
    assert "evidence" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Overview").first.click()
    page.get_by_role("link", name="Japanese era").click()
    page.get_by_role("link", name="¥ million").click()
    assert "令和6年度" in page.content()
    shot(page, "04_overview_en_wareki")
    assert errors == []


def test_viewer_is_refused_where_the_role_does_not_allow(
    browser: Any, tmp_path: Path, pg_url: str
) -> None:
    import uuid

    import sqlalchemy as sa

    schema = f"b_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    project = build_workspace(tmp_path, f"{pg_url}?options=-csearch_path%3D{schema}")
    app = create_app(project, server=True, secure_cookies=False)
    app.state.web.accounts.create_user("閲覧者", PASSWORD, "viewer", actor="test")
    served = Served(app)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(served.url + "/")
        assert page.url.endswith("/login")
        page.fill("input[name=username]", "閲覧者")
        page.fill("input[name=password]", "wrong password")
        page.click("button[type=submit]")
        assert page.locator("p.error").is_visible()
        shot(page, "05_login_failed")
        page.fill("input[name=username]", "閲覧者")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert "閲覧者 (viewer)" in page.content()
        page.goto(served.url + "/runs")
        assert page.locator("button", has_text="実行する").count() == 0
        response = page.goto(served.url + "/admin/users")
        assert response is not None and response.status == 403
        assert "権限がありません" in page.content()
        shot(page, "06_viewer_refused")
    finally:
        served.stop()
        project.close()


def test_a_pack_page_in_the_browser_and_a_refused_upload(browser: Any, tmp_path: Path) -> None:
    from tests.conftest import make_project, write
    from tests.web.test_web_packpages import SURVEY

    from mieruka.core.datasets import load
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run
    from mieruka.packs.human_capital.engagement import POOLED

    project = make_project(tmp_path / "ws", {}, packs=["human_capital"])
    load(project, "survey_responses", write(tmp_path / "survey.csv", SURVEY))
    start_run(project, Period.for_fiscal_year(2024))
    served = Served(create_app(project))
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(served.url + "/")
        page.locator("nav.packs a", has_text="従業員調査").click()
        assert page.locator("h1").inner_text().startswith("従業員調査")
        page.wait_for_function(
            "() => !!window.Chart && Chart.getChart(document.querySelector('canvas'))"
        )
        pooled = page.locator("tr.pooled td").first
        assert pooled.inner_text() == POOLED
        assert "総務" not in page.content() and "法務" not in page.content()
        shot(page, "07_pack_survey_ja")
        page.locator("a[data-pref=lang-en]").click()
        assert page.locator("h1").inner_text().startswith("Employee survey")
        shot(page, "08_pack_survey_en")

        page.goto(served.url + "/datasets?lang=ja")
        bad = SURVEY.replace("a0,S2024,2024,営業,Q1,5,10", "a0,S2024,2024,営業,Q1,7,10")
        write(tmp_path / "回答.csv", bad)
        page.select_option("select[name=dataset]", "survey_responses")
        page.set_input_files("input[name=file]", str(tmp_path / "回答.csv"))
        page.locator("form.load-form button[type=submit]").click()
        failed = page.locator("section.load-failed")
        assert failed.is_visible() and "回答.csv" in failed.inner_text()
        assert "score" in page.locator("table.issues tbody").inner_text()
        shot(page, "09_upload_refused")
        assert errors == []
    finally:
        served.stop()
        project.close()


def test_rule_violations_from_the_overview_to_the_rows(browser: Any, local_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(local_url + "/?lang=ja")
    problems = page.locator("section.rule-problems")
    assert "退職済みの管理職フラグ" in problems.inner_text()
    problems.get_by_role("link", name="退職済みの管理職フラグ").click()
    assert page.locator("h1").inner_text().startswith("退職済みの管理職フラグ")
    cells = page.locator("table.violations tbody tr td")
    assert [cells.nth(i).inner_text() for i in range(3)] == ["1", "S8", "2024-12-31"]
    page.locator("details.formula summary").click()
    shot(page, "10_rule_violations")
    page.locator("p.crumbs a", has_text="#2").click()
    assert page.locator("table.rules").is_visible()
    shot(page, "11_run_rules")
    assert errors == []


def test_verifier_signs_an_sll_observation_in_server_mode(
    browser: Any, tmp_path: Path, pg_url: str
) -> None:
    import uuid

    import sqlalchemy as sa
    from tests.packs.sll.test_sll_data import registered
    from tests.web.test_web_sll_signoff import sll_workspace

    schema = f"b_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    with registered():
        project = sll_workspace(tmp_path, f"{pg_url}?options=-csearch_path%3D{schema}")
        app = create_app(project, server=True, secure_cookies=False)
        app.state.web.accounts.create_user("検証者 山田", PASSWORD, "verifier", actor="test")
        served = Served(app)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(served.url + "/login")
            page.fill("input[name=username]", "検証者 山田")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(served.url + "/packs/sll?as_of=2025-06-25")
            page.locator("a.verify-link").first.click()
            assert page.locator("h1").inner_text().startswith("検証チェックリスト")
            page.select_option("select[name=fy]", "2024")
            page.fill("input[name=as_of]", "2025-06-25")
            page.locator("form.filters button[type=submit]").click()
            form = page.locator("form.signoff-form[data-kpi=paid_leave]")
            assert "署名する（検証者 山田）" in form.inner_text()
            shot(page, "12_sll_checklist_before")

            form.locator("input[name=on]").fill("2025-05-01")  # before the report: refused
            form.locator("button[type=submit]").click()
            refused = page.locator("section.action-refused")
            assert refused.is_visible() and "before the report date" in refused.inner_text()
            shot(page, "13_sll_signoff_refused")

            form = page.locator("form.signoff-form[data-kpi=paid_leave]")
            form.locator("input[name=on]").fill("2025-06-20")
            form.locator("input[name=note]").fill("勤怠台帳と突合済み")
            form.locator("button[type=submit]").click()
            section = page.locator("#kpi-paid_leave")
            assert "検証者 山田" in section.locator("table.signoffs").inner_text()
            assert "チェック完了" in section.inner_text()
            shot(page, "14_sll_signed")
            page.locator("a[data-pref=lang-en]").click()
            assert "Verification checklist" in page.locator("h1").inner_text()
            shot(page, "15_sll_signed_en")
            assert errors == []
            signed = [
                (e["actor"], e["target"])
                for e in project.store.audit_log()
                if e["action"] == "sll.signoff"
            ]
            assert signed == [("検証者 山田", "sll:L1/paid_leave/2024")]  # the refusal left none
        finally:
            served.stop()
            project.close()
