"""Lay the SLL documents out: HTML (self-contained, printable), PDF (from that HTML) and JSON.

The XLSX layouts are in `xlsx.py`. Templates live in the pack (`templates/`), so a
third-party copy of the pack carries its own documents.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from mieruka.packs.sll.words import words
from mieruka.render.pdf import write_pdf

_env = Environment(
    loader=PackageLoader("mieruka.packs.sll", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def report_html(model: dict[str, Any]) -> str:
    return _env.get_template("report.html").render(
        m=model, w=words(model["lang"]), lang=model["lang"]
    )


def sllp_html(model: dict[str, Any]) -> str:
    return _env.get_template("sllp.html").render(
        m=model, w=words(model["lang"]), lang=model["lang"]
    )


def to_json(model: dict[str, Any]) -> str:
    return json.dumps(model, ensure_ascii=False, indent=2, default=str)


def write_document(model: dict[str, Any], fmt: str, out: Path, *, kind: str = "report") -> str:
    """Write the model as html, pdf, json or xlsx to `out`; returns the tool used for PDF."""
    from mieruka.packs.sll import xlsx

    html = report_html if kind == "report" else sllp_html
    if fmt == "html":
        out.write_text(html(model), encoding="utf-8")
    elif fmt == "pdf":
        return write_pdf(html(model), out)
    elif fmt == "json":
        out.write_text(to_json(model) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        (xlsx.report_xlsx if kind == "report" else xlsx.sllp_xlsx)(model, out)
    else:  # pragma: no cover - click restricts the choice
        raise ValueError(fmt)
    return fmt
