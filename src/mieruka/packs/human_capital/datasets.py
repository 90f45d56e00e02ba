"""The documented input formats of `shared/domain/human_capital.md`, as dataset schemas.

The column names are the public contract: users prepare files to them. One addition the
page allows ("a pack may accept more columns"): `employees.new_graduate`, optional, because
the new-graduate turnover figure cannot be computed without knowing who was hired from
school, and guessing it from age and hire month would invent data.
"""

from __future__ import annotations

from mieruka.core.schema import Column, ColumnType, DatasetSchema, Labels

PACK = "human_capital"
S, INT, D, Y, DT, B = (
    ColumnType.string,
    ColumnType.integer,
    ColumnType.decimal,
    ColumnType.yen,
    ColumnType.date,
    ColumnType.boolean,
)
GENDERS = ("F", "M", "X")
REASONS = ("voluntary", "involuntary", "retirement", "death", "transfer", "other")
EMPLOYMENT_TYPES = ("regular", "part_time", "fixed_term")
LEAVE_KINDS = ("childcare_leave", "postnatal_paternity", "purpose_leave")


def _col(name: str, type_: ColumnType = S, required: bool = False, **kw: object) -> Column:
    return Column.model_validate({"name": name, "type": type_, "required": required, **kw})


def _ds(id_: str, ja: str, en: str, key: tuple[str, ...], *columns: Column) -> DatasetSchema:
    return DatasetSchema(
        id=id_, label=Labels(ja=ja, en=en), key=key, columns=tuple(columns), pack=PACK
    )


EMPLOYEES = _ds(
    "employees",
    "従業員",
    "Employees",
    ("employee_id",),
    _col("employee_id", required=True),
    _col("gender", required=True, values=GENDERS),
    _col("birth_date", DT),
    _col("hire_date", DT, True),
    _col("separation_date", DT),
    _col("separation_reason", values=REASONS),
    _col("new_graduate", B),
)

POSITIONS = _ds(
    "positions",
    "所属・職位履歴",
    "Positions",
    ("employee_id", "valid_from"),
    _col("employee_id", required=True),
    _col("valid_from", DT, True),
    _col("valid_to", DT),
    _col("entity", required=True),
    _col("department"),
    _col("grade"),
    _col("employment_type", required=True, values=EMPLOYMENT_TYPES),
    _col("is_manager", B),
    _col("is_officer", B),
    _col("weekly_hours", D, min=0, max=168),
)

WAGES = _ds(
    "wages",
    "賃金",
    "Wages",
    ("employee_id", "fiscal_year"),
    _col("employee_id", required=True),
    _col("fiscal_year", INT, True),
    _col("total_wages", Y, True, min=0),
    _col("commuting_allowance", Y, min=0),
    _col("retirement_allowance", Y, min=0),
)

PAID_LEAVE = _ds(
    "paid_leave",
    "年次有給休暇",
    "Paid leave",
    ("employee_id", "fiscal_year"),
    _col("employee_id", required=True),
    _col("fiscal_year", INT, True),
    _col("days_granted", D, True, min=0, scale=3),
    _col("days_carried_over", D, min=0, scale=3),
    _col("days_taken", D, True, min=0, scale=3),
)

BIRTHS = _ds(
    "births",
    "出生",
    "Births",
    (),  # twins share a birth date: two rows are one birth, not a duplicate
    _col("employee_id", required=True),
    _col("child_birth_date", DT, True),
)

CHILDCARE_LEAVE = _ds(
    "childcare_leave",
    "育児休業等",
    "Childcare leave",
    (),
    _col("employee_id", required=True),
    _col("child_birth_date", DT, True),
    _col("start_date", DT, True),
    _col("end_date", DT),
    _col("kind", required=True, values=LEAVE_KINDS),
)

HEALTH = _ds(
    "health",
    "健康管理",
    "Health checks",
    ("employee_id", "fiscal_year"),
    _col("employee_id", required=True),
    _col("fiscal_year", INT, True),
    _col("stress_check_done", B),
    _col("dock_done", B),
)

TRAINING = _ds(
    "training",
    "研修",
    "Training",
    (),  # one row per course or per year: both are summed
    _col("employee_id", required=True),
    _col("fiscal_year", INT, True),
    _col("hours", D, min=0),
    _col("cost", Y, min=0),
)

SURVEY_RESPONSES = _ds(
    "survey_responses",
    "エンゲージメント調査回答",
    "Survey responses",
    (),
    _col("respondent_key", required=True),
    _col("survey_id", required=True),
    _col("fiscal_year", INT, True),
    _col("department"),
    _col("item_id", required=True),
    _col("score", INT, min=1, max=5),
    _col("enps", INT, min=0, max=10),
)

CONTRIBUTION = _ds(
    "contribution",
    "付加価値",
    "Contribution",
    ("employee_id", "fiscal_year"),
    _col("employee_id", required=True),
    _col("fiscal_year", INT, True),
    _col("value_added", Y, True),
)

DATASETS = (
    EMPLOYEES,
    POSITIONS,
    WAGES,
    PAID_LEAVE,
    BIRTHS,
    CHILDCARE_LEAVE,
    HEALTH,
    TRAINING,
    SURVEY_RESPONSES,
    CONTRIBUTION,
)
