"""The SQL rules of `specs/statements.yaml`: the checks of `check.py`, one rule each, in a run.

A prepared schedule loaded as `schedule_fixed_assets` keeps its cells as text (`-`, `△`,
thousands separators), so every rule starts from the same CTEs: `cells` reads each amount
cell once (one row per file row and column, with `below_unit` for a printed `0`), `wide`
puts a file row's amounts side by side. The truncation window is `truncation.py`'s, written
out in SQL by `_fits`. Each violation is keyed by the offending row — (section, asset_class)
is the dataset's key — and carries the figures behind it, so the dashboard shows the
offending rows as evidence.

The YAML is generated, not hand-edited, because eight rules share these CTEs and a window
formula that must stay identical to the Python checker's; a test keeps the file current:
`python -m mieruka.packs.statements.rules_sql > src/mieruka/packs/statements/specs/statements.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mieruka.packs.statements.reader import DASHES
from mieruka.packs.statements.schemas import (
    AMOUNTS,
    HOME_SECTIONS,
    NOT_DEPRECIATED,
    REGISTER_SECTIONS,
    SECTIONS,
    SUBTOTAL,
    TOTALS,
)

TABLE = "schedule_fixed_assets"
FULL_WIDTH = ("０１２３４５６７８９，－▲（）", "0123456789,-△()")


def _list(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _cells() -> str:
    pick = " ".join(f"WHEN '{c}' THEN {c}" for c in AMOUNTS)
    names = ", ".join(f"('{c}')" for c in AMOUNTS)
    dashes = _list([d for d in DASHES if d])
    wide = ",\n    ".join(
        f"max(amount) FILTER (WHERE column_name = '{c}') AS {c}, "
        f"bool_or(below_unit) FILTER (WHERE column_name = '{c}') AS {c}_0"
        for c in AMOUNTS
    )
    return f"""\
raw AS (
  SELECT section, asset_class, c.column_name,
    translate(trim(coalesce(CASE c.column_name {pick} END, '')), '{FULL_WIDTH[0]}',
              '{FULL_WIDTH[1]}') AS cell
  FROM {TABLE} CROSS JOIN (VALUES {names}) AS c(column_name)),
plain AS (
  SELECT *, cell = '' OR cell IN ({dashes}) AS dash,
    replace(replace(replace(replace(cell, ',', ''), '¥', ''), '円', ''), ' ', '') AS t
  FROM raw),
parsed AS (
  SELECT section, asset_class, column_name, dash,
    CAST(CASE WHEN dash THEN '0' WHEN t LIKE '(%)' THEN '-' || trim(t, '()')
              ELSE replace(t, '△', '-') END AS BIGINT) AS amount
  FROM plain),
cells AS (
  SELECT section, asset_class, column_name, amount,
    amount = 0 AND NOT dash AS below_unit
  FROM parsed),
wide AS (
  SELECT section, asset_class,
    {wide}
  FROM cells GROUP BY section, asset_class)"""


def _fits(expected: str, found: str, down: str, up: str) -> str:
    """SQL for `Sum.explains`: found is the printed sum or within the truncation window."""
    d = f"({expected}) - ({found})"
    return f"({d} = 0 OR ({d} > -({down}) AND {d} < ({up})))"


def _row_identity(terms: Sequence[tuple[int, str]], found: str) -> str:
    expected = " ".join(f"{'+' if c > 0 else '-'} {n}" for c, n in terms).lstrip("+ ")
    down = [f"({n} {'>' if c > 0 else '<'} 0 OR {n}_0)::INT" for c, n in terms]
    up = [f"({n} {'<' if c > 0 else '>'} 0 OR {n}_0)::INT" for c, n in terms]
    down.append(f"({found} < 0 OR {found}_0)::INT")
    up.append(f"({found} > 0 OR {found}_0)::INT")
    shown = ", ".join(n for _, n in terms)
    return f"""\
d AS (
  SELECT section, asset_class, {shown}, {found},
    {expected} AS expected,
    {" + ".join(down)} AS down,
    {" + ".join(up)} AS up
  FROM wide)
SELECT section, asset_class, '{found}' AS column_name, {shown},
       expected, {found} AS found, expected - {found} AS difference,
       least(1 - down, 0) AS allowed_from, greatest(up - 1, 0) AS allowed_to
