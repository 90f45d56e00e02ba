"""The documented input formats of the statements pack, as dataset schemas.

The column names are the public contract of `shared/domain/statements.md`. Prepared
schedules write `-` for an empty cell, which the core's `yen` type does not read as
zero, so the amount columns of `schedule_fixed_assets` are declared as text and checked
by the pack (`checks.py`) and parsed by its rules; every other amount is a plain `yen`.
"""

from __future__ import annotations

from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels

PACK = "statements"

SECTIONS: dict[str, str] = {
    "specified": "有形固定資産（特定償却資産）",
    "other": "有形固定資産（特定償却資産以外）",
    "non_depreciable": "有形固定資産（非償却資産）",
    "tangible_total": "有形固定資産合計",
    "intangible_specified": "無形固定資産（特定償却資産）",
    "intangible_other": "無形固定資産（特定償却資産以外）",
    "intangible_total": "無形固定資産合計",
    "other_assets": "投資その他の資産",
}
"""Schedule (1)'s sections in printed order, with their customary headings."""

REGISTER_SECTIONS = tuple(s for s in SECTIONS if not s.endswith("_total"))
TANGIBLE = ("specified", "other", "non_depreciable")
INTANGIBLE = ("intangible_specified", "intangible_other")
TOTALS = {"tangible_total": TANGIBLE, "intangible_total": INTANGIBLE}
SPECIFIED = ("specified", "intangible_specified")
SUBTOTAL = "計"

CLASSES: dict[str, tuple[str, ...]] = {
    "specified": ("建物", "構築物", "機械装置", "工具器具備品", "図書", "船舶", "車両運搬具"),
    "other": ("建物", "構築物", "機械装置", "工具器具備品", "図書", "船舶", "車両運搬具"),
    "non_depreciable": ("美術品・収蔵品", "土地", "建設仮勘定"),
    "intangible_specified": ("ソフトウェア",),
    "intangible_other": ("ソフトウェア", "特許権", "電話加入権"),
    "other_assets": (),
}
"""Classes every schedule prints (as `-` when empty); other classes follow in data order."""

HOME_SECTIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(CLASSES["specified"], ("specified", "other")),
    **dict.fromkeys(CLASSES["non_depreciable"], ("non_depreciable",)),
    "ソフトウェア": INTANGIBLE,
    "特許権": INTANGIBLE,
    "電話加入権": ("intangible_other",),
}
"""Where a customary class may be filed (any class may be filed under `other_assets`):
depreciable tangible classes in the two depreciable tangible sections, land, art and
construction in progress as non-depreciable, intangible classes as intangible, and
telephone rights — never depreciated — not as specified depreciable assets. A class not
listed here (e.g. 長期前払費用) may be filed anywhere."""

NOT_DEPRECIATED = ("土地", "美術品・収蔵品", "建設仮勘定", "電話加入権")
"""Land, art and construction in progress (the domain page), and telephone rights."""

AMOUNTS: dict[str, str] = {
    "opening": "期首残高",
    "increase": "当期増加額",
    "decrease": "当期減少額",
    "closing": "期末残高",
    "accumulated_depreciation": "減価償却累計額",
    "depreciation_for_period": "当期償却額",
    "accumulated_impairment": "減損損失累計額",
    "impairment_in_pl": "当期減損損益内",
    "impairment_outside_pl": "当期減損損益外",
    "net_closing": "差引当期末残高",
}
"""Schedule (1)'s amount columns (千円) in printed order."""

FUNDING = ("facility_grant", "operating_grant", "own", "donation", "in_kind")


def _yen(name: str, *, required: bool = False, ja: str | None = None) -> Column:
    return Column(
        name=name, type=ColumnType.yen, required=required, min=0, label=Labels(ja=ja or name)
    )


def _text(name: str, *, required: bool = False, values: tuple[str, ...] | None = None) -> Column:
    return Column(name=name, type=ColumnType.string, required=required, values=values)


FIXED_ASSETS = DatasetSchema(
    id="fixed_assets",
    label=Labels(ja="固定資産台帳", en="Fixed-asset register"),
    key=("asset_id",),
    pack=PACK,
    columns=(
        _text("asset_id", required=True),
        _text("asset_class", required=True),
        _text("section", required=True, values=REGISTER_SECTIONS),
        Column(name="acquired_on", type=ColumnType.date, required=True),
        _yen("cost", required=True, ja="取得価額"),
        Column(name="useful_life_years", type=ColumnType.integer, min=1),
        Column(name="disposed_on", type=ColumnType.date),
        _yen("impairment_in_pl"),
        _yen("impairment_outside_pl"),
        _text("funding", values=FUNDING),
        # Not in the documented format: when the impairment was recognised (blank: in the
        # fiscal year the register is reported for; see docs/packs/statements.md).
        Column(name="impaired_on", type=ColumnType.date),
    ),
)

SCHEDULE_FIXED_ASSETS = DatasetSchema(
    id="schedule_fixed_assets",
    label=Labels(ja="固定資産の明細（作成済）", en="Prepared fixed-asset schedule"),
    key=("section", "asset_class"),
    pack=PACK,
    columns=(
        _text("section", required=True, values=tuple(SECTIONS)),
        _text("asset_class", required=True),
        *(_text(name) for name in AMOUNTS),
        _text("note"),
    ),
)

BORROWINGS = DatasetSchema(
    id="borrowings",
    label=Labels(ja="借入金", en="Borrowings"),
    key=("lender",),
    pack=PACK,
    columns=(
        _text("lender", required=True),
        *(_yen(n, required=True) for n in ("opening", "increase", "decrease", "closing")),
        _yen("current_portion"),
        Column(name="avg_rate_pct", type=ColumnType.decimal, scale=3, min=0),
        _text("due"),
    ),
)

ALLOWANCES = DatasetSchema(
    id="allowances",
    label=Labels(ja="引当金", en="Allowances"),
    key=("name",),
    pack=PACK,
    columns=(
        _text("name", required=True),
        *(_yen(n, required=True) for n in ("opening", "increase", "used", "reversed", "closing")),
    ),
)

INVENTORIES = DatasetSchema(
    id="inventories",
    label=Labels(ja="たな卸資産", en="Inventories"),
    key=("kind",),
    pack=PACK,
    columns=(
        _text("kind", required=True),
        *(
            _yen(n, required=True)
            for n in ("opening", "purchased", "other_in", "issued", "other_out", "closing")
        ),
    ),
)

DATASETS = (FIXED_ASSETS, SCHEDULE_FIXED_ASSETS, INVENTORIES, BORROWINGS, ALLOWANCES)
