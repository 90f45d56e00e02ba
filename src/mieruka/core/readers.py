"""Reading a source file into DuckDB as all-text columns, with the original row numbers.

Every reader produces the same shape — a `Source`: the header names as the user wrote
them (trimmed) and a SQL `FROM` item whose columns are `c0 .. cN` (VARCHAR, blank = NULL)
plus, where the file has gaps (XLSX), a `__row` column. Typing happens afterwards in
`typing_sql`, identically for every format.

Encodings are detected here rather than left to DuckDB, because DuckDB reads CP932
(what Japanese Excel writes) only through an extension that must be downloaded: a file
is read as UTF-8 if it decodes strictly, else as CP932 (transcoded to a temporary UTF-8
file in chunks); charset-normalizer is consulted only to word the error for other files.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mieruka.core.issues import Issue, MierukaError, did_you_mean

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet",)
SAMPLE = 4 << 20
CHUNK = 8 << 20
WHITESPACE = " \t\r\n\u3000\u00a0\ufeff"
_CP932_UNUSED = re.compile("[\uf8f0-\uf8f3]")
ENCODING_EXPECTED = "text encoded in UTF-8 or CP932 (Shift_JIS)"


@dataclass(frozen=True)
class Source:
    header: list[str]  # trimmed header names, in file order (c0, c1, ...)
    relation: str  # a SQL FROM item with columns c0..cN (VARCHAR) [and __row]
    row_sql: str  # SQL giving the user-visible row of a row of the table built from it
    encoding: str | None = None


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_source(
    con: duckdb.DuckDBPyConnection, path: Path, label: str, tmp: Path, sheet: str | None
) -> Source:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, label, tmp)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(con, path, label, sheet)
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(con, path, label)
    supported = ", ".join(CSV_SUFFIXES + XLSX_SUFFIXES + PARQUET_SUFFIXES)
    raise MierukaError(
        Issue(
            "unsupported file format",
            file=label,
            expected=f"a file ending in {supported}",
            found=path.suffix or "(no extension)",
        )
    )


# ---------------------------------------------------------------- encodings


def _first_bad(path: Path, encoding: str, limit: int | None = None) -> int | None:
    """Offset of the first byte that does not decode strictly, or None."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as handle:
        while limit is None or offset < limit:
            block = handle.read(CHUNK if limit is None else min(CHUNK, limit - offset))
            final = not block or (limit is None and len(block) < CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError as exc:
                return offset - pending + exc.start
            # Python's cp932 maps the unused single bytes 0xA0 and 0xFD-0xFF to private-use
            # characters; no real Shift_JIS text has them, so they count as invalid here.
            odd = _CP932_UNUSED.search(text) if encoding == "cp932" else None
            if odd is not None:
                return offset - pending + len(text[: odd.start()].encode(encoding))
            offset += len(block)
            if final:
                return None
    return None


def _encoding_error(path: Path, label: str, offset: int | None, hint: str = "") -> MierukaError:
    row = None
    found = None
    if offset is not None:
        with path.open("rb") as handle:
            before = handle.read(offset)
            byte = handle.read(1)
        row = before.count(b"\n") + 1
        found = f"byte 0x{byte.hex()} at offset {offset}"
    return MierukaError(
        Issue(
            "cannot read file as UTF-8 or CP932 (Shift_JIS)" + hint,
            file=label,
            row=row,
            expected=ENCODING_EXPECTED,
            found=found,
        )
    )


def detect_encoding(path: Path, label: str) -> str:
    """'utf-8', 'utf-8-sig' or 'cp932'; raises MierukaError for anything else."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE)
    if not head:
        raise MierukaError(
            Issue("file is empty", file=label, expected="a header row", found="0 bytes")
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4096]:
        raise _encoding_error(
            path, label, None, "; it looks like UTF-16 — save it as 'CSV UTF-8' instead"
        )
    whole = len(head) < SAMPLE
    if _first_bad(path, "utf-8", None if whole else SAMPLE) is None:
        return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    return _cp932_or_fail(path, label)


def reread_as_cp932(path: Path, label: str, tmp: Path) -> Source:
    """After DuckDB found invalid UTF-8 past the sampled head: CP932, or a located error."""
    return _read_csv(path, label, tmp, _cp932_or_fail(path, label))


def _cp932_or_fail(path: Path, label: str) -> str:
    bad_cp932 = _first_bad(path, "cp932")
    if bad_cp932 is None:
        return "cp932"
    bad_utf8 = _first_bad(path, "utf-8") or 0
    hint = ""
    try:
        from charset_normalizer import from_path

        best = from_path(path).best()
        if best is not None and best.encoding not in ("utf_8", "cp932", "shift_jis", "ascii"):
            hint = f"; it looks like {best.encoding}"
    except Exception:  # pragma: no cover - a hint only
        hint = ""
    return _raise(_encoding_error(path, label, max(bad_cp932, bad_utf8), hint))


def _raise(error: MierukaError) -> str:
    raise error


def transcode_to_utf8(path: Path, target: Path, encoding: str) -> None:
    """Stream `path` from `encoding` into UTF-8 (no BOM) at `target`."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as src, target.open("wb") as dst:
        while block := src.read(CHUNK):
            dst.write(decoder.decode(block).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))


