"""The working-paper workbook (XLSX): scope, RCM, control tests and deficiencies.

One sheet per step of the assessment, in the order an external auditor reads them; every
figure is written as a number (not text) so reviewers can re-add it in Excel. Each test row
carries the achieved upper deviation limit, so the workbook shows why a control was judged
effective, and each deficiency its reasoning, the same sentences the CLI prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from mieruka.core.project import Project
from mieruka.packs.icfr import sampling
from mieruka.packs.icfr.assess import assess_project, read_dataset, scope_options
from mieruka.packs.icfr.scoping import scope_locations

RISK, TOLERABLE = 0.10, 0.09  # defaults: 25 items, none deviating, support a 9% rate at 90%


def _sheet(book: Any, name: str, header: list[str], rows: list[list[Any]]) -> Any:
    ws = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    ws.write_row(0, 0, header, bold)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, [str(v) if isinstance(v, date) else v for v in row])
    ws.set_column(0, len(header) - 1, 16)
    ws.freeze_panes(1, 0)
    return ws


def write_workpapers(project: Project, fy: int, on: date, out: Path) -> Path:
    opts = project.ws.pack_options("icfr")
    risk = float(opts.get("test_risk", RISK))
    tolerable = float(opts.get("tolerable_rate", TOLERABLE))
    data = {n: read_dataset(project, n) for n in ("locations", "processes", "controls", "tests")}
    indicator, threshold, additions = scope_options(opts)
    scope = scope_locations(data["locations"], fy, indicator, threshold, additions)
    materiality, findings = assess_project(project, fy, on)
    where = {p["process_id"]: p for p in data["processes"]}
    book = xlsxwriter.Workbook(str(out))
    try:
        ws = _sheet(book, "評価範囲", ["拠点", "名称", scope.indicator, "割合", "累計", "範囲", "理由"],
                    [[s.location_id, s.name, s.value, float(s.share), float(s.cumulative),
                      "○" if s in scope.selected else "", "" if s.reason == "threshold" else s.reason]
                     for s in scope.selected + scope.excluded])  # fmt: skip
        ws.write(len(scope.selected) + len(scope.excluded) + 2, 0, scope.statement())
        _sheet(book, "RCM", ["統制", "プロセス", "拠点", "勘定科目", "統制内容", "頻度", "種類",
                             "キー", "アサーション", "担当", "サンプル数"],
               [[c["control_id"], c["process_id"], where.get(c["process_id"], {}).get("location_id"),
                 where.get(c["process_id"], {}).get("account_codes"), c["description"],
                 c["frequency"], c["nature"], "○" if c["key"] else "", c["assertions"], c["owner"],
                 sampling.frequency_size(c["frequency"], opts)]
                for c in data["controls"]])  # fmt: skip
        tests = []
        for t in (t for t in data["tests"] if t["fiscal_year"] == fy):
            n, d = t["sample_size"] or 0, t["deviations"] or 0
            ev = sampling.evaluate(n, d, risk, tolerable) if n else None
            tests.append([t["control_id"], t["phase"], t["tested_on"], t["tester"],
                          t["population_size"], n, d, ev.upper_limit if ev else None,
                          tolerable, ev.reasoning() if ev else "サンプルなし"])  # fmt: skip
        _sheet(book, "運用評価", ["統制", "段階", "実施日", "実施者", "母集団", "サンプル数", "逸脱",
                                  "逸脱率上限", "許容逸脱率", "結論"], tests)  # fmt: skip
        ws = _sheet(book, "不備", ["不備", "評価", "影響額", "要質的検討", "理由"],
                    [[f.deficiency_id, f.classification, f.impact, "○" if f.judgment else "",
                      "\n".join(f.reasons)] for f in findings])  # fmt: skip
        ws.write(len(findings) + 2, 0, f"重要性の基準値: {materiality}")
    finally:
        book.close()
    return out
