"""The quarterly report and the fund plan as Excel workbooks.

Cells hold numbers in 千円, truncated per cell as the printed report shows them, so the
workbook can be summed and re-checked; negatives show with △ through the number format.
The maturity ladder also gets a native Excel bar chart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from mieruka.japan.yen import truncate_to_unit
from mieruka.packs.funds.valuation import SHOCKS_BP

NUMBER = '#,##0;"△"#,##0;"-"'
FONT = "Noto Sans CJK JP"
SEVERITY = {"error": "違反", "warning": "注意", "info": "情報"}


def k(amount: float) -> int:
    """Yen → 千円, truncated toward zero."""
    return truncate_to_unit(round(float(amount)), 1000)


class _Styles:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 9, "valign": "top"}
        self.title = book.add_format({**base, "bold": True, "font_size": 13})
        self.text = book.add_format(base)
        self.head = book.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2",
                                     "text_wrap": True, "align": "center"})  # fmt: skip
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True})
        self.number = book.add_format({**base, "border": 1, "num_format": NUMBER})
        self.decimal = book.add_format({**base, "border": 1, "num_format": "0.00"})
        self.pct = book.add_format({**base, "border": 1, "num_format": "0.0%"})
        self.rate = book.add_format({**base, "border": 1, "num_format": "0.000"})


def _table(
    sheet: Worksheet, st: _Styles, row: int, heads: list[str], rows: list[list[Any]],
    formats: list[Any], widths: list[int] | None = None,
) -> int:  # fmt: skip
    """Header and rows from `row`; returns the next free row."""
    for c, h in enumerate(heads):
        sheet.write(row, c, h, st.head)
        if widths:
            sheet.set_column(c, c, widths[c])
    for r, values in enumerate(rows, start=row + 1):
        for c, value in enumerate(values):
            sheet.write(r, c, "" if value is None else value, formats[c])
    return row + len(rows) + 2


def quarterly_xlsx(report: dict[str, Any], path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    st = _Styles(book)
    e, t = report["entity"], report["totals"]
    s = book.add_worksheet("概要")
    s.write(0, 0, f"資金運用状況報告　{e['name']}　{report['as_of_wareki']}現在", st.title)
    s.write(1, 0, "（単位：千円）", st.text)
    summary = [["帳簿価額", k(t["book"])], ["現在価値", k(t["pv"])],
               ["うち時価評価の債券", k(t["marketable_pv"])], ["評価損益", k(t["unrealised"])],
               ["BPV（1bp上昇時）", k(t["bpv"])],
               *[[f"金利 +{bp}bp 時の損益", k(t[f"shock_{bp}"])] for bp in SHOCKS_BP]]  # fmt: skip
    row = _table(s, st, 2, ["項目", "金額"], summary, [st.cell, st.number], [34, 16])
    s.write(row - 1, 0, "修正デュレーション（年）", st.cell)
    s.write(row - 1, 1, t["duration"], st.decimal)
    row += 1
    s.write(row, 0, "残存期間別（帳簿価額、千円）", st.text)
    first = row + 2
    row = _table(s, st, row + 1, ["残存期間", "帳簿価額"],
                 [[x["label"], k(x["book"])] for x in report["ladder"]], [st.cell, st.number])  # fmt: skip
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"name": "帳簿価額（千円）", "categories": ["概要", first, 0, first + len(report["ladder"]) - 1, 0],
                      "values": ["概要", first, 1, first + len(report["ladder"]) - 1, 1],
                      "fill": {"color": "#4a78b5"}})  # fmt: skip
    chart.set_title({"name": "残存期間別", "name_font": {"name": FONT, "size": 10}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    s.insert_chart(2, 3, chart, {"x_scale": 1.1, "y_scale": 0.9})
    s.write(row, 0, "社債等の発行体別集中度（運用資産全体に占める割合）", st.text)
    _table(s, st, row + 1, ["発行体", "帳簿価額", "割合"],
           [[c["label"], k(c["book"]), c["share"]] for c in report["concentration"]],
           [st.cell, st.number, st.pct])  # fmt: skip

    h = book.add_worksheet("保有明細")
    heads = ["銘柄", "資金区分", "種類", "発行体・預託先", "償還日", "額面", "帳簿価額", "現在価値",
             "評価損益", "修正D", "BPV"]  # fmt: skip
    rows = [[x["holding_id"], x["fund_id"], x["instrument"], x["counterparty"],
             x["maturity_date"].isoformat() if x["maturity_date"] else "", k(x["face"]), k(x["book"]),
             k(x["pv"]), k(x["unrealised"]) if x["marketable"] else None,
             x["duration"] if x["marketable"] else None, k(x["bpv"]) if x["marketable"] else None]
            for x in report["holdings"]]  # fmt: skip
    fmts = [st.cell] * 5 + [st.number] * 4 + [st.decimal, st.number]
    h.write(0, 0, "（単位：千円）", st.text)
    _table(h, st, 1, heads, rows, fmts, [14, 12, 22, 20, 11, 13, 13, 13, 12, 8, 10])
    h.freeze_panes(2, 1)

    f = book.add_worksheet("指摘事項")
    rows = [[SEVERITY[x["severity"]], x["label"], " / ".join(str(v) for v in x["key"].values()),
             x["action"]] for x in report["findings"]]  # fmt: skip
    _table(
        f,
        st,
        0,
        ["区分", "内容（指針の条項）", "対象", "対応"],
        rows,
        [st.cell] * 4,
        [8, 60, 20, 60],
    )

    a = book.add_worksheet("委員会付議事項")
    rows = [[x["holding_id"], x["kind_label"], x["opened_on"], x["status_label"], x["referred_on"],
             x["decision_label"], x["decided_on"], x["closed_on"],
             "\n".join([x["note"], *x["problems"]]).strip()] for x in report["actions"]]  # fmt: skip
    heads = ["銘柄", "事由", "発生日", "状況", "付議日", "決定内容", "決定日", "完了日", "備考"]
    _table(a, st, 0, heads, rows, [st.cell] * 9, [14, 26, 11, 12, 11, 18, 11, 11, 50])
    book.close()


def plan_xlsx(plan: dict[str, Any], path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    st = _Styles(book)
    for e in plan["plans"]:
        s = book.add_worksheet(e["entity"]["entity_id"][:31])
        s.write(0, 0, f"年間資金計画　{e['fy_label']}　{e['entity']['name']}", st.title)
        s.write(1, 0, "（単位：千円）", st.text)
        items = [["期首の運用資産（帳簿価額）", k(e["opening"])], ["資金流入（計画）", k(e["inflows"])],
                 ["資金流出（計画）", k(e["outflows"])], ["① 年間運用可能額", k(e["investable"])],
                 ["② 債券の利金", k(e["coupons"])], ["② 預金等の利息（見込み）", k(e["interest"])],
                 ["② 満期到来額", k(e["redemptions"])], ["再運用を要する額", k(e["to_invest"])]]  # fmt: skip
        row = _table(
            s,
            st,
            2,
            ["項目", "金額"],
            items,
            [st.cell, st.number],
            [34, 16, 14, 14, 14, 14, 14, 14],
        )
        s.write(row - 1, 0, "③ 資金運用の方向性", st.cell)
        s.write(row - 1, 1, e["direction"] or "未登録", st.cell)
        s.write(row, 0, "④ 予算上の想定利回り（%）", st.cell)
        s.write(
            row,
            1,
            e["budgeted_yield_pct"] if e["budgeted_yield_pct"] is not None else "",
            st.rate,
        )
        row += 2
        s.write(row, 0, "⑤ 今後5年程度の資金動向（千円）", st.text)
        heads = ["年度", "利金", "利息", "満期到来", "流入", "流出", "資金収支", "年度末残高"]
        rows = [[y["label"], *(k(y[c]) for c in ("coupons", "interest", "redemptions", "inflows",
                                                  "outflows", "net", "outstanding"))]
                for y in e["outlook"]]  # fmt: skip
        row = _table(s, st, row + 1, heads, rows, [st.cell] + [st.number] * 7)
        if e["alerts"]:
            s.write(
                row, 0, f"年間資金計画の変更を要する事象（{plan['alerts_as_of']}現在）", st.text
            )
            rows = [[x["label"], x["subject"], ", ".join(f"{a}={b}" for a, b in x["figures"].items()),
                     x["action"]] for x in e["alerts"]]  # fmt: skip
            _table(s, st, row + 1, ["事象", "対象", "数値", "対応"], rows, [st.cell] * 4)
    book.close()
