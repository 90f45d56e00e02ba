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
