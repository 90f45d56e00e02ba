"""Text columns to declared types, vectorised in DuckDB, with Python for the rare forms.

Each column gets a SQL expression that converts the common spellings directly
(`2024-03-31`, `-1234`, `1,234`, `△1,234`, `true`, `○`) and is strict where DuckDB's own
casts are lenient (DuckDB casts '12.5' to BIGINT 13 and accepts '0x1F', '1_000', 'nan').
Texts the SQL leaves NULL although they are not blank (和暦, full-width digits, 2024/3/31,
'¥1,234', a typo) are collected DISTINCT — a handful even in a big file — converted in
Python with `mieruka.japan` (the reference for every convention), and patched back.
Whatever Python also refuses becomes a located issue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

import duckdb
import pyarrow as pa

from mieruka.core.schema import Column, ColumnType
from mieruka.japan.wareki import parse_date
from mieruka.japan.yen import parse_amount, parse_decimal

WS = " \t\r\n\u3000\u00a0"
WS_SQL = "' \t\r\n\u3000\u00a0'"
TRUE_WORDS = ("true", "1", "yes", "○", "有")
FALSE_WORDS = ("false", "0", "no", "×", "無")
# look-alikes of ○/× that Japanese IMEs produce; Python fallback only (after NFKC)
_EXTRA_TRUE = ("〇", "◯")
_EXTRA_FALSE = ("✕", "✖")
INT64 = 2**63

EXPECTED: dict[ColumnType, str] = {
    ColumnType.integer: "a whole number such as 1,234 or △1,234",
    ColumnType.yen: "a whole amount in yen such as 1,234 or △1,234",
    ColumnType.number: "a number such as 1.5",
    ColumnType.decimal: "a decimal number such as 1,234.56",
    ColumnType.date: "a date such as 2024-03-31, 2024/3/31 or 令和6年3月31日",
    ColumnType.boolean: "one of true/false, 1/0, yes/no, ○/×, 有/無",
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_type(column: Column) -> str:
    return {
        ColumnType.string: "VARCHAR",
        ColumnType.integer: "BIGINT",
        ColumnType.yen: "BIGINT",
        ColumnType.number: "DOUBLE",
        ColumnType.decimal: f"DECIMAL(38, {column.scale})",
        ColumnType.date: "DATE",
        ColumnType.boolean: "BOOLEAN",
    }[column.type]


def trimmed(raw: str) -> str:
    """Trim only when an edge is whitespace: trim(x, chars) on every value is slow.

    `x[-1]` (the last character) is cheaper than one `suffix()` per whitespace character;
    a false alarm (a grapheme cluster starting with one of them) only costs the trim.
    """
    codes = "(32, 9, 13, 160, 12288)"
    return (
        f"CASE WHEN ord({raw}) IN {codes} OR ord({raw}[-1]) IN {codes} "
        f"THEN nullif(trim({raw}, {WS_SQL}), '') ELSE nullif({raw}, '') END"
    )


def convert_sql(column: Column, raw: str) -> str:
    """SQL converting the text column `raw` to the column's type (NULL when it cannot)."""
    t = column.type
    if t is ColumnType.string:
        return trimmed(raw)
    if t in (ColumnType.integer, ColumnType.yen):
        signed = f"replace(replace(replace({raw}, ',', ''), '△', '-'), '▲', '-')"
        return (
            f"CASE WHEN CAST(try_cast({raw} AS BIGINT) AS VARCHAR) = {raw} "
            f"THEN try_cast({raw} AS BIGINT) "
            f"WHEN regexp_full_match({raw}, '[△▲][0-9]+|[-△▲]?[0-9]{{1,3}}(,[0-9]{{3}})+') "
            f"THEN try_cast({signed} AS BIGINT) END"
        )
    if t is ColumnType.number:
        return (
            f"CASE WHEN regexp_full_match({raw}, "
            f"'-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?') "
            f"THEN try_cast({raw} AS DOUBLE) END"
        )
    if t is ColumnType.decimal:
        return (
            f"CASE WHEN regexp_full_match({raw}, '-?[0-9]{{1,{38 - column.scale}}}"
            f"(\\.[0-9]{{1,{column.scale}}})?') THEN try_cast({raw} AS {sql_type(column)}) END"
        )
    if t is ColumnType.date:
        # exactly as DuckDB writes the date back (YYYY-MM-DD): cheaper than a GLOB pattern
        return (
            f"CASE WHEN CAST(try_cast({raw} AS DATE) AS VARCHAR) = {raw} "
            f"THEN try_cast({raw} AS DATE) END"
        )
    if t is ColumnType.boolean:
        # the exact spellings first: lower() on every value costs more than the whole test
        arms = " ".join(f"WHEN {lit(w)} THEN true" for w in TRUE_WORDS)
        arms += " " + " ".join(f"WHEN {lit(w)} THEN false" for w in FALSE_WORDS)
        return (
            f"CASE {raw} WHEN 'true' THEN true WHEN 'false' THEN false "
            f"ELSE CASE lower({raw}) {arms} END END"
        )
    raise AssertionError(t)  # pragma: no cover


