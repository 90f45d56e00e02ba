"""The documented input formats of the icfr pack (`shared/domain/icfr.md`), as schemas.

The column names are the public contract. `posted_at` is a timestamp, a type the core
does not have: it is declared as text and the pack's load check (`checks.py`) refuses any
value DuckDB cannot cast to TIMESTAMP, so the rules may `CAST(posted_at AS TIMESTAMP)`.
"""

from __future__ import annotations

from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels
from mieruka.packs.icfr.entity_controls import ALLOWED, ELEMENTS

PACK = "icfr"
FREQUENCIES = ("annual", "quarterly", "monthly", "weekly", "daily", "multiple_daily", "on_demand")
NATURES = ("manual", "automated", "itgc")
ASSERTIONS = ("existence", "completeness", "rights", "valuation", "presentation", "cut-off")
PHASES = ("design", "operating", "retest")
LIKELIHOODS = ("remote", "reasonably_possible", "probable")


def _s(name: str, required: bool = False, values: tuple[str, ...] | None = None) -> Column:
    return Column(name=name, type=ColumnType.string, required=required, values=values)


def _i(name: str, required: bool = False) -> Column:
    return Column(name=name, type=ColumnType.integer, required=required, min=0)


def _yen(name: str, required: bool = False, signed: bool = False) -> Column:
    return Column(name=name, type=ColumnType.yen, required=required, min=None if signed else 0)


LOCATIONS = DatasetSchema(
    id="locations",
    label=Labels(ja="拠点", en="Locations"),
    key=("location_id", "fiscal_year"),
    pack=PACK,
    columns=(
        _s("location_id", True),
        _s("name"),
        _i("fiscal_year", True),
        _yen("revenue"),
        _yen("total_assets"),
        _yen("pretax_income", signed=True),  # a loss-making location is negative
    ),
)

ACCOUNTS = DatasetSchema(
    id="accounts",
    label=Labels(ja="勘定科目", en="Accounts"),
    key=("account_code",),
    pack=PACK,
    columns=(_s("account_code", True), _s("name"), _s("category")),
)

PROCESSES = DatasetSchema(
    id="processes",
    label=Labels(ja="業務プロセス", en="Processes"),
    key=("process_id",),
    pack=PACK,
    columns=(_s("process_id", True), _s("name"), _s("location_id"), _s("account_codes")),
)

CONTROLS = DatasetSchema(
    id="controls",
    label=Labels(ja="統制（RCM）", en="Controls (RCM)"),
    key=("control_id",),
    pack=PACK,
    columns=(
        _s("control_id", True),
        _s("process_id"),
        _s("description"),
        _s("frequency", True, FREQUENCIES),
        _s("nature", True, NATURES),
        Column(name="key", type=ColumnType.boolean),
        _s("assertions"),
        _s("owner"),
    ),
)

TESTS = DatasetSchema(
    id="tests",
    label=Labels(ja="運用評価結果", en="Control test results"),
    key=("control_id", "fiscal_year", "phase", "tested_on"),
    pack=PACK,
    columns=(
        _s("control_id", True),
        _i("fiscal_year", True),
        _s("phase", True, PHASES),
        _i("population_size"),
        _i("sample_size"),
        _i("deviations"),
        Column(name="tested_on", type=ColumnType.date, required=True),
        _s("tester"),
    ),
)

DEFICIENCIES = DatasetSchema(
    id="deficiencies",
    label=Labels(ja="不備", en="Deficiencies"),
    key=("deficiency_id",),
    pack=PACK,
    columns=(
        _s("deficiency_id", True),
        _s("control_id"),
        _i("fiscal_year", True),
        _s("description"),
        _s("account_code"),
        _yen("potential_misstatement"),
        _s("likelihood", False, LIKELIHOODS),
        Column(name="entity_level", type=ColumnType.boolean),
        _s("compensating_control_id"),
        Column(name="remediated_on", type=ColumnType.date),
    ),
)

JOURNAL_ENTRIES = DatasetSchema(
    id="journal_entries",
    label=Labels(ja="仕訳データ", en="Journal entries"),
    key=("entry_id", "line_no"),
    pack=PACK,
    columns=(
        _s("entry_id", True),
        _i("line_no", True),
        _s("account_code", True),
        _yen("debit"),
        _yen("credit"),
        _s("posted_at", True),
        Column(name="effective_date", type=ColumnType.date, required=True),
        _s("user_id"),
        _s("description"),
    ),
)

ENTITY_CONTROLS = DatasetSchema(
    id="entity_controls",
    label=Labels(ja="全社的な内部統制の評価", en="Entity-level controls checklist"),
    key=("fiscal_year", "item_id"),
    pack=PACK,
    columns=(
        _i("fiscal_year", True),
        _s("item_id", True),
        _s("element", False, tuple(ELEMENTS)),
        _s("item"),
        _s("conclusion", False, ALLOWED),
        _s("evidence"),
        _s("comment"),
        Column(name="evaluated_on", type=ColumnType.date),
        _s("evaluator"),
    ),
)
"""Not on the domain page (which documents no format for the checklist): the pack's own
format, written blank by `mieruka icfr checklist` for the user to fill in."""

DATASETS = (LOCATIONS, ACCOUNTS, PROCESSES, CONTROLS, TESTS, DEFICIENCIES, JOURNAL_ENTRIES,
            ENTITY_CONTROLS)  # fmt: skip
