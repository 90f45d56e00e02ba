"""Good input: every documented spelling loads, and identical content is the same content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from mieruka.core.content import same_content
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.loader import TypedFile, load_file
from mieruka.core.schema import Column, ColumnType, DatasetSchema

EMPLOYEES = DatasetSchema(
    id="employees",
    key=("employee_id",),
    columns=(
        Column(name="employee_id", required=True),
        Column(name="name"),
        Column(name="hired_on", type=ColumnType.date, required=True),
        Column(name="salary", type=ColumnType.yen),
        Column(name="gender", values=("F", "M", "X")),
        Column(name="manager", type=ColumnType.boolean),
        Column(name="fte", type=ColumnType.decimal, scale=2),
    ),
)
HEADER = "employee_id,name,hired_on,salary,gender,manager,fte\n"


def rows_of(typed: TypedFile) -> list[tuple]:
    return duckdb.sql(f"SELECT * FROM read_parquet('{typed.parquet}')").fetchall()


def load(tmp_path: Path, name: str, content: str | bytes, schema=EMPLOYEES, **kw) -> TypedFile:
    source = tmp_path / name
    if isinstance(content, str):
        source.write_text(content, encoding="utf-8")
    else:
        source.write_bytes(content)
    return load_file(schema, source, tmp_path / (name + ".parquet"), **kw)


def test_utf8_csv_loads_typed_columns_in_schema_order(tmp_path: Path) -> None:
    typed = load(tmp_path, "e.csv", HEADER + "E001,Sato,2024-04-01,300000,F,true,1.00\n")
    assert typed.rows == 1 and typed.encoding == "utf-8"
    assert rows_of(typed) == [
        ("E001", "Sato", dt.date(2024, 4, 1), 300000, "F", True, Decimal("1.00"))
    ]
    types = duckdb.sql(f"DESCRIBE SELECT * FROM '{typed.parquet}'").fetchall()
    assert [t[1] for t in types] == [
        "VARCHAR",
        "VARCHAR",
        "DATE",
        "BIGINT",
        "VARCHAR",
        "BOOLEAN",
        "DECIMAL(38,2)",
    ]


def test_utf8_with_bom_and_columns_in_any_order(tmp_path: Path) -> None:
    content = "\ufeffhired_on,employee_id\n2024-04-01,E001\n"
    typed = load(tmp_path, "e.csv", content.encode("utf-8"))
    assert typed.encoding == "utf-8-sig"
    assert rows_of(typed) == [("E001", None, dt.date(2024, 4, 1), None, None, None, None)]


def test_cp932_file_from_japanese_excel(tmp_path: Path) -> None:
    content = HEADER + 'E001,佐藤　花子,令和6年4月1日,"1,234",F,有,0.5\n'
    typed = load(tmp_path, "e.csv", content.encode("cp932"))
    assert typed.encoding == "cp932"
    assert rows_of(typed)[0][:4] == ("E001", "佐藤　花子", dt.date(2024, 4, 1), 1234)


def test_wareki_triangle_amounts_separators_marks_and_full_width_digits(tmp_path: Path) -> None:
    content = HEADER + (
        "E001,a,R6.3.31,△500,F,○,\n"
        'E002,b,平成31年4月30日,"1,234,567",M,×,\n'
        "E003,c,令和元年5月1日,▲１，０００,X,無,\n"
        "E004,d,2024/3/1,１２３,F,TRUE,\n"
        "E005,e, 平成33年3月31日 ,-7,M,yes,\n"
    )
    got = [(r[2], r[3], r[5]) for r in rows_of(load(tmp_path, "e.csv", content))]
    assert got == [
        (dt.date(2024, 3, 31), -500, True),
        (dt.date(2019, 4, 30), 1234567, False),
        (dt.date(2019, 5, 1), -1000, False),
        (dt.date(2024, 3, 1), 123, True),
        (dt.date(2021, 3, 31), -7, True),
    ]


def test_blank_cells_are_null_and_values_are_trimmed(tmp_path: Path) -> None:
    content = HEADER + "  E001 ,\u3000,2024-04-01,, F ,,\n"
    assert rows_of(load(tmp_path, "e.csv", content)) == [
        ("E001", None, dt.date(2024, 4, 1), None, "F", None, None)
    ]


def test_header_only_file_gives_zero_rows(tmp_path: Path) -> None:
    assert load(tmp_path, "e.csv", HEADER).rows == 0


def write_xlsx(path: Path, rows: list[list[object]], title: str = "社員") -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)


XLSX_ROWS: list[list[object]] = [
    HEADER.strip().split(","),
    ["E001", "Sato", dt.datetime(2024, 4, 1), 300000, "F", True, 1.0],
    ["E002", "Kato", dt.datetime(2023, 10, 1), -5000.0, "M", False, 0.5],
]
CSV_SAME = HEADER + "E001,Sato,2024-04-01,300000,F,true,1\nE002,Kato,2023-10-01,△5000,M,×,0.50\n"


def test_xlsx_with_real_dates_numbers_and_booleans(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "e.xlsx", XLSX_ROWS)
    typed = load_file(EMPLOYEES, tmp_path / "e.xlsx", tmp_path / "x.parquet")
    assert typed.encoding is None
    assert rows_of(typed)[1] == (
        "E002",
        "Kato",
        dt.date(2023, 10, 1),
        -5000,
        "M",
        False,
        Decimal("0.50"),
    )


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "表紙"  # type: ignore[union-attr]
    sheet = book.create_sheet("data")
    for row in XLSX_ROWS:
        sheet.append(row)
    book.save(tmp_path / "e.xlsx")
    typed = load_file(EMPLOYEES, tmp_path / "e.xlsx", tmp_path / "x.parquet", sheet="data")
    assert typed.rows == 2


def test_parquet_input(tmp_path: Path) -> None:
    first = load(tmp_path, "e.csv", CSV_SAME)
    again = load_file(EMPLOYEES, first.parquet, tmp_path / "again.parquet")
    assert rows_of(again) == rows_of(first)
    assert same_content(again.parquet, first.parquet)


def test_same_file_twice_gives_the_same_content(tmp_path: Path) -> None:
    a = load(tmp_path, "a.csv", CSV_SAME)
    b = load(tmp_path, "b.csv", CSV_SAME)
    assert same_content(a.parquet, b.parquet) and a.source_sha256 == b.source_sha256


def test_csv_cp932_and_xlsx_with_same_data_give_the_same_content(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "e.xlsx", XLSX_ROWS)
    xlsx = load_file(EMPLOYEES, tmp_path / "e.xlsx", tmp_path / "x.parquet")
    csv = load(tmp_path, "e.csv", CSV_SAME)
    sjis = load(tmp_path, "s.csv", CSV_SAME.encode("cp932"))
    assert same_content(xlsx.parquet, csv.parquet) and same_content(csv.parquet, sjis.parquet)
    assert csv.source_sha256 != sjis.source_sha256


def test_many_rows_keep_file_order_and_the_same_content(tmp_path: Path) -> None:
    lines = [f"E{i:06d},n,2024-04-01,{i},F,1,\n" for i in range(300_000)]
    lines[123_456] = "E123456,n,令和6年4月1日,△1,M,0,\n"
    a = load(tmp_path, "a.csv", HEADER + "".join(lines))
    b = load(tmp_path, "b.csv", HEADER + "".join(lines))
    assert same_content(a.parquet, b.parquet) and a.rows == 300_000
    got = duckdb.sql(
        f"SELECT employee_id, salary FROM read_parquet('{a.parquet}') LIMIT 2 OFFSET 123455"
    ).fetchall()
    assert got == [("E123455", 123455), ("E123456", -1)]


def test_extra_checks_and_progress(tmp_path: Path) -> None:
    seen: list[str] = []

    def check(con: duckdb.DuckDBPyConnection, table: str, label: str) -> list:
        n = con.execute(f"SELECT count(*) FROM {table} WHERE __row = 2").fetchall()[0][0]
        assert n == 1 and label.endswith("e.csv")
        return []

    load(tmp_path, "e.csv", CSV_SAME, extra_checks=[check], progress=seen.append)
    assert seen and any("writing" in s for s in seen)


def test_allow_extra_columns_drops_them(tmp_path: Path) -> None:
    schema = EMPLOYEES.model_copy(update={"allow_extra_columns": True})
    typed = load(tmp_path, "e.csv", "employee_id,hired_on,memo\nE1,2024-04-01,x\n", schema)
    assert len(rows_of(typed)[0]) == len(EMPLOYEES.columns)


@pytest.mark.parametrize("suffix", [".txt", ".tsv"])
def test_tab_separated_text(tmp_path: Path, suffix: str) -> None:
    typed = load(tmp_path, "e" + suffix, "employee_id\thired_on\nE1\t2024-04-01\n")
    assert rows_of(typed)[0][:3] == ("E1", None, dt.date(2024, 4, 1))


CODED = DatasetSchema(
    id="coded",
    key=("id",),
    columns=(
        Column(name="id", type=ColumnType.integer, required=True),
        Column(name="kind", type=ColumnType.string, required=True, values=("A", "B", "C")),
        Column(name="note", type=ColumnType.string),
    ),
)


def test_a_large_file_keeps_file_order_names_the_right_row_and_the_same_content(
    tmp_path: Path,
) -> None:
    """Regression: DuckDB's IN-to-hash-join rewrite once reordered rows above ~100k rows."""
    n = 1_000_000
    lines = ["id,kind,note"] + [f"{i},{'ABC'[i % 3]}, x{i % 7} " for i in range(n)]
    good = tmp_path / "good.csv"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = load_file(CODED, good, tmp_path / "a.parquet")
    again = load_file(CODED, good, tmp_path / "b.parquet")
    assert same_content(first.parquet, again.parquet)
    ids = duckdb.sql(f"SELECT id FROM read_parquet('{first.parquet}')").fetchnumpy()["id"]
    assert (ids == range(n)).all()
    lines[900_001] = "900000,Z,late"  # data row 900,000 is file row 900,002
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"row 900002, column 'kind'.*found 'Z'"):
        load_file(CODED, bad, tmp_path / "c.parquet")


