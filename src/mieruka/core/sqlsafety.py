"""Every user SQL formula is parsed with sqlglot before it runs; only a read-only query passes.

Two stages, so that a spec fails at load time rather than halfway through a run:

* `check_formula` (once, when specs load) parses one DuckDB statement and refuses anything
  that is not a read-only query over declared inputs — see `sqlpolicy` for the lists and
  why they are allow- or deny-lists. It checks table references (datasets, CTEs,
  ``ind('indicator.id')``) and, where the scope is unambiguous, column names, and returns a
  `ParsedFormula` holding the AST.
* `bind` (per run) substitutes ``:name`` parameters as typed literals — never by pasting
  text — and renames tables to the engine's physical names, then renders DuckDB SQL from
  the checked AST. What runs is therefore exactly what was checked.

Column checking is conservative on purpose: a false "column not found" would block a
valid spec, so columns are only checked when they are qualified by a dataset/indicator
alias, or unqualified in a query with a single such source that cannot be correlated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from mieruka.core import sqlpolicy
from mieruka.core.issues import Issue, MierukaError, did_you_mean

DIALECT = "duckdb"
_REF = "mieruka_ref"  # meta key on exp.Table: ("dataset" | "ind" | "rule", id)
_NAMED = re.compile(r"[A-Za-z_]\w*")
_LIST_START = frozenset({TokenType.SELECT, TokenType.DISTINCT, TokenType.COMMA})
_TOKEN_TEXT = re.compile(r"<Token token_type: [^,]*, text: (.*?), line: .*?>")


@dataclass(frozen=True)
class ParsedFormula:
    """A checked formula: its AST plus what it reads and which parameters it needs."""

    tree: exp.Expr = field(repr=False, compare=False)
    sql: str
    tables: frozenset[str]
    indicators: tuple[str, ...]
    parameters: frozenset[str]
    lineage: Mapping[str, frozenset[str]] = field(default_factory=dict)
    where: str | None = None
    line: int | None = None
    rules: tuple[str, ...] = ()  # rules whose rows the formula reads with rule('...')


def check_formula(
    sql: str,
    *,
    datasets: Mapping[str, Sequence[str]],
    indicators: Mapping[str, Sequence[str]] | Collection[str],
    where: str | None = None,
    line: int | None = None,
    rules: Collection[str] | None = None,
) -> ParsedFormula:
    """Parse and restrict `sql`; raise MierukaError listing every problem found.

    `datasets` maps dataset id -> column names; `indicators` maps indicator id -> columns
    (dims + 'value') or is just the collection of known ids (columns then unchecked).
    `rules` is the collection of rule ids a rule's formula may read with rule('...')
    (their columns are whatever the rule returns, so unchecked); None for an indicator's
    formula, which may not read rules (indicators are evaluated before every rule).
    `where`/`line` locate the formula in its spec file (line of the formula's first line).
    """
    checker = _Checker(datasets, indicators, where, line, rules)
    tree = checker.parse(sql)
    checker.check_tree(tree)
    return ParsedFormula(
        tree, sql, frozenset(checker.tables), tuple(checker.indicators),
        frozenset(checker.params), {k: frozenset(v) for k, v in checker.lineage.items()},
        where, line, tuple(checker.rules),
    )  # fmt: skip


def bind(
    parsed: ParsedFormula,
    params: Mapping[str, object],
    table_names: Mapping[str, str],
    indicator_tables: Mapping[str, str],
    rule_tables: Mapping[str, str] | None = None,
) -> str:
    """DuckDB SQL for `parsed` with parameters as typed literals and physical table names."""
    return to_sql(bind_tree(parsed, params, table_names, indicator_tables, rule_tables))


def bind_tree(
    parsed: ParsedFormula,
    params: Mapping[str, object],
    table_names: Mapping[str, str],
    indicator_tables: Mapping[str, str],
    rule_tables: Mapping[str, str] | None = None,
) -> exp.Expr:
    """`bind`, as a tree: a copy of the formula's AST, bound, for a further rewrite."""
    missing = sorted(parsed.parameters - set(params))
    if missing:
        supplied = ", ".join(f":{k}" for k in sorted(params)) or "none"
        absent = ", ".join(f":{m}" for m in missing)
        raise _error(parsed, f"parameter {absent} has no value (supplied: {supplied})")
    tree = parsed.tree.copy()
    for ph in list(tree.find_all(exp.Placeholder)):
        ph.replace(_literal(parsed, ph.name, params[ph.name]))
    for table in list(tree.find_all(exp.Table)):
        ref = table.meta.get(_REF)
        if ref is None:
            continue
        kind, ident = ref
        physical = {"dataset": table_names, "ind": indicator_tables}.get(kind, rule_tables or {})
        if ident not in physical:
            what = {"dataset": "dataset", "ind": "indicator"}.get(kind, "rule")
            raise _error(parsed, f"{what} '{ident}' has no table in this run")
        original = table.this
        table.set("this", exp.to_identifier(physical[ident], quoted=True))
        if kind == "dataset" and not table.alias:
            table.set("alias", exp.TableAlias(this=original))
    return tree


def dataset_ref(table: exp.Table) -> str | None:
    """The dataset id a table of a checked formula refers to, or None (an indicator, a CTE)."""
    ref = table.meta.get(_REF)
    return ref[1] if ref is not None and ref[0] == "dataset" else None


def to_sql(tree: exp.Expr) -> str:
    return tree.sql(dialect=DIALECT, comments=False)  # nothing the user wrote survives unparsed


def lineage_columns(parsed: ParsedFormula) -> dict[str, set[str]]:
    """Dataset id -> the columns the formula reads from it (a superset where unsure)."""
    return {dataset: set(columns) for dataset, columns in parsed.lineage.items()}


def _error(parsed: ParsedFormula, message: str) -> MierukaError:
    return MierukaError(Issue(message, file=parsed.where, line=parsed.line))


def _literal(parsed: ParsedFormula, name: str, value: object) -> exp.Expr:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | Decimal | float):
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            raise _error(parsed, f"parameter :{name} is not a finite number: {value}")
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return exp.Literal.number(text)
    if isinstance(value, dt.datetime):
        kind = "TIMESTAMPTZ" if value.tzinfo else "TIMESTAMP"
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.build(kind))
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise _error(parsed, f"parameter :{name} has unsupported type {type(value).__name__}")


