"""From a formula's evidence rows to figures: the aggregation SQL and exact arithmetic.

A formula returns one row per piece of evidence: a `key` column, the indicator's `by`
dimensions, and `value` (sum, avg, min, max), nothing more (count), or `numerator` and
`denominator` (ratio). One grouping-sets query computes the total and every breakdown in
a single scan, together with a fingerprint of the key sets behind each figure (row count
and the XOR of the keys' hashes), so evidence is pinned to the run without copying
millions of keys: `mieruka evidence` re-derives the rows from the immutable snapshot and
checks them against the fingerprint. Division and rounding happen in Python `Decimal`,
never in binary floating point, so 0.125 rounds half-up to 0.13 as an accountant expects.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

import duckdb

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.specs import Indicator
from mieruka.japan.yen import round_decimal

# How fingerprints are made, recorded with every run: DuckDB does not promise that `hash`
# stays the same across versions, so evidence checked after an upgrade can say why it
# no longer matches instead of suggesting the data was altered.
FINGERPRINT = f"count:xor(hash(key)) duckdb {duckdb.__version__}"
HASH_COLUMN = "__key_hash"  # a formula's key hash, when it was computed beforehand (keyhash)

REQUIRED = {
    "ratio": ("key", "numerator", "denominator"),
    "sum": ("key", "value"),
    "avg": ("key", "value"),
    "min": ("key", "value"),
    "max": ("key", "value"),
    "count": ("key",),
    "value": ("value",),
}


def check_columns(ind: Indicator, columns: dict[str, str]) -> None:
    missing = [c for c in (*REQUIRED[ind.aggregate], *ind.by) if c not in columns]
    if missing:
        from mieruka.core.specs import split_source

        file, line = split_source(ind.source)
        raise MierukaError(
            Issue(
                f"{ind.id}: the formula must return column(s) {', '.join(missing)} for aggregate '{ind.aggregate}'",
                file=file,
                line=line,
                expected=", ".join((*REQUIRED[ind.aggregate], *ind.by)),
                found=", ".join(columns),
            )
        )


def _truthy(column: str, type_: str) -> str:
    return f'"{column}"' if type_ == "BOOLEAN" else f'("{column}" <> 0)'


FLOATING = ("DOUBLE", "FLOAT", "REAL")
# a breakdown group whose dimension value is NULL; never confused with the total
BLANK = "(blank)"


def _summable(column: str, type_: str) -> str:
    """Booleans count as 0/1; binary floats are summed as DECIMAL(38, 10).

    A parallel sum of DOUBLEs depends on the order threads finish in, so the same run
    would give different last digits and `verify` would report a false alteration; ten
    entries of 0.1 hours would also sum to 0.9999999999999999 instead of 1.0.
    """
    if type_ == "BOOLEAN":
        return f'CAST("{column}" AS INTEGER)'
    if type_ in FLOATING:
        return f'CAST("{column}" AS DECIMAL(38, 10))'
    return f'"{column}"'


def aggregation_sql(ind: Indicator, formula_sql: str, columns: dict[str, str]) -> str:
    """One query: the total and each single-dimension breakdown, with fingerprints.

    Three steps, one pass over the formula's rows: a projection computes each row's
    predicates and key hash once (DuckDB would otherwise evaluate them once per aggregate
    that uses them); the rows are aggregated once per combination of all `by` dimensions;
    those partial aggregates are rolled up into the grouping sets. Every aggregate is
    decomposable (sum, count, min, max, bit_xor), so figures and fingerprints equal a
    one-stage GROUPING SETS query — which would aggregate every input row once per set.
    """
    dims = [f'"{d}"' for d in ind.by]
    if ind.aggregate == "ratio":
        num_t, den_t = columns["numerator"], columns["denominator"]
        row = [
            f"{_summable('numerator', num_t)} AS __vn",
            f"{_summable('denominator', den_t)} AS __vd",
            f"{_truthy('numerator', num_t)} AS __pn",
            f"{_truthy('denominator', den_t)} AS __pd",
        ]
        fine = [
            "sum(__vn) AS __num",
            "sum(__vd) AS __den",
            "count_if(__pn) AS __n_num",
            "count_if(__pd) AS __n_den",
            "bit_xor(__h) FILTER (WHERE __pn) AS __fp_num",
            "bit_xor(__h) FILTER (WHERE __pd) AS __fp_den",
        ]
        roll = [
            "sum(__num)",
            "sum(__den)",
            "coalesce(sum(__n_num), 0)",
            "coalesce(sum(__n_den), 0)",
            "bit_xor(__fp_num)",
            "bit_xor(__fp_den)",
        ]
    else:
        value = columns.get("value", "")
        first, again = {
            "sum": ("sum(__v)", "sum(__num)"),
            "avg": ("sum(__v)", "sum(__num)"),
            "min": ("min(__v)", "min(__num)"),
            "max": ("max(__v)", "max(__num)"),
            "count": ("count(*)", "coalesce(sum(__num), 0)"),
        }[ind.aggregate]
        if ind.aggregate == "count":
            row = []
            counted, hashed = "count(*)", "bit_xor(__h)"
        else:
            summed = first.startswith("sum")
            row = [(_summable("value", value) if summed else '"value"') + " AS __v"]
            counted, hashed = "count(__v)", "bit_xor(__h) FILTER (WHERE __v IS NOT NULL)"
        fine = [f"{first} AS __num", f"{counted} AS __n_den", f"{hashed} AS __fp_den"]
        count = "coalesce(sum(__n_den), 0)"
        roll = [again, count, "NULL", count, "NULL", "bit_xor(__fp_den)"]
    names = ("num", "den", "n_num", "n_den", "fp_num", "fp_den")
    key_hash = f'"{HASH_COLUMN}"' if HASH_COLUMN in columns else "hash(key)"  # see keyhash
    rows = f"SELECT {', '.join([*dims, *row, f'{key_hash} AS __h'])} FROM f"
    group = f" GROUP BY {', '.join(dims)}" if dims else ""
    partial = f"SELECT {', '.join([*dims, *fine])} FROM __rows{group}"
    sets = ", ".join(["()", *[f"({d})" for d in dims]])
    gid = f"GROUPING({', '.join(dims)})" if dims else "0"
    select = ", ".join(
        [*dims, f"{gid} AS gid", *(f"{e} AS {n}" for e, n in zip(roll, names, strict=True))]
    )
    return (
        f"WITH f AS ({formula_sql}), __rows AS ({rows}), __fine AS ({partial}) "
        f"SELECT {select} FROM __fine GROUP BY GROUPING SETS ({sets})"
    )


def to_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value)) if not hasattr(value, "isoformat") else None


def dim_text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def fingerprint(count: int | None, xor: int | None) -> str | None:
    if count is None:
        return None
    return f"{int(count)}:{int(xor or 0) & 0xFFFFFFFFFFFFFFFF:016x}"


def figure(
    ind: Indicator, num: Decimal | None, den: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """(unrounded, rounded) value of one group."""
    with localcontext() as ctx:
        ctx.prec = 40
        if ind.aggregate == "ratio":
            raw = None if num is None or den is None or den == 0 else num / den * ind.multiplier
        elif ind.aggregate == "avg":
            raw = None if num is None or not den else num / den
        else:
            raw = num if num is None else num * ind.multiplier
    if raw is None:
        return None, None
    return raw, round_decimal(raw, ind.rounding.digits, ind.rounding.mode)


def group_rows(ind: Indicator, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows of `aggregation_sql` as value dicts (plus the unrounded value under '_raw')."""
    n = len(ind.by)
    out = []
    for row in rows:
        dim_values, gid = row[:n], int(row[n])
        num_v, den_v, n_num, n_den, fp_num, fp_den = row[n + 1 :]
        dims = {}
        for i, name in enumerate(ind.by):
            grouped_out = (gid >> (n - 1 - i)) & 1
            if not grouped_out:
                text = dim_text(dim_values[i])
                dims[name] = BLANK if text is None else text
        num, den = to_decimal(num_v), to_decimal(den_v)
        raw, value = figure(ind, num, den)
        out.append(
            {
                "indicator": ind.id,
                "dims": dims,
                "value": value,
                "numerator": num,
                "denominator": den if ind.aggregate in ("ratio", "avg") else None,
                "rows": int(n_den or 0),
                "fp_numerator": fingerprint(n_num, fp_num),
                "fp_denominator": fingerprint(n_den, fp_den),
                "unit": ind.unit,
                "_raw": raw,
            }
        )
    if not any(not r["dims"] for r in out):  # no rows at all: the total is "no data"
        out.append(empty_total(ind))
    return sorted(
        out, key=lambda r: (len(r["dims"]), sorted((k, str(v)) for k, v in r["dims"].items()))
    )


def empty_total(ind: Indicator) -> dict[str, Any]:
    return {
        "indicator": ind.id,
        "dims": {},
        "value": None,
        "numerator": None,
        "denominator": None,
        "rows": 0,
        "fp_numerator": None,
        "fp_denominator": None,
        "unit": ind.unit,
        "_raw": None,
    }
