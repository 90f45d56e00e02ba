"""Engagement: favourable share and eNPS, with no group of fewer than 5 respondents shown."""

from __future__ import annotations

from decimal import Decimal

from tests.packs.human_capital.conftest import figures, total

from mieruka.packs.human_capital.engagement import POOLED

HEADER = "respondent_key,survey_id,fiscal_year,department,item_id,score,enps\n"
SALES = [("R1", 5, 4, 10), ("R2", 4, 4, 9), ("R3", 4, 1, 8), ("R4", 3, 2, 7)]
SALES += [("R5", 2, 3, 6), ("R6", 5, 3, 3)]
DEV = [("D1", 5, 4, 10), ("D2", 5, 4, 10), ("D3", 5, 4, 10)]
ADMIN = [("K1", 5, 2, 0), ("K2", 4, 1, 8)]


def survey(groups: dict[str, list[tuple[str, int, int, int]]]) -> str:
    lines = [
        f"{who},S2024,2024,{dept},{item},{score},{enps}"
        for dept, people in groups.items()
        for who, q1, q2, enps in people
        for item, score in (("Q1", q1), ("Q2", q2))
    ]
    return HEADER + "\n".join(lines) + "\n"


def test_small_departments_are_pooled_and_never_shown_alone(hc):
    # 営業部 has 6 respondents; 開発部 (3) and 管理部 (2) are pooled into one group of 5.
    files = {"survey_responses": survey({"営業部": SALES, "開発部": DEV, "管理部": ADMIN})}
    found = figures(hc(files), 2024)
    assert total(found, "hc.engagement_favourable", department="営業部") == Decimal("50.0")
    assert total(found, "hc.engagement_favourable", department=POOLED) == Decimal("80.0")
    assert total(found, "hc.engagement_favourable") == Decimal("63.6")  # 14 / 22
    assert total(found, "hc.engagement_favourable", item_id="Q1") == Decimal("81.8")  # 9 / 11
    # eNPS: 営業部 2 promoters, 2 detractors of 6 -> 0; pool 3 and 1 of 5 -> 40; all 2/11
    assert total(found, "hc.enps", department="営業部") == Decimal("0")
    assert total(found, "hc.enps", department=POOLED) == Decimal("40")
    assert total(found, "hc.enps") == Decimal("18")
    shown = {dict(dims).get("department") for (_, dims) in found}
    assert not shown & {"開発部", "管理部"}


def test_a_pool_still_too_small_is_withheld_from_every_figure(hc):
    files = {"survey_responses": survey({"営業部": SALES, "開発部": DEV})}
    found = figures(hc(files), 2024)
    assert total(found, "hc.engagement_favourable") == Decimal("50.0")  # 営業部 only
    assert total(found, "hc.engagement_favourable", department=POOLED) is None
    assert total(found, "hc.enps") == Decimal("0")


def test_a_survey_below_the_threshold_shows_nothing(hc):
    files = {"survey_responses": survey({"営業部": SALES})}
    found = figures(hc(files, {"anonymity_threshold": 7}), 2024)
    assert total(found, "hc.engagement_favourable") is None
    assert total(found, "hc.enps") is None


def test_drivers_are_the_correlation_of_each_item_with_enps(hc):
    # 営業部's six: Q1 (5,4,4,3,2,5) and Q2 (4,4,1,2,3,3) against eNPS (10,9,8,7,6,3):
    # Pearson r = 0.080… for Q1 and 0.218… for Q2, so Q2 is the stronger driver.
    files = {"survey_responses": survey({"営業部": SALES})}
    found = figures(hc(files), 2024)
    assert total(found, "hc.engagement_driver", item_id="Q1") == Decimal("0.08")
    assert total(found, "hc.engagement_driver", item_id="Q2") == Decimal("0.22")
