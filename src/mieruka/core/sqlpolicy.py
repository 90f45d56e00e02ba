"""What a user SQL formula may contain: the allow- and deny-lists behind `sqlsafety`.

Why the lists have the shape they do:

* **Statements — allow-list.** A formula must *start* with SELECT, WITH, FROM, VALUES or
  "(" and parse to a query node. Anything else (ATTACH, COPY, SET, PRAGMA, INSTALL, LOAD,
  CALL, EXPORT/IMPORT DATABASE, CHECKPOINT, VACUUM, USE, CREATE SECRET, ...) is refused by
  its first keyword, even when sqlglot cannot parse it or parses it into a generic
  `Command`: a new DuckDB statement can never slip through.
* **Nodes inside a query — deny-list.** A query can still embed a writing node (a CTE
  wrapping a DELETE, SELECT ... INTO); `FORBIDDEN_NODES` are refused wherever they occur.
* **Table functions — allow-list.** DuckDB keeps adding table functions that read files,
  URLs, other databases or its own catalog (read_*, *_scan, glob, query, duckdb_*,
  pragma_*, iceberg/delta, extension functions); only `ind('id')` and the pure generators
  `range`, `generate_series` and `unnest` are allowed in FROM.
* **Scalar functions — deny-list plus prefixes.** Scalar functions are overwhelmingly pure
  (arithmetic, strings, dates), so an allow-list would refuse useful formulas; the few that
  reach outside the data (environment, settings, files, the catalog, the shell) are named
  here, and every `duckdb_*` / `pragma_*` / `read_*` name is refused by prefix.

This is the first wall; the engine is the second (DuckDB external access disabled and the
configuration locked before any formula runs).
"""

from __future__ import annotations

import re

from sqlglot import exp

#: First keywords a read-only query can start with.
QUERY_START = frozenset({"SELECT", "WITH", "FROM", "VALUES", "("})

#: Verbs whose refusal message names the object too ("CREATE SECRET", "EXPORT DATABASE").
TWO_WORD_VERBS = frozenset({"CREATE", "DROP", "ALTER", "EXPORT", "IMPORT"})
_MODIFIERS = frozenset({"OR", "REPLACE", "TEMP", "TEMPORARY", "PERSISTENT", "UNIQUE", "IF", "NOT"})

#: Nodes refused anywhere in the tree, with the name used in the message.
FORBIDDEN_NODES: dict[type[exp.Expr], str] = {
    exp.Insert: "INSERT",
    exp.Update: "UPDATE",
    exp.Delete: "DELETE",
    exp.Merge: "MERGE",
    exp.Create: "CREATE",
    exp.Drop: "DROP",
    exp.Alter: "ALTER",
    exp.TruncateTable: "TRUNCATE",
    exp.Command: "a command",
    exp.Into: "SELECT ... INTO",
    exp.Pragma: "PRAGMA",
    exp.Set: "SET",
    exp.Attach: "ATTACH",
    exp.Detach: "DETACH",
    exp.Copy: "COPY",
    exp.Use: "USE",
    exp.Install: "INSTALL",
    exp.Export: "EXPORT",
    exp.Describe: "DESCRIBE",
    exp.Show: "SHOW",
    exp.Summarize: "SUMMARIZE",
    exp.Grant: "GRANT",
    exp.Revoke: "REVOKE",
    exp.Transaction: "BEGIN",
    exp.Commit: "COMMIT",
    exp.Rollback: "ROLLBACK",
    exp.Analyze: "ANALYZE",
}

#: The table reference that reads another indicator's result.
IND = "ind"
#: The table reference that reads the rows an earlier rule returned (rules only).
RULE = "rule"
#: Table functions allowed in FROM besides ind() and rule(): pure generators.
ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})

_READS_FILES = "it reads files"
_REASONS: dict[str, str] = {
    "glob": _READS_FILES,
    "parquet_scan": _READS_FILES,
    "parquet_metadata": _READS_FILES,
    "parquet_schema": _READS_FILES,
    "sniff_csv": _READS_FILES,
    "iceberg_scan": _READS_FILES,
    "delta_scan": _READS_FILES,
    "postgres_scan": "it reads an external database",
    "sqlite_scan": "it reads an external database",
    "mysql_scan": "it reads an external database",
    "query": "it runs SQL text that cannot be checked",
    "query_table": "it runs SQL text that cannot be checked",
    "getenv": "it reads the environment",
    "current_setting": "it reads engine settings",
    "getvariable": "it reads session state",
    "sql_auto_complete": "it reads the database catalog",
    "system": "it runs commands",
    "shell": "it runs commands",
    "load_extension": "it loads code",
}
_PREFIX_REASONS: tuple[tuple[str, str], ...] = (
    ("read_", _READS_FILES),
    ("duckdb_", "it reads the database's internal state"),
    ("pragma_", "it reads the database's internal state"),
)


def function_refusal(name: str, *, table: bool) -> str | None:
    """Why function `name` may not appear in a formula, or None when it may.

    `table` is True for a function used as a table in FROM/JOIN (allow-list), False for a
    scalar call (deny-list).
    """
    name = name.lower()
    reason = _REASONS.get(name) or next((r for p, r in _PREFIX_REASONS if name.startswith(p)), None)
    if reason:
        return reason
    if table and name not in ALLOWED_TABLE_FUNCTIONS and name not in (IND, RULE):
        allowed = ", ".join(sorted(ALLOWED_TABLE_FUNCTIONS))
        return f"only ind('indicator.id'), rule('rule.id') and {allowed} may be used as tables"
    return None


_PATHLIKE = re.compile(r"[./\\:*?~]")


def looks_like_path(name: str) -> bool:
    """True for a table name DuckDB would treat as a file or URL ('data.csv', 's3://...')."""
    return bool(_PATHLIKE.search(name))


def statement_label(words: list[str]) -> str:
    """The keyword(s) naming a statement in a refusal, from its leading tokens."""
    if not words:
        return "an empty statement"
    first = words[0].upper()
    if first in TWO_WORD_VERBS:
        rest = [w.upper() for w in words[1:] if w.upper() not in _MODIFIERS]
        if rest and rest[0].isalpha():
            return f"{first} {rest[0]}"
    return first
