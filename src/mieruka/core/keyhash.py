"""Key hashes computed once per dataset per run, not once per indicator.

Every figure's evidence fingerprint XORs the 64-bit hashes of its rows' keys. Hashing ten
million string keys costs about as much as the aggregation itself, and a run of twenty
indicators over one dataset would hash the same keys twenty times. So when several formulas
read a dataset with a one-column key and the columns they read are small enough to hold
in memory, the engine reads those columns once into a table beside their key hashes
(`keyed_table`; in memory, repeated scans are also cheaper than decoding Parquet), and
a formula that takes its `key` straight from that key column reads the hash instead of
computing it (`read_key_hash`). The hash is the same function of the same value, so the
fingerprints are identical either way (tested), and `mieruka evidence` still re-derives
them from the snapshot itself.

Only a plain projection qualifies: one dataset in FROM, no join, no GROUP BY, DISTINCT,
aggregate or set operation at the top level — there, adding one more output column cannot
change which rows the formula returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from mieruka.core.schema import DatasetSchema
from mieruka.core.sqlsafety import ParsedFormula, dataset_ref

HASH_COLUMN = "__key_hash"
# Parquet bytes (pro rata of the columns read) a run may hold in memory with their key
# hashes: a 10-million-row, 14-column snapshot of 125 MB takes about 1.2 GB in DuckDB.
BUDGET_BYTES = 256 << 20
# Formulas that must read a dataset before holding it pays: measured at 10M rows, reading
# 14 columns into memory costs ~3 CPU-s and saves ~0.5 CPU-s per formula.
MIN_READERS = 6


def keyed_table(dataset: str) -> str:
    return f"__keyed_{dataset}"


@dataclass(frozen=True)
class KeyedDataset:
    key: str  # the one key column, hashed
    columns: tuple[str, ...]  # the columns any formula reads, in schema order


def datasets_to_hash(
    formulas: Mapping[str, ParsedFormula],
    datasets: Mapping[str, DatasetSchema],
    snapshots: Mapping[str, Path],
    budget: int | None = None,
) -> dict[str, KeyedDataset]:
    """Datasets read by `MIN_READERS` or more formulas, within budget, with the columns read."""
    budget = BUDGET_BYTES if budget is None else budget
    readers = Counter(t for parsed in formulas.values() for t in parsed.tables)
    chosen: dict[str, KeyedDataset] = {}
    spent = 0
    for dataset, count in sorted(readers.items()):
        schema, path = datasets.get(dataset), snapshots.get(dataset)
        if count < MIN_READERS or schema is None or path is None or len(schema.key) != 1:
            continue
        read = {c for parsed in formulas.values() for c in parsed.lineage.get(dataset, ())}
        columns = tuple(c.name for c in schema.columns if c.name in read or c.name in schema.key)
        size = path.stat().st_size * len(columns) // max(1, len(schema.columns))
        if spent + size <= budget:
            chosen[dataset] = KeyedDataset(schema.key[0], columns)
            spent += size
    return chosen


def read_key_hash(tree: exp.Expr, hashed: Mapping[str, str]) -> bool:
    """Point a bound formula at a keyed table and add its key hash as `__key_hash`.

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
