"""The command line end to end, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import STAFF_CSV, STAFF_DATASETS, STAFF_SPECS, write

from mieruka.cli.main import cli


def invoke(ws: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(cli, ["-C", str(ws), *args], obj={}, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def make_ws(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(
        cli, ["init", str(ws), "--organisation", "テスト", "--packs", ""], obj={}
    )
    assert result.exit_code == 0, result.output
    write(ws / "specs" / "datasets.yaml", STAFF_DATASETS)
    write(ws / "specs" / "kpis.yaml", STAFF_SPECS)
    return ws


def test_init_writes_settings(tmp_path):
    ws = make_ws(tmp_path)
    text = (ws / "mieruka.toml").read_text(encoding="utf-8")
    assert "fiscal_year_start_month = 4" in text and "organisation = 'テスト'" in text
    assert (ws / ".mieruka" / "snapshots").is_dir()
    again = CliRunner().invoke(cli, ["init", str(ws)], obj={})
    assert again.exit_code == 1 and "a workspace already exists here" in again.output


def test_load_run_show_evidence_verify_export(tmp_path):
    ws = make_ws(tmp_path)
    csv_path = write(tmp_path / "staff.csv", STAFF_CSV, encoding="cp932")
    out = invoke(ws, "load", "staff", str(csv_path), "--json")
    first = json.loads(out.output)
    assert first["rows"] == 9 and first["created"] is True
    again = json.loads(invoke(ws, "load", "staff", str(csv_path), "--json").output)
    assert again["created"] is False and again["hash"] == first["hash"]
    listed = json.loads(invoke(ws, "datasets", "--json").output)
    assert [(d["dataset"], d["rows"]) for d in listed] == [("staff", 9)]

    summary = json.loads(invoke(ws, "run", "--fy", "2024", "--json").output)
    assert summary["id"] == 1 and summary["targets"] == {"met": 1, "missed": 1, "no_target": 2}
    doc = json.loads(invoke(ws, "show", "1", "--json").output)
    total = next(
        v for v in doc["values"] if v["indicator"] == "t.female_managers" and v["dims"] == {}
    )
    assert total["value"] == "40.0"
    text = invoke(ws, "show", "latest").output
    assert "40.0%" in text and "met" in text

    ev = json.loads(
        invoke(ws, "evidence", "1", "t.female_managers", "--dim", "dept=営業", "--json").output
    )
    assert (
        ev["numerator_keys"] == ["S2"]
        and ev["denominator_keys"] == ["S1", "S2"]
        and ev["matches_run"]
    )
    rule = json.loads(invoke(ws, "evidence", "1", "t.leaver_still_manager", "--json").output)
    assert [v["key"] for v in rule] == [{"staff_id": "S8"}]

    assert "verified" in invoke(ws, "verify").output
    exported = json.loads(invoke(ws, "export", "1", "--format", "json").output)
    assert exported["run"]["run_hash"] == summary["run_hash"]
    invoke(ws, "export", "1", "--format", "csv", "--out", str(tmp_path / "out"))
    values_csv = (tmp_path / "out" / "run1_values.csv").read_text(encoding="utf-8-sig")
    assert "t.female_managers" in values_csv

    invoke(ws, "run", "--as-of", "R6.9.30")
    diff = json.loads(invoke(ws, "diff", "1", "2", "--json").output)
    assert diff["causes"] == ["parameters"] and "as_of" in diff["parameter_changes"]


def test_errors_exit_with_status_one_and_name_the_problem(tmp_path):
    ws = make_ws(tmp_path)
    bad = write(tmp_path / "bad.csv", "staff_id,gender\nS1,F\n")
    result = CliRunner().invoke(cli, ["-C", str(ws), "load", "staff", str(bad)], obj={})
    assert result.exit_code == 1 and "dept" in result.output
    result = CliRunner().invoke(cli, ["-C", str(ws), "load", "stuff", str(bad)], obj={})
    assert result.exit_code == 1 and "did you mean 'staff'" in result.output
    result = CliRunner().invoke(cli, ["-C", str(ws), "run"], obj={})
    assert result.exit_code == 2 and "--fy" in result.output
    result = CliRunner().invoke(cli, ["-C", str(ws), "show", "7"], obj={})
    assert result.exit_code == 1


def test_a_failed_load_leaves_the_workspace_exactly_as_it_was(tmp_path):
    ws = make_ws(tmp_path)
    invoke(ws, "load", "staff", str(write(tmp_path / "staff.csv", STAFF_CSV)))
    before = sorted(
        (p.relative_to(ws), p.stat().st_size)
        for p in ws.rglob("*")
        if p.is_file() and "store.sqlite" not in p.name
    )
    listed_before = invoke(ws, "datasets", "--json").output
    broken = STAFF_CSV.replace("2018-04-01", "2018-02-30")
    result = CliRunner().invoke(
        cli, ["-C", str(ws), "load", "staff", str(write(tmp_path / "b.csv", broken))], obj={}
    )
    assert result.exit_code == 1 and "2018-02-30" in result.output
    after = sorted(
        (p.relative_to(ws), p.stat().st_size)
        for p in ws.rglob("*")
        if p.is_file() and "store.sqlite" not in p.name
    )
    assert after == before
    assert invoke(ws, "datasets", "--json").output == listed_before


def test_every_pack_command_honours_dash_c_and_reports_a_missing_workspace_cleanly(tmp_path):
    from mieruka.cli.main import cli as full_cli  # with every pack's commands mounted

    missing = tmp_path / "no-workspace"
    for args in (
        ["icfr", "deficiencies", "--fy", "2024"],
        ["statements", "build", "--fy", "2024"],
        ["funds", "check"],
        ["hc", "disclosure", "--fy", "2024"],
        ["sll", "portfolio"],
    ):
        result = CliRunner().invoke(full_cli, ["-C", str(missing), *args], obj={})
        assert result.exit_code == 1, (args, result.output)
        assert f"no mieruka.toml in {missing}" in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_cache_lists_and_clears_the_keyed_copies_and_a_run_rebuilds_them(tmp_path):
    ws = make_ws(tmp_path)
    invoke(ws, "load", "staff", str(write(tmp_path / "staff.csv", STAFF_CSV)))
    invoke(ws, "run", "--fy", "2024")
    keyed = list((ws / ".mieruka" / "cache" / "keyed").glob("*.parquet"))
    assert len(keyed) == 1
    assert "1 file(s)" in invoke(ws, "cache").output
    assert "deleted 1 file(s)" in invoke(ws, "cache", "--clear").output
    assert not (ws / ".mieruka" / "cache").exists()
    invoke(ws, "run", "--fy", "2024")  # rebuilt when needed
    assert len(list((ws / ".mieruka" / "cache" / "keyed").glob("*.parquet"))) == 1
    assert invoke(ws, "verify").exit_code == 0
