"""Rules that read other rules' rows (rule('…')), CTEs shared by rules computed once per run,
and the workspace's DuckDB memory limit."""

from __future__ import annotations

import pytest
from tests.conftest import STAFF_CSV, STAFF_DATASETS, make_project, write

from mieruka.core.common_tables import shared_ctes
from mieruka.core.datasets import load
from mieruka.core.evaluate import evaluate
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.runs import current_snapshots, project_engine, snapshot_paths, start_run
from mieruka.core.sqlsafety import check_formula
from mieruka.core.verify import verify
from mieruka.core.workspace import open_workspace

SCOPE = """WITH s AS (SELECT staff_id, dept, gender, is_manager, leave_date FROM staff
               WHERE leave_date IS NULL OR leave_date >= :fy_start)"""

RULES = f"""rules:
  - id: r.both
    label: {{ja: 二つの注意に該当}}
    severity: info
    key: [staff_id]
    formula: |
      SELECT staff_id, count(*) AS tests, string_agg(test, ';' ORDER BY test) AS which
      FROM (SELECT staff_id, 'leaver' AS test FROM rule('r.leaver')
            UNION ALL SELECT staff_id, 'manager' AS test FROM rule('r.manager_f'))
      GROUP BY staff_id HAVING count(*) = 2
  - id: r.leaver
    label: {{ja: 退職者}}
    severity: warning
    key: [staff_id]
    formula: |
      {SCOPE}
      SELECT staff_id, leave_date FROM s WHERE leave_date IS NOT NULL
  - id: r.manager_f
    label: {{ja: 女性管理職}}
    severity: info
    key: [staff_id]
    formula: |
      {SCOPE}
      SELECT staff_id, dept FROM s WHERE gender = 'F' AND is_manager
"""


def _project(tmp_path, rules: str = RULES):
    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "rules.yaml": rules}, packs=[]
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    return project


def _violations(project, run_id, rule):
    return [v for v in project.store.violations(run_id) if v["rule"] == rule]


def test_a_rule_reads_the_rows_of_rules_declared_after_it(tmp_path):
    project = _project(tmp_path)
    assert project.specs.rule_order == ("r.leaver", "r.manager_f", "r.both")
    run = start_run(project, Period.for_fiscal_year(2024))
    assert [v["key"]["staff_id"] for v in _violations(project, run.id, "r.leaver")] == ["S6", "S8"]
    assert [v["key"]["staff_id"] for v in _violations(project, run.id, "r.manager_f")] == [
        "S2",
        "S5",
        "S8",
    ]
    # S8, a woman manager who left on 2024-12-31, is the one line both rules flag
    both = _violations(project, run.id, "r.both")
    assert [(v["key"], v["row"]["which"]) for v in both] == [({"staff_id": "S8"}, "leaver;manager")]
    issues, _notes = verify(project, run.id)
    assert issues == []
    project.close()


def test_cyclic_rules_are_reported_with_the_path(tmp_path):
    rules = """rules:
  - id: c.a
    label: {ja: a}
    formula: SELECT staff_id FROM rule('c.b')
  - id: c.b
    label: {ja: b}
    formula: SELECT staff_id FROM rule('c.a')
"""
    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "r.yaml": rules}, packs=[]
    )
    with pytest.raises(MierukaError) as info:
        project.specs  # noqa: B018 - loading is what is tested
    assert "cyclic rules: c.a -> c.b -> c.a" in str(info.value)


def test_rule_references_are_checked():
    datasets = {"staff": ["staff_id"]}
    with pytest.raises(MierukaError) as info:
        check_formula("SELECT * FROM rule('r.levaer')", datasets=datasets, indicators=[],
                      rules=["r.leaver"])  # fmt: skip
    assert "rule 'r.levaer' is not defined (did you mean 'r.leaver'?)" in str(info.value)
    with pytest.raises(MierukaError) as info:
        check_formula("SELECT * FROM rule('r.leaver')", datasets=datasets, indicators=[])
    assert "rule('...') can only be read by a rule" in str(info.value)
    with pytest.raises(MierukaError) as info:
        check_formula("SELECT rule('r.leaver')", datasets=datasets, indicators=[],
                      rules=["r.leaver"])  # fmt: skip
    assert "rule('...') can only be used as a table in FROM or JOIN" in str(info.value)
    parsed = check_formula("SELECT * FROM rule('r.leaver')", datasets=datasets, indicators=[],
                           rules=["r.leaver"])  # fmt: skip
    assert parsed.rules == ("r.leaver",)