FROM d WHERE NOT {_fits("expected", found, "down", "up")}"""


_PARTS = """\
parts AS (
  SELECT section, column_name, CAST(sum(amount) AS BIGINT) AS expected,
    count(*) FILTER (WHERE amount > 0 OR below_unit) AS down,
    count(*) FILTER (WHERE amount < 0 OR below_unit) AS up
  FROM cells WHERE asset_class <> '計' GROUP BY section, column_name),
sec AS (
  SELECT t.section, t.column_name, coalesce(p.expected, 0) AS expected,
    t.amount AS found, (t.amount < 0 OR t.below_unit)::INT AS found_down,
    (t.amount > 0 OR t.below_unit)::INT AS found_up,
    coalesce(p.down, 0) AS down, coalesce(p.up, 0) AS up
  FROM cells t LEFT JOIN parts p USING (section, column_name) WHERE t.asset_class = '計')"""

SUBTOTAL_SQL = f"""\
{_PARTS}
SELECT section, '計' AS asset_class, column_name, expected, found,
       expected - found AS difference, least(1 - down - found_down, 0) AS allowed_from,
       greatest(up + found_up - 1, 0) AS allowed_to
FROM sec WHERE NOT {_fits("expected", "found", "down + found_down", "up + found_up")}"""

MISSING_SUBTOTAL_SQL = f"""\
sections AS (SELECT * FROM (VALUES {", ".join(f"('{s}')" for s in SECTIONS)}) AS x(section))
SELECT section, '{SUBTOTAL}' AS asset_class
FROM sections
WHERE EXISTS (SELECT 1 FROM {TABLE})
  AND section NOT IN (SELECT section FROM {TABLE} WHERE asset_class = '{SUBTOTAL}')"""

_GROUPS = ", ".join(f"('{t}', '{p}')" for t, parts in TOTALS.items() for p in parts)
CLASS_TOTAL_SQL = f"""\
groups AS (SELECT * FROM (VALUES {_GROUPS}) AS g(total_section, part)),
parts AS (
  SELECT g.total_section AS section, c.asset_class, c.column_name,
    CAST(sum(c.amount) AS BIGINT) AS expected,
    count(*) FILTER (WHERE c.amount > 0 OR c.below_unit) AS down,
    count(*) FILTER (WHERE c.amount < 0 OR c.below_unit) AS up
  FROM cells c JOIN groups g ON c.section = g.part
  GROUP BY g.total_section, c.asset_class, c.column_name),
tot AS (
  SELECT t.section, t.asset_class, t.column_name, coalesce(p.expected, 0) AS expected,
    t.amount AS found, coalesce(p.down, 0) + (t.amount < 0 OR t.below_unit)::INT AS down,
    coalesce(p.up, 0) + (t.amount > 0 OR t.below_unit)::INT AS up
  FROM cells t LEFT JOIN parts p USING (section, asset_class, column_name)
  WHERE t.section IN ({_list(list(TOTALS))}))
SELECT section, asset_class, column_name, expected, found,
       expected - found AS difference, 'does not agree' AS problem
FROM tot WHERE NOT {_fits("expected", "found", "down", "up")}
UNION ALL
SELECT p.section, p.asset_class, 'asset_class', NULL, NULL, NULL,
       'class shown in a section but missing from the total'
FROM parts p
WHERE p.asset_class <> '{SUBTOTAL}'
  AND NOT EXISTS (SELECT 1 FROM cells t WHERE t.section = p.section
                  AND t.asset_class = p.asset_class)
GROUP BY p.section, p.asset_class HAVING max(p.down + p.up) > 0"""


def _moved_fits(side: str, sign: str) -> str:
    down = f"{side}.down {sign} (r.amount > 0 OR r.below_unit)::INT + {side}.found_down"
    up = f"{side}.up {sign} (r.amount < 0 OR r.below_unit)::INT + {side}.found_up"
    return _fits(f"{side}.expected {sign} r.amount", f"{side}.found", down, up)


MOVED_ROW_SQL = f"""\
{_PARTS},
broken AS (
  SELECT section FROM sec WHERE section IN ({_list(REGISTER_SECTIONS)})
  GROUP BY section
  HAVING bool_or(NOT {_fits("expected", "found", "down + found_down", "up + found_up")})),
