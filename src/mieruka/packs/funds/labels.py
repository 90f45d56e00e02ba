"""Japanese names of the guideline's instrument types and of the fund categories."""

from __future__ import annotations

INSTRUMENTS = {
    1: "預金（普通・通知・定期）",
    2: "大口定期預金・譲渡性預金",
    3: "外貨預金",
    4: "債券現先",
    5: "グループファイナンス",
    6: "国債",
    7: "政府関係機関債",
    8: "地方債",
    9: "地方公社債（政府保証等）",
    10: "社債",
    11: "外貨建外国債",
    12: "円建外債（サムライ債）",
    13: "ユーロ円債",
    14: "信託受益権",
}
SHORT = {
    1: "預金", 2: "大口定期・NCD", 3: "外貨預金", 4: "債券現先", 5: "グループF", 6: "国債",
    7: "政府関係機関債", 8: "地方債", 9: "地方公社債", 10: "社債", 11: "外貨建外債",
    12: "サムライ債", 13: "ユーロ円債", 14: "信託受益権",
}  # fmt: skip
CATEGORIES = {
    "endowment": "基本財産",
    "operating": "事業財産",
    "kikin": "基金",
    "annual_cash": "歳計現金",
}
KINDS = {"prefecture": "県", "affiliate": "関連公社等"}


def instrument(kind: int) -> str:
    return f"({kind}) {INSTRUMENTS.get(kind, '')}"
