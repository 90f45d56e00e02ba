"""Each snapshot's key hashes computed once and kept, not once per indicator per run.

Every figure's evidence fingerprint XORs the 64-bit hashes of its rows' keys. Hashing ten
million string keys costs about as much as the aggregation itself, and a run of twenty
indicators over one dataset would hash the same keys twenty times — in every run, and
runs over the same snapshot are many (each fiscal year, as-of dates, re-runs). So for a
dataset whose one-column key several formulas read, the first run writes a keyed copy of
the snapshot (`keyed_copy`: the same rows and columns plus `__key_hash`) into the
workspace's cache, and a formula that takes its `key` straight from the key column reads
that copy and its stored hash instead of hashing (`read_key_hash`). The hash is the same
function of the same value, so the figures and fingerprints are identical either way
(tested). The copy is derived data, named by the snapshot's content hash and the
fingerprint method, and safe to delete; `mieruka verify` and `mieruka evidence` never read
it — they re-compute from the snapshot itself, so an altered copy cannot hide.

Only a plain projection qualifies for the stored hash: one dataset in FROM, no join, no
GROUP BY, DISTINCT, aggregate or set operation at the top level — there, adding one more
output column cannot change which rows the formula returns.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
from sqlglot import exp

from mieruka.core.aggregate import FINGERPRINT, HASH_COLUMN
from mieruka.core.schema import DatasetSchema
from mieruka.core.sqlsafety import dataset_ref

# Formulas that must read a dataset's key before a keyed copy pays: writing the copy of a
# 10-million-row, 14-column snapshot costs ~6 CPU-s once; each formula then saves ~0.5.
MIN_READERS = 2


def keyed_table(dataset: str) -> str:
    return f"__keyed_{dataset}"


def datasets_to_key(
    readers: Iterable[Iterable[str]], datasets: Mapping[str, DatasetSchema]
) -> dict[str, str]:
    """Dataset id -> its one key column, for datasets read by `MIN_READERS` or more formulas."""
    counts = Counter(d for reads in readers for d in set(reads))
    return {
        d: datasets[d].key[0]
        for d, n in sorted(counts.items())
        if n >= MIN_READERS and d in datasets and len(datasets[d].key) == 1
    }


def keyed_copy(snapshot: Path, key: str, folder: Path) -> Path:
    """The snapshot with `__key_hash` beside each row, written once into `folder`."""
    method = hashlib.sha256(FINGERPRINT.encode()).hexdigest()[:12]
    path = folder / f"{snapshot.stem}.{method}.parquet"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    source, target = (str(p.resolve()).replace("'", "''") for p in (snapshot, partial))
    name = key.replace('"', '""')
    con = duckdb.connect(":memory:")  # no user SQL runs here: only this copy
    try:
        con.execute(
            f"COPY (SELECT *, hash(\"{name}\") AS {HASH_COLUMN} FROM read_parquet('{source}'))"
            f" TO '{target}' (FORMAT parquet)"
        )
    finally:
        con.close()
    os.replace(partial, path)
    return path


def read_key_hash(tree: exp.Expr, hashed: Mapping[str, str]) -> bool:
    """Point a bound formula at a keyed copy and add its key hash as `__key_hash`.

    `tree` is a bound formula (see `sqlsafety.bind_tree`) and is changed in place;
    `hashed` maps dataset id -> its key column. Returns whether the formula now carries the hash.
    """
    if not isinstance(tree, exp.Select) or tree.args.get("joins") or tree.args.get("group"):
        return False
    if tree.args.get("distinct") or tree.args.get("having") or tree.find(exp.AggFunc):
        return False
    source = tree.args.get("from_") or tree.args.get("from")
    table = source.this if source is not None else None
    if not isinstance(table, exp.Table) or table.find(exp.Subquery):
        return False
    dataset = dataset_ref(table)
    if dataset is None or dataset not in hashed:
        return False
    alias = table.alias_or_name
    key = next((p for p in tree.expressions if p.alias_or_name == "key"), None)
    column = key.unalias() if key is not None else None
    if not isinstance(column, exp.Column) or column.name != hashed[dataset]:
        return False
    if column.table and column.table != alias:
        return False
    table.set("this", exp.to_identifier(keyed_table(dataset), quoted=True))
    hash_column = exp.column(HASH_COLUMN, table=alias, quoted=True)
    tree.select(exp.alias_(hash_column, HASH_COLUMN, quoted=True), copy=False)
    return True