candidates AS (
  SELECT r.section, r.asset_class, s.section AS belongs_to,
    bool_and({_moved_fits("o", "-")} AND {_moved_fits("s", "+")}) AS fits
  FROM cells r
  JOIN broken bo ON bo.section = r.section
  JOIN sec o ON o.section = r.section AND o.column_name = r.column_name
  JOIN sec s ON s.section <> r.section AND s.column_name = r.column_name
  JOIN broken bs ON bs.section = s.section
  WHERE r.asset_class <> '{SUBTOTAL}'
  GROUP BY r.section, r.asset_class, s.section)
SELECT c.section, c.asset_class, c.belongs_to,
       w.opening, w.increase, w.decrease, w.closing, w.net_closing
FROM candidates c JOIN wide w USING (section, asset_class)
WHERE c.fits"""

NOT_DEPRECIATED_SQL = f"""\
SELECT section, asset_class, column_name, amount AS found
FROM cells
WHERE column_name IN ('accumulated_depreciation', 'depreciation_for_period')
  AND (amount <> 0 OR below_unit)
  AND (section = 'non_depreciable' OR asset_class IN ({_list(NOT_DEPRECIATED)}))"""

_HOMES = ", ".join(f"('{c}', '{s}')" for c, homes in HOME_SECTIONS.items() for s in homes)
WRONG_SECTION_SQL = f"""\
home AS (SELECT * FROM (VALUES {_HOMES}) AS h(asset_class, section)),
belongs AS (SELECT asset_class, string_agg(section, ' or ' ORDER BY section) AS belongs_to
            FROM home GROUP BY asset_class)
