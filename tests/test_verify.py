"""The ledger: verify re-computes runs and finds anything altered, naming what and where."""

from __future__ import annotations

import json
import os

import sqlalchemy as sa
from tests.conftest import STAFF_CSV, write

from mieruka.core.diff import diff_runs
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.core.verify import verify


def test_untouched_runs_verify(staff_project):
    for fy in (2023, 2024):
        start_run(staff_project, Period.for_fiscal_year(fy))
    problems, _ = verify(staff_project)
    assert problems == []


def test_an_altered_stored_value_is_found(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    engine = sa.create_engine(staff_project.ws.store_url)
    with engine.begin() as con:
        con.execute(
            sa.text(
                "UPDATE run_values SET value = '45.0' WHERE indicator = 't.female_managers' AND dims = '{}'"
            )
        )
    engine.dispose()
    problems, _ = verify(staff_project, run.id)
    text = "\n".join(str(p) for p in problems)
    assert f"run {run.id}" in text and "results_hash" in text
    assert "t.female_managers" in text and "45.0" in text and "40.0" in text


def test_an_altered_snapshot_file_is_found(staff_project):
    run = start_run(staff_project, Period.for_fiscal_year(2024))
    record = staff_project.store.latest_snapshots()["staff"]
    path = staff_project.snapshot_path(record.path)
    os.chmod(path, 0o644)
    with path.open("ab") as handle:
        handle.write(b"x")
    problems, _ = verify(staff_project, run.id)
    assert any(
        "snapshot of 'staff' was altered" in str(p) and record.hash in str(p) for p in problems
    )


def test_diff_says_data_caused_the_change(staff_project, tmp_path):
    from mieruka.core.datasets import load

    first = start_run(staff_project, Period.for_fiscal_year(2024))
    changed = STAFF_CSV.replace("S7,M,管理,2012-04-01,,○", "S7,F,管理,2012-04-01,,○")
    load(staff_project, "staff", write(tmp_path / "staff2.csv", changed))
    second = start_run(staff_project, Period.for_fiscal_year(2024))
    result = diff_runs(staff_project, first.id, second.id)
    assert result["causes"] == ["data"] and result["data_changes"] == ["staff"]
    changed_total = next(
        c for c in result["values"] if c["indicator"] == "t.female_managers" and c["dims"] == {}
    )
    assert (changed_total["a"], changed_total["b"]) == ("40.0", "60.0")
    assert json.dumps(result, ensure_ascii=False)


def test_loading_older_content_again_makes_it_current(staff_project, tmp_path):
    from mieruka.core.datasets import load

    first = staff_project.store.latest_snapshots()["staff"]
    changed = STAFF_CSV.replace("S7,M,管理", "S7,F,管理")
    second = load(staff_project, "staff", write(tmp_path / "b.csv", changed))
    assert staff_project.store.latest_snapshots()["staff"].hash == second.snapshot.hash
    again = load(staff_project, "staff", write(tmp_path / "a.csv", STAFF_CSV))
    assert (again.created, again.made_current) == (False, True)
    assert staff_project.store.latest_snapshots()["staff"].hash == first.hash
    same = load(staff_project, "staff", write(tmp_path / "a2.csv", STAFF_CSV))
    assert (same.created, same.made_current) == (False, False)
    assert len(staff_project.store.snapshots("staff")) == 2


def test_a_run_records_how_its_fingerprints_were_made_and_verify_names_a_change(
    staff_project, monkeypatch
):
    from mieruka.core import verify as verify_module
    from mieruka.core.aggregate import FINGERPRINT

    run = start_run(staff_project, Period.for_fiscal_year(2024))
    assert run.params_dict()["fingerprint"] == FINGERPRINT
    assert "duckdb" in FINGERPRINT
    problems, notes = verify_module.verify(staff_project, run.id)
    assert not problems and not any("fingerprints made as" in n for n in notes)
    # as after a DuckDB upgrade: the note says how each side made its fingerprints
    monkeypatch.setattr(verify_module, "FINGERPRINT", "count:xor(hash(key)) duckdb 9.9.9")
    problems, notes = verify_module.verify(staff_project, run.id)
    assert not problems
    assert any("fingerprints made as" in n and "9.9.9" in n for n in notes)
