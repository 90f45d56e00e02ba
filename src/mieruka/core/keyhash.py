"""Datasets held in memory for a run, with their key hashes computed once, not per formula.

Every figure's evidence fingerprint XORs the 64-bit hashes of its rows' keys. Hashing ten
million string keys costs about as much as the aggregation itself, and a run of twenty
indicators over one dataset would hash the same keys twenty times; each rule and formula
would also decode the same Parquet columns again. So when many formulas, rules and pack
functions read a dataset and its snapshot is small enough, the engine reads it once into
memory (`held_table`), beside each row's key hash when the key is one column, and the
dataset's view reads that table from then on. A formula that takes its `key` straight from
the key column reads the stored hash instead of computing it (`read_key_hash`). The hash
is the same function of the same value, so the figures and fingerprints are identical
either way (tested), and `mieruka evidence` still re-derives them from the snapshot.

Only a plain projection qualifies for the stored hash: one dataset in FROM, no join, no
GROUP BY, DISTINCT, aggregate or set operation at the top level — there, adding one more
output column cannot change which rows the formula returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from mieruka.core.schema import DatasetSchema
from mieruka.core.sqlsafety import dataset_ref

HASH_COLUMN = "__key_hash"
# Snapshot bytes a run may hold in memory: DuckDB holds a 10-million-row, 14-column
# snapshot of 125 MB (zstd Parquet) in about 1.2 GB.
BUDGET_BYTES = 256 << 20
# Readers (formulas, rules, pack functions) of a dataset before holding it pays: measured
# at 10M rows, holding 14 columns costs ~3 CPU-s and saves ~0.5 CPU-s per reader.
MIN_READERS = 6


def held_table(dataset: str) -> str:
    return f"__held_{dataset}"


@dataclass(frozen=True)
class HeldDataset:
    key: (
        str | None
    )  # the one key column, hashed beside each row; None when the key is not one column


def datasets_to_hold(
    readers: Iterable[Iterable[str]],
    datasets: Mapping[str, DatasetSchema],
    snapshots: Mapping[str, Path],
    budget: int | None = None,
) -> dict[str, HeldDataset]:
    """Datasets with `MIN_READERS` or more readers (each given as the datasets it reads),
    the most read first, while their snapshots fit the budget."""
    budget = BUDGET_BYTES if budget is None else budget
    counts = Counter(d for reads in readers for d in set(reads))
    chosen: dict[str, HeldDataset] = {}
    spent = 0
    for dataset, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        schema, path = datasets.get(dataset), snapshots.get(dataset)
        if count < MIN_READERS or schema is None or path is None:
            continue
        size = path.stat().st_size
        if spent + size <= budget:
            chosen[dataset] = HeldDataset(schema.key[0] if len(schema.key) == 1 else None)
            spent += size
    return chosen


def read_key_hash(tree: exp.Expr, hashed: Mapping[str, str]) -> bool:
    """Point a bound formula at a held table and add its key hash as `__key_hash`.

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
    table.set("this", exp.to_identifier(held_table(dataset), quoted=True))
    hash_column = exp.column(HASH_COLUMN, table=alias, quoted=True)
    tree.select(exp.alias_(hash_column, HASH_COLUMN, quoted=True), copy=False)
    return True
