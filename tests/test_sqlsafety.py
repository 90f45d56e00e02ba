"""A formula may only read: one SELECT over declared datasets, CTEs and other indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from mieruka.core.issues import MierukaError
from mieruka.core.sqlsafety import ParsedFormula, bind, check_formula, lineage_columns

DATASETS = {
    "employees": ["staff_id", "dept", "gender", "hire_date", "salary"],
    "wages": ["staff_id", "month", "amount"],
}
INDICATORS = {"hc.headcount": ["dept", "value"], "hc.ratio": ["value"]}
TABLES = {"employees": "ds_employees", "wages": "ds_wages"}
IND_TABLES = {"hc.headcount": "ind_0", "hc.ratio": "ind_1"}
FY2024 = {
    "fy": 2024,
    "fy_start": dt.date(2024, 4, 1),
    "fy_end": dt.date(2025, 3, 31),
    "as_of": dt.date(2025, 3, 31),
}


def check(sql: str) -> ParsedFormula:
    return check_formula(
        sql, datasets=DATASETS, indicators=INDICATORS, where="specs/hr.yaml", line=12
    )


def refusal(sql: str) -> str:
    with pytest.raises(MierukaError) as info:
        check(sql)
    issue = info.value.issues[0]
    assert issue.file == "specs/hr.yaml"
    assert issue.line is not None and issue.line >= 12
    return issue.message


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """Physical tables named as the engine names them, with figures checkable by hand."""
    c = duckdb.connect(":memory:")
    c.execute(
        "CREATE TABLE ds_employees (staff_id VARCHAR, dept VARCHAR, gender VARCHAR, hire_date DATE, salary BIGINT)"
    )
    c.execute(
        """INSERT INTO ds_employees VALUES
        ('e1', 'sales', 'F', DATE '2020-04-01', 300),
        ('e2', 'sales', 'M', DATE '2024-10-01', 200),
        ('e3', 'ops',   'F', DATE '2025-04-01', 250),
        ('e4', 'ops',   'M', DATE '2019-01-15', 400)"""
    )
    c.execute("CREATE TABLE ds_wages (staff_id VARCHAR, month DATE, amount BIGINT)")
    c.execute(
        "INSERT INTO ds_wages VALUES ('e1', DATE '2024-04-01', 30), ('e1', DATE '2025-04-01', 31), ('e4', DATE '2024-05-01', 40)"
    )
    c.execute("CREATE TABLE ind_0 (dept VARCHAR, value DOUBLE)")
    c.execute("INSERT INTO ind_0 VALUES ('sales', 2), ('ops', 1)")
    yield c
    c.close()


def run(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> list[tuple[object, ...]]:
    return con.execute(
        bind(check(sql), params if params is not None else FY2024, TABLES, IND_TABLES)
    ).fetchall()


# -- statements that are not a read-only query -----------------------------------------


@pytest.mark.parametrize(
    ("sql", "label"),
    [
        ("ATTACH 'other.db' AS other", "ATTACH"),
        ("DETACH other", "DETACH"),
        ("COPY employees TO 'out.csv'", "COPY"),
        ("SET threads = 1", "SET"),
        ("RESET threads", "RESET"),
        ("PRAGMA database_list", "PRAGMA"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("CALL duckdb_settings()", "CALL"),
        ("EXPORT DATABASE 'dump'", "EXPORT DATABASE"),
        ("IMPORT DATABASE 'dump'", "IMPORT DATABASE"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("VACUUM", "VACUUM"),
        ("USE memory", "USE"),
        ("CREATE SECRET s3 (TYPE s3, KEY_ID 'k')", "CREATE SECRET"),
        ("DELETE FROM employees", "DELETE"),
        ("UPDATE employees SET salary = 0", "UPDATE"),
        ("INSERT INTO employees VALUES ('x')", "INSERT"),
        ("DROP TABLE employees", "DROP TABLE"),
        ("CREATE TABLE t AS SELECT 1", "CREATE TABLE"),
        ("ALTER TABLE employees ADD COLUMN x INT", "ALTER TABLE"),
        ("MERGE INTO employees USING wages ON true WHEN MATCHED THEN DELETE", "MERGE"),
        ("TRUNCATE employees", "TRUNCATE"),
        ("DESCRIBE employees", "DESCRIBE"),
        ("BEGIN", "BEGIN"),
    ],
)
def test_a_statement_that_is_not_a_query_is_refused_by_name(sql: str, label: str) -> None:
    assert refusal(sql) == f"formula is not a read-only query: {label} is not allowed"


def test_a_second_statement_is_refused_even_after_a_valid_query() -> None:
    message = refusal("SELECT 1; DROP TABLE employees")
    assert (
        message
        == "formula must be a single read-only query: found 2 statements (DROP TABLE after the first is not allowed)"
    )


def test_a_trailing_semicolon_is_fine() -> None:
    assert check("SELECT count(*) FROM employees;").tables == {"employees"}


def test_a_writing_statement_hidden_in_a_cte_is_refused() -> None:
    message = refusal("WITH gone AS (DELETE FROM employees RETURNING *) SELECT * FROM gone")
    assert message == "formula is not a read-only query: DELETE is not allowed"


def test_select_into_is_refused() -> None:
    assert (
        refusal("SELECT * INTO copy FROM employees")
        == "formula is not a read-only query: SELECT ... INTO is not allowed"
    )


# -- what a query may read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT * FROM 'salaries.csv'", "table 'salaries.csv' looks like a file or URL"),
        ('FROM "/etc/passwd"', "table '/etc/passwd' looks like a file or URL"),
        (
            "SELECT * FROM 's3://bucket/x.parquet'",
            "table 's3://bucket/x.parquet' looks like a file or URL",
        ),
        (
            "SELECT * FROM main.employees",
            "table 'main.employees' has a schema or catalog qualifier",
        ),
        (
            "SELECT * FROM information_schema.tables",
            "table 'information_schema.tables' has a schema or catalog qualifier",
        ),
        (
            "SELECT * FROM memory.main.employees",
            "table 'memory.main.employees' has a schema or catalog qualifier",
        ),
    ],
)
def test_files_urls_and_qualified_tables_are_refused(sql: str, message: str) -> None:
    assert refusal(sql).startswith(message)


@pytest.mark.parametrize(
    ("function", "reason"),
    [
        ("read_csv('x.csv')", "it reads files"),
        ("read_csv_auto('x.csv')", "it reads files"),
        ("read_parquet('x.parquet')", "it reads files"),
        ("read_json('x.json')", "it reads files"),
        ("read_json_auto('x.json')", "it reads files"),
        ("read_text('x.txt')", "it reads files"),
        ("read_blob('x.bin')", "it reads files"),
        ("glob('*')", "it reads files"),
        ("parquet_scan('x.parquet')", "it reads files"),
        ("sniff_csv('x.csv')", "it reads files"),
        ("iceberg_scan('s3://x')", "it reads files"),
        ("delta_scan('s3://x')", "it reads files"),
        ("postgres_scan('dsn', 'public', 't')", "it reads an external database"),
        ("sqlite_scan('x.db', 't')", "it reads an external database"),
        ("mysql_scan('dsn', 'db', 't')", "it reads an external database"),
        ("query('SELECT 1')", "it runs SQL text that cannot be checked"),
        ("query_table('employees')", "it runs SQL text that cannot be checked"),
        ("duckdb_settings()", "it reads the database's internal state"),
        ("pragma_table_info('employees')", "it reads the database's internal state"),
        (
            "some_extension_function(1)",
            "only ind('indicator.id'), rule('rule.id') and generate_series, range, unnest may be used as tables",
        ),
    ],
)
def test_table_functions_other_than_generators_are_refused(function: str, reason: str) -> None:
    name = function.split("(")[0]
    assert (
        refusal(f"SELECT * FROM {function}")
        == f"function {name} is not allowed in a formula: {reason}"
    )


def test_a_table_function_behind_lateral_is_refused_too() -> None:
    message = refusal("SELECT * FROM employees e JOIN LATERAL glob('*') g ON true")
    assert message == "function glob is not allowed in a formula: it reads files"


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("getenv('HOME')", "it reads the environment"),
        ("current_setting('threads')", "it reads engine settings"),
        ("sql_auto_complete('SEL')", "it reads the database catalog"),
        ("duckdb_extensions()", "it reads the database's internal state"),
        ("system('ls')", "it runs commands"),
        ("shell('ls')", "it runs commands"),
        ("load_extension('x')", "it loads code"),
        ("read_text('x')", "it reads files"),
    ],
)
def test_scalar_functions_that_reach_outside_the_data_are_refused(call: str, reason: str) -> None:
    name = call.split("(")[0]
    assert (
        refusal(f"SELECT {call} FROM employees")
        == f"function {name} is not allowed in a formula: {reason}"
    )


def test_an_unknown_table_suggests_the_closest_dataset() -> None:
    assert (
        refusal("SELECT count(*) FROM employes")
        == "table 'employes' is not a dataset or indicator (did you mean 'employees'?)"
    )


def test_an_unknown_indicator_suggests_the_closest_id() -> None:
    assert (
        refusal("SELECT * FROM ind('hc.headcont')")
        == "indicator 'hc.headcont' is not defined (did you mean 'hc.headcount'?)"
    )


def test_ind_is_only_a_table() -> None:
    assert (
        refusal("SELECT ind('hc.ratio')")
        == "ind('...') can only be used as a table in FROM or JOIN"
    )
    assert refusal("SELECT * FROM ind(1)").startswith(
        "ind() takes one indicator id as a quoted string"
    )


def test_positional_parameters_are_refused() -> None:
    assert refusal("SELECT * FROM employees WHERE salary > ?").startswith(
        "positional parameter ? is not allowed"
    )
    assert refusal("SELECT * FROM employees WHERE salary > $1").startswith(
        "positional parameter $1 is not allowed"
    )


# -- columns -------------------------------------------------------------------------------


def test_a_misspelt_column_of_the_only_dataset_is_reported() -> None:
    message = refusal("SELECT sum(amout) FROM wages")
    assert message == "column 'amout' not found in dataset 'wages' (did you mean 'amount'?)"


def test_a_misspelt_qualified_column_is_reported_through_its_alias() -> None:
    message = refusal(
        "SELECT e.dept, sum(w.amout) FROM employees e JOIN wages w USING (staff_id) GROUP BY 1"
    )
    assert message == "column 'amout' not found in dataset 'wages' (did you mean 'amount'?)"


def test_an_indicator_exposes_its_dimensions_and_value() -> None:
    assert (
        refusal("SELECT h.gender FROM ind('hc.headcount') h")
        == "column 'gender' not found in indicator 'hc.headcount'"
    )
    ids = check_formula(
        "SELECT nope FROM ind('hc.ratio')", datasets=DATASETS, indicators={"hc.ratio"}
    )
    assert ids.indicators == ("hc.ratio",)  # a bare collection of ids: columns unknown, unchecked


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT staff_id FROM employees JOIN wages USING (staff_id) WHERE amount > 0",  # ambiguous scope
        "SELECT salary * 2 AS doubled FROM employees WHERE doubled > 100",  # select-list alias
        "SELECT x.y FROM employees",  # struct access, not a table
        "WITH c AS (SELECT dept AS d FROM employees) SELECT d FROM c",  # CTE columns
        "SELECT dept FROM employees e WHERE EXISTS (SELECT 1 FROM wages w WHERE w.staff_id = e.staff_id AND salary > 0)",
        "SELECT list_transform([1, 2], x -> x + 1) FROM employees",  # lambda parameter
        "SELECT a FROM employees AS t(a, b)",  # columns renamed by the alias
    ],
)
def test_columns_are_not_checked_where_the_scope_is_ambiguous(sql: str) -> None:
    check(sql)


def test_a_syntax_error_is_located_in_the_spec_file() -> None:
    with pytest.raises(MierukaError) as info:
        check("SELECT dept\nFROM employees\nWHERE (salary >")
    issue = info.value.issues[0]
    assert issue.line == 14  # formula starts at line 12; the error is on its third line
    assert issue.message.startswith("SQL syntax error (formula line 3")


def test_a_refusal_points_at_the_line_it_is_on() -> None:
    with pytest.raises(MierukaError) as info:
        check("SELECT dept,\n  count(*)\nFROM employes")
    assert info.value.issues[0].line == 14


# -- accepted queries, bound and run in DuckDB ------------------------------------------


def test_a_join_with_fiscal_year_dates_counts_wages_paid_in_the_year(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = """
        SELECT e.dept, sum(w.amount) AS paid
        FROM employees e JOIN wages w ON w.staff_id = e.staff_id
        WHERE w.month BETWEEN :fy_start AND :fy_end
        GROUP BY e.dept ORDER BY e.dept
    """
    assert run(con, sql) == [("ops", 40), ("sales", 30)]


def test_date_arithmetic_on_fy_end_finds_staff_with_a_year_of_service(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = "SELECT count(*) FROM employees WHERE hire_date <= :fy_end - INTERVAL 1 YEAR"
    assert run(con, sql) == [(2,)]  # e1 and e4; e2 joined in October 2024, e3 after the year


def test_a_cte_window_and_case(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        WITH ranked AS (
            SELECT dept, staff_id, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r
            FROM employees
        )
        SELECT dept, CASE WHEN salary >= 300 THEN 'high' ELSE 'low' END AS band
        FROM ranked WHERE r = 1 ORDER BY dept
    """
    assert run(con, sql) == [("ops", "high"), ("sales", "high")]


