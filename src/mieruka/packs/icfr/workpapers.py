"""The working-paper workbook (XLSX): scope, entity-level controls, RCM, tests, deficiencies.

One sheet per step of the assessment, in the order an external auditor reads them; every
figure is written as a number (not text) so reviewers can re-add it in Excel. The scope
sheets carry the key accounts, the in-scope processes and every override with its reason;
each test row carries the achieved upper deviation limit, so the workbook shows why a
control was judged effective, and each deficiency its reasoning, the same sentences the
CLI prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from mieruka.packs.icfr import sampling
from mieruka.packs.icfr.assessment import Assessment
from mieruka.packs.icfr.entity_controls import CONCLUSIONS, ELEMENTS
from mieruka.packs.icfr.inscope import KIND_JA

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


def write_workpapers(a: Assessment, out: Path) -> Path:
    opts = a.options
    risk = float(opts.get("test_risk", RISK))
    tolerable = float(opts.get("tolerable_rate", TOLERABLE))
    scope = a.scope.locations
    fy = a.fiscal_year.year
    book = xlsxwriter.Workbook(str(out))
    try:
        ws = _sheet(book, "評価範囲", ["拠点", "名称", scope.indicator, "割合", "累計", "範囲", "理由"],
                    [[s.location_id, s.name, s.value, float(s.share), float(s.cumulative),
                      "○" if s in scope.selected else "", "" if s.reason == "threshold" else s.reason]
                     for s in scope.selected + scope.excluded])  # fmt: skip
        ws.write(len(scope.selected) + len(scope.excluded) + 2, 0, a.scope.statement())
        _sheet(book, "重要な勘定科目", ["科目", "名称", "区分", "理由"],
               [[k.account_code, k.name, "個別に追加" if k.added else "既定", k.reason]
                for k in a.scope.key_accounts])  # fmt: skip
        _sheet(book, "評価対象プロセス", ["プロセス", "名称", "拠点", "勘定科目", "区分", "選定理由"],
               [[p.process_id, p.name, p.location_id or "全社", ";".join(p.accounts),
                 "個別に追加" if p.added else "既定", p.reason] for p in a.scope.processes])  # fmt: skip
        _sheet(book, "変更記録", ["種類", "対象", "理由", "指定元", "コード"],
               [[KIND_JA.get(o.kind, o.kind), o.target, o.reason, o.source, o.kind]
                for o in a.scope.overrides])  # fmt: skip
        ws = _sheet(book, "全社統制", ["項目", "要素", "評価項目", "結論", "証跡", "コメント"],
                    [[r.item_id, ELEMENTS[r.element][0], r.text, CONCLUSIONS[r.conclusion],
                      r.evidence, r.comment] for r in a.checklist.rows])  # fmt: skip
        ws.set_column(2, 2, 60)
        ws.write(len(a.checklist.rows) + 2, 0, a.checklist.conclusion_ja())
        _sheet(book, "RCM", ["統制", "プロセス", "拠点", "勘定科目", "統制内容", "頻度", "種類",
                             "キー", "アサーション", "担当", "サンプル数", "評価対象"],
               [[c["control_id"], c["process_id"], c["location_id"], c["account_codes"],
                 c["description"], c["frequency"], c["nature"], "○" if c["key"] else "",
                 c["assertions"], c["owner"], sampling.frequency_size(c["frequency"], dict(opts)),
                 "○" if c["in_scope"] else ""] for c in a.rcm()])  # fmt: skip
        tests = []
        for t in (t for t in a.data["tests"] if t["fiscal_year"] == fy):
            n, d = t["sample_size"] or 0, t["deviations"] or 0
            ev = sampling.evaluate(n, d, risk, tolerable) if n else None
            tests.append([t["control_id"], t["phase"], t["tested_on"], t["tester"],
                          t["population_size"], n, d, ev.upper_limit if ev else None,
                          tolerable, ev.reasoning() if ev else "サンプルなし"])  # fmt: skip
        _sheet(book, "運用評価", ["統制", "段階", "実施日", "実施者", "母集団", "サンプル数", "逸脱",
                                  "逸脱率上限", "許容逸脱率", "結論"], tests)  # fmt: skip
        ws = _sheet(book, "不備", ["不備", "評価", "影響額", "要質的検討", "理由"],
                    [[f.deficiency_id, f.classification, f.impact, "○" if f.judgment else "",
                      "\n".join(f.reasons)] for f in a.findings])  # fmt: skip
        ws.write(len(a.findings) + 2, 0, f"重要性の基準値: {a.materiality}")
    finally:
        book.close()
    return out
