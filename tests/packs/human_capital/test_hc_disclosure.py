"""`mieruka hc disclosure`: the 有報 table from a finished run, notes included."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.packs.human_capital.conftest import figures
from tests.packs.human_capital.test_hc_wage_gap import FILES

from mieruka.cli.main import cli


def test_the_table_lists_the_filer_first_with_notes_from_the_runs_options(hc):
    project = hc(FILES, {"fte_part_time": True, "filer_entity": "E01"})
    figures(project, 2024)
    result = CliRunner().invoke(
        cli, ["-C", str(project.ws.root), "hc", "disclosure", "--fy", "2024", "--json"]
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    first = table["entities"][0]
    assert (first["entity"], first["role"]) == ("E01", "提出会社")
    assert first["figures"]["hc.wage_gap_non_regular"] == "114.0"  # FTE-converted, as run
    assert "週所定労働時間 ÷ 40時間" in table["notes"]["hc.wage_gap_all"]
    assert "1名は男女別の算定から除き" in table["notes"]["hc.wage_gap_all"]


def test_a_year_without_a_run_is_an_error_that_says_what_to_do(hc):
    project = hc(FILES)
    result = CliRunner().invoke(
        cli, ["-C", str(project.ws.root), "hc", "disclosure", "--fy", "2030"]
    )
    assert result.exit_code == 1 and "mieruka run --fy 2030" in result.output


def test_iso_30414_reports_supported_metrics_and_says_no_data_for_the_rest(hc):
    project = hc(FILES)
    figures(project, 2024)
    result = CliRunner().invoke(
        cli, ["-C", str(project.ws.root), "hc", "iso30414", "--fy", "2024", "--json"]
    )
    assert result.exit_code == 0, result.output
    metrics = {m["metric"]: m["value"] for m in json.loads(result.output)["metrics"]}
    assert metrics["Number of employees"] == "6"  # W1, W2, P1, M1, M3, X1 (M2 left)
    assert metrics["Workforce diversity: women"] == "3"
    assert metrics["Lost time for injury"] == "no data"  # never a made-up number
    assert metrics["Total development and training cost"] == "no data"  # no training file