def test_ind_joins_and_union_all(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT h.dept, h.value / e.n AS per_head
        FROM ind('hc.headcount') h
        JOIN (SELECT dept, count(*) AS n FROM employees GROUP BY dept) e ON e.dept = h.dept
        UNION ALL
        SELECT 'all', :fy
        ORDER BY 1
    """
    parsed = check(sql)
    assert parsed.indicators == ("hc.headcount",)
    assert parsed.parameters == {"fy"}
    assert run(con, sql) == [("all", 2024.0), ("ops", 0.5), ("sales", 1.0)]


def test_a_dataset_keeps_its_name_as_alias_so_qualified_columns_still_work(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert run(con, "SELECT max(employees.salary) FROM employees") == [(400,)]


def test_generators_values_and_unnest_are_allowed(con: duckdb.DuckDBPyConnection) -> None:
    assert run(con, "SELECT sum(r.range) FROM range(4) r") == [(6,)]
    assert run(con, "SELECT sum(x) FROM (VALUES (1), (2)) v(x)") == [(3,)]
    assert run(con, "SELECT sum(u) FROM unnest([1, 2, 3]) t(u)") == [(6,)]


def test_parameters_become_typed_literals(con: duckdb.DuckDBPyConnection) -> None:
    params: dict[str, object] = {
        "i": -5, "d": Decimal("0.05"), "f": 1.5, "day": dt.date(2025, 3, 31), "s": "sales", "n": None, "b": True,
    }  # fmt: skip
    sql = "SELECT :i, -:i, :d, :f, :day, :s, :n, :b"
    assert run(con, sql, params) == [
        (-5, 5, Decimal("0.05"), 1.5, dt.date(2025, 3, 31), "sales", None, True)
    ]


def test_a_missing_parameter_is_named_with_the_supplied_ones() -> None:
    with pytest.raises(MierukaError) as info:
        bind(
            check("SELECT * FROM employees WHERE hire_date < :cutoff"),
            {"fy": 2024},
            TABLES,
            IND_TABLES,
        )
    assert info.value.issues[0].message == "parameter :cutoff has no value (supplied: :fy)"


def test_an_injection_through_a_string_parameter_stays_a_literal(
    con: duckdb.DuckDBPyConnection,
) -> None:
    evil = "O'Brien'; DROP TABLE ds_employees; --"
    rows = run(
        con, "SELECT :name AS who, count(*) FROM employees WHERE dept = :name", {"name": evil}
    )
    assert rows == [(evil, 0)]
    assert con.execute("SELECT count(*) FROM ds_employees").fetchall() == [(4,)]


def test_lineage_lists_the_columns_read_from_each_dataset() -> None:
    parsed = check(
        "SELECT e.dept, sum(w.amount) FROM employees e JOIN wages w ON w.staff_id = e.staff_id "
        "WHERE w.month <= :fy_end GROUP BY e.dept"
    )
    assert lineage_columns(parsed) == {
        "employees": {"dept", "staff_id"},
        "wages": {"amount", "staff_id", "month"},
    }
    assert lineage_columns(check("SELECT * FROM wages")) == {"wages": set(DATASETS["wages"])}
    assert lineage_columns(check("SELECT count(*) FROM employees")) == {"employees": set()}


def test_a_cte_may_share_a_name_with_nothing_declared_but_must_be_defined_first() -> None:
    assert (
        check("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b").tables
        == frozenset()
    )
    assert refusal("WITH b AS (SELECT * FROM a), a AS (SELECT 1) SELECT * FROM b").startswith(
        "table 'a' is not a dataset"
    )


def test_comments_are_dropped_from_the_sql_that_runs() -> None:
    sql = bind(check("SELECT count(*) /* ; DROP TABLE x */ FROM employees -- note"), {}, TABLES, {})
    assert sql == 'SELECT COUNT(*) FROM "ds_employees" AS employees'
