"""The draft 内部統制報告書 (management's ICFR report) as a standalone Japanese HTML page.

A draft, not a filing: the sections follow the statutory form (framework; scope, date and
procedures; result; supplementary and special notes) and are filled from the scope and the
deficiency evaluation, so the wording the 2023 revision requires (indicator, ratio reached,
reasons for additions; each material weakness, its impact and remediation) is never
forgotten. Management edits the prose; the figures come from the data.
"""

from __future__ import annotations

from datetime import date
from html import escape

from mieruka.japan.wareki import format_wareki
from mieruka.packs.icfr.deficiency import MATERIAL_WEAKNESS, Finding
from mieruka.packs.icfr.scoping import Scope

STYLE = ("body{font-family:'Noto Sans CJK JP',sans-serif;max-width:46em;margin:2em auto;"
         "line-height:1.8}h1{text-align:center;font-size:1.4em}h2{font-size:1.05em;"
         "margin-top:1.6em}.draft{color:#c00;text-align:center}")  # fmt: skip


def render_report(organisation: str, fy: int, on: date, scope: Scope, findings: list[Finding],
                  descriptions: dict[str, str]) -> str:  # fmt: skip
    weaknesses = [f for f in findings if f.classification == MATERIAL_WEAKNESS]
    day = format_wareki(on)
    if weaknesses:
        result = (f"{day}現在の当社の財務報告に係る内部統制は、下記の開示すべき重要な不備に該当する"
                  "ため、有効でないと判断した。")  # fmt: skip
        items = "".join(
            f"<li>{escape(f.deficiency_id)}：{escape(descriptions.get(f.deficiency_id, ''))}"
            f"（影響額 {round(f.impact):,}円）。{escape(f.reasons[-1])}。"
            "是正に向けた方針：【記載してください】</li>" for f in weaknesses)  # fmt: skip
        result += f"<ul>{items}</ul>"
    else:
        result = f"{day}現在の当社の財務報告に係る内部統制は有効であると判断した。"
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<title>内部統制報告書（案）</title><style>{STYLE}</style></head><body>
<p class="draft">（案）</p><h1>内部統制報告書</h1><p>{escape(organisation)}　第{fy}年度</p>
<h2>1【財務報告に係る内部統制の基本的枠組みに関する事項】</h2>
<p>経営者は、企業会計審議会の公表した財務報告に係る内部統制の評価及び監査の基準並びに実施基準
（2023年改訂）に示されている内部統制の基本的枠組みに準拠して、財務報告に係る内部統制を整備及び
運用している。【代表者及び最高財務責任者の氏名を記載してください】</p>
<h2>2【評価の範囲、基準日及び評価手続に関する事項】</h2>
<p>評価は、{day}を基準日として行った。全社的な内部統制の評価を行い、その結果を踏まえて業務
プロセスを選定した。{escape(scope.statement())}</p>
<h2>3【評価結果に関する事項】</h2><p>{result}</p>
<h2>4【付記事項】</h2><p>該当事項はない。【基準日後の是正等があれば記載してください】</p>
<h2>5【特記事項】</h2><p>該当事項はない。</p></body></html>"""
