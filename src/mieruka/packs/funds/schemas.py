"""The documented input formats of the funds pack (shared/domain/funds.md), as dataset schemas.

The column names are the public contract: a treasurer prepares files to them. A few optional
columns go beyond the page (the page allows a pack to accept more): `banks.entity_id` (whose
borrowings a row states, when one bank list serves several entities), `holdings.underlying_type`
(the collateral of a repo or the underlying of a trust, types 6–9), `holdings.underlying_yield`
(what buying that underlying would yield, % a year, for the trust test), `holdings.disposed_on`
(sold or redeemed early, so the holding no longer counts) and the `management_plans` dataset
the guideline requires for non-qualifying legacy holdings; `committee_actions` (the committee's
decisions on downgrade and legacy-holding items, tracked to closure) and `fund_plans` (the
planned inflows, outflows and direction of each entity's yearly fund plan). Optional columns missing from a file
load as blanks, so files written to the page alone are accepted unchanged.
"""

from __future__ import annotations

from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels

S, INT, NUM, DEC, YEN, DATE, BOOL = (
    ColumnType.string,
    ColumnType.integer,
    ColumnType.number,
    ColumnType.decimal,
    ColumnType.yen,
    ColumnType.date,
    ColumnType.boolean,
)


def _c(name: str, type_: ColumnType = S, required: bool = False, **extra: object) -> Column:
    return Column.model_validate({"name": name, "type": type_, "required": required, **extra})


def _ds(ident: str, ja: str, en: str, key: tuple[str, ...], *columns: Column) -> DatasetSchema:
    return DatasetSchema(
        id=ident, label=Labels(ja=ja, en=en), key=key, columns=columns, pack="funds"
    )


ENTITIES = _ds(
    "entities",
    "団体",
    "Entities",
    ("entity_id",),
    _c("entity_id", required=True),
    _c("name", required=True),
    _c("kind", required=True, values=("prefecture", "affiliate")),
    _c("has_committee", BOOL),
)

FUNDS = _ds(
    "funds",
    "資金区分",
    "Funds",
    ("fund_id",),
    _c("fund_id", required=True),
    _c("entity_id", required=True),
    _c("name", required=True),
    _c("category", required=True, values=("endowment", "operating", "kikin", "annual_cash")),
)

BANKS = _ds(
    "banks",
    "取引金融機関",
    "Banks",
    (),  # (bank_id, entity_id) is unique; entity_id may be blank, so it is checked, not keyed
    _c("bank_id", required=True),
    _c("name", required=True),
    _c("borrowings", YEN, min=0),
    _c("designated", BOOL),
    _c("rating"),
    _c("entity_id"),
)

HOLDINGS = _ds(
    "holdings",
    "保有資産",
    "Holdings",
    ("holding_id",),
    _c("holding_id", required=True),
    _c("fund_id", required=True),
    _c("instrument_type", INT, required=True, min=1, max=14),
    _c("issuer"),
    _c("issuer_domestic", BOOL),
    _c("bank_id"),
    _c("currency"),
    _c("face_value", DEC, required=True, min=0, scale=2),
    _c("book_value", YEN, required=True),
    _c("coupon_rate", DEC, min=0, scale=6),
    _c("coupon_frequency", INT, values=None, min=0, max=12),
    _c("issue_date", DATE),
    _c("maturity_date", DATE),
    _c("ratings"),
    _c("has_derivative", BOOL),
    _c("derivative_kind"),
    _c("convertible", BOOL),
    _c("guaranteed_by"),
    _c("acquired_on", DATE),
    _c("underlying_type", INT, min=6, max=9),
    _c("underlying_yield", DEC, scale=6),
    _c("disposed_on", DATE),
)

RATING_HISTORY = _ds(
    "rating_history",
    "格付履歴",
    "Rating history",
    ("holding_id", "agency", "date"),
    _c("holding_id", required=True),
    _c("agency", required=True),
    _c("rating", required=True),
    _c("date", DATE, required=True),
)

TRANSACTIONS = _ds(
    "transactions",
    "売買取引",
    "Transactions",
    ("txn_id",),
    _c("txn_id", required=True),
    _c("holding_id", required=True),
    _c("side", required=True, values=("buy", "sell")),
    _c("trade_date", DATE, required=True),
    _c("face_value", DEC, min=0, scale=2),
    _c("price", NUM, min=0),
    _c("counterparty"),
    _c("quotes_received", INT, min=0),
    _c("best_quote_taken", BOOL),
    _c("single_dealer_reason"),
    _c("rationale"),
)

MARKET = _ds(
    "market",
    "市場データ",
    "Market data",
    (),  # either holding_id or tenor_years names the row; checked by `checks.market`
    _c("date", DATE, required=True),
    _c("holding_id"),
    _c("tenor_years", NUM, min=0),
    _c("yield_pct", NUM),
    _c("price", NUM, min=0),
)

FX_NEEDS = _ds(
    "fx_needs",
    "外貨支払需要",
    "Foreign-currency payment needs",
    ("entity_id", "currency"),
    _c("entity_id", required=True),
    _c("currency", required=True),
    _c("annual_payments", YEN, required=True, min=0),
)

MANAGEMENT_PLANS = _ds(
    "management_plans",
    "中長期的な管理計画",
    "Management plans for legacy holdings",
    ("holding_id",),
    _c("holding_id", required=True),
    _c("instrument_name"),
    _c("present_value", YEN),
    _c("value_basis"),
    _c("disposal_criteria"),
    _c("approved_on", DATE),
)

COMMITTEE_ACTIONS = _ds(
    "committee_actions",
    "委員会付議事項",
    "Committee action items",
    ("holding_id", "kind"),
    _c("holding_id", required=True),
    _c("kind", required=True, values=("downgrade_review", "downgrade_sell", "legacy_plan")),
    _c("referred_on", DATE),
    _c("decision", values=("sell", "keep", "keep_with_plan")),
    _c("decided_on", DATE),
    _c("closed_on", DATE),
    _c("note"),
)

FUND_PLANS = _ds(
    "fund_plans",
    "年間資金計画",
    "Yearly fund plans",
    ("entity_id", "fiscal_year"),
    _c("entity_id", required=True),
    _c("fiscal_year", INT, required=True, min=1900, max=2200),
    _c("inflows", YEN, min=0),
    _c("outflows", YEN, min=0),
    _c("direction"),
    _c("approved_on", DATE),
)

DATASETS = (
    ENTITIES,
    FUNDS,
    BANKS,
    HOLDINGS,
    RATING_HISTORY,
    TRANSACTIONS,
    MARKET,
    FX_NEEDS,
    MANAGEMENT_PLANS,
    COMMITTEE_ACTIONS,
    FUND_PLANS,
)