SECOND_LOOK = "mieruka: needs a second look"


def strict_sql(column: Column, raw: str) -> str:
    """SQL converting `raw` like `convert_sql`, for the fast path: NULL only for a blank.

    Every text the SQL cannot convert raises `SECOND_LOOK` (DuckDB evaluates `error()` only
    for the rows that reach it), so a table built with it needs no `__bad` columns.
    Text is only blanked, not trimmed: testing every value's last character costs a third
    of a 10M-row load per text column. A code list catches an untrimmed code (' F' is not
    'F'); any other text column is `edge_checked` on the written file.
    """
    if column.type is ColumnType.string:
        return f"nullif({raw}, '')"
    value = convert_sql(column, raw)
    return f"coalesce({value}, CASE WHEN {raw} IS NOT NULL THEN error({lit(SECOND_LOOK)}) END)"


def edge_checked(column: Column) -> bool:
    """Whether the fast path must look for edge whitespace in this column's written text:
    a text column, unless its code list (codes without edge whitespace) rejects it."""
    if column.type is not ColumnType.string:
        return False
    return not (column.values and all(v and v.strip(WS) == v for v in column.values))


def strict_rules_sql(column: Column, value: str) -> str:
    """`value` unchanged, or `SECOND_LOOK` raised when it is blank but required or breaks a rule."""
    conditions = [f"{value} IS NULL"] if column.required else []
    violation = violation_sql(column, value)
    if violation:
        conditions.append(violation)
    if not conditions:
        return value
    return f"CASE WHEN {' OR '.join(conditions)} THEN error({lit(SECOND_LOOK)}) ELSE {value} END"


def violation_sql(column: Column, value: str) -> str | None:
    """SQL true when a converted value breaks the column's min/max/values rules."""
    parts = []
    if column.min is not None and column.type is not ColumnType.string:
        parts.append(f"{value} < {column.min!r}")
    if column.max is not None and column.type is not ColumnType.string:
        parts.append(f"{value} > {column.max!r}")
    if column.values is not None:
        allowed = ", ".join(lit(v) for v in column.values)
        parts.append(f"CAST({value} AS VARCHAR) NOT IN ({allowed})")
    return " OR ".join(f"({p})" for p in parts) if parts else None


def bad_sql(column: Column, value: str, raw: str) -> str:
    """The original text for rows that need a second look (cannot convert, or break a rule)."""
    violation = violation_sql(column, value)
    if column.type is ColumnType.string:
        return f"CASE WHEN {violation} THEN {value} END" if violation else "NULL::VARCHAR"
    cond = f"({value} IS NULL AND {raw} IS NOT NULL)"
    if violation:
        cond += f" OR {violation}"
    return f"CASE WHEN {cond} THEN {raw} END"