def _dollar_params(sql: str, tokens: list[Token]) -> str:
    """Respell `:x` as `$x` where it starts a list item (`SELECT :fy, :as_of AS d`).

    sqlglot reads DuckDB's prefix alias (`SELECT alias: expr`) there and fails; `$x` parses
    to the same named placeholder. Elsewhere a colon may be a slice or struct separator.
    """
    chars = list(sql)
    for prev, colon, name in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            colon.token_type == TokenType.COLON
            and prev.token_type in _LIST_START
            and name.start == colon.end + 1
            and _NAMED.fullmatch(name.text)
        ):
            chars[colon.start] = "$"
    return "".join(chars)


def _func_name(fn: exp.Func) -> str:
    return (fn.name if isinstance(fn, exp.Anonymous) else fn.sql_name()).lower()


class _Checker:
    def __init__(
        self,
        datasets: Mapping[str, Sequence[str]],
        indicators: Mapping[str, Sequence[str]] | Collection[str],
        where: str | None,
        line: int | None,
        rules: Collection[str] | None = None,
    ) -> None:
        self.datasets = {d.lower(): d for d in datasets}
        self.columns = {d: list(cols) for d, cols in datasets.items()}
        self.ind_columns = (
            {i: list(c) for i, c in indicators.items()} if isinstance(indicators, Mapping) else {}
        )
        self.ind_ids = set(indicators)
        self.where, self.line = where, line
        self.issues: list[Issue] = []
        self.tables: set[str] = set()
        self.indicators: list[str] = []
        self.rule_ids = None if rules is None else set(rules)
        self.rules: list[str] = []
        self.params: set[str] = set()
        self.lineage: dict[str, set[str]] = {}

    # -- reporting ---------------------------------------------------------------------
    def issue(
        self, message: str, node: exp.Expr | None = None, sql_line: int | None = None
    ) -> None:
        if sql_line is None and node is not None:
            ident = node if isinstance(node, exp.Identifier) else node.find(exp.Identifier)
            sql_line = ident.meta.get("line") if ident is not None else None
        line = self.line + (sql_line or 1) - 1 if self.line is not None else None
        self.issues.append(Issue(message, file=self.where, line=line))

    def fail(self) -> MierukaError:
        return MierukaError(self.issues)

    # -- stage 1: one statement, starting like a query, that parses ---------------------
    def parse(self, sql: str) -> exp.Expr:
        try:
            tokens = sqlglot.Dialect.get_or_raise(DIALECT).tokenize(sql)
        except TokenError as exc:
            self.issue(f"SQL syntax error: {exc}")
            raise self.fail() from None
        statements: list[list[Token]] = [[]]
        for token in tokens:
            if token.token_type == TokenType.SEMICOLON:
                statements.append([])
            else:
                statements[-1].append(token)
        statements = [s for s in statements if s]
        if not statements:
            self.issue("formula is empty")
        elif len(statements) > 1:
            extra = ", ".join(
                sqlpolicy.statement_label([t.text for t in s[:4]]) for s in statements[1:]
            )
            self.issue(
                f"formula must be a single read-only query: found {len(statements)} statements"
                f" ({extra} after the first is not allowed)",
                sql_line=statements[1][0].line,
            )
        elif statements[0][0].text.upper() not in sqlpolicy.QUERY_START:
            label = sqlpolicy.statement_label([t.text for t in statements[0][:4]])
            self.issue(
                f"formula is not a read-only query: {label} is not allowed",
                sql_line=statements[0][0].line,
            )
        if self.issues:
            raise self.fail()
        try:
            return sqlglot.parse_one(_dollar_params(sql, tokens), dialect=DIALECT)
        except ParseError as exc:
            for err in exc.errors or [{"description": str(exc)}]:
                text = _TOKEN_TEXT.sub(r"'\1'", str(err.get("description")))
                where = (
                    f" (formula line {err['line']}, column {err['col']})" if err.get("line") else ""
                )
                self.issue(f"SQL syntax error{where}: {text}", sql_line=err.get("line"))
            raise self.fail() from None

    # -- stage 2: what the query contains ---------------------------------------------
    def check_tree(self, tree: exp.Expr) -> None:
        for node in tree.walk():
            label = next(
                (lb for cls, lb in sqlpolicy.FORBIDDEN_NODES.items() if isinstance(node, cls)), None
            )
            if label:
                self.issue(f"formula is not a read-only query: {label} is not allowed", node)
        if not self.issues and not isinstance(tree, exp.Query | exp.Values):
            self.issue(f"formula is not a read-only query: {tree.key.upper()} is not allowed", tree)
        if self.issues:
            raise self.fail()
        ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            self.check_table(table, ctes)
        for fn in tree.find_all(exp.Func):
            self.check_function(fn)
        for ph in tree.find_all(exp.Placeholder):
            if _NAMED.fullmatch(ph.name or ""):
                self.params.add(ph.name)
            else:
                self.issue(
                    f"positional parameter {ph.sql(dialect=DIALECT)} is not allowed in a formula: use a named one such as :fy",
                    ph,
                )
        if self.issues:
            raise self.fail()
        self.lineage = {t: set() for t in self.tables}
        owners: dict[int, tuple[exp.Select, list[exp.Column]]] = {}
        for col in tree.find_all(exp.Column):
            owner = col.find_ancestor(exp.Query)
            if isinstance(owner, exp.Select):
                owners.setdefault(id(owner), (owner, []))[1].append(col)
        for select in tree.find_all(exp.Select):
            self.check_columns(select, owners.get(id(select), (select, []))[1])
        if self.issues:
            raise self.fail()

    def check_table(self, table: exp.Table, ctes: set[str]) -> None:
        if isinstance(table.this, exp.Func):
            if _func_name(table.this) == sqlpolicy.IND:
                self.check_ind(table, table.this)
            elif _func_name(table.this) == sqlpolicy.RULE:
                self.check_rule(table, table.this)
            return  # other table functions: see check_function
        if table.args.get("db") or table.args.get("catalog"):
            self.issue(
                f"table '{table.sql(dialect=DIALECT)}' has a schema or catalog qualifier: a formula reads only datasets, CTEs and ind('...')",
                table,
            )
            return
        name = table.name
        if _is_cte(table, name):
            return
        dataset = self.datasets.get(name.lower())
        if dataset is not None:
            table.meta[_REF] = ("dataset", dataset)
            self.tables.add(dataset)
        elif sqlpolicy.looks_like_path(name):
            self.issue(
                f"table '{name}' looks like a file or URL: a formula reads only declared datasets",
                table,
            )
        else:
            self.issue(
                f"table '{name}' is not a dataset or indicator{did_you_mean(name, [*self.columns, *ctes])}",
                table,
            )

    def check_ind(self, table: exp.Table, fn: exp.Func) -> None:
        args = fn.expressions
        if len(args) != 1 or not isinstance(args[0], exp.Literal) or not args[0].is_string:
            self.issue(
                "ind() takes one indicator id as a quoted string, e.g. ind('hc.headcount')", table
            )
            return
        ident = args[0].this
        if ident not in self.ind_ids:
            self.issue(
                f"indicator '{ident}' is not defined{did_you_mean(ident, self.ind_ids)}", table
            )
            return
        table.meta[_REF] = ("ind", ident)
        if ident not in self.indicators:
            self.indicators.append(ident)

    def check_rule(self, table: exp.Table, fn: exp.Func) -> None:
        args = fn.expressions
        if self.rule_ids is None:
            self.issue(
                "rule('...') can only be read by a rule: indicators are evaluated before rules",
                table,
            )
            return
        if len(args) != 1 or not isinstance(args[0], exp.Literal) or not args[0].is_string:
            self.issue(
                "rule() takes one rule id as a quoted string, e.g. rule('icfr.je_keyword')", table
            )
            return
        ident = args[0].this
        if ident not in self.rule_ids:
            self.issue(f"rule '{ident}' is not defined{did_you_mean(ident, self.rule_ids)}", table)
            return
        table.meta[_REF] = ("rule", ident)
        if ident not in self.rules:
            self.rules.append(ident)

    def check_function(self, fn: exp.Func) -> None:
        name = _func_name(fn)
        as_table = isinstance(fn.parent, exp.Table | exp.Lateral) and fn.arg_key == "this"
        if name in (sqlpolicy.IND, sqlpolicy.RULE) and not isinstance(fn.parent, exp.Table):
            self.issue(f"{name}('...') can only be used as a table in FROM or JOIN", fn)
        reason = sqlpolicy.function_refusal(name, table=as_table)
        if reason:
            self.issue(f"function {name} is not allowed in a formula: {reason}", fn)

    # -- stage 3: columns, where the scope is unambiguous -----------------------------
    def known(self, source: exp.Expr | None) -> tuple[str, str, list[str]] | None:
        if not isinstance(source, exp.Table) or _REF not in source.meta:
            return None
        alias = source.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return None  # columns renamed by the alias
        kind, ident = source.meta[_REF]
        if kind == "dataset":
            return "dataset", ident, self.columns[ident]
        if kind == "rule":
            return None  # a rule's columns are whatever its formula returns
        cols = self.ind_columns.get(ident)
        return ("indicator", ident, cols) if cols is not None else None

    def read(self, source: exp.Expr | None, names: Collection[str]) -> None:
        known = self.known(source)
        if known and known[0] == "dataset":
            self.lineage[known[1]].update(names)

    def check_columns(self, select: exp.Select, cols: list[exp.Column]) -> None:
        sources = _sources(select)
        if any(isinstance(e, exp.Star) for e in select.expressions):
            for src in sources.values():
                known = self.known(src)
                self.read(src, known[2] if known else ())
        aliases = {e.alias.lower() for e in select.expressions if e.alias}
        only = next(iter(sources.values())) if len(sources) == 1 else None
        lone = self.known(only) if only is not None and not _may_correlate(select) else None
        for col in cols:
            name, qualifier = col.name, col.table.lower()
            if col.args.get("db") or _lambda_param(col):
                continue
            if isinstance(col.this, exp.Star):
                known = self.known(sources.get(qualifier))
                self.read(sources.get(qualifier), known[2] if known else ())
                continue
            if qualifier:
                source = sources.get(qualifier) or _outer_source(select, qualifier)
                known = self.known(source)
            elif name.lower() in aliases or name.lower() in sources:
                continue
            else:
                source, known = only, lone
            if known is None:
                for src in sources.values():  # ambiguous: every source that has it
                    k = self.known(src)
                    if not qualifier and k and name.lower() in {c.lower() for c in k[2]}:
                        self.read(src, [_canonical(name, k[2])])
                continue
            if name.lower() in {c.lower() for c in known[2]}:
                self.read(source, [_canonical(name, known[2])])
            else:
                self.issue(
                    f"column '{name}' not found in {known[0]} '{known[1]}'{did_you_mean(name, known[2])}",
                    col,
                )


