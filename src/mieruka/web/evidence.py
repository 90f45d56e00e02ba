"""The evidence behind a figure for the web: paginated, and as CSV or XLSX downloads.

`core.evidence.indicator_evidence` re-runs the formula on the run's snapshots, which costs
a query over the data; the result is kept for a few figures (runs never change), and pages
of it are cut here.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import xlsxwriter

from mieruka.core.evidence import Evidence, indicator_evidence
from mieruka.core.issues import MierukaError
from mieruka.core.store import RunRecord
from mieruka.web.data import Dashboard, NotFound, _Cache

PER_PAGE = 50
MAX_PER_PAGE = 500
_evidence_cache = _Cache(size=8)


def evidence_of(
    dash: Dashboard, run: RunRecord, indicator: str, dim: str | None, member: str | None
) -> Evidence:
    dash.indicator_spec(run, indicator)  # 404 for an unknown indicator
    if bool(dim) != (member is not None):
        raise NotFound("give both dim and member, or neither")
    dims = {dim: member} if dim and member is not None else {}
    key = (id(dash), run.id, indicator, json.dumps(dims, sort_keys=True, ensure_ascii=False))
    try:
        found: Evidence = _evidence_cache.get(
            key, lambda: indicator_evidence(dash.project, run, indicator, dims)
        )
    except MierukaError as exc:
        raise NotFound(exc.render()) from exc
    return found


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(c for r in rows for c in r))


def page_of(evidence: Evidence, page: int, per_page: int = PER_PAGE) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = len(evidence.rows)
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    rows = evidence.rows[(page - 1) * per_page : page * per_page]
    numerator = set(map(str, evidence.numerator_keys))
    denominator = set(map(str, evidence.denominator_keys))
    return {
        "indicator": evidence.indicator,
        "dims": evidence.dims,
        "value": None if evidence.stored["value"] is None else str(evidence.stored["value"]),
        "matches_run": evidence.matches,
        "derived_from": evidence.derived_from,
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "columns": columns_of(evidence.rows),
        "rows": rows,
        "in_numerator": [str(r.get("key")) in numerator for r in rows],
        "in_denominator": [str(r.get("key")) in denominator for r in rows],
    }


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _numeric(value):
        return "'" + value  # never let a spreadsheet evaluate data as a formula
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def evidence_csv(evidence: Evidence) -> bytes:
    columns = columns_of(evidence.rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in evidence.rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def evidence_xlsx(evidence: Evidence, title: str) -> bytes:
    columns = columns_of(evidence.rows)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("evidence")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, title, bold)
    value = evidence.stored["value"]
    sheet.write_string(
        1, 0, f"value = {value}; dims = {json.dumps(evidence.dims, ensure_ascii=False)}"
    )
    for c, name in enumerate(columns):
        sheet.write_string(3, c, name, bold)
    for r, row in enumerate(evidence.rows, start=4):
        for c, name in enumerate(columns):
            cell = _cell(row.get(name))
            if cell is None:
                continue
            if isinstance(cell, bool | int | float):
                sheet.write(r, c, cell)
            else:
                sheet.write_string(r, c, str(cell))
    book.close()
    return buffer.getvalue()


def download_name(indicator: str, dims: dict[str, str], ext: str) -> str:
    safe = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in indicator
    )
    suffix = "_".join(
        "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in f"{k}-{v}")
        for k, v in dims.items()
    )
    return f"evidence_{safe}{'_' + suffix if suffix else ''}.{ext}"
