"""Sample sizes against the published AICPA attribute-sampling tables, selection, evaluation."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.packs.icfr import pack, sampling
from mieruka.packs.icfr.cli import icfr

# (risk, tolerable, expected) -> (size, allowed deviations), AICPA Audit Sampling guide
# tables A-1 (5% risk of overreliance) and A-2 (10%)
PUBLISHED = {
    (0.10, 0.10, 0): (22, 0), (0.10, 0.09, 0): (25, 0), (0.10, 0.05, 0): (45, 0),  # domain page
    (0.10, 0.02, 0): (114, 0), (0.10, 0.20, 0): (11, 0), (0.10, 0.05, 0.01): (77, 1),
    (0.10, 0.10, 0.01): (38, 1),
    (0.05, 0.05, 0): (59, 0), (0.05, 0.10, 0): (29, 0), (0.05, 0.02, 0): (149, 0),
    (0.05, 0.05, 0.0025): (93, 1), (0.05, 0.02, 0.0025): (236, 1), (0.05, 0.05, 0.01): (93, 1),
    (0.05, 0.05, 0.0125): (124, 2), (0.05, 0.05, 0.0175): (153, 3), (0.05, 0.05, 0.02): (181, 4),
    (0.05, 0.04, 0.01): (156, 2), (0.05, 0.06, 0.02): (127, 3), (0.05, 0.03, 0.0075): (208, 2),
}  # fmt: skip


@pytest.mark.parametrize(("rates", "published"), PUBLISHED.items())
def test_attribute_sample_sizes_reproduce_the_published_tables(rates, published):
    s = sampling.attribute_size(*rates)
    assert (s.size, s.allowed_deviations) == published


def test_the_upper_deviation_limit_matches_the_evaluation_tables():
    # table A-3 (5% risk): n=25 with none 11.3%, n=100 with five 10.3% (rounded up to 0.1%)
    assert round(sampling.upper_deviation_limit(25, 0, 0.05) * 100 + 0.05, 1) == 11.3
    assert round(sampling.upper_deviation_limit(100, 5, 0.05) * 100 + 0.05, 1) == 10.3
    # 25 items, no deviation: the usual 90%-confidence basis for a 9% tolerable rate
    assert sampling.evaluate(25, 0, 0.10, 0.09).effective
    one = sampling.evaluate(25, 1, 0.10, 0.09)
    assert not one.effective and "有効と判断できない" in one.reasoning()


def test_frequency_sizes_follow_practice_and_the_workspace_may_change_them():
    assert [sampling.frequency_size(f) for f in ("annual", "quarterly", "monthly", "weekly",
            "daily", "multiple_daily")] == [1, 2, 2, 5, 25, 25]  # fmt: skip
    assert sampling.frequency_size("weekly", {"sample_sizes": {"weekly": 10}}) == 10
    with pytest.raises(ValueError):
        sampling.frequency_size("hourly")


def test_the_same_seed_draws_the_same_items_and_another_seed_does_not():
    a, b = sampling.select(1_000, 25, seed=42), sampling.select(1_000, 25, seed=42)
    assert a == b and len(set(a)) == 25 and a != sampling.select(1_000, 25, seed=43)
    sys = sampling.select(100, 4, seed=1, method="systematic")
    assert [j - i for i, j in itertools.pairwise(sys)] in ([25, 25, 25], [24, 25, 25],
                                                                   [25, 24, 25], [25, 25, 24])  # fmt: skip


def test_select_writes_the_sample_and_records_seed_and_method(tmp_path: Path):
    registry.register(pack)
    try:
        project = make_project(tmp_path / "ws", {}, packs=["icfr"])
        population = write(tmp_path / "pop.csv", "invoice,amount\n"
                           + "".join(f"INV{i:04d},{1000 + i}\n" for i in range(200)))  # fmt: skip
        out = tmp_path / "sample.csv"
        args = ["select", str(population), "--size", "25", "--seed", "7", "--out", str(out),
                "--workspace", str(tmp_path / "ws")]  # fmt: skip
        result = CliRunner().invoke(icfr, args)
        assert result.exit_code == 0, result.output
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 26 and lines[0] == "population_row,invoice,amount"
        entry = project.store.audit_log()[-1]
        detail = json.loads(entry["detail"])
        assert (entry["action"], detail["seed"], detail["method"]) == ("icfr.sample", 7, "random")
        assert detail["rows"] == [i + 2 for i in sampling.select(200, 25, 7)]
        project.close()
    finally:
        registry.unregister("icfr")


def test_size_and_evaluate_commands():
    runner = CliRunner()
    out = runner.invoke(icfr, ["size", "--risk", "5%", "--tolerable", "5%", "--expected", "1%",
                               "--json"])  # fmt: skip
    assert json.loads(out.output)["size"] == 93
    assert runner.invoke(icfr, ["evaluate", "--size", "25", "--deviations", "0",
                                "--tolerable", "9%"]).exit_code == 0  # fmt: skip
    assert runner.invoke(icfr, ["evaluate", "--size", "25", "--deviations", "2",
                                "--tolerable", "9%"]).exit_code == 1  # fmt: skip
