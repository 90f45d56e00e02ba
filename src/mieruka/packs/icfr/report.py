"""The draft 内部統制報告書 (management's ICFR report) as a Japanese HTML page and a PDF.

A draft, not a filing: the sections follow the statutory form (framework; scope, date and
procedures; result; supplementary and special notes) and are filled from the assessment, so
the wording the 2023 revision requires (indicator, ratio reached, reasons for additions;
each material weakness, its impact and remediation) is never forgotten. Two attachments
give what the statement summarises: the scope in detail (locations, key accounts,
processes, every override) and the entity-level checklist by element. Management edits
the prose (the 【…】 places); the figures come from the data.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.japan.yen import format_yen
from mieruka.packs.icfr.assessment import Assessment
from mieruka.packs.icfr.deficiency import MATERIAL_WEAKNESS
from mieruka.packs.icfr.entity_controls import CONCLUSIONS, ELEMENTS
from mieruka.packs.icfr.inscope import KIND_JA
from mieruka.packs.icfr.scoping import INDICATORS

STYLE = """@page{size:A4;margin:18mm 16mm}
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;font-size:10pt;line-height:1.75;
max-width:46em;margin:0 auto;color:#111}
h1{text-align:center;font-size:16pt;letter-spacing:.3em;margin:.2em 0 1em}
h2{font-size:11pt;margin:1.4em 0 .3em}h3{font-size:10.5pt;margin:1.2em 0 .3em}
.draft{color:#c00;text-align:right;margin:0}.head{text-align:right}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:8.5pt;line-height:1.4}
th,td{border:1px solid #888;padding:2px 5px;vertical-align:top}th{background:#eef2f7;white-space:nowrap}
tr{page-break-inside:avoid}th.el{text-align:left;background:#f6f6f6}
td.n{text-align:right;white-space:nowrap}.fill{color:#a60}.page{page-break-before:always}
ul{margin:.2em 0;padding-left:1.4em}"""


def _fill(text: str) -> str:
    return f'<span class="fill">【{escape(text)}】</span>'


def _period(a: Assessment) -> str:
    fy = a.fiscal_year
    return (f"{format_fiscal_year_wareki(fy.year, fy.start_month)}"
            f"（{format_wareki(fy.start)}から{format_wareki(fy.end)}まで）")  # fmt: skip


def result_html(a: Assessment) -> str:
    weaknesses = [f for f in a.findings if f.classification == MATERIAL_WEAKNESS]
    day = format_wareki(a.on)
    if not weaknesses:
        return f"<p>{day}現在の当社の財務報告に係る内部統制は有効であると判断した。</p>"
    items = "".join(
        f"<li>{escape(f.deficiency_id)}：{escape(a.descriptions.get(f.deficiency_id, ''))}"
        f"（影響額 {format_yen(round(f.impact), '千円')}千円）。{escape(f.reasons[-1])}。"
        f"是正に向けた方針：{_fill('記載してください')}</li>" for f in weaknesses)  # fmt: skip
    return (f"<p>{day}現在の当社の財務報告に係る内部統制は、下記の開示すべき重要な不備に該当する"
            f"ため、有効でないと判断した。</p><ul>{items}</ul><p>上記の開示すべき重要な不備は、"
            f"財務報告に重要な影響を及ぼしており、{_fill('事業年度の末日までに是正されなかった理由')}"
            "。なお、上記の開示すべき重要な不備に起因する必要な修正事項は、すべて財務諸表及び"
            "連結財務諸表に反映している。</p>")  # fmt: skip


def _scope_tables(a: Assessment) -> str:
    s = a.scope.locations
    label = INDICATORS[s.indicator]
    rows = "".join(
        f"<tr><td>{escape(x.location_id)}</td><td>{escape(x.name)}</td>"
        f"<td class=n>{format_yen(x.value, '百万円')}</td><td class=n>{float(x.share):.1%}</td>"
        f"<td class=n>{float(x.cumulative):.1%}</td><td>{'○' if x in s.selected else ''}</td>"
        f"<td>{'' if x.reason == 'threshold' else escape(x.reason)}</td></tr>"
        for x in sorted(s.selected + s.excluded, key=lambda x: x.cumulative))  # fmt: skip
    accounts = "".join(
        f"<tr><td>{escape(k.account_code)}</td><td>{escape(k.name)}</td>"
        f"<td>{'個別に追加' if k.added else '既定'}</td><td>{escape(k.reason)}</td></tr>"
        for k in a.scope.key_accounts)  # fmt: skip
    procs = "".join(
        f"<tr><td>{escape(p.process_id)}</td><td>{escape(p.name)}</td>"
        f"<td>{escape(p.location_id or '全社')}</td><td>{escape('、'.join(p.accounts))}</td>"
        f"<td>{escape(p.reason)}</td></tr>" for p in a.scope.processes)  # fmt: skip
    overrides = "".join(
        f"<tr><td>{KIND_JA.get(o.kind, o.kind)}</td><td>{escape(o.target)}</td>"
        f"<td>{escape(o.reason)}</td><td>{escape(o.source)}</td></tr>"
        for o in a.scope.overrides) or "<tr><td colspan=4>なし（既定どおり）</td></tr>"  # fmt: skip
    return (f"<h3>(1) 重要な事業拠点（指標：{label}、閾値 {float(s.threshold):.1%}、到達割合 "
            f"{float(s.ranked_ratio):.1%}、評価範囲の合計 {float(s.ratio):.1%}）</h3>"
            f"<table><tr><th>拠点</th><th>名称</th><th>{label}（百万円）</th><th>割合</th>"
            f"<th>累計</th><th>範囲</th><th>追加理由</th></tr>{rows}</table>"
            "<h3>(2) 重要な勘定科目</h3><table><tr><th>科目</th><th>名称</th><th>区分</th>"
            f"<th>理由</th></tr>{accounts}</table>"
            "<h3>(3) 評価対象とした業務プロセス</h3><table><tr><th>プロセス</th><th>名称</th>"
            f"<th>拠点</th><th>勘定科目</th><th>選定理由</th></tr>{procs}</table>"
            "<h3>(4) 既定からの変更（すべて記録）</h3><table><tr><th>種類</th><th>対象</th>"
            f"<th>理由</th><th>指定元</th></tr>{overrides}</table>")  # fmt: skip


def _checklist_tables(a: Assessment) -> str:
    counts = a.checklist.by_element()
    head = "".join(f"<th>{v}</th>" for v in CONCLUSIONS.values())
    rows = "".join(
        f"<tr><td>{ja}</td>" + "".join(f"<td class=n>{counts[e][c]}</td>" for c in CONCLUSIONS)
        + f"<td class=n>{sum(counts[e].values())}</td></tr>"
        for e, (ja, _) in ELEMENTS.items())  # fmt: skip
    items = ""
    for e, (ja, en) in ELEMENTS.items():
        items += f'<tr><th class="el" colspan=5>{ja}（{en}）</th></tr>'
        items += "".join(
            f"<tr><td>{escape(r.item_id)}</td><td>{escape(r.text)}</td>"
            f"<td>{CONCLUSIONS[r.conclusion]}</td><td>{escape(r.evidence)}</td>"
            f"<td>{escape(r.comment)}</td></tr>"
            for r in a.checklist.rows if r.element == e)  # fmt: skip
    return (f"<p>{escape(a.checklist.conclusion_ja())}</p><table><tr><th>基本的要素</th>{head}"
            f"<th>計</th></tr>{rows}</table><table><tr><th>項目</th>"
            "<th>評価項目</th><th>結論</th><th>証跡</th><th>コメント</th></tr>"
            f"{items}</table>")  # fmt: skip


def render_report(a: Assessment) -> str:
    """The page; a line break inside a paragraph would print as a space between Japanese
    characters, so only breaks before a tag are kept."""
    return re.sub(r"\n(?!<)", "", _page(a))


def _page(a: Assessment) -> str:
    day = format_wareki(a.on)
    m = "" if a.materiality is None else (
        f"金額的な重要性は連結税引前利益の概ね5%（{format_yen(round(a.materiality), '千円')}千円）"
        "とした。")  # fmt: skip
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<title>内部統制報告書（案）</title><style>{STYLE}</style></head><body>
<p class="draft">（案）</p><h1>内部統制報告書</h1>
<p class="head">{escape(a.organisation)}<br>対象：{_period(a)}</p>
<p>【表紙】提出書類 内部統制報告書／根拠条文 金融商品取引法第24条の4の4第1項／
代表者の役職氏名 {_fill("記載してください")}／最高財務責任者の役職氏名 {_fill("記載してください")}</p>
<h2>1【財務報告に係る内部統制の基本的枠組みに関する事項】</h2>
<p>代表者及び最高財務責任者は、当社の財務報告に係る内部統制の整備及び運用に責任を有しており、
企業会計審議会の公表した「財務報告に係る内部統制の評価及び監査の基準並びに財務報告に係る内部統制の
評価及び監査に関する実施基準の改訂について（意見書）」（2023年）に示されている内部統制の基本的枠組みに
準拠して財務報告に係る内部統制を整備及び運用している。内部統制は、その固有の限界により、財務報告の
虚偽の記載を完全には防止又は発見することができない可能性がある。</p>
<h2>2【評価の範囲、基準日及び評価手続に関する事項】</h2>
<p>財務報告に係る内部統制の評価は、{day}を基準日として行い、一般に公正妥当と認められる財務報告に
係る内部統制の評価の基準に準拠した。評価に当たっては、連結ベースでの財務報告全体に重要な影響を及ぼす
全社的な内部統制の評価を行い、その結果を踏まえて評価対象とする業務プロセスを選定した。
{escape(a.checklist.conclusion_ja())}</p>
<p>評価範囲は、財務報告の信頼性に及ぼす影響の重要性の観点から必要な範囲を決定した。{m}
{escape(a.scope.statement())}</p>
<h2>3【評価結果に関する事項】</h2>{result_html(a)}
<h2>4【付記事項】</h2><p>該当事項はない。{_fill("基準日後に有効性の評価に重要な影響を及ぼす後発事象があれば記載してください")}</p>
<h2>5【特記事項】</h2><p>該当事項はない。</p>
<h2 class="page">別紙1　評価範囲の明細</h2>{_scope_tables(a)}
<h2 class="page">別紙2　全社的な内部統制の評価結果</h2>{_checklist_tables(a)}
</body></html>"""


def write_report(a: Assessment, out: Path) -> str:
    """Write the draft as .html, .pdf or .docx (by the file's suffix); returns the format."""
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        out.write_text(render_report(a), encoding="utf-8")
        return "html"
    if suffix == ".pdf":
        from mieruka.render.pdf import write_pdf

        write_pdf(render_report(a), out)
        return "pdf"
    if suffix == ".docx":
        from mieruka.packs.icfr.report_docx import write_docx

        write_docx(a, out)
        return "docx"
    raise ValueError(f"unknown report format '{out.suffix}': expected .html, .pdf or .docx")
