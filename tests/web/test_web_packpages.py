"""The packs' own pages, mounted through `Pack.pages` (`mieruka.core.pages`): read from a
stored run, written for a Japanese or English reader, and never showing what a pack withholds."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_project, write

from mieruka.core.datasets import load
from mieruka.core.pages import PageRequest
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.packs.human_capital.engagement import POOLED
from mieruka.web.app import create_app

HEADER = "respondent_key,survey_id,fiscal_year,department,item_id,score,enps\n"


def _answers(fy: int, dept: str, scores: list[int], enps: list[int], prefix: str) -> str:
    return "".join(
        f"{prefix}{i},S{fy},{fy},{dept},Q1,{s},{e}\n"
        for i, (s, e) in enumerate(zip(scores, enps, strict=True))
    )


# FY2024: 営業 6 and 開発 5 respondents are shown; 総務 3 + 法務 2 are pooled (5 together).
# FY2025: 総務 2 + 法務 2 pool to 4, still under 5: their answers are left out altogether.
SURVEY = (
    HEADER
    + _answers(2024, "営業", [5, 4, 4, 4, 2, 1], [10, 10, 9, 7, 3, 0], "a")
    + _answers(2024, "開発", [5, 5, 5, 5, 5], [8, 8, 8, 8, 8], "b")
    + _answers(2024, "総務", [1, 1, 1], [0, 0, 0], "c")
    + _answers(2024, "法務", [5, 5], [10, 10], "d")
    + _answers(2025, "営業", [5, 4, 4, 4, 2, 1], [10, 10, 9, 7, 3, 0], "a")
    + _answers(2025, "総務", [1, 1], [0, 0], "c")
    + _answers(2025, "法務", [5, 5], [10, 10], "d")
)


@pytest.fixture
def survey_project(tmp_path: Path) -> Iterator[Project]:
    project = make_project(tmp_path / "ws", {}, packs=["human_capital"])
    load(project, "survey_responses", write(tmp_path / "survey.csv", SURVEY))
    start_run(project, Period.for_fiscal_year(2024))
    start_run(project, Period.for_fiscal_year(2025))
    yield project
    project.close()


@pytest.fixture
def survey_client(survey_project: Project) -> Iterator[TestClient]:
    with TestClient(create_app(survey_project)) as c:
        yield c


def test_survey_page_pools_small_departments_and_names_none_of_them(
    survey_client: TestClient,
) -> None:
    page = survey_client.get("/packs/human_capital/survey?fy=2024")
    assert page.status_code == 200
    text = page.text
    # 営業: 4 of 6 answers score 4 or 5; 開発: 5 of 5; the pool 総務+法務: 2 of 5
    assert "66.7%" in text and "100.0%" in text and "40.0%" in text
    assert f'<tr class="pooled"><td>{POOLED}</td>' in text
    assert "総務" not in text and "法務" not in text
    data = survey_client.get("/api/v1/packs/human_capital/survey?fy=2024").json()
    shown = {d["member"]: d["favourable"] for d in data["departments"]}
    assert shown == {"営業": "66.7", "開発": "100.0", POOLED: "40.0"}
    # eNPS 営業: promoters 3 (10, 10, 9), detractors 2 (3, 0) of 6 -> 16.7 -> 17
    assert {d["member"]: d["enps"] for d in data["departments"]}["営業"] == "17"
    assert data["anonymity_threshold"] == 5


def test_a_pool_still_under_the_threshold_is_left_out_of_everything(
    survey_client: TestClient,
) -> None:
    data = survey_client.get("/api/v1/packs/human_capital/survey?fy=2025").json()
    assert [d["member"] for d in data["departments"]] == ["営業"]
    # the total is 営業 alone (4 of 6), not 営業 with the withheld answers (6 of 10)
    assert data["total"]["favourable"] == "66.7"
    page = survey_client.get("/packs/human_capital/survey?fy=2025").text
    assert "総務" not in page and "法務" not in page and 'class="pooled"' not in page


def test_pack_pages_speak_english_and_follow_the_run_chosen(survey_client: TestClient) -> None:
    english = survey_client.get("/packs/human_capital/survey?lang=en&run=1").text
    assert "Employee survey" in english and "FY2024" in english and "Anonymity" in english
    assert 'lang="en"' in english
    assert survey_client.get("/packs/human_capital/survey?run=99").status_code == 404
    assert survey_client.get("/packs/human_capital/survey?run=abc").status_code == 400


def test_pages_without_the_packs_data_say_what_to_load(survey_client: TestClient) -> None:
    hr = survey_client.get("/packs/human_capital")
    assert hr.status_code == 200 and "employees" in hr.text
    retention = survey_client.get("/packs/human_capital/retention?lang=en").text
    assert "no retention curves" in retention


def test_pack_pages_are_in_the_menu_and_linked_from_the_overview(
    survey_client: TestClient,
) -> None:
    overview = survey_client.get("/").text
    for url in (
        "/packs/human_capital",
        "/packs/human_capital/survey",
        "/packs/human_capital/retention",
    ):
        assert f'href="{url}"' in overview
    page = survey_client.get("/packs/human_capital/retention").text
    assert 'href="/packs/human_capital/retention" aria-current="page"' in page


def test_every_built_in_pack_page_renders_on_a_workspace_without_its_data(
    client: TestClient,
) -> None:
    overview = client.get("/").text
    urls = ["/packs/human_capital", "/packs/human_capital/survey", "/packs/human_capital/retention",
            "/packs/sll", "/packs/sll/verification", "/packs/icfr", "/packs/funds", "/packs/statements"]  # fmt: skip
    for url in urls:
        assert f'href="{url}"' in overview, url
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert "<script>" not in response.text  # the CSP allows no inline script
        pack, _, page = url.removeprefix("/packs/").partition("/")
        api = client.get(f"/api/v1/packs/{pack}/{page or 'index'}")
        assert api.status_code == 200 and api.headers["content-type"] == "application/json"


def test_page_request_writes_yen_as_a_japanese_statement_does(survey_project: Project) -> None:
    ja = PageRequest(survey_project, lang="ja", yen_unit=1000)
    assert ja.yen(Decimal("-1234567")) == "△1,234"  # 千円未満切捨て, toward zero
    assert ja.yen(999) == "0"
    assert PageRequest(survey_project, lang="en", yen_unit=1000).yen(-1234567) == "-1,234"
    assert PageRequest(survey_project, yen_unit=1_000_000).yen(1_999_999_999) == "1,999"
    wareki = PageRequest(survey_project, era="wareki")
    assert wareki.fy(2024) == "令和6年度"
    assert ja.figure({"unit": "percent", "rounding": {"digits": 1}}, Decimal("66.65")) == "66.7%"