def test_a_rule_whose_source_rule_has_no_data_is_skipped_with_the_reason(tmp_path):
    rules = (
        RULES
        + """  - id: r.from_missing
    label: {ja: x}
    formula: SELECT staff_id FROM rule('r.other')
  - id: r.other
    label: {ja: y}
    formula: SELECT account_code AS staff_id FROM ledger
"""
    )
    ledger = "\n  - id: ledger\n    key: account_code\n    columns:\n      - {name: account_code}\n"
    project = make_project(
        tmp_path / "ws",
        {"datasets.yaml": STAFF_DATASETS + ledger, "rules.yaml": rules},
        packs=[],
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    run = start_run(project, Period.for_fiscal_year(2024))
    skipped = run.params_dict()["skipped"]
    assert skipped["r.other"] == "dataset(s) not loaded: ledger"
    assert skipped["r.from_missing"] == "rule(s) without data: r.other"
    project.close()


def test_a_cte_in_two_rules_is_computed_once_with_the_same_results(tmp_path):
    project = _project(tmp_path)
    specs = project.specs
    trees = [specs.formulas[r].tree for r in specs.rules]
    assert len(shared_ctes(trees)) == 1  # `s`, in r.leaver and r.manager_f
    snapshots = snapshot_paths(project, current_snapshots(project))
    shared = evaluate(specs, snapshots, Period.for_fiscal_year(2024))

    materialised: list[str] = []
    from mieruka.core import evaluate as evaluate_module

    real = evaluate_module.CommonTables.rewrite

    def counting(self, unbound, bound):
        before = len(self.tables)
        out = real(self, unbound, bound)
        materialised.extend(["new"] * (len(self.tables) - before))
        return out

    evaluate_module.CommonTables.rewrite = counting  # type: ignore[method-assign]
    try:
        again = evaluate(specs, snapshots, Period.for_fiscal_year(2024))
    finally:
        evaluate_module.CommonTables.rewrite = real  # type: ignore[method-assign]
    assert materialised == ["new"]  # one table for two rules

    # the same rules with their CTEs written differently (so none is shared) agree
    alone = RULES.replace("IS NULL OR leave_date", "IS NULL OR 1 = 1 AND leave_date", 1)
    other = _project(tmp_path / "other", alone)
    assert not shared_ctes([other.specs.formulas[r].tree for r in other.specs.rules])
    unshared = evaluate(other.specs, snapshots, Period.for_fiscal_year(2024))
    assert shared.violations == unshared.violations == again.violations
    project.close()
    other.close()


def test_volatile_and_dependent_ctes_are_never_shared():
    datasets = {"staff": ["staff_id", "dept"]}

    def tree(sql: str):
        return check_formula(sql, datasets=datasets, indicators=[], rules=[]).tree

    volatile = "WITH s AS (SELECT staff_id, random() AS r FROM staff) SELECT * FROM s"
    assert not shared_ctes([tree(volatile), tree(volatile)])
    dependent = (
        "WITH a AS (SELECT staff_id, dept FROM staff), b AS (SELECT staff_id FROM a) "
        "SELECT * FROM b"
    )
    found = shared_ctes([tree(dependent), tree(dependent)])
    assert len(found) == 1 and "FROM a" not in next(iter(found))  # a is shared, b is not


def test_the_workspace_memory_limit_reaches_the_engine_and_spills_to_the_workspace(tmp_path):
    project = _project(tmp_path)
    config = project.ws.root / "mieruka.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'memory_limit = "64MB"\n', "utf-8")
    project.close()
    project = _reopen(project)
    engine = project_engine(project)({})
    try:
        limit, folder = engine.rows(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        )[0]
        assert limit == "61.0 MiB"  # DuckDB spells 64 MB (10^6 bytes) in MiB
        assert folder == str(project.ws.spill_dir)
        # a table four times the limit is kept by spilling, not refused
        engine.materialise("big", "SELECT range AS i, md5(range::VARCHAR) AS s FROM range(4000000)")
        assert engine.rows("SELECT count(DISTINCT s) FROM big") == [(4_000_000,)]
        assert any(project.ws.spill_dir.iterdir())
    finally:
        engine.close()
    run = start_run(project, Period.for_fiscal_year(2024))
    assert [v["key"]["staff_id"] for v in _violations(project, run.id, "r.both")] == ["S8"]
    project.close()


def test_an_invalid_memory_limit_names_the_setting(tmp_path):
    project = _project(tmp_path)
    config = project.ws.root / "mieruka.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'memory_limit = "lots"\n', "utf-8")
    project.close()
    with pytest.raises(MierukaError) as info:
        open_workspace(project.ws.root)
    message = str(info.value)
    assert "invalid memory_limit" in message and "'lots'" in message and "3GB" in message


def _reopen(project):
    from mieruka.core.project import Project

    return Project(open_workspace(project.ws.root))


def test_the_memory_limit_bounds_the_loader_too(tmp_path):
    from mieruka.core.loader import load_file

    schema = _project(tmp_path).specs.datasets["staff"]
    seen: list[tuple[str, str]] = []

    def spy(con, view, label):  # an extra check, run on the loader's own connection
        seen.append(con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone())  # fmt: skip
        return []

    out = tmp_path / "out" / "staff.parquet"
    out.parent.mkdir()
    typed = load_file(schema, write(tmp_path / "s.csv", STAFF_CSV), out, extra_checks=[spy],
                      memory_limit="64MB")  # fmt: skip
    assert typed.rows == 9
    limit, folder = seen[0]
    assert limit == "61.0 MiB" and folder.startswith(str(out.parent))  # spills beside the output


def test_of_pack_keeps_the_packs_indicators_and_rules_in_order(tmp_path):
    project = make_project(tmp_path / "ws", {}, packs=["icfr", "funds"])
    specs = project.specs
    icfr = specs.of_pack("icfr")
    assert icfr.indicators and icfr.rules and icfr.targets == ()
    assert {i.pack for i in icfr.indicators.values()} == {"icfr"}
    assert {r.pack for r in icfr.rules.values()} == {"icfr"}
    assert list(icfr.order) == [i for i in specs.order if i in icfr.indicators]
    order = [r.id for r in icfr.rules_in_order()]
    assert order == [r for r in specs.rule_order if r in icfr.rules]
    readers = [r for r in order if icfr.formulas[r].rules]
    assert readers and all(  # a rule that reads other rules comes after them
        order.index(src) < order.index(r) for r in readers for src in icfr.formulas[r].rules
    )
    project.close()
