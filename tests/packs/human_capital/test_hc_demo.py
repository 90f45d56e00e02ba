"""The demo's HR files load cleanly and make every statutory figure non-trivial."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import make_project

from mieruka.core.evidence import indicator_evidence
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.human_capital import pack
from mieruka.packs.human_capital.demo import write_files

STATUTORY = (
    "hc.female_manager_share",
    "hc.male_childcare_leave_rate",
    "hc.male_childcare_leave_rate_incl_purpose",
    "hc.wage_gap_all",
    "hc.wage_gap_regular",
    "hc.wage_gap_non_regular",
)
FILER = "見える化商事"


def test_the_demo_is_reproducible(tmp_path):
    first = write_files(tmp_path / "a", "small")
    second = write_files(tmp_path / "b", "small")
    for dataset, path in first.items():
        assert path.read_bytes() == second[dataset].read_bytes(), dataset


def test_the_demo_gives_every_statutory_figure_for_the_filer_and_its_subsidiaries(tmp_path):
    project = make_project(tmp_path / "ws", {})
    try:
        assert pack.demo is not None
        pack.demo(project, "small")
        run = start_run(project, Period.for_fiscal_year(2024))
        values = project.store.values(run.id)
        entities = {v["dims"].get("entity") for v in values if "entity" in v["dims"]}
        assert len(entities) == 3 and FILER in entities
        for indicator in STATUTORY:
            found = {
                v["dims"].get("entity"): v["value"]
                for v in values
                if v["indicator"] == indicator and set(v["dims"]) <= {"entity"}
            }
            assert isinstance(found.get(None), Decimal), indicator
            assert isinstance(found.get(FILER), Decimal), indicator
        evidence = indicator_evidence(project, run, "hc.female_manager_share", {"entity": FILER})
        assert evidence.matches and evidence.denominator_keys
        rules = {v["rule"] for v in project.store.violations(run.id)}
        assert rules <= {"hc.leave_without_birth"}
    finally:
        project.close()
