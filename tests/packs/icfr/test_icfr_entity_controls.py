"""The 42-item entity-level checklist: items, the blank template, loading and evaluation."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.packs.icfr import pack
from mieruka.packs.icfr.assess import read_dataset
from mieruka.packs.icfr.cli import icfr
from mieruka.packs.icfr.entity_controls import ELEMENTS, ITEMS, evaluate_checklist


def test_forty_two_items_across_the_six_elements():
    assert len(ITEMS) == 42 and len({i.item_id for i in ITEMS}) == 42
    assert Counter(i.element for i in ITEMS) == {"environment": 13, "risk": 4, "activities": 7,
                                                 "information": 6, "monitoring": 7, "it": 5}  # fmt: skip
    assert list(ELEMENTS) == ["environment", "risk", "activities", "information", "monitoring",
                              "it"]  # fmt: skip


def _rows(fy: int, **conclusions: str) -> list[dict]:
    return [{"fiscal_year": fy, "item_id": k, "conclusion": v, "evidence": "議事録"}
            for k, v in conclusions.items()]  # fmt: skip


def test_an_item_without_a_row_is_not_evaluated_and_the_checklist_is_not_yet_effective():
    done = {i.item_id: "effective" for i in ITEMS}
    assert evaluate_checklist(_rows(2025, **done), 2025).effective
    del done["MO07"]
    c = evaluate_checklist(_rows(2025, **done) + _rows(2024, MO07="effective"), 2025)
    assert not c.effective and [r.item_id for r in c.open] == ["MO07"]
    assert c.conclusion_ja().endswith("1項目が未評価である。")  # no deficiency to weigh


def test_japanese_conclusions_are_understood_and_deficient_items_are_named():
    done = {i.item_id: "有効" for i in ITEMS} | {"IC05": "不備"}
    c = evaluate_checklist(_rows(2025, **done), 2025)
    assert [r.item_id for r in c.deficient] == ["IC05"]
    assert c.by_element()["information"] == {"effective": 5, "deficient": 1, "not_evaluated": 0}
    assert "1項目に不備（IC05）" in c.conclusion_ja()


@pytest.fixture
def project(tmp_path: Path):
    registry.register(pack)
    p = make_project(tmp_path / "ws", {}, packs=["icfr"])
    yield p
    p.close()
    registry.unregister("icfr")


def test_the_blank_template_loads_and_a_filled_in_one_round_trips(project, tmp_path: Path):
    out = tmp_path / "checklist.csv"
    result = CliRunner().invoke(icfr, ["checklist", "--fy", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 42 and rows[0]["item_id"] == "CE01" and rows[0]["conclusion"] == ""
    for r in rows:
        r.update(conclusion="有効", evidence=f"WP-{r['item_id']}")
    rows.append({**rows[0], "item_id": "XX01", "element": "it", "item": "クラウド利用の統制"})
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    load(project, "entity_controls", out)
    c = evaluate_checklist(read_dataset(project, "entity_controls"), 2025)
    assert c.effective and len(c.rows) == 43 and c.rows[-1].text == "クラウド利用の統制"


def test_an_unknown_item_and_a_conclusion_without_evidence_are_refused(project, tmp_path):
    path = write(tmp_path / "bad.csv", "fiscal_year,item_id,conclusion,evidence\n"
                 "2025,CE01,effective,議事録\n2025,ce1O,effective,議事録\n2025,CA02,有効,\n")  # fmt: skip
    with pytest.raises(MierukaError) as exc:
        load(project, "entity_controls", path)
    issues = {(i.row, i.column): i for i in exc.value.issues}
    assert "did you mean CE10?" in issues[(3, "item_id")].expected
    assert issues[(4, "evidence")].message == "a conclusion needs the evidence it rests on"
    assert "entity_controls" not in project.store.latest_snapshots()  # nothing was loaded
