"""A pack registers datasets, specs, functions and domain checks exactly as a third party would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.evaluate import Context
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.registry import Pack
from mieruka.core.runs import start_run
from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels

LEAVE = DatasetSchema(
    id="leave",
    key=("employee_id", "fiscal_year"),
    columns=(
        Column(name="employee_id", type=ColumnType.string, required=True),
        Column(name="fiscal_year", type=ColumnType.integer, required=True),
        Column(name="granted", type=ColumnType.decimal, required=True, min=0),
        Column(name="taken", type=ColumnType.decimal, required=True, min=0),
    ),
)

PACK_SPECS = """
indicators:
  - id: demo_pack.leave_uptake
    label: {ja: 有給休暇取得率, en: Paid-leave uptake}
    unit: percent
    aggregate: ratio
    rounding: {digits: 1}
    formula: |
      SELECT employee_id AS key, taken AS numerator, granted AS denominator
      FROM leave WHERE fiscal_year = :fy
  - id: demo_pack.longest_leave
    label: {ja: 最長取得日数}
    unit: days
    aggregate: max
    function: longest
    needs: [leave]
  - id: demo_pack.uptake_gap
    label: {ja: 目標との差}
    unit: percent
    aggregate: value
    function: gap_to_seventy
    needs: [demo_pack.leave_uptake]
"""


def taken_not_above_granted(con, table: str, file: str) -> list[Issue]:
    rows = con.execute(f"SELECT __row, employee_id FROM {table} WHERE taken > granted").fetchall()
    return [
        Issue(f"days taken exceed days granted for {emp}", file=file, row=row, column="taken")
        for row, emp in rows
    ]


def longest(ctx: Context) -> pa.Table:
    """A pack function: returns rows shaped like a formula's output."""
    rows = ctx.engine.query(
        f"SELECT employee_id AS key, taken AS value FROM {ctx.tables['leave']} WHERE fiscal_year = {ctx.period.fiscal_year}"
    )
    return rows


def gap_to_seventy(ctx: Context) -> pa.Table:
    """Reads another indicator of the same run through ctx.indicators."""
    table = ctx.indicators["demo_pack.leave_uptake"]
    return ctx.engine.query(f"SELECT 70 - value AS value FROM {table}")


@pytest.fixture
def pack(tmp_path: Path):
    spec = write(tmp_path / "pack" / "leave.yaml", PACK_SPECS)
    pack = Pack(
        name="demo_pack",
        label=Labels(ja="テスト", en="Test"),
        datasets=(LEAVE,),
        spec_files=(spec,),
        functions={"longest": longest, "gap_to_seventy": gap_to_seventy},
        checks={"leave": (taken_not_above_granted,)},
    )
    registry.register(pack)
    yield pack
    registry.unregister("demo_pack")


LEAVE_CSV = """\
employee_id,fiscal_year,granted,taken
E1,2024,20,10
E2,2024,20,15.5
E3,2024,10,4
"""


def test_a_pack_contributes_datasets_indicators_and_functions(pack, tmp_path):
    project = make_project(tmp_path / "ws", {}, packs=["demo_pack"])
    load(project, "leave", write(tmp_path / "leave.csv", LEAVE_CSV))
    run = start_run(project, Period.for_fiscal_year(2024))
    values = {v["indicator"]: v for v in project.store.values(run.id) if not v["dims"]}
    # (10 + 15.5 + 4) / (20 + 20 + 10) = 29.5 / 50 = 59.0 %
    assert values["demo_pack.leave_uptake"]["value"] == Decimal("59.0")
    assert values["demo_pack.longest_leave"]["value"] == Decimal("15.5")
    assert values["demo_pack.uptake_gap"]["value"] == Decimal("11.0")


def test_a_function_whose_dataset_is_not_loaded_has_no_data(pack, tmp_path):
    project = make_project(tmp_path / "ws", {}, packs=["demo_pack"])
    run = start_run(project, Period.for_fiscal_year(2024))
    skipped = run.params_dict()["skipped"]
    assert skipped["demo_pack.longest_leave"] == "dataset(s) not loaded: leave"
    assert skipped["demo_pack.uptake_gap"] == "indicator(s) without data: demo_pack.leave_uptake"


def test_a_pack_check_rejects_a_file_with_its_row(pack, tmp_path):
    project = make_project(tmp_path / "ws", {}, packs=["demo_pack"])
    bad = write(tmp_path / "leave.csv", LEAVE_CSV.replace("E3,2024,10,4", "E3,2024,10,12"))
    with pytest.raises(MierukaError) as info:
        load(project, "leave", bad)
    assert "row 4" in str(info.value) and "days taken exceed days granted for E3" in str(info.value)
    assert project.store.snapshots() == []


def test_an_unknown_pack_function_is_a_spec_error(tmp_path):
    spec = write(tmp_path / "p.yaml", PACK_SPECS)
    registry.register(
        Pack(name="broken", label=Labels(ja="x"), datasets=(LEAVE,), spec_files=(spec,))
    )
    try:
        project = make_project(tmp_path / "ws", {}, packs=["broken"])
        with pytest.raises(MierukaError, match="unknown function 'longest'"):
            project.specs  # noqa: B018
    finally:
        registry.unregister("broken")
