"""Bad input: every problem is reported with file, row, column, expected and found.

A file with problems never produces output, and all its problems come back together.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.loader import load_file
from mieruka.core.schema import Column, ColumnType, DatasetSchema

SCHEMA = DatasetSchema(
    id="employees",
    key=("employee_id",),
    columns=(
        Column(name="employee_id", required=True),
        Column(name="hired_on", type=ColumnType.date, required=True),
        Column(name="salary", type=ColumnType.yen, min=0),
        Column(name="headcount", type=ColumnType.integer),
        Column(name="gender", values=("F", "M", "X")),
    ),
)
HEADER = "employee_id,hired_on,salary,headcount,gender\n"
GOOD = "E001,2024-04-01,100,1,F\n"


def problems(tmp_path: Path, content: str | bytes, name: str = "e.csv", **kw) -> MierukaError:
    source = tmp_path / name
    if isinstance(content, str):
        source.write_text(content, encoding="utf-8")
    else:
        source.write_bytes(content)
    out = tmp_path / "out.parquet"
    with pytest.raises(MierukaError) as caught:
        load_file(kw.pop("schema", SCHEMA), source, out, **kw)
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))
    for issue in caught.value.issues:
        assert issue.file == str(source)
    return caught.value


def one(error: MierukaError) -> Issue:
    assert len(error.issues) == 1, error.render()
    return error.issues[0]


def test_utf16_file(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, (HEADER + GOOD).encode("utf-16")))
    assert "cannot read file as UTF-8 or CP932 (Shift_JIS)" in issue.message
    assert "UTF-16" in issue.message


def test_bytes_invalid_in_both_encodings_are_located(tmp_path: Path) -> None:
    content = (HEADER + GOOD).encode() + b"E002,2024-04-01,\xff\xfe,1,F\n"
    issue = one(problems(tmp_path, content))
    assert issue.message.startswith("cannot read file as UTF-8 or CP932 (Shift_JIS)")
    assert issue.row == 3
    assert issue.found == f"byte 0xff at offset {len((HEADER + GOOD).encode()) + 16}"


def test_empty_file(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, b""))
    assert str(issue).endswith("file is empty; expected a header row, found '0 bytes'")


def test_missing_required_column_suggests_the_misspelt_one(tmp_path: Path) -> None:
    error = problems(tmp_path, "employee_id,hired_date\nE001,2024-04-01\n")
    messages = [i.message for i in error.issues]
    assert "missing required column 'hired_on' (did you mean 'hired_date'?)" in messages
    assert all(i.row == 1 for i in error.issues)


def test_unexpected_column_suggests_the_schema_column(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, "employee_id,hired_on,salry\nE001,2024-04-01,1\n"))
    assert issue.message == "unexpected column 'salry' (did you mean 'salary'?)"
    assert (issue.row, issue.column) == (1, "salry")


def test_duplicate_header(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, "employee_id,hired_on,gender,gender\nE1,2024-04-01,F,M\n"))
    assert issue.message == "column 'gender' appears more than once in the header (columns 3 and 4)"


def test_unparseable_date(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + GOOD + "E002,2024-13-45,1,1,F\n"))
    assert (issue.row, issue.column, issue.found) == (3, "hired_on", "2024-13-45")
    assert "令和6年3月31日" in (issue.expected or "")


def test_reiwa_before_the_era_began(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + "E002,令和1年4月30日,1,1,F\n"))
    assert (issue.row, issue.column, issue.found) == (2, "hired_on", "令和1年4月30日")
    assert "平成31年4月30日" in issue.message


def test_unparseable_integer(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + "E002,2024-04-01,1,12a,F\n"))
    assert (issue.row, issue.column, issue.found) == (2, "headcount", "12a")
    assert issue.message == "not a valid integer"


def test_decimal_in_an_integer_column(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + "E002,2024-04-01,1,12.5,F\n"))
    assert (issue.row, issue.column, issue.found) == (2, "headcount", "12.5")
    assert "fraction is not allowed" in issue.message


def test_negative_amount_where_min_is_zero(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + GOOD + "E002,2024-04-01,△500,1,F\n"))
    assert str(issue) == (
        f"{tmp_path / 'e.csv'}, row 3, column 'salary': negative amount not allowed; "
        "expected ≥ 0, found '△500'"
    )


def test_value_not_in_code_list(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + "E002,2024-04-01,1,1,Female\n"))
    assert (issue.row, issue.column) == (2, "gender")
    assert str(issue).endswith("expected one of F, M, X, found 'Female'")


def test_duplicate_key_names_both_rows(tmp_path: Path) -> None:
    content = HEADER + GOOD + "E002,2024-04-01,1,1,F\n" + GOOD
    issue = one(problems(tmp_path, content))
    assert issue.message == "duplicate key employee_id=E001: also on row 4"
    assert issue.row == 2


def test_blank_in_required_column(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + "E002, ,1,1,F\n"))
    assert (issue.row, issue.column, issue.message) == (2, "hired_on", "required value is blank")


def test_blank_key(tmp_path: Path) -> None:
    schema = SCHEMA.model_copy(
        update={"columns": (Column(name="employee_id"), *SCHEMA.columns[1:])}
    )
    issue = one(problems(tmp_path, HEADER + ",2024-04-01,1,1,F\n", schema=schema))
    assert (issue.row, issue.column, issue.message) == (2, "employee_id", "key value is blank")


def test_xlsx_without_the_named_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Employees"  # type: ignore[union-attr]
    book.create_sheet("Notes")
    book.save(tmp_path / "e.xlsx")
    with pytest.raises(MierukaError) as caught:
        load_file(SCHEMA, tmp_path / "e.xlsx", tmp_path / "o.parquet", sheet="Employes")
    assert one(caught.value).message == (
        "no sheet 'Employes' in file (did you mean 'Employees'?); sheets are: Employees, Notes"
    )


def test_truncated_parquet_file(tmp_path: Path) -> None:
    """A Parquet file cut short (an interrupted copy) is named, not a DuckDB traceback."""
    whole = tmp_path / "whole.parquet"
    duckdb.sql(f"COPY (SELECT 'E1' AS employee_id) TO '{whole}' (FORMAT parquet)")
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[:-20])
    with pytest.raises(MierukaError) as caught:
        load_file(SCHEMA, cut, tmp_path / "o.parquet")
    issue = one(caught.value)
    assert issue.file == str(cut) and issue.expected == "a Parquet file"
    assert issue.message.startswith("cannot read as Parquet (No magic bytes found at end of file")
    assert not (tmp_path / "o.parquet").exists()


def test_unsupported_extension(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, "x", name="e.json"))
    assert issue.message == "unsupported file format"
    assert ".csv" in (issue.expected or "") and issue.found == ".json"


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    issue = one(problems(tmp_path, HEADER + GOOD + "E002,2024-04-01,1\n"))
    assert (issue.row, issue.message) == (3, "wrong number of fields")


def test_more_than_fifty_problems_are_capped(tmp_path: Path) -> None:
    body = "".join(f"E{i},2024-04-01,1,x{i},F\n" for i in range(80))
    error = problems(tmp_path, HEADER + body)
    assert len(error.issues) == 50 and error.truncated == 30
    assert error.render().endswith("... and 30 more problem(s) not shown")
    assert [i.row for i in error.issues] == list(range(2, 52))


def test_several_problems_in_one_file_are_reported_together(tmp_path: Path) -> None:
    content = (
        "employee_id,hired_on,salary,headcount,gender,memo\n"
        "E001,2024-04-01,100,1,F,a\n"
        "E002,R6.13.1,-1,1,Q,b\n"
        "E001,,1,1.5,F,c\n"
    )
    error = problems(tmp_path, content)
    got = [(i.row, i.column) for i in error.issues]
    assert got == [
        (1, "memo"),
        (2, "employee_id"),
        (3, "hired_on"),
        (3, "salary"),
        (3, "gender"),
        (4, "hired_on"),
        (4, "headcount"),
    ]
