"""The rendered-page cache of the overview and indicator pages (local mode; server mode's
roles and CSRF tokens are in test_web_server.py).

A page shaped from stored runs is rendered once per key and served again; the key must hold
everything the page shows, and the newest run, so a new run shows at once.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.web.security import PageCache


def test_a_new_run_shows_on_the_overview_at_once(
    client: TestClient, local_project: Project
) -> None:
    first = client.get("/").text
    assert "#2</small>" in first and '<option value="3"' not in first
    assert client.get("/").text == first  # served again
    assert "#2</small>" in client.get("/indicators/t.female_managers").text
    # a run appended by another process (the CLI): a second handle on the same store
    other = Project.open(local_project.ws.root)
    try:
        start_run(other, Period.for_fiscal_year(2024), note="re-run from the CLI")
    finally:
        other.close()
    after = client.get("/").text
    assert "#3</small>" in after and '<option value="3"' in after
    assert "#3</small>" in client.get("/indicators/t.female_managers").text
    # an older run's page is still there, and now lists the new run among the runs
    older = client.get("/", params={"run": 1}).text
    assert "#1</small>" in older and '<option value="3"' in older


def test_a_run_that_did_not_exist_is_not_remembered_as_missing(
    client: TestClient, local_project: Project
) -> None:
    assert client.get("/", params={"run": 3}).status_code == 404
    assert client.get("/indicators/t.headcount", params={"run": 3}).status_code == 404
    start_run(local_project, Period.for_fiscal_year(2024))
    assert client.get("/", params={"run": 3}).status_code == 200
    assert client.get("/indicators/t.headcount", params={"run": 3}).status_code == 200


def test_language_era_and_unit_each_get_their_own_page(client: TestClient) -> None:
    ja = client.get("/").text
    assert "女性管理職比率" in ja and "Women in management" not in ja
    en = client.get("/", params={"lang": "en"}).text
    assert "Women in management" in en and "女性管理職比率" not in en
    # the choice is now in the cookie: the bare address gives the English page
    bare = client.get("/").text
    assert "Women in management" in bare and "女性管理職比率" not in bare
    assert "Women in management" in client.get("/indicators/t.female_managers").text
    client.cookies.clear()
    assert client.get("/").text == ja
    assert "女性管理職比率" in client.get("/indicators/t.female_managers").text
    wareki = client.get("/", params={"era": "wareki"}).text
    assert "令和6年度" in wareki and "令和6年度" not in ja
    assert "49百万円" in client.get("/", params={"yen": "million"}).text
    assert "49,200千円" in client.get("/", params={"yen": "thousand"}).text


def test_a_filtered_overview_is_its_own_page(client: TestClient) -> None:
    whole = client.get("/").text
    dev = client.get("/", params={"filter": "dept=開発"}).text
    assert "従業員数" in whole and "従業員数" not in dev
    assert "50.0%" in dev and "50.0%" not in whole
    assert client.get("/", params={"dim": "dept", "member": "開発"}).text != whole
    assert client.get("/").text == whole


def test_page_cache_drops_the_least_recently_used_past_its_bounds() -> None:
    cache = PageCache(size=2, max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # now b is the least recently used
    cache.put("c", b"12")
    assert cache.get("b") is None and cache.get("a") == b"1234" and cache.get("c") == b"12"
    cache.put("d", b"123456789")  # past 10 bytes: a and c go
    assert cache.get("a") is None and cache.get("c") is None and cache.get("d") == b"123456789"
    assert cache.bytes == 9
    cache.put("e", b"x" * 11)  # larger than the whole cache: never kept
    assert cache.get("e") is None and cache.bytes == 9