def test_fast_path_and_full_path_write_the_same_content(tmp_path: Path) -> None:
    """A clean CSV takes the fast path (one streamed COPY); one 和暦 date sends the file
    down the full path (`__bad` texts, Python fallback). Same content, same row order, also
    with more than one row group."""
    lines = [f"E{i:06d},n,2024-04-01,{i},F,1,0.5\n" for i in range(130_000)]
    steps: list[str] = []
    clean = load(tmp_path, "clean.csv", HEADER + "".join(lines), progress=steps.append)
    assert "checking rows" not in steps
    lines[128_000] = "E128000,n,令和6年4月1日,128000,F,1,0.5\n"
    wareki = load(tmp_path, "wareki.csv", HEADER + "".join(lines), progress=steps.append)
    assert same_content(wareki.parquet, clean.parquet) and wareki.rows == clean.rows == 130_000
    assert rows_of(wareki) == rows_of(clean)  # in file order, both
    assert "checking rows" in steps  # the full path ran
    groups = duckdb.sql(
        f"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{clean.parquet}')"
    ).fetchall()[0][0]
    assert groups == 2


def test_clean_csv_takes_the_fast_path_and_extra_checks_see_file_rows(tmp_path: Path) -> None:
    steps: list[str] = []

    def flag_row_3(con: duckdb.DuckDBPyConnection, table: str, label: str) -> list:
        rows = con.execute(f"SELECT __row, employee_id FROM {table} WHERE __row = 3").fetchall()
        return [Issue("flagged", label, row, "employee_id", found=e) for row, e in rows]

    content = HEADER + "E001,a,2024-04-01,1,F,1,1\nE002,b,2024-04-01,2,M,0,1\n"
    load(tmp_path, "ok.csv", content, progress=steps.append)
    assert "checking rows" not in steps  # the full path did not run
    with pytest.raises(MierukaError, match=r"row 3, column 'employee_id': flagged.*E002"):
        load(tmp_path, "e.csv", content, extra_checks=[flag_row_3])
    assert not list(tmp_path.glob("*e.csv.parquet*"))


