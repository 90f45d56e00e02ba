"""The Spark engine gives the same figures, statuses, violations and fingerprints as DuckDB.

One local-mode SparkSession serves the whole module (the JVM takes seconds to start);
each evaluation works in its own Spark session with its own temp views. Run these tests
on one xdist worker (`--dist loadgroup`) so that only one JVM starts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import STAFF_CSV, STAFF_DATASETS, STAFF_SPECS, make_project, write

from mieruka.core.datasets import load
from mieruka.core.engine import engine_factory
from mieruka.core.evaluate import Evaluation, evaluate
from mieruka.core.evidence import indicator_evidence
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import current_snapshots, snapshot_paths, start_run
from mieruka.core.workspace import Workspace

if shutil.which("java") is None:  # the test set-up (scripts/setup) installs Java
    pytest.fail("Java is not installed: run scripts/setup", pytrace=False)

pytestmark = pytest.mark.xdist_group("spark")

DEMO_SPECS = Path(__file__).parents[1] / "src" / "mieruka" / "demo" / "specs"
MASTER = "local[2]"
SPARK = engine_factory("spark", MASTER)
AVG_SALARY = """
  - id: t.avg_salary
    label: {ja: 平均給与}
    unit: yen
    aggregate: value
    rounding: {digits: 0}
    formula: |
      SELECT avg(salary) AS value FROM staff
"""


@pytest.fixture(scope="module")
def spark_started() -> None:
    from mieruka.core.spark_engine import spark_session

    spark_session(MASTER)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, spark_started: None) -> Iterator[Project]:
    from mieruka.demo.generate import generate

    root = tmp_path_factory.mktemp("demo")
    specs = {p.name: p.read_text(encoding="utf-8") for p in sorted(DEMO_SPECS.glob("*.yaml"))}
    project = make_project(root / "ws", specs, packs=[])
    for dataset, path in generate(root / "src", "small", 2023, 2024).items():
        load(project, dataset, path)
    yield project
    project.close()


def staff_project(root: Path, specs: str = STAFF_SPECS) -> Project:
    project = make_project(
        root / "ws", {"datasets.yaml": STAFF_DATASETS, "kpis.yaml": specs}, packs=[]
    )
    load(project, "staff", write(root / "staff.csv", STAFF_CSV))
    return project


@pytest.fixture
def staff(tmp_path: Path, spark_started: None) -> Iterator[Project]:
    project = staff_project(tmp_path)
    yield project
    project.close()


def both(project: Project, period: Period) -> tuple[Evaluation, Evaluation]:
    paths = snapshot_paths(project, current_snapshots(project))
    args: dict[str, Any] = {"functions": project.functions, "options": project.options}
    return (
        evaluate(project.specs, paths, period, **args),
        evaluate(project.specs, paths, period, engine=SPARK, **args),
    )


def assert_same(duck: Evaluation, spark: Evaluation) -> None:
    assert spark.values == duck.values
    assert spark.targets == duck.targets
    assert spark.violations == duck.violations
    assert spark.skipped == duck.skipped


def on_spark(project: Project) -> Project:
    settings = replace(project.ws.settings, engine="spark", spark_master=MASTER)
    return Project(Workspace(project.ws.root, settings))


def test_demo_specs_give_identical_figures_statuses_violations_and_fingerprints(
    demo: Project,
) -> None:
    periods = [
        Period.for_fiscal_year(2023),
        Period.for_fiscal_year(2024),
        Period.as_of_date(date(2024, 9, 30)),
    ]
    violations = 0
    for period in periods:
        duck, spark = both(demo, period)
        totals = [v for v in duck.values if not v["dims"]]
        assert totals and all(v["value"] is not None for v in totals), period
        assert all(v["fp_denominator"] for v in totals if v["rows"]), period
        assert_same(duck, spark)
        violations += len(duck.violations)
    assert violations  # the rules fired somewhere, so violations were compared too


def test_staff_fixture_specs_give_identical_results(staff: Project) -> None:
    duck, spark = both(staff, Period.for_fiscal_year(2024))
    assert duck.violations
    assert_same(duck, spark)


def test_a_spark_workspace_stores_the_same_run_and_its_evidence_matches(staff: Project) -> None:
    duck_run = start_run(staff, Period.for_fiscal_year(2024))
    spark_project = on_spark(staff)
    try:
        spark_run = start_run(spark_project, Period.for_fiscal_year(2024))
        assert spark_project.store.values(spark_run.id) == staff.store.values(duck_run.id)
        assert spark_project.store.violations(spark_run.id) == staff.store.violations(duck_run.id)
        assert spark_run.results_hash == duck_run.results_hash
        evidence = indicator_evidence(
            spark_project, spark_run, "t.female_managers", {"dept": "開発"}
        )
        assert evidence.matches
        assert evidence.numerator_keys == ["S5"]
        # evidence re-derived by DuckDB checks the fingerprint the Spark run stored
        assert indicator_evidence(staff, spark_run, "t.headcount", {"gender": "F"}).matches
    finally:
        spark_project.close()


def test_a_function_spark_would_compute_differently_is_refused(
    tmp_path: Path, spark_started: None
) -> None:
    project = staff_project(
        tmp_path, STAFF_SPECS.replace("targets:", AVG_SALARY.lstrip("\n") + "targets:")
    )
    paths = snapshot_paths(project, current_snapshots(project))
    try:
        with pytest.raises(
            MierukaError, match=r"t\.avg_salary: refused by the Spark engine: function AVG\(\)"
        ):
            evaluate(project.specs, paths, Period.for_fiscal_year(2024), engine=SPARK)
    finally:
        project.close()


def test_a_pack_function_runs_its_sql_on_spark_and_gives_the_same_result(staff: Project) -> None:
    engines: list[str] = []

    def payroll(ctx: Any) -> Any:  # what a pack function does: SQL through its context
        engines.append(ctx.engine.name)
        end = ctx.period.as_of.isoformat()
        return ctx.sql(
            f'SELECT staff_id AS key, salary AS value FROM "{ctx.tables["staff"]}"'
            f" WHERE hire_date <= DATE '{end}'"
            f" AND (leave_date IS NULL OR leave_date > DATE '{end}')"
        )

    specs = staff.specs
    formula = specs.indicators["t.payroll"]
    before = both(staff, Period.for_fiscal_year(2024))
    specs.indicators["t.payroll"] = formula.model_copy(
        update={"function": "payroll", "formula": None, "needs": ("staff",)}
    )
    paths = snapshot_paths(staff, current_snapshots(staff))
    period = Period.for_fiscal_year(2024)
    args: dict[str, Any] = {"functions": {"payroll": payroll}}
    duck = evaluate(specs, paths, period, **args)
    spark = evaluate(specs, paths, period, engine=SPARK, **args)
    assert engines == ["duckdb", "spark"]
    assert_same(duck, spark)
    # the function's figures are the formula's, fingerprint included, and feed ind()
    assert spark.values == before[0].values
    payroll_total = next(v for v in spark.values if v["indicator"] == "t.payroll")
    assert payroll_total["value"] > 0 and payroll_total["fp_denominator"]


def test_spark_cannot_read_a_file_by_path(staff: Project) -> None:
    paths = snapshot_paths(staff, current_snapshots(staff))
    engine = SPARK(paths)
    try:
        with pytest.raises(Exception, match=r"(?i)file|parquet|table or view"):
            engine.spark.sql(f"SELECT * FROM parquet.`{paths['staff']}`").collect()  # type: ignore[attr-defined]
    finally:
        engine.close()
