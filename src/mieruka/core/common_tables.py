"""Common table expressions that several rules share, computed once per run.

Rules often start from the same CTE: the icfr pack's eleven journal-entry tests all read
``je AS (SELECT … FROM journal_entries WHERE effective_date BETWEEN :fy_start AND :fy_end)``.
Evaluated one formula at a time, every rule would scan and convert the ledger again, where
an analyst writing the SQL by hand builds that table once. This module does the same,
without a new concept in the specs: a top-level CTE whose text appears in two or more rules
of the spec set, and which reads nothing defined beside it in its WITH, is materialised as a
temporary table the first time a rule of the run needs it (per bound text: the same
parameters and snapshots), and every rule reads that table where it read the CTE.

The result is the same by construction — the same SQL over the same snapshot with the same
parameters; a CTE has no row order — and `verify` evaluates the same way. A CTE that calls
a volatile function (random, now…) is never shared. Written here rather than left to the
engine because DuckDB materialises a CTE at most within one query, never across queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from sqlglot import exp

from mieruka.core.sqlsafety import DIALECT, to_sql

_VOLATILE = (exp.Rand, exp.CurrentDate, exp.CurrentTime, exp.CurrentTimestamp, exp.Uuid)


def _top_ctes(tree: exp.Expr) -> list[exp.CTE]:
    with_ = tree.args.get("with_") or tree.args.get("with")
    if not isinstance(with_, exp.With) or with_.args.get("recursive"):
        return []
    return [c for c in with_.expressions if isinstance(c, exp.CTE)]


def _shareable(cte: exp.CTE, siblings: set[str]) -> bool:
    body = cte.this
    if any(isinstance(node, _VOLATILE) for node in body.walk()):
        return False
    inner = {c.alias_or_name.lower() for c in body.find_all(exp.CTE)}
    return not any(
        isinstance(t.this, exp.Identifier)
        and t.name.lower() in siblings
        and t.name.lower() not in inner
        for t in body.find_all(exp.Table)
    )


def _key(cte: exp.CTE) -> str:
    return cte.this.sql(dialect=DIALECT, comments=False)


def shared_ctes(trees: Iterable[exp.Expr]) -> frozenset[str]:
    """The (unbound) texts of the self-contained top-level CTEs found in two or more trees."""
    seen: Counter[str] = Counter()
    for tree in trees:
        ctes = _top_ctes(tree)
        names = {c.alias_or_name.lower() for c in ctes}
        seen.update({_key(c) for c in ctes if _shareable(c, names)})
    return frozenset(text for text, n in seen.items() if n >= 2)


class CommonTables:
    """Per run: rewrites a bound rule so its shared CTEs read tables materialised once."""

    def __init__(self, shared: frozenset[str], materialise: Callable[[str, str], None]) -> None:
        self.shared = shared
        self.materialise = materialise
        self.tables: dict[str, str] = {}  # bound SQL of a CTE body -> its table

    def rewrite(self, unbound: exp.Expr, bound: exp.Expr) -> exp.Expr:
        """`bound` (a bound copy of `unbound`) reading each shared CTE from its table."""
        if not self.shared:
            return bound
        for original, copy in zip(_top_ctes(unbound), _top_ctes(bound), strict=True):
            if _key(original) not in self.shared:
                continue
            sql = to_sql(copy.this)
            name = self.tables.get(sql)
            if name is None:
                name = f"cte_{len(self.tables)}"
                self.materialise(name, sql)
                self.tables[sql] = name
            _read_table(bound, copy, name)
        return bound


def _read_table(tree: exp.Expr, cte: exp.CTE, table: str) -> None:
    """Point the references to `cte` at `table` and drop the CTE. A CTE read twice would be
    materialised again by DuckDB (a copy per query) if its body merely selected the table.
    Where a reference cannot be told apart safely (the name is defined again inside, or the
    CTE renames its columns), the body selects the table instead."""
    name = cte.alias_or_name.lower()
    renamed = isinstance(cte.args.get("alias"), exp.TableAlias) and cte.args["alias"].columns
    same_name = [c for c in tree.find_all(exp.CTE) if c.alias_or_name.lower() == name]
    if renamed or len(same_name) > 1:
        cte.set("this", exp.select("*").from_(exp.table_(table, quoted=True)))
        return
    for ref in list(tree.find_all(exp.Table)):
        if (
            isinstance(ref.this, exp.Identifier)
            and ref.name.lower() == name
            and not ref.args.get("db")
            and ref.find_ancestor(exp.CTE) is not cte
        ):
            alias = ref.alias or ref.name
            ref.set("this", exp.to_identifier(table, quoted=True))
            ref.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    with_ = cte.parent
    cte.pop()
    if isinstance(with_, exp.With) and not with_.expressions:
        with_.pop()
