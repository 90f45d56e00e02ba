"""Every built-in indicator and rule of every pack gives the same results on Spark.

The demo company with every installed pack (core demo data plus each pack's `demo`
hook, size `small`), one fiscal year, evaluated on DuckDB and on local-mode Spark:
identical figures, target statuses, violations and evidence fingerprints. What the
Spark engine refuses is listed below with the reason; everything else must run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from typing import Any

import pytest
from tests.conftest import make_project

from mieruka.core.datasets import load
from mieruka.core.engine import engine_factory
from mieruka.core.evaluate import evaluate
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import current_snapshots, snapshot_paths
from mieruka.core.specset import SpecSet

if shutil.which("java") is None:  # the test set-up (scripts/setup) installs Java
    pytest.fail("Java is not installed: run scripts/setup", pytrace=False)

pytestmark = pytest.mark.xdist_group("spark")

FISCAL_YEAR = 2025  # the demo's latest year: the planted anomalies of every pack fire
SPARK = engine_factory("spark", "local[2]")
# item -> why the Spark engine refuses its SQL. Empty: every built-in item of every pack
# runs on Spark (funds.fx_quality orders its string_agg; the LTV query averages the last
# three years with row_number instead of DuckDB lists). A pack item that must be refused
# would go here with the reason (see tests/test_spark_parity.py for refusals as such).
STILL_REFUSED: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    from mieruka.demo.generate import generate

    root = tmp_path_factory.mktemp("packs_demo")
    specs = {
        name: resources.files("mieruka.demo").joinpath("specs", name).read_text(encoding="utf-8")
        for name in ("datasets.yaml", "kpis.yaml")
    }
    project = make_project(root / "ws", specs)  # every installed pack
    assert len(project.packs) >= 5
    for dataset, path in generate(root / "src", "small", FISCAL_YEAR, FISCAL_YEAR).items():
        load(project, dataset, path)
    for pack in project.packs:
        if pack.demo is not None:
            pack.demo(project, "small")
    yield project
    project.close()


def _closure(specs: SpecSet, items: set[str]) -> set[str]:
    """`items` and every indicator they read, directly or not."""
    todo, seen = list(items), set(items)
    while todo:
        item = todo.pop()
        parsed = specs.formulas.get(item)
        if item in specs.indicators:
            reads = specs.dependencies(item)
        else:
            reads = parsed.indicators if parsed is not None else ()
        for dep in set(reads) - seen:
            seen.add(dep)
            todo.append(dep)
    return seen


def only(specs: SpecSet, items: set[str]) -> SpecSet:
    keep = _closure(specs, items)
    return replace(
        specs,
        indicators={k: v for k, v in specs.indicators.items() if k in keep},
        rules={k: v for k, v in specs.rules.items() if k in keep},
        order=tuple(i for i in specs.order if i in keep),
        targets=tuple(t for t in specs.targets if t.indicator in keep),
    )


def without(specs: SpecSet, dropped: set[str]) -> SpecSet:
    """The spec set without `dropped` (and, if any, what reads them)."""
    everything = {*specs.indicators, *specs.rules}
    keep = {i for i in everything if not _closure(specs, {i}) & dropped}
    return only(specs, keep)


def _args(project: Project) -> dict[str, Any]:
    return {"functions": project.functions, "options": project.options}


def test_every_pack_gives_identical_figures_statuses_violations_and_fingerprints(
    demo: Project,
) -> None:
    everything = {*demo.specs.indicators, *demo.specs.rules}
    specs = without(demo.specs, set(STILL_REFUSED))
    # nothing but the listed items is left out (nothing else reads them)
    assert everything - {*specs.indicators, *specs.rules} == set(STILL_REFUSED)
    paths = snapshot_paths(demo, current_snapshots(demo))
    period = Period.for_fiscal_year(FISCAL_YEAR)
    duck = evaluate(specs, paths, period, **_args(demo))
    spark = evaluate(specs, paths, period, engine=SPARK, **_args(demo))
    # skipped only for data the demo does not load (the statements pack's schedules)
    assert all(why.startswith("dataset(s) not loaded") for why in duck.skipped.values())
    assert len(specs.indicators) + len(specs.rules) - len(duck.skipped) >= 90
    packs = {v["indicator"].split(".")[0] for v in duck.values if v["value"] is not None}
    assert {"org", "funds", "hc", "icfr", "st"} <= packs  # sll has rules only
    violated = {v["rule"].split(".")[0] for v in duck.violations}
    assert {"org", "funds", "hc", "icfr", "sll"} <= violated
    assert sum(1 for v in duck.values if v["fp_denominator"]) > 300
    assert spark.values == duck.values
    assert spark.targets == duck.targets
    assert spark.violations == duck.violations
    assert spark.skipped == duck.skipped
