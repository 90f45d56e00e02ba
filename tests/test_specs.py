"""Spec files: shape errors and cross-reference errors, each at its file:line."""

from __future__ import annotations

import pytest
from tests.conftest import STAFF_DATASETS, make_project

from mieruka.core.issues import MierukaError


def spec_error(tmp_path, text: str) -> str:
    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "kpi.yaml": text}, packs=[]
    )
    with pytest.raises(MierukaError) as info:
        project.specs  # noqa: B018 - loading is what is tested
    return str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    message = spec_error(tmp_path, "indicators:\n  - id: a.b\n    label: {ja: x\n")
    assert "specs/kpi.yaml:4" in message and "YAML syntax error" in message


def test_unknown_field_is_reported_at_its_line(tmp_path):
    text = """indicators:
  - id: a.b
    label: {ja: x}
    aggregate: count
    formla: SELECT 1
"""
    message = spec_error(tmp_path, text)
    assert "specs/kpi.yaml:5" in message and "formla: unknown field" in message


def test_missing_required_field(tmp_path):
    message = spec_error(
        tmp_path, "indicators:\n  - id: a.b\n    label: {ja: x}\n    formula: SELECT 1\n"
    )
    assert "a.b: aggregate: required field is missing" in message


def test_target_for_unknown_indicator_suggests_the_closest(tmp_path):
    text = """indicators:
  - id: hr.headcount
    label: {ja: 人数}
    aggregate: count
    formula: SELECT staff_id AS key FROM staff
targets:
  - {indicator: hr.headcont, fy: 2024, comparator: ">=", value: 1}
"""
    message = spec_error(tmp_path, text)
    assert "specs/kpi.yaml:7" in message
    assert "unknown indicator 'hr.headcont' (did you mean 'hr.headcount'?)" in message


def test_cyclic_indicators_are_reported_with_the_path(tmp_path):
    text = """indicators:
  - id: c.a
    label: {ja: a}
    aggregate: value
    formula: SELECT value FROM ind('c.b')
  - id: c.b
    label: {ja: b}
    aggregate: value
    formula: SELECT value FROM ind('c.a')
"""
    assert "cyclic indicators: c.a -> c.b -> c.a" in spec_error(tmp_path, text)


def test_forbidden_sql_names_the_construct_and_the_line(tmp_path):
    text = """indicators:
  - id: x.evil
    label: {ja: x}
    aggregate: count
    formula: |
      SELECT * FROM read_csv('/etc/passwd')
"""
    message = spec_error(tmp_path, text)
    assert "specs/kpi.yaml:6" in message and "read_csv" in message


def test_unknown_dataset_and_unknown_column(tmp_path):
    text = """indicators:
  - id: x.a
    label: {ja: x}
    aggregate: count
    formula: SELECT staff_id AS key FROM staf
  - id: x.b
    label: {ja: x}
    aggregate: sum
    formula: SELECT staff_id AS key, salry AS value FROM staff
"""
    message = spec_error(tmp_path, text)
    assert "did you mean 'staff'" in message
    assert "salry" in message and "did you mean 'salary'" in message


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = """indicators:
  - id: a.one
    label: {ja: x}
    aggregate: median
    formula: SELECT 1
  - id: a.two
    label: {ja: x}
    aggregate: sum
targets:
  - {indicator: a.one, comparator: "~", value: 1}
"""
    message = spec_error(tmp_path, text)
    assert "a.one: aggregate" in message
    assert "a.two" in message and "formula" in message
    assert "comparator" in message
