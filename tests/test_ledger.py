from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from mieruka.core import ledger
from mieruka.core.issues import MierukaError


def value(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator": "female_manager_ratio",
        "dims": {"部署": "営業部"},
        "value": Decimal("12.5"),
        "numerator": Decimal("5"),
        "denominator": Decimal("40"),
        "rows": 40,
        "fp_numerator": "abc",
        "fp_denominator": "def",
        "unit": "%",
    }
    row.update(over)
    return row


def target(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator": "female_manager_ratio",
        "dims": {},
        "comparator": ">=",
        "target": Decimal("15"),
        "value": Decimal("12.5"),
        "status": "missed",
    }
    row.update(over)
    return row


def violation(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "rule": "deposit_limit",
        "seq": 1,
        "severity": "error",
        "key": {"口座": "001"},
        "row": {"口座": "001", "残高": Decimal("1000000"), "日付": dt.date(2025, 3, 31)},
    }
    row.update(over)
    return row


def test_canonical_json_sorted_compact_utf8() -> None:
    assert ledger.canonical_json({"b": 1, "a": [1, 2], "c": "見える化"}) == (
        '{"a":[1,2],"b":1,"c":"見える化"}'
    )


def test_canonical_json_types() -> None:
    obj = {
        "d": Decimal("1.50"),
        "date": dt.date(2025, 4, 1),
        "ts": dt.datetime(2025, 4, 1, 9, 30, tzinfo=dt.UTC),
        "t": (1, "x"),
        "n": None,
        "b": True,
    }
    assert ledger.canonical_json(obj) == (
        '{"b":true,"d":"1.50","date":"2025-04-01","n":null,'
        '"t":[1,"x"],"ts":"2025-04-01T09:30:00+00:00"}'
    )


def test_canonical_json_round_trips_through_json() -> None:
    obj = {"z": {2: "two", 10: "ten"}, "x": [Decimal("3"), dt.date(2024, 1, 1), 0.1]}
    text = ledger.canonical_json(obj)
    assert ledger.canonical_json(json.loads(text)) == text


def test_canonical_json_rejects_unknown_types() -> None:
    with pytest.raises(TypeError, match="set"):
        ledger.canonical_json({"a": {1, 2}})


def test_canonical_json_non_finite_floats_become_strings() -> None:
    assert ledger.canonical_json([float("nan"), float("inf")]) == '["NaN","Infinity"]'


def test_sha256_hex_text_and_bytes() -> None:
    assert ledger.sha256_hex("見") == hashlib.sha256("見".encode()).hexdigest()
    assert ledger.sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_results_hash_is_order_independent() -> None:
    values = [value(), value(dims={"部署": "総務部"}), value(dims={})]
    violations = [violation(), violation(seq=2, key={"口座": "002"})]
    a = ledger.results_hash(values, [target()], violations)
    b = ledger.results_hash(values[::-1], [target()], violations[::-1])
    assert a == b


@pytest.mark.parametrize(
    "field,new",
    [
        ("indicator", "other"),
        ("dims", {"部署": "総務部"}),
        ("value", Decimal("12.50")),
        ("value", None),
        ("numerator", Decimal("6")),
        ("denominator", None),
        ("rows", 41),
        ("fp_numerator", "abd"),
        ("fp_denominator", None),
        ("unit", "人"),
    ],
)
def test_results_hash_covers_every_value_field(field: str, new: object) -> None:
    base = ledger.results_hash([value()], [], [])
    assert ledger.results_hash([value(**{field: new})], [], []) != base


@pytest.mark.parametrize(
    "field,new",
    [
        ("indicator", "x"),
        ("dims", {"a": "b"}),
        ("comparator", "<="),
        ("target", Decimal("16")),
        ("value", None),
        ("status", "met"),
    ],
)
def test_results_hash_covers_every_target_field(field: str, new: object) -> None:
    base = ledger.results_hash([], [target()], [])
    assert ledger.results_hash([], [target(**{field: new})], []) != base


@pytest.mark.parametrize(
    "field,new",
    [
        ("rule", "x"),
        ("seq", 2),
        ("severity", "warning"),
        ("key", {"口座": "002"}),
        ("row", {"口座": "001"}),
    ],
)
def test_results_hash_covers_every_violation_field(field: str, new: object) -> None:
    base = ledger.results_hash([], [], [violation()])
    assert ledger.results_hash([], [], [violation(**{field: new})]) != base


def test_results_hash_tells_tables_apart() -> None:
    # the same dims/indicator in a different table must not collide
    assert ledger.results_hash([], [], []) != ledger.results_hash([value()], [], [])
    assert ledger.results_hash([], [target()], []) != ledger.results_hash([], [], [violation()])


def test_results_hash_normalises_ints_but_keeps_decimal_scale() -> None:
    assert ledger.results_hash([value(value=5)], [], []) == ledger.results_hash(
        [value(value=Decimal("5"))], [], []
    )
    assert ledger.results_hash([value(value=Decimal("5.0"))], [], []) != ledger.results_hash(
        [value(value=Decimal("5"))], [], []
    )


def test_results_hash_rejects_floats() -> None:
    with pytest.raises(MierukaError, match=r"run_values row 1: value must be a Decimal"):
        ledger.results_hash([value(value=0.1)], [], [])


def test_missing_and_unknown_keys_are_named() -> None:
    row = value()
    del row["unit"]
    row["extra"] = 1
    with pytest.raises(MierukaError) as err:
        ledger.normalize_values([value(), row])
    assert "run_values row 2: missing key(s) unit; unknown key(s) extra" in str(err.value)


def test_target_status_is_checked() -> None:
    with pytest.raises(MierukaError, match="status must be one of"):
        ledger.normalize_target(target(status="ok"))


def test_normalised_rows_are_json_native() -> None:
    [row] = ledger.normalize_violations([violation()])
    assert row["row"] == {"口座": "001", "残高": "1000000", "日付": "2025-03-31"}


def header() -> dict[str, object]:
    return {
        "id": 1,
        "created_at": dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
        "fiscal_year": 2024,
        "as_of": dt.date(2025, 3, 31),
        "params": '{"fy":2024}',
        "spec_hash": "a" * 64,
        "snapshots": '{"employees":"b"}',
        "code_version": "0.1.0",
        "results_hash": "c" * 64,
        "prev_hash": None,
        "supersedes": None,
        "note": None,
    }


def test_run_hash_covers_every_header_field() -> None:
    base = ledger.run_hash(header())
    assert ledger.run_hash({**header(), "run_hash": "ignored"}) == base
    for field in ledger.RUN_HEADER_FIELDS:
        changed = header()
        changed[field] = "changed"
        assert ledger.run_hash(changed) != base, field


def test_run_hash_refuses_missing_or_unknown_fields() -> None:
    h = header()
    del h["note"]
    with pytest.raises(ValueError, match="note"):
        ledger.run_hash(h)
    with pytest.raises(ValueError, match="bogus"):
        ledger.run_hash({**header(), "bogus": 1})
