"""The five input datasets of a sustainability-linked loan, exactly as `domain/sll.md` names them.

Columns follow the documented format; two optional columns go beyond it (a pack may accept
more): `loans.ratchet_cap_bp` (cap on the summed `each_kpi` adjustment) and nothing else.
Observation values are text because a KPI is either a number (`53.2`) or an action that
was `done`; which one is decided by the KPI's unit, checked across datasets by the rules.
"""

from __future__ import annotations

from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels

S, INT, Y, D, DT = (
    ColumnType.string,
    ColumnType.integer,
    ColumnType.yen,
    ColumnType.decimal,
    ColumnType.date,
)
MODES = ("symmetric", "discount_only", "premium_only")
BASES = ("each_kpi", "all_kpis")
COMPARATORS = (">=", "<=", "done")
VERIFICATION = ("passed", "failed", "pending")


def _c(name: str, type_: ColumnType = S, required: bool = False, **kw: object) -> Column:
    return Column(name=name, type=type_, required=required, **kw)  # type: ignore[arg-type]


LOANS = DatasetSchema(
    id="loans",
    label=Labels(ja="サステナビリティ・リンク・ローン", en="Sustainability-linked loans"),
    key=("loan_id",),
    pack="sll",
    columns=(
        _c("loan_id", required=True),
        _c("borrower", required=True),
        _c("lender", required=True),
        _c("principal", Y, True, min=1),
        _c("currency", values=("JPY",)),
        _c("start_date", DT, True),
        _c("maturity_date", DT, True),
        _c("base_rate_pct", D, True, min=0, scale=4),
        _c("ratchet_step_bp", D, True, min=0, scale=2),
        _c("ratchet_mode", required=True, values=MODES),
        _c("ratchet_basis", required=True, values=BASES),
        _c("judgment_date", required=True),
        _c("report_deadline_days", INT, True, min=0),
        _c("day_count", values=("ACT/365F",)),
        _c("ratchet_cap_bp", D, min=0, scale=2),
    ),
)

REPAYMENTS = DatasetSchema(
    id="repayments",
    label=Labels(ja="返済予定", en="Repayment schedule"),
    key=("loan_id", "date"),
    pack="sll",
    columns=(_c("loan_id", required=True), _c("date", DT, True), _c("amount", Y, True, min=0)),
)

LOAN_KPIS = DatasetSchema(
    id="loan_kpis",
    label=Labels(ja="KPI", en="Loan KPIs"),
    key=("loan_id", "kpi_id"),
    pack="sll",
    columns=(
        _c("loan_id", required=True),
        _c("kpi_id", required=True),
        _c("label", required=True),
        _c("unit", required=True),
        _c("comparator", required=True, values=COMPARATORS),
        _c("source"),
    ),
)

SPTS = DatasetSchema(
    id="spts",
    label=Labels(ja="SPT", en="Sustainability performance targets"),
    key=("loan_id", "kpi_id", "fiscal_year"),
    pack="sll",
    columns=(
        _c("loan_id", required=True),
        _c("kpi_id", required=True),
        _c("fiscal_year", INT, True, min=1900, max=2200),
        _c("target", required=True),
    ),
)

OBSERVATIONS = DatasetSchema(
    id="observations",
    label=Labels(ja="KPI実績報告", en="Reported KPI values"),
    key=("loan_id", "kpi_id", "fiscal_year"),
    pack="sll",
    columns=(
        _c("loan_id", required=True),
        _c("kpi_id", required=True),
        _c("fiscal_year", INT, True, min=1900, max=2200),
        _c("value"),
        _c("reported_on", DT),
        _c("evidence_ref"),
        _c("verified_by"),
        _c("verified_on", DT),
        _c("verification", values=VERIFICATION),
    ),
)

DATASETS = (LOANS, REPAYMENTS, LOAN_KPIS, SPTS, OBSERVATIONS)