def violation_issue(column: Column, value: object) -> tuple[str, str]:
    """(message, expected) for a value that breaks min/max/values."""
    if column.values is not None and str(value) not in column.values:
        return "value not in the code list", "one of " + ", ".join(column.values)
    if column.min is not None and value is not None and float(value) < column.min:  # type: ignore[arg-type]
        bound = _num(column.min)
        if column.min == 0:
            return "negative amount not allowed", f"≥ {bound}"
        return "value below the minimum", f"≥ {bound}"
    return "value above the maximum", f"≤ {_num(column.max)}"


def _num(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


# ---------------------------------------------------------------- Python fallback


def _boolean(text: str) -> bool:
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in TRUE_WORDS or word in _EXTRA_TRUE:
        return True
    if word in FALSE_WORDS or word in _EXTRA_FALSE:
        return False
    raise ValueError(f"expected {EXPECTED[ColumnType.boolean]}, found {text!r}")


def _integer(text: str) -> int:
    value = parse_amount(text)
    if not -INT64 <= value < INT64:
        raise ValueError(f"expected a whole number within ±9.2×10^18, found {text!r}")
    return value


def _number(text: str) -> float:
    try:
        value = float(unicodedata.normalize("NFKC", text).strip().replace(",", ""))
    except ValueError:
        try:
            value = float(parse_decimal(text))
        except ValueError:
            raise ValueError(f"expected {EXPECTED[ColumnType.number]}, found {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a finite number, found {text!r}")
    return value


def python_converter(column: Column) -> Callable[[str], object]:
    t = column.type
    if t is ColumnType.date:
        return parse_date
    if t in (ColumnType.integer, ColumnType.yen):
        return _integer
    if t is ColumnType.number:
        return _number
    if t is ColumnType.boolean:
        return _boolean
    scale = column.scale

    def _decimal(text: str) -> Decimal:
        value = parse_decimal(text)
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -scale:
            raise ValueError(
                f"expected at most {scale} digit(s) after the decimal point, found {text!r}"
            )
        return value.quantize(Decimal(1).scaleb(-scale))

    return _decimal


def _arrow_type(column: Column) -> pa.DataType:
    return {
        ColumnType.integer: pa.int64(),
        ColumnType.yen: pa.int64(),
        ColumnType.number: pa.float64(),
        ColumnType.decimal: pa.decimal128(38, column.scale),
        ColumnType.date: pa.date32(),
        ColumnType.boolean: pa.bool_(),
    }[column.type]


def patch_with_python(con: duckdb.DuckDBPyConnection, table: str, column: Column) -> dict[str, str]:
    """Convert the texts SQL could not; UPDATE the table; return {text: error} for the rest."""
    name, bad = quote(column.name), quote(column.name + "__bad")
    texts = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {bad} FROM {table} WHERE {name} IS NULL AND {bad} IS NOT NULL"
        ).fetchall()
    ]
    if not texts:
        return {}
    convert = python_converter(column)
    errors: dict[str, str] = {}
    keys: list[str] = []
    values: list[object] = []
    for text in texts:
        if not text.strip(WS):
            continue  # blank: stays NULL
        try:
            values.append(convert(text))
            keys.append(text)
        except ValueError as exc:
            errors[text] = str(exc)
    if keys:
        mapping = pa.table(
            {"k": pa.array(keys, pa.string()), "v": pa.array(values, _arrow_type(column))}
        )
        con.register("__mapping", mapping)
        con.execute(f"UPDATE {table} SET {name} = m.v FROM __mapping m WHERE {bad} = m.k")
        con.unregister("__mapping")
    return errors


_REASON = re.compile(r"^\((.*)\)$")


def conversion_message(column: Column, text: str, error: str) -> tuple[str, str]:
    """(message, expected) from a parser's "expected X, found 'y' (reason)" message."""
    what = f"not a valid {column.type.value}"
    marker = f", found {text!r}"
    if error.startswith("expected ") and marker in error:
        expected, _, rest = error[len("expected ") :].partition(marker)
        reason = _REASON.match(rest.strip())
        return (f"{what} ({reason.group(1)})" if reason else what), expected
    return f"{what} ({error})", EXPECTED[column.type]
