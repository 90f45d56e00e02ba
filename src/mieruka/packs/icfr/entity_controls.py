"""Entity-level controls (全社的な内部統制): the 42-item checklist and its evaluation.

The standards' implementation guidance gives 42 example evaluation items across the six
basic elements; companies adapt them. The wording here is the project's own (the items are
paraphrased, never quoted), ids are stable (`CE01` … `IT05`) so a filled-in checklist from
last year still loads. The checklist is the `entity_controls` dataset: one row per item and
fiscal year with a conclusion and an evidence reference; `template_rows()` is the blank
checklist `mieruka icfr checklist` writes for the user to fill in. A company may add items
of its own (an id not below, with `element` and `item` filled in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ELEMENTS = {
    "environment": ("統制環境", "Control environment"),
    "risk": ("リスクの評価と対応", "Risk assessment and response"),
    "activities": ("統制活動", "Control activities"),
    "information": ("情報と伝達", "Information and communication"),
    "monitoring": ("モニタリング", "Monitoring"),
    "it": ("ITへの対応", "Response to IT"),
}
PREFIX = {"CE": "environment", "RA": "risk", "CA": "activities", "IC": "information",
          "MO": "monitoring", "IT": "it"}  # fmt: skip

_ITEMS = """
CE01 経営者が信頼できる財務報告を重んじる姿勢と、内部統制の役割を含む財務報告の基本方針を社内に示している
CE02 行動規範・経営理念に沿って社内の制度が作られ運用されており、規範から外れた行動は見つかり次第正されている
CE03 会計方針の選択や会計上の見積りを、経営者が客観的な手順に沿って決めている
CE04 取締役会と監査役等が、財務報告とその内部統制について経営者を監督する責任を理解し、果たしている
CE05 監査役等が内部監査部門や会計監査人と連携している
CE06 問題を指摘しにくい組織風土や慣行が見つかったとき、経営者が改善に取り組んでいる
CE07 生産・販売・情報・会計などの職能と部署ごとの役割分担を、経営者が定めている
CE08 財務報告の作成に要る能力を見極め、その能力を持つ人を確保し配置している
CE09 財務報告の作成に要る能力の中身を定期的に見直している
CE10 すべての従業員について、負う責任と任される権限がはっきりしている
CE11 従業員に任せる権限には、適切な範囲と上限が設けられている
CE12 職務に要る道具や研修を与え、従業員が力を発揮できるよう支えている
CE13 従業員の人事評価が公平で適切に行われている
RA01 適切な階層の経営者・管理者が関わる、財務報告のリスクを評価する仕組みがある
RA02 リスクを洗い出すとき、社内外の要因とそれが財務報告に及ぼす影響を考えている
RA03 組織変更やシステム導入など財務報告に大きく響く変化のたびに、リスクを評価し直して手を打っている
RA04 不正のリスクを、表に出た事実だけでなく動機・機会・背景まで踏まえて評価し、手を打っている
CA01 財務報告のリスクを十分に下げる統制活動のための方針と手続を定めている
CA02 財務報告に関わる職務の分担を明確にし、権限と責任を担当者に割り当てている
CA03 統制活動の責任と説明の義務を、リスクのある業務単位・プロセスの管理者に負わせている
CA04 全社の職務規程と、業務ごとの手順書を整えている
CA05 統制活動が業務全体を通じて誠実に行われている
CA06 統制活動で見つかった誤りを調べ、必要な対応をとっている
CA07 統制活動が妥当かを実施の状況から定期的に確かめ、改善している
IC01 財務報告に関する経営者の方針や指示が、全社、特に財務報告の作成に関わる人に届く体制がある
IC02 会計・財務の情報が業務プロセスから情報システムへ正しく流れ、使える状態になる体制がある
IC03 内部統制に関わる重要な情報が、経営者や適切な管理者へ滞りなく届く体制がある
IC04 経営者・取締役会・監査役等その他の関係者の間で、情報が伝わり共有されている
IC05 内部通報制度など、通常の報告経路とは別の伝達経路が使えるようになっている
IC06 社外から寄せられた内部統制に関する情報を活かし、経営者・取締役会・監査役等に伝える仕組みがある
MO01 日常的なモニタリングが業務の中に組み込まれている
MO02 独立的評価の範囲と頻度を、リスクと統制の重要性や日常的モニタリングの効き具合に応じて調整している
MO03 モニタリングを担う人に、十分な知識と能力のある人を充てている
MO04 経営者がモニタリングの結果を適時に受け取り、検討している
MO05 社内外から伝えられた内部統制に関する重要な情報を検討し、必要な是正をしている
MO06 モニタリングで見つかった不備が、上位の管理者と是正を担う人に報告されている
MO07 開示すべき重要な不備などの情報が、経営者・取締役会・監査役等に伝えられている
IT01 経営者がITに関する戦略や計画を定めている
IT02 内部統制を整えるに当たり、経営者がIT環境を理解し、それを踏まえた方針を示している
IT03 手作業による統制とITを使う統制の使い分けを、リスクを下げる観点から適切に判断している
IT04 ITで統制を組むとき、ITを使うことで生じる新しいリスクを考えている
IT05 IT全般統制とIT業務処理統制の方針と手続を定めている
"""


@dataclass(frozen=True)
class Item:
    item_id: str
    element: str
    text: str


ITEMS: tuple[Item, ...] = tuple(
    Item(line[:4], PREFIX[line[:2]], line[5:]) for line in _ITEMS.strip().splitlines()
)
ITEM_IDS = {i.item_id: i for i in ITEMS}

EFFECTIVE, DEFICIENT, NOT_EVALUATED = "effective", "deficient", "not_evaluated"
CONCLUSIONS = {EFFECTIVE: "有効", DEFICIENT: "不備あり", NOT_EVALUATED: "未評価"}
JA_CONCLUSIONS = {
    "有効": EFFECTIVE,
    "不備": DEFICIENT,
    "不備あり": DEFICIENT,
    "未評価": NOT_EVALUATED,
}
ALLOWED = (*CONCLUSIONS, *JA_CONCLUSIONS)
"""Values the `conclusion` column accepts (English codes or the Japanese words)."""


def normalise(conclusion: str | None) -> str:
    """The English code of a conclusion; blank is not evaluated."""
    if conclusion is None or not str(conclusion).strip():
        return NOT_EVALUATED
    value = str(conclusion).strip()
    return JA_CONCLUSIONS.get(value, value)


def template_rows(fy: int) -> list[dict[str, Any]]:
    """The blank checklist for a fiscal year, in the `entity_controls` format."""
    return [{"fiscal_year": fy, "item_id": i.item_id, "element": i.element, "item": i.text,
             "conclusion": "", "evidence": "", "comment": "", "evaluated_on": "",
             "evaluator": ""} for i in ITEMS]  # fmt: skip


@dataclass(frozen=True)
class Row:
    item_id: str
    element: str
    text: str
    conclusion: str  # effective | deficient | not_evaluated
    evidence: str
    comment: str


@dataclass
class Checklist:
    """One year's evaluated checklist: every standard item, plus the company's own."""

    fiscal_year: int
    rows: list[Row] = field(default_factory=list)

    def by_element(self) -> dict[str, dict[str, int]]:
        counts = {e: {c: 0 for c in CONCLUSIONS} for e in ELEMENTS}
        for r in self.rows:
            counts[r.element][r.conclusion] += 1
        return counts

    @property
    def deficient(self) -> list[Row]:
        return [r for r in self.rows if r.conclusion == DEFICIENT]

    @property
    def open(self) -> list[Row]:
        return [r for r in self.rows if r.conclusion == NOT_EVALUATED]

    @property
    def effective(self) -> bool:
        """Effective when every item was evaluated and none is deficient."""
        return not self.deficient and not self.open

    def conclusion_ja(self) -> str:
        n = len(self.rows)
        if self.effective:
            return f"全社的な内部統制の評価項目{n}項目すべてについて有効と判断した。"
        text = f"全社的な内部統制の評価項目{n}項目のうち"
        parts = []
        if self.deficient:
            parts.append(f"{len(self.deficient)}項目に不備（"
                         + "、".join(r.item_id for r in self.deficient) + "）")  # fmt: skip
        if self.open:
            parts.append(f"{len(self.open)}項目が未評価")
        text += "、".join(parts) + "である。"
        return text + ("不備は業務プロセスへの影響を質的に検討する。" if self.deficient else "")


def evaluate_checklist(rows: Iterable[dict[str, Any]], fy: int) -> Checklist:
    """The year's checklist from `entity_controls` rows; an item with no row is 未評価."""
    given = {r["item_id"]: r for r in rows if r["fiscal_year"] == fy}
    out = Checklist(fy)
    for item in ITEMS:
        r = given.pop(item.item_id, None) or {}
        out.rows.append(Row(item.item_id, item.element, item.text,
                            normalise(r.get("conclusion")), r.get("evidence") or "",
                            r.get("comment") or ""))  # fmt: skip
    for item_id, r in sorted(given.items()):  # the company's own items
        out.rows.append(Row(item_id, r["element"], r.get("item") or "",
                            normalise(r.get("conclusion")), r.get("evidence") or "",
                            r.get("comment") or ""))  # fmt: skip
    return out
