"""The hash-chained run ledger, as pure functions: canonical JSON, row normalisation, hashes.

Every finished run is one ledger entry. Its `results_hash` covers every stored result row
(indicator values, target statuses, rule violations) and its `run_hash` covers the run
header, which includes `results_hash` and `prev_hash` (the previous run's `run_hash`). Changing
any stored row or header field, or removing a run, therefore breaks the chain in a way
`Store.verify_chain` can name.

Hashes are computed over *normalised* rows: the exact shape the store writes and reads back
(numbers as `Decimal`, never float; `dims`/`key`/`row` as plain JSON objects). So the
`results_hash` of rows read back from the store equals the one computed when they were
appended, on every backend.

Written by hand rather than using a canonical-JSON library (RFC 8785 / JCS): JCS formats
numbers as IEEE doubles, which would lose the exact decimals this ledger exists to protect.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from mieruka.core.issues import Issue, MierukaError

VALUE_FIELDS = (
    "indicator",
    "dims",
    "value",
    "numerator",
    "denominator",
    "rows",
    "fp_numerator",
    "fp_denominator",
    "unit",
)
TARGET_FIELDS = ("indicator", "dims", "comparator", "target", "value", "status")
VIOLATION_FIELDS = ("rule", "seq", "severity", "key", "row")
TARGET_STATUSES = ("met", "missed", "no_target", "no_data")

# The run header: every `runs` column except `run_hash` itself and the per-table hashes
# (those are diagnostic; `results_hash` is derived from them and is in the header).
RUN_HEADER_FIELDS = (
    "id",
    "created_at",
    "fiscal_year",
    "as_of",
    "params",
    "spec_hash",
    "snapshots",
    "code_version",
    "results_hash",
    "prev_hash",
    "supersedes",
    "note",
)

# Names of the result tables, used as keys of `table_hashes`.
RESULT_TABLES = ("run_values", "run_targets", "run_violations")


# --- canonical JSON ---------------------------------------------------------------------


def _plain_key(key: object) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    if isinstance(key, Decimal | uuid.UUID):
        return str(key)
    if isinstance(key, dt.date | dt.time):
        return key.isoformat()
    raise TypeError(f"cannot use {type(key).__name__} as a JSON object key: {key!r}")


def to_plain(obj: Any) -> Any:
    """`obj` as JSON-native values: what `json.loads(canonical_json(obj))` returns.

    Decimal → string (exact), date/datetime/time → ISO string, tuple → list, UUID → string,
    non-finite float → "NaN"/"Infinity"/"-Infinity", mapping keys → strings.
    """
    if obj is None or isinstance(obj, str | bool | int):
        return obj
    if isinstance(obj, float):
        if math.isfinite(obj):
            return obj
        return "NaN" if math.isnan(obj) else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date | dt.time):  # datetime is a date
        return obj.isoformat()
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            key = _plain_key(k)
            if key in out:
                raise TypeError(f"two keys of one object both become {key!r} in JSON")
            out[key] = to_plain(v)
        return out
    if isinstance(obj, list | tuple):
        return [to_plain(v) for v in obj]
    if isinstance(obj, uuid.UUID):
        return str(obj)
    raise TypeError(f"cannot write {type(obj).__name__} as canonical JSON: {obj!r}")


def canonical_json(obj: Any) -> str:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8 text (not \\u escapes)."""
    return json.dumps(
        to_plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# --- row normalisation ------------------------------------------------------------------


def _fail(table: str, index: int, message: str) -> MierukaError:
    return MierukaError(Issue(f"{table} row {index + 1}: {message}"))


def _check_keys(table: str, index: int, row: Mapping[str, Any], fields: Sequence[str]) -> None:
    if not isinstance(row, Mapping):
        raise _fail(table, index, f"expected a dict, found {type(row).__name__}")
    missing = [f for f in fields if f not in row]
    unknown = sorted(str(k) for k in row if k not in fields)
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing key(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown key(s) " + ", ".join(unknown))
        raise _fail(table, index, "; ".join(parts) + f" (expected {', '.join(fields)})")


def _decimal(table: str, index: int, name: str, v: Any) -> Decimal | None:
    if v is None or isinstance(v, Decimal):
        return v
    if isinstance(v, bool | float):
        raise _fail(
            table, index, f"{name} must be a Decimal, int or numeric string, not {type(v).__name__}"
        )
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, str):
        try:
            return Decimal(v)
        except InvalidOperation:
            raise _fail(table, index, f"{name} is not a number: {v!r}") from None
    raise _fail(table, index, f"{name} must be a Decimal, not {type(v).__name__}")


def _int(table: str, index: int, name: str, v: Any, *, null: bool) -> int | None:
    if v is None and null:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise _fail(table, index, f"{name} must be an integer, found {v!r}")
    return int(v)


def _str(table: str, index: int, name: str, v: Any, *, null: bool) -> str | None:
    if v is None and null:
        return None
    if not isinstance(v, str):
        raise _fail(table, index, f"{name} must be a string, found {v!r}")
    return v


def _obj(table: str, index: int, name: str, v: Any) -> dict[str, Any]:
    if not isinstance(v, Mapping):
        raise _fail(table, index, f"{name} must be a dict, found {v!r}")
    try:
        plain: dict[str, Any] = to_plain(v)
    except TypeError as exc:
        raise _fail(table, index, f"{name}: {exc}") from None
    return plain


def normalize_value(row: Mapping[str, Any], index: int = 0) -> dict[str, Any]:
    t = "run_values"
    _check_keys(t, index, row, VALUE_FIELDS)
    return {
        "indicator": _str(t, index, "indicator", row["indicator"], null=False),
        "dims": _obj(t, index, "dims", row["dims"]),
        "value": _decimal(t, index, "value", row["value"]),
        "numerator": _decimal(t, index, "numerator", row["numerator"]),
        "denominator": _decimal(t, index, "denominator", row["denominator"]),
        "rows": _int(t, index, "rows", row["rows"], null=True),
        "fp_numerator": _str(t, index, "fp_numerator", row["fp_numerator"], null=True),
        "fp_denominator": _str(t, index, "fp_denominator", row["fp_denominator"], null=True),
        "unit": _str(t, index, "unit", row["unit"], null=True),
    }


def normalize_target(row: Mapping[str, Any], index: int = 0) -> dict[str, Any]:
    t = "run_targets"
    _check_keys(t, index, row, TARGET_FIELDS)
    status = _str(t, index, "status", row["status"], null=False)
    if status not in TARGET_STATUSES:
        raise _fail(
            t, index, f"status must be one of {', '.join(TARGET_STATUSES)}, found {status!r}"
        )
    return {
        "indicator": _str(t, index, "indicator", row["indicator"], null=False),
        "dims": _obj(t, index, "dims", row["dims"]),
        "comparator": _str(t, index, "comparator", row["comparator"], null=False),
        "target": _decimal(t, index, "target", row["target"]),
        "value": _decimal(t, index, "value", row["value"]),
        "status": status,
    }


def normalize_violation(row: Mapping[str, Any], index: int = 0) -> dict[str, Any]:
    t = "run_violations"
    _check_keys(t, index, row, VIOLATION_FIELDS)
    return {
        "rule": _str(t, index, "rule", row["rule"], null=False),
        "seq": _int(t, index, "seq", row["seq"], null=False),
        "severity": _str(t, index, "severity", row["severity"], null=False),
        "key": _obj(t, index, "key", row["key"]),
        "row": _obj(t, index, "row", row["row"]),
    }


def normalize_values(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [normalize_value(r, i) for i, r in enumerate(rows)]


def normalize_targets(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [normalize_target(r, i) for i, r in enumerate(rows)]


def normalize_violations(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [normalize_violation(r, i) for i, r in enumerate(rows)]


# --- hashes -------------------------------------------------------------------------------


def rows_hash(rows: Iterable[Mapping[str, Any]]) -> str:
    """Order-independent hash of a table's rows (each row as canonical JSON, sorted)."""
    lines = sorted(canonical_json(r) for r in rows)
    return sha256_hex("\n".join(lines))


def table_hashes(
    values: Iterable[Mapping[str, Any]],
    targets: Iterable[Mapping[str, Any]],
    violations: Iterable[Mapping[str, Any]],
) -> dict[str, str]:
    """The hash of each result table, after normalisation (keys: `RESULT_TABLES`)."""
    return {
        "run_values": rows_hash(normalize_values(values)),
        "run_targets": rows_hash(normalize_targets(targets)),
        "run_violations": rows_hash(normalize_violations(violations)),
    }


def combine_results_hash(hashes: Mapping[str, str]) -> str:
    """`results_hash` from the three per-table hashes."""
    return sha256_hex(canonical_json({t: hashes[t] for t in RESULT_TABLES}))


def results_hash(
    values: Iterable[Mapping[str, Any]],
    targets: Iterable[Mapping[str, Any]],
    violations: Iterable[Mapping[str, Any]],
) -> str:
    """One hash over every field of every result row; the order of rows does not matter.

    Rows are normalised first (see `normalize_value` etc.): a value given as int 5 hashes
    like Decimal("5"), but Decimal("5.0") is a different figure and hashes differently.
    """
    return combine_results_hash(table_hashes(values, targets, violations))


def run_hash(header: Mapping[str, Any]) -> str:
    """Hash of a run header: exactly the `RUN_HEADER_FIELDS` (a `run_hash` key is ignored).

    `params` and `snapshots` are the stored canonical JSON texts; `created_at` should be an
    aware UTC datetime (as `RunRecord.header()` returns it).
    """
    missing = [f for f in RUN_HEADER_FIELDS if f not in header]
    unknown = sorted(k for k in header if k not in RUN_HEADER_FIELDS and k != "run_hash")
    if missing or unknown:
        raise ValueError(f"run header: missing {missing}, unknown {unknown}")
    return sha256_hex(canonical_json({f: header[f] for f in RUN_HEADER_FIELDS}))