# ---------------------------------------------------------------- CSV


def _header_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        return handle.readline()


def _delimiter(line: str, suffix: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if suffix == ".tsv" else ","
    return "," if counts[","] and counts[","] >= counts[best] else best


def _read_csv(path: Path, label: str, tmp: Path, encoding: str | None = None) -> Source:
    encoding = encoding or detect_encoding(path, label)
    readable = path
    if encoding == "cp932":
        readable = tmp / "transcoded.csv"
        transcode_to_utf8(path, readable, encoding)
    line = _header_line(readable)
    if not line.strip(WHITESPACE):
        raise MierukaError(
            Issue("the header row is blank", file=label, row=1, expected="a header row")
        )
    delim = _delimiter(line, path.suffix.lower())
    header = next(csv.reader(io.StringIO(line), delimiter=delim))
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    relation = (
        f"read_csv({sql_string(str(readable))}, header=true, auto_detect=false, "
        f"delim={sql_string(delim)}, quote='\"', escape='\"', strict_mode=true, "
        f"columns={{{columns}}})"
    )
    return Source([h.strip(WHITESPACE) for h in header], relation, "rowid + 2", encoding)


# ---------------------------------------------------------------- XLSX


def cell_text(value: object) -> str | None:
    """A cell value as the text the pipeline expects (what a CSV export would hold)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    text = str(value).strip(WHITESPACE)
    return text or None


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, label: str, sheet: str | None) -> Source:
    import openpyxl
    import pyarrow as pa

    if path.stat().st_size == 0:
        raise MierukaError(
            Issue("file is empty", file=label, expected="a header row", found="0 bytes")
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise MierukaError(
            Issue(f"cannot open as an Excel workbook ({exc})", file=label, expected="an .xlsx file")
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise MierukaError(
                Issue(
                    f"no sheet '{sheet}' in file{did_you_mean(sheet, book.sheetnames)}; "
                    f"sheets are: {names}",
                    file=label,
                    expected=f"one of {names}",
                    found=sheet,
                )
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        header: list[str] | None = None
        rows: list[int] = []
        columns: list[list[str | None]] = []
        for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            texts = [cell_text(v) for v in values]
            if not any(t is not None for t in texts):
                continue
            if header is None:
                header = [t or "" for t in texts]
                columns = [[] for _ in header]
                continue
            if len(texts) > len(header):
                extra = texts[len(header) :]
                if any(t is not None for t in extra):
                    raise MierukaError(
                        Issue(
                            "value in a column with no header",
                            file=label,
                            row=number,
                            expected=f"at most {len(header)} columns",
                            found=next(t for t in extra if t is not None),
                        )
                    )
            rows.append(number)
            for i, column in enumerate(columns):
                column.append(texts[i] if i < len(texts) else None)
    finally:
        book.close()
    if header is None:
        raise MierukaError(Issue("sheet is empty", file=label, expected="a header row"))
    table = pa.table(
        {
            **{f"c{i}": pa.array(c, pa.string()) for i, c in enumerate(columns)},
            "__row": pa.array(rows, pa.int64()),
        }
    )
    con.register("__xlsx_source", table)
    return Source([h.strip(WHITESPACE) for h in header], "__xlsx_source", "__row")


# ---------------------------------------------------------------- Parquet


def _as_text(name: str, type_: str) -> str:
    col = f'"{name}"'
    if type_ in ("FLOAT", "DOUBLE"):
        return (
            f"CASE WHEN isfinite({col}) AND {col} = trunc({col}) AND abs({col}) < 9e15 "
            f"THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END"
        )
    if type_.startswith("TIMESTAMP"):
        return (
            f"CASE WHEN {col} = date_trunc('day', {col}) THEN strftime({col}, '%Y-%m-%d') "
            f"ELSE CAST({col} AS VARCHAR) END"
        )
    return f"CAST({col} AS VARCHAR)"


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path, label: str) -> Source:
    scan = f"read_parquet({sql_string(str(path))})"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
        raise MierukaError(
            Issue(f"cannot read as Parquet ({reason})", file=label, expected="a Parquet file")
        ) from None
    exprs = ", ".join(
        f"{_as_text(name, str(type_))} AS c{i}" for i, (name, type_, *_) in enumerate(described)
    )
    return Source(
        [str(d[0]).strip(WHITESPACE) for d in described],
        f"(SELECT {exprs} FROM {scan})",
        "rowid + 2",
    )