def test_fast_path_extra_checks_see_xlsx_rows_past_blank_ones(tmp_path: Path) -> None:
    """The fast path's checks read the written file; an XLSX source lends its own row
    numbers (blank rows skipped) by position."""
    seen: list[tuple] = []

    def record(con: duckdb.DuckDBPyConnection, table: str, label: str) -> list:
        seen.extend(con.execute(f"SELECT __row, employee_id FROM {table} ORDER BY 1").fetchall())
        return []

    rows = [XLSX_ROWS[0], XLSX_ROWS[1], [None] * 7, [None] * 7, XLSX_ROWS[2]]
    write_xlsx(tmp_path / "e.xlsx", rows)
    steps: list[str] = []
    load_file(
        EMPLOYEES,
        tmp_path / "e.xlsx",
        tmp_path / "x.parquet",
        extra_checks=[record],
        progress=steps.append,
    )
    assert "checking rows" not in steps
    assert seen == [(2, "E001"), (5, "E002")]


def test_text_needing_a_trim_takes_the_full_path_with_the_same_result(tmp_path: Path) -> None:
    steps: list[str] = []
    lines = [f"E{i:06d},name {i},2024-04-01,{i},F,1,1\n" for i in range(5000)]
    clean = load(tmp_path, "clean.csv", HEADER + "".join(lines), progress=steps.append)
    assert "checking rows" not in steps
    lines[4321] = "E004321,name 4321\u3000,2024-04-01,4321, F,1,1\n"
    trimmed = load(tmp_path, "trim.csv", HEADER + "".join(lines), progress=steps.append)
    assert "checking rows" in steps
    assert rows_of(trimmed) == rows_of(clean)


def test_unsorted_unique_keys_stay_on_the_fast_path(tmp_path: Path) -> None:
    """Keys out of order are proven unique by their distinct hashes, not sent to the full path."""
    ids = [(i * 7919) % 5000 for i in range(5000)]  # every id once, shuffled
    lines = [f"E{i:06d},n,2024-04-01,{i},F,1,1\n" for i in ids]
    steps: list[str] = []
    typed = load(tmp_path, "shuffled.csv", HEADER + "".join(lines), progress=steps.append)
    assert "checking rows" not in steps and typed.rows == 5000
    assert [r[0] for r in rows_of(typed)[:3]] == [f"E{i:06d}" for i in ids[:3]]
    lines[4000] = lines[17]  # one id twice, far apart
    with pytest.raises(MierukaError, match=r"duplicate key employee_id="):
        load(tmp_path, "twice.csv", HEADER + "".join(lines))