SELECT w.section, w.asset_class, b.belongs_to
FROM wide w JOIN belongs b USING (asset_class)
WHERE w.section IN ({_list([s for s in REGISTER_SECTIONS if s != "other_assets"])})
  AND NOT EXISTS (SELECT 1 FROM home h WHERE h.asset_class = w.asset_class
                  AND h.section = w.section)"""


@dataclass(frozen=True)
class RuleSql:
    id: str
    label: tuple[str, str]  # ja, en
    action: tuple[str, str]
    key: tuple[str, ...]
    body: str  # CTEs then SELECT, or a bare SELECT
    uses_cells: bool = True

    def formula(self) -> str:
        parts = [_cells()] if self.uses_cells else []
        if not self.body.startswith("SELECT"):
            head, _, select = self.body.partition("\nSELECT")
            parts.append(head)
            return "WITH " + ",\n".join(parts) + "\nSELECT" + select
        return ("WITH " + ",\n".join(parts) + "\n" if parts else "") + self.body


RULES: tuple[RuleSql, ...] = (
    RuleSql(
        "st.fa_roll_forward",
        (
            "固定資産の明細：期首残高＋当期増加額－当期減少額≠期末残高",
            "Fixed-asset schedule: a row does not roll forward",
        ),
        (
            "当該行の増減額と期末残高を台帳と照合し訂正する",
            "Reconcile the row with the register and correct it",
        ),
        ("section", "asset_class", "column_name"),
        _row_identity([(1, "opening"), (1, "increase"), (-1, "decrease")], "closing"),
    ),
    RuleSql(
        "st.fa_net_closing",
        (
            "固定資産の明細：差引当期末残高の不一致",
            "Fixed-asset schedule: net closing balance does not agree",
        ),
        (
            "減価償却累計額・減損損失累計額と差引残高を照合し訂正する",
            "Reconcile accumulated depreciation and impairment with the net balance",
        ),
        ("section", "asset_class", "column_name"),
        _row_identity(
            [(1, "closing"), (-1, "accumulated_depreciation"), (-1, "accumulated_impairment")],
            "net_closing",
        ),
    ),
    RuleSql(
        "st.fa_subtotal",
        (
            "固定資産の明細：計が内訳の合計と一致しない",
            "Fixed-asset schedule: a section total is not the sum of its rows",
        ),
        (
            "区分の計を内訳から集計し直す（行の区分違いも確認する）",
            "Re-add the section (and look for a row filed under the wrong section)",
        ),
        ("section", "asset_class", "column_name"),
        SUBTOTAL_SQL,
    ),
    RuleSql(
        "st.fa_missing_subtotal",
        ("固定資産の明細：計の行がない区分", "Fixed-asset schedule: a section has no total row"),
        ("区分ごとに計の行を設ける", "Add the section's total row"),
        ("section",),
        MISSING_SUBTOTAL_SQL,
        uses_cells=False,
    ),
    RuleSql(
        "st.fa_class_total",
        (
            "固定資産の明細：合計欄が各区分の同じ種類の合計と一致しない",
            "Fixed-asset schedule: a total row is not the sum of the class over the sections",
        ),
        (
            "有形（無形）固定資産合計を資産の種類ごとに各区分から集計し直す",
            "Re-add the total class by class from the sections",
        ),
        ("section", "asset_class", "column_name"),
        CLASS_TOTAL_SQL,
    ),
    RuleSql(
        "st.fa_moved_row",
        (
            "固定資産の明細：別の区分に記載されているとみられる行",
            "Fixed-asset schedule: a row seems filed under the wrong section",
        ),
        (
            "当該行の区分を台帳で確認し、正しい区分へ移す",
            "Check the row's section in the register and move it",
        ),
        ("section", "asset_class", "belongs_to"),
        MOVED_ROW_SQL,
    ),
    RuleSql(
        "st.fa_not_depreciated",
        (
            "固定資産の明細：非償却資産に減価償却額がある",
            "Fixed-asset schedule: depreciation on an asset that is not depreciated",
        ),
        (
            "土地・美術品・建設仮勘定等の減価償却額を取り消す",
            "Remove the depreciation of land, art or construction in progress",
        ),
        ("section", "asset_class", "column_name"),
        NOT_DEPRECIATED_SQL,
    ),
    RuleSql(
        "st.fa_wrong_section",
        (
            "固定資産の明細：資産の種類が属し得ない区分に記載されている",
            "Fixed-asset schedule: a class is filed under a section it cannot belong to",
        ),
        ("当該資産の種類を正しい区分に記載する", "File the class under its section"),
        ("section", "asset_class"),
        WRONG_SECTION_SQL,
    ),
)

HEADER = """\
# Rules and figures of the statements pack (附属明細書). GENERATED by
# `python -m mieruka.packs.statements.rules_sql` — edit rules_sql.py, not this file.
# The SQL rules give each failing row of a prepared schedule (dataset
# schedule_fixed_assets) as evidence; a difference that per-cell 千円 truncation explains
# (see truncation.py) is not a violation.
indicators:
  - id: st.fa_built_schedule_errors
    label: {ja: 固定資産の明細（台帳から作成）の不整合数, en: Errors in the fixed-asset schedule built from the register}
    unit: count
    aggregate: value
    rounding: {digits: 0}
    method: {ja: 固定資産台帳から作成した明細の検算（各行の増減・差引残高・小計・合計）で誤りとなった件数}
    function: statements_built_schedule_errors
  - id: st.fa_prepared_schedule_errors
    label: {ja: 固定資産の明細（作成済）の不整合数, en: Errors in the prepared fixed-asset schedule}
    unit: count
    aggregate: value
    rounding: {digits: 0}
    method: {ja: 作成済の明細の検算で、千円未満切捨てで説明できない差異の件数}
    function: statements_prepared_schedule_errors
targets:
  - {indicator: st.fa_built_schedule_errors, from_fy: 2000, comparator: "==", value: 0}
  - {indicator: st.fa_prepared_schedule_errors, from_fy: 2000, comparator: "==", value: 0}
rules:
"""


def spec_yaml() -> str:
    """The whole of `specs/statements.yaml`."""
    out = [HEADER]
    for rule in RULES:
        formula = "\n".join(f"      {line}" if line else "" for line in rule.formula().split("\n"))
        out.append(
            f"  - id: {rule.id}\n"
            f'    label: {{ja: "{rule.label[0]}", en: "{rule.label[1]}"}}\n'
            f"    severity: error\n"
            f'    action: {{ja: "{rule.action[0]}", en: "{rule.action[1]}"}}\n'
            f"    key: [{', '.join(rule.key)}]\n"
            f"    formula: |\n{formula}\n"
        )
    return "".join(out)


if __name__ == "__main__":
    print(spec_yaml(), end="")