def _canonical(name: str, columns: Sequence[str]) -> str:
    return next(c for c in columns if c.lower() == name.lower())


def _sources(select: exp.Select) -> dict[str, exp.Expr]:
    """Alias (lower-case) -> FROM/JOIN item of this SELECT."""
    from_ = select.args.get("from_") or select.args.get("from")
    items = [from_.this] if isinstance(from_, exp.From) else []
    items += [j.this for j in select.args.get("joins") or []]
    return {item.alias_or_name.lower(): item for item in items if item is not None}


def _is_cte(table: exp.Table, name: str) -> bool:
    """True when `name` resolves to a CTE visible from `table` (not a later sibling)."""
    node: exp.Expr = table
    inside: exp.Expr | None = None
    while node.parent is not None:
        parent = node.parent
        if isinstance(node, exp.CTE):
            inside = node
        with_ = (
            parent.args.get("with_") or parent.args.get("with")
            if isinstance(parent, exp.Query)
            else None
        )
        if isinstance(with_, exp.With):
            for cte in with_.expressions:
                same = isinstance(cte, exp.CTE) and cte.alias_or_name.lower() == name.lower()
                if cte is inside:  # only earlier CTEs are visible, itself when RECURSIVE
                    if same and with_.args.get("recursive"):
                        return True
                    break
                if same:
                    return True
        node = parent
    return False


def _may_correlate(select: exp.Select) -> bool:
    """True for a SELECT nested in an expression or LATERAL, where names may be outer ones."""
    node: exp.Expr = select
    while node.parent is not None:
        if isinstance(node, exp.Lateral):
            return True
        if isinstance(node.parent, exp.Select) and node.arg_key not in (
            "from_",
            "from",
            "joins",
            "with_",
            "with",
        ):
            return True
        node = node.parent
    return False


def _outer_source(select: exp.Select, alias: str) -> exp.Expr | None:
    """The FROM/JOIN item named `alias` in an enclosing query a correlated SELECT can see."""
    outer = select.find_ancestor(exp.Select) if _may_correlate(select) else None
    while outer is not None:
        if alias in (found := _sources(outer)):
            return found[alias]
        outer = outer.find_ancestor(exp.Select) if _may_correlate(outer) else None
    return None


def _lambda_param(col: exp.Column) -> bool:
    lam = col.find_ancestor(exp.Lambda)
    while lam is not None:
        if col.name in {p.name for p in lam.expressions}:
            return True
        lam = lam.find_ancestor(exp.Lambda)
    return False
