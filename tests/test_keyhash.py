"""Key hashes computed once per dataset give the same figures and fingerprints as per formula."""

from __future__ import annotations

import pytest
import sqlglot

from mieruka.core import keyhash, sqlsafety
from mieruka.core.period import Period
from mieruka.core.runs import start_run

COLUMNS = {"staff": ["staff_id", "dept", "salary", "gender"], "other": ["staff_id", "x"]}
HASHED = {"staff": "staff_id"}


def rewrite(sql: str) -> str | None:
    parsed = sqlsafety.check_formula(sql, datasets=COLUMNS, indicators=[])
    tables = {"staff": "ds_staff", "other": "ds_other"}
    tree = sqlsafety.bind_tree(parsed, {}, tables, {})
    return sqlsafety.to_sql(tree) if keyhash.read_key_hash(tree, HASHED) else None


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT staff_id AS key, salary AS value FROM staff WHERE salary > 0",
        "SELECT s.staff_id AS key, s.dept FROM staff s",
        "SELECT staff_id AS key FROM staff WHERE staff_id IN (SELECT staff_id FROM other)",
    ],
)
def test_a_plain_projection_of_the_key_column_reads_the_stored_hash(sql: str) -> None:
    out = rewrite(sql)
    assert out is not None
    assert '"__keyed_staff"' in out and '"__key_hash"' in out
    # the rewritten formula returns the same columns plus the hash
    names = [e.alias_or_name for e in sqlglot.parse_one(out, dialect="duckdb").expressions]
    assert names[-1] == "__key_hash" and "key" in names


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT dept AS key, salary AS value FROM staff",  # not the key column
        "SELECT staff_id || 'x' AS key FROM staff",  # an expression of it
        "SELECT DISTINCT staff_id AS key FROM staff",  # adding a column would change rows
        "SELECT staff_id AS key, sum(salary) AS value FROM staff GROUP BY staff_id",
        "SELECT s.staff_id AS key FROM staff s JOIN other o ON s.staff_id = o.staff_id",
        "SELECT staff_id AS key, x AS value FROM other",  # a dataset not hashed
        "SELECT staff_id AS key FROM staff UNION ALL SELECT staff_id FROM other",
    ],
)
def test_anything_else_computes_the_hash_itself(sql: str) -> None:
    assert rewrite(sql) is None


def test_a_run_gives_the_same_figures_and_fingerprints_with_or_without_the_keyed_copy(
    staff_project, monkeypatch
) -> None:
    period = Period.for_fiscal_year(2024)
    specs = staff_project.specs
    readers = [specs.formulas[i].tables for i in ("t.female_managers", "t.headcount", "t.payroll")]
    assert keyhash.datasets_to_key(readers, specs.datasets) == {"staff": "staff_id"}
    keyed = start_run(staff_project, period)
    cache = staff_project.ws.private / "cache" / "keyed"
    copies = list(cache.glob("*.parquet"))
    assert len(copies) == 1  # written by the first run, reused by the next
    written = copies[0].stat().st_mtime_ns
    again = start_run(staff_project, period)
    assert copies[0].stat().st_mtime_ns == written
    monkeypatch.setattr(keyhash, "MIN_READERS", 99)  # no keyed copy: every key hashed
    per_formula = start_run(staff_project, period)

    def figures(run_id: int) -> list[tuple]:
        fields = ("value", "rows", "fp_numerator", "fp_denominator")
        rows = staff_project.store.values(run_id)
        return sorted(
            (v["indicator"], sorted(v["dims"].items()), *(v.get(f) for f in fields)) for v in rows
        )

    assert figures(keyed.id) == figures(per_formula.id) == figures(again.id)
    assert sum(1 for f in figures(keyed.id) if f[5]) >= 6  # fingerprints are there to compare
    assert staff_project.store.violations(keyed.id) == staff_project.store.violations(
        per_formula.id
    )


def test_verify_re_computes_from_the_snapshot_so_an_altered_keyed_copy_is_found(
    staff_project,
) -> None:
    import duckdb

    from mieruka.core.verify import verify

    run = start_run(staff_project, Period.for_fiscal_year(2024))
    copy = next((staff_project.ws.private / "cache" / "keyed").glob("*.parquet"))
    # someone edits the cached copy: a salary changes
    con = duckdb.connect()
    altered = copy.with_name("altered.parquet")
    con.execute(
        f"COPY (SELECT * REPLACE (salary + 1 AS salary) FROM read_parquet('{copy}'))"
        f" TO '{altered}' (FORMAT parquet)"
    )
    con.close()
    altered.replace(copy)
    problems, _ = verify(staff_project, run.id)
    assert not problems  # the run was computed before the copy was altered
    tampered = start_run(staff_project, Period.for_fiscal_year(2024))
    problems, _ = verify(staff_project, tampered.id)
    assert any("t.payroll" in p.message for p in problems), problems


def test_evidence_shows_the_formula_columns_only(staff_project) -> None:
    from mieruka.core.evidence import indicator_evidence

    run = start_run(staff_project, Period.for_fiscal_year(2024))
    evidence = indicator_evidence(staff_project, run, "t.female_managers", {"dept": "開発"})
    assert evidence.matches
    assert evidence.numerator_keys == ["S5"]
    assert set(evidence.rows[0]) == {"key", "dept", "numerator", "denominator"}
