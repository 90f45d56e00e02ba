"""Deficiency evaluation: aggregation that crosses materiality, compensating controls,
remediation timing, entity-level judgment; the figure in a run and the CLI's reasoning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.icfr import pack
from mieruka.packs.icfr.cli import icfr
from mieruka.packs.icfr.deficiency import (
    DEFICIENCY,
    MATERIAL_WEAKNESS,
    NOT_REPORTED,
    evaluate_deficiencies,
)

ON = date(2025, 3, 31)
PROCESSES = [{"process_id": "P1", "location_id": "HQ"}, {"process_id": "P2", "location_id": "OS"}]
CONTROLS = [
    {"control_id": "C1", "process_id": "P1", "nature": "manual", "assertions": "existence;valuation"},
    {"control_id": "C2", "process_id": "P1", "nature": "manual", "assertions": "existence"},
    {"control_id": "C3", "process_id": "P2", "nature": "manual", "assertions": "existence"},
    {"control_id": "CC", "process_id": "P1", "nature": "manual", "assertions": "existence"},
    {"control_id": "IT1", "process_id": "P1", "nature": "itgc", "assertions": ""},
]  # fmt: skip


def _d(did: str, control: str, account: str, amount: int, likelihood: str = "probable",
       comp: str | None = None, fixed: date | None = None, entity: bool = False) -> dict:  # fmt: skip
    return {"deficiency_id": did, "control_id": control, "fiscal_year": 2024,
            "account_code": account, "potential_misstatement": amount, "likelihood": likelihood,
            "entity_level": entity, "compensating_control_id": comp, "remediated_on": fixed}  # fmt: skip


def _t(control: str, phase: str, on: date, deviations: int) -> dict:
    return {"control_id": control, "fiscal_year": 2024, "phase": phase, "tested_on": on,
            "deviations": deviations}  # fmt: skip


def _classify(deficiencies, tests=(), m=5_000_000.0):
    found, totals = evaluate_deficiencies(deficiencies, CONTROLS, PROCESSES, list(tests),
                                          2024, ON, m)  # fmt: skip
    return {f.deficiency_id: f for f in found}, totals


def test_two_deficiencies_below_materiality_aggregate_into_a_material_weakness():
    found, totals = _classify([_d("D1", "C1", "1100", 3_000_000), _d("D2", "C2", "1100", 2_000_000),
                               _d("D3", "C3", "1100", 3_000_000)])  # fmt: skip
    assert totals[("1100", "existence", "HQ")] == 5_000_000  # exactly materiality: 以上
    assert found["D1"].classification == found["D2"].classification == MATERIAL_WEAKNESS
    assert found["D3"].classification == DEFICIENCY  # same account, another location
    assert any("重要性の基準値 5,000,000円 以上" in r for r in found["D1"].reasons)
    one_yen_short, _ = _classify([_d("D1", "C1", "1100", 3_000_000),
                                  _d("D2", "C2", "1100", 1_999_999)])  # fmt: skip
    assert one_yen_short["D1"].classification == DEFICIENCY


def test_likelihood_and_an_effective_compensating_control_reduce_the_impact():
    found, _ = _classify([_d("D4", "C1", "4000", 8_000_000, comp="CC"),
                          _d("D5", "C2", "5000", 8_000_000, "reasonably_possible")],
                         [_t("CC", "operating", date(2024, 12, 1), 0)])  # fmt: skip
    assert found["D4"].impact == 4_000_000 and found["D4"].classification == DEFICIENCY
    assert found["D5"].impact == 4_000_000
    failed, _ = _classify([_d("D4", "C1", "4000", 8_000_000, comp="CC")],
                          [_t("CC", "operating", date(2024, 12, 1), 2)])  # fmt: skip
    assert failed["D4"].classification == MATERIAL_WEAKNESS
    assert any("有効でない" in r for r in failed["D4"].reasons)


def test_remediated_and_retested_before_the_assessment_date_is_not_reported():
    fixed_in_time = _d("D6", "C3", "1100", 9_000_000, fixed=date(2025, 2, 1))
    too_late = _d("D7", "C2", "2000", 9_000_000, fixed=date(2025, 3, 25))
    found, totals = _classify([fixed_in_time, too_late],
                              [_t("C3", "retest", date(2025, 2, 20), 0),
                               _t("C2", "retest", date(2025, 4, 10), 0)])  # fmt: skip
    assert found["D6"].classification == NOT_REPORTED and ("1100", "existence", "OS") not in totals
    assert found["D7"].classification == MATERIAL_WEAKNESS  # retest after the assessment date


def test_entity_level_and_it_general_deficiencies_are_flagged_for_judgment():
    found, _ = _classify([_d("D8", "IT1", "1100", 0), _d("D9", "C1", "1100", 0, entity=True)])
    assert found["D8"].judgment and found["D9"].judgment
    assert any("質的に検討" in r for r in found["D8"].reasons)


FILES = {
    "locations": "location_id,name,fiscal_year,revenue,total_assets,pretax_income\n"
                 "HQ,本社,2024,900,900,\"60,000,000\"\nOS,大阪,2024,100,100,\"40,000,000\"\n",
    "processes": "process_id,name,location_id,account_codes\nP1,販売,HQ,1100;4000\n",
    "controls": "control_id,process_id,description,frequency,nature,key,assertions,owner\n"
                "C1,P1,出荷照合,daily,manual,○,existence,営業部\n"
                "C2,P1,請求承認,daily,manual,○,existence,経理部\n",
    "tests": "control_id,fiscal_year,phase,population_size,sample_size,deviations,tested_on,tester\n"
             "C1,2024,operating,240,25,2,2024-12-10,監査室\n",
    "deficiencies": "deficiency_id,control_id,fiscal_year,description,account_code,"
                    "potential_misstatement,likelihood,entity_level,compensating_control_id,"
                    "remediated_on\n"
                    "D1,C1,2024,出荷照合漏れ,1100,\"3,000,000\",probable,×,,\n"
                    "D2,C2,2024,承認漏れ,1100,\"2,500,000\",probable,×,,\n",
}  # fmt: skip


def test_the_run_counts_them_and_the_cli_prints_the_reasoning(tmp_path: Path):
    registry.register(pack)
    try:
        project = make_project(tmp_path / "ws", {}, packs=["icfr"])
        for name, text in FILES.items():
            load(project, name, write(tmp_path / f"{name}.csv", text))
        run = start_run(project, Period.for_fiscal_year(2024))
        counts = {v["dims"].get("classification"): v["value"] for v in project.store.values(run.id)
                  if v["indicator"] == "icfr.deficiencies"}  # fmt: skip
        assert counts == {None: 2, MATERIAL_WEAKNESS: 2}
        project.close()
        result = CliRunner().invoke(icfr, ["deficiencies", "--fy", "2024", "--workspace",
                                           str(tmp_path / "ws")])  # fmt: skip
        assert result.exit_code == 1, result.output
        assert "重要性の基準値: 5,000,000円" in result.output
        assert "D1: 開示すべき重要な不備" in result.output
    finally:
        registry.unregister("icfr")
