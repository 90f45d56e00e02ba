"""Baseline (b) of `bench_hc`: the same figures as hand-written DuckDB SQL, no evidence.

What an analyst who knows DuckDB writes for FY2024: views over the same snapshot Parquet
files, five temp tables that several figures share (staff on the year's last day, each
person's placement on the last day or the day they left, the year's wage basis, the
turnover base, the year's training per person), then one
`GROUP BY GROUPING SETS ((), (d1), (d2), …)` query per indicator returning exact sums.
No key hashing, no ledger. Division and rounding of those sums happen in `hc_figures`
(Decimal), like the pandas baseline, so that the three sides are compared exactly.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

from hc_figures import (
    AS_OF,
    FY,
    FY_END,
    FY_START,
    Figures,
    Meta,
    add_groups,
    gap,
    kaplan_meier,
    key,
    rounded,
)

S, E, A = f"DATE '{FY_START}'", f"DATE '{FY_END}'", f"DATE '{AS_OF}'"
NOT_OFFICER = "NOT coalesce(is_officer, FALSE)"
GROUPS = {
    "all": "('regular', 'part_time', 'fixed_term')",
    "regular": "('regular')",
    "non_regular": "('part_time', 'fixed_term')",
}
SHARED = {
    "staff_end": f"""
        SELECT e.employee_id, e.gender, e.birth_date, e.hire_date, p.entity, p.department,
               p.grade, p.employment_type, p.is_manager, p.is_officer, p.weekly_hours
        FROM employees e JOIN positions p ON p.employee_id = e.employee_id
         AND p.valid_from <= {A} AND (p.valid_to IS NULL OR p.valid_to >= {A})
        WHERE e.hire_date <= {A} AND (e.separation_date IS NULL OR e.separation_date >= {A})""",
    "placed_end": f"""
        SELECT e.employee_id, e.gender, p.entity, p.department, p.employment_type, p.is_officer,
               e.hire_date <= {E} AND (e.separation_date IS NULL OR e.separation_date >= {E})
                 AS at_end
        FROM employees e JOIN positions p ON p.employee_id = e.employee_id
         AND p.valid_from <= least(coalesce(e.separation_date, {E}), {E})
        QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1""",
    "wage_base": f"""
        SELECT w.employee_id, p.gender, p.entity, p.department, p.employment_type,
               w.total_wages - coalesce(w.retirement_allowance, 0)
                 - coalesce(w.commuting_allowance, 0) AS wage
        FROM wages w JOIN placed_end p ON p.employee_id = w.employee_id
        WHERE w.fiscal_year = {FY} AND {NOT_OFFICER}""",
    "turnover_base": f"""
        WITH e AS (
          SELECT *, coalesce(separation_date BETWEEN {S} AND {E}, FALSE) AS left_year,
                 hire_date <= {S} AND (separation_date IS NULL OR separation_date >= {S})
                   AS at_start
          FROM employees)
        SELECT e.employee_id, e.gender, e.separation_reason, e.left_year, e.at_start,
               p.entity, p.is_officer
        FROM e JOIN positions p ON p.employee_id = e.employee_id
         AND p.valid_from <= CASE WHEN e.left_year THEN e.separation_date ELSE {S} END
        WHERE e.left_year OR e.at_start
        QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1""",
    "training_year": f"""
        SELECT employee_id, sum(hours) AS hours, sum(cost) AS cost FROM training
        WHERE fiscal_year = {FY} GROUP BY employee_id""",
}


def childcare(kinds: str) -> str:
    return f"""
    WITH born AS (
      SELECT DISTINCT b.employee_id, b.child_birth_date
      FROM births b JOIN employees m ON m.employee_id = b.employee_id AND m.gender = 'M'
      WHERE b.child_birth_date BETWEEN {S} AND {E} AND m.hire_date <= b.child_birth_date
        AND (m.separation_date IS NULL OR m.separation_date >= b.child_birth_date)),
    took AS (
      SELECT l.employee_id, l.child_birth_date, min(l.start_date) AS first_start
      FROM childcare_leave l JOIN employees m ON m.employee_id = l.employee_id AND m.gender = 'M'
      WHERE l.kind IN {kinds} GROUP BY ALL HAVING min(l.start_date) BETWEEN {S} AND {E}),
    c AS (
      SELECT coalesce(b.employee_id, t.employee_id) AS employee_id,
             t.employee_id IS NOT NULL AS num, b.employee_id IS NOT NULL AS den,
             coalesce(b.child_birth_date, t.first_start) AS placed_on
      FROM born b FULL JOIN took t
        ON t.employee_id = b.employee_id AND t.child_birth_date = b.child_birth_date)
    SELECT p.entity, p.department, c.num, c.den FROM c LEFT JOIN positions p
      ON p.employee_id = c.employee_id AND p.valid_from <= c.placed_on
     AND (p.valid_to IS NULL OR p.valid_to >= c.placed_on)"""


def training_rows(column: str) -> str:
    return f"""
    SELECT p.entity, p.department, coalesce(t.{column}, 0) AS num, p.at_end AS den
    FROM placed_end p LEFT JOIN training_year t ON t.employee_id = p.employee_id
    WHERE (p.at_end OR coalesce(t.{column}, 0) > 0) AND {NOT_OFFICER}"""


# indicator -> rows with the dims and num [, den]; evaluated with GROUPING SETS over `by`
ROWS = {
    "hc.female_manager_share": "SELECT entity, department, grade, gender = 'F' AS num, 1 AS den "
    f"FROM staff_end WHERE coalesce(is_manager, FALSE) AND {NOT_OFFICER}",
    "hc.male_childcare_leave_rate": childcare("('childcare_leave', 'postnatal_paternity')"),
    "hc.male_childcare_leave_rate_incl_purpose": childcare(
        "('childcare_leave', 'postnatal_paternity', 'purpose_leave')"
    ),
    "hc.paid_leave_uptake": f"""
        SELECT p.entity, p.department, p.gender, l.days_taken AS num, l.days_granted AS den
        FROM paid_leave l JOIN placed_end p ON p.employee_id = l.employee_id
        WHERE l.fiscal_year = {FY} AND p.employment_type = 'regular'""",
    "hc.paid_leave_uptake_all": f"""
        SELECT p.entity, p.employment_type, p.gender, l.days_taken AS num, l.days_granted AS den
        FROM paid_leave l JOIN placed_end p ON p.employee_id = l.employee_id
        WHERE l.fiscal_year = {FY}""",
    "hc.turnover": "SELECT entity, gender, CASE WHEN left_year THEN separation_reason END "
    f"AS reason, left_year AS num, at_start AS den FROM turnover_base WHERE {NOT_OFFICER}",
    "hc.turnover_voluntary": "SELECT entity, gender, left_year AND separation_reason = "
    f"'voluntary' AS num, at_start AS den FROM turnover_base WHERE {NOT_OFFICER}",
    "hc.turnover_new_graduates": f"""
        SELECT gender, coalesce(separation_date < hire_date + INTERVAL 3 YEAR, FALSE) AS num,
               1 AS den FROM employees WHERE coalesce(new_graduate, FALSE)
          AND hire_date BETWEEN {S} - INTERVAL 2 YEAR AND {E} - INTERVAL 2 YEAR""",
    "hc.average_tenure": f"""
        SELECT entity, gender, employment_type, date_diff('day', hire_date, {A}) AS num,
               CAST(365.25 AS DECIMAL(6, 2)) AS den FROM staff_end WHERE {NOT_OFFICER}""",
    "hc.headcount": "SELECT entity, gender, employment_type, department, grade, 1 AS num "
    f"FROM staff_end WHERE {NOT_OFFICER}",
    "hc.fte": """SELECT entity, gender, employment_type, department,
        CASE WHEN weekly_hours IS NULL THEN 1
             ELSE least(CAST(weekly_hours AS DECIMAL(18, 3)) * 0.025, 1) END AS num
        FROM staff_end WHERE """
    + NOT_OFFICER,
    "hc.stress_check_coverage": f"""
        SELECT s.entity, s.department, coalesce(h.stress_check_done, FALSE) AS num, 1 AS den
        FROM staff_end s LEFT JOIN health h ON h.employee_id = s.employee_id
         AND h.fiscal_year = {FY} WHERE {NOT_OFFICER}""",
    "hc.dock_uptake_45": f"""
        SELECT s.entity, s.gender, coalesce(h.dock_done, FALSE) AS num, 1 AS den
        FROM staff_end s LEFT JOIN health h ON h.employee_id = s.employee_id
         AND h.fiscal_year = {FY}
        WHERE {NOT_OFFICER} AND s.birth_date <= {E} - INTERVAL 45 YEAR""",
    "hc.training_hours_per_employee": training_rows("hours"),
    "hc.training_cost_per_employee": training_rows("cost"),
    "hc.training_cost_total": f"SELECT '{FY}' AS fiscal_year, cost AS num FROM training "
    f"WHERE fiscal_year = {FY}",
}
for _g, _types in GROUPS.items():
    ROWS[f"hc.wage_mean_{_g}"] = f"""
        SELECT entity, gender, entity || ':' || gender AS entity_gender, employment_type,
               department, wage AS num, 1 AS den
        FROM wage_base WHERE employment_type IN {_types}"""
ROWS["hc.wage_gap_excluded"] = "SELECT entity, 1 AS num FROM wage_base WHERE gender = 'X'"


def grouped(con: duckdb.DuckDBPyConnection, rows: str, meta: Meta) -> list[tuple[Any, ...]]:
    dims = [f'"{d}"' for d in meta.by]
    sets = ", ".join(["()", *[f"({d})" for d in dims]])
    gid = f"GROUPING({', '.join(dims)})" if dims else "0"
    if meta.aggregate in ("count",):
        aggs = "count(*), NULL"
    elif meta.aggregate in ("sum", "avg"):
        aggs = "sum(num), count(num)"
    else:
        aggs = "sum(CAST(num AS DECIMAL(38, 10))), sum(CAST(den AS DECIMAL(38, 10)))"
    by = f" GROUP BY GROUPING SETS ({sets})" if dims else ""
    sql = f"SELECT {', '.join([*dims, gid])}, {aggs} FROM ({rows}) r{by}"
    out = []
    n = len(dims)
    for row in con.execute(sql).fetchall():
        g = int(row[n])
        d = {name: row[i] for i, name in enumerate(meta.by) if not (g >> (n - 1 - i)) & 1}
        out.append((d, row[n + 1], row[n + 2]))
    return out


def wage_gaps(con: duckdb.DuckDBPyConnection, out: Figures, metas: dict[str, Meta]) -> None:
    for group, types in GROUPS.items():
        ind = f"hc.wage_gap_{group}"
        rows = con.execute(
            f"""SELECT entity, gender, GROUPING(entity), sum(wage), count(*) FROM wage_base
            WHERE employment_type IN {types} AND gender IN ('F', 'M')
            GROUP BY GROUPING SETS ((entity, gender), (gender))"""
        ).fetchall()
        sums: dict[Any, dict[str, tuple[Any, Any]]] = defaultdict(dict)
        for entity, gender, g, total, n in rows:
            sums[None if g else entity][gender] = (total, n)
        for entity, s in sums.items():
            if "F" in s and "M" in s:
                value = gap(*s["F"], *s["M"])
                dims = {} if entity is None else {"entity": entity}
                out[key(ind, dims)] = rounded(value, metas[ind])


SHOWN = f"""
    WITH r AS (SELECT survey_id, respondent_key, coalesce(department, '') AS department,
                      item_id, score, enps
               FROM survey_responses WHERE fiscal_year = {FY}),
    people AS (SELECT department, count(DISTINCT (survey_id, respondent_key)) AS n
               FROM r GROUP BY department),
    pool AS (SELECT count(DISTINCT (survey_id, respondent_key)) AS n FROM r
             WHERE department IN (SELECT department FROM people WHERE n < {{k}})),
    everyone AS (SELECT count(DISTINCT (survey_id, respondent_key)) AS n FROM r),
    label AS (
      SELECT p.department, CASE WHEN (SELECT n FROM everyone) < {{k}} THEN NULL
                                WHEN p.n >= {{k}} THEN p.department
                                WHEN (SELECT n FROM pool) >= {{k}} THEN '{{pooled}}' END AS shown
      FROM people p)
    SELECT r.*, l.shown FROM r JOIN label l USING (department) WHERE l.shown IS NOT NULL"""


def engagement(con: duckdb.DuckDBPyConnection, out: Figures, metas: dict[str, Meta]) -> None:
    shown = SHOWN.format(k=5, pooled="その他（少人数部署を統合）")
    con.execute(f"CREATE TEMP TABLE shown AS {shown}")
    fav = "SELECT shown AS department, item_id, score >= 4 AS num, 1 AS den FROM shown "
    fav += "WHERE score IS NOT NULL"
    m = metas["hc.engagement_favourable"]
    add_groups(out, "hc.engagement_favourable", m, grouped(con, fav, m))
    enps = """SELECT shown AS department,
        CASE WHEN enps >= 9 THEN 1 WHEN enps <= 6 THEN -1 ELSE 0 END AS num, 1 AS den
        FROM shown WHERE enps IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY survey_id, respondent_key ORDER BY item_id) = 1"""
    m = metas["hc.enps"]
    add_groups(out, "hc.enps", m, grouped(con, enps, m))
    rows = con.execute(
        """SELECT item_id, corr(score, enps) FROM shown
        WHERE score IS NOT NULL AND enps IS NOT NULL GROUP BY item_id
        HAVING count(*) >= 3 AND stddev_pop(score) > 0 AND stddev_pop(enps) > 0"""
    ).fetchall()
    for item, r in rows:
        out[key("hc.engagement_driver", {"item_id": item})] = rounded(
            r, metas["hc.engagement_driver"]
        )


LTV_PEOPLE = f"""
    SELECT e.employee_id, e.birth_date, e.hire_date, e.separation_date,
           coalesce(p.department, '') AS department,
           date_diff('day', e.hire_date, CASE WHEN e.separation_date < {A}
                     THEN e.separation_date ELSE {A} END) / 365.25 AS years,
           coalesce(e.separation_date < {A}, FALSE) AS gone
    FROM employees e JOIN positions p ON p.employee_id = e.employee_id
     AND p.valid_from <= least(coalesce(e.separation_date, {A}), {A})
    WHERE e.hire_date <= {A}
    QUALIFY row_number() OVER (PARTITION BY e.employee_id ORDER BY p.valid_from DESC) = 1"""


def ltv(con: duckdb.DuckDBPyConnection, out: Figures, metas: dict[str, Meta]) -> None:
    con.execute(f"CREATE TEMP TABLE ltv_people AS {LTV_PEOPLE}")
    hist: dict[str, dict[int, int]] = defaultdict(dict)
    left: dict[str, dict[int, int]] = defaultdict(dict)
    for dept, f, n, g in con.execute(
        "SELECT department, CAST(floor(years) AS INTEGER), count(*), count_if(gone) "
        "FROM ltv_people GROUP BY ALL"
    ).fetchall():
        hist[dept][f], left[dept][f] = n, g
    curves = {d: kaplan_meier(hist[d], left[d], 45) for d in hist}
    m = metas["hc.retention_curve"]
    for d, c in curves.items():
        for t in range(11):
            dims = {"department": d, "tenure_year": f"{t:02d}"}
            out[key("hc.retention_curve", dims)] = rounded(c[t] * 100, m)
    con.execute("CREATE TEMP TABLE curve (department VARCHAR, t INTEGER, s DOUBLE)")
    con.executemany(
        "INSERT INTO curve VALUES (?, ?, ?)",
        [(d, t, s) for d, c in curves.items() for t, s in enumerate(c)],
    )
    rows = con.execute(
        f"""WITH net AS (
          SELECT c.employee_id, c.fiscal_year, c.value_added - coalesce(w.total_wages, 0) AS net
          FROM contribution c LEFT JOIN wages w
            ON w.employee_id = c.employee_id AND w.fiscal_year = c.fiscal_year
          WHERE c.fiscal_year <= {FY}),
        value AS (
          SELECT employee_id, sum(net) AS realised,
                 avg(net) FILTER (WHERE rank <= 3) AS recent
          FROM (SELECT *, row_number() OVER (PARTITION BY employee_id
                                             ORDER BY fiscal_year DESC) AS rank FROM net)
          GROUP BY employee_id),
        p AS (
          SELECT l.employee_id, l.department, v.realised, v.recent,
                 CAST(trunc(date_diff('day', l.hire_date, {A}) / 365.25) AS INTEGER) AS tau,
                 CAST(trunc(65 - coalesce(date_diff('day', l.birth_date, {A}) / 365.25, 40.0))
                      AS INTEGER) AS horizon
          FROM ltv_people l JOIN value v ON v.employee_id = l.employee_id
          WHERE NOT l.gone AND v.realised IS NOT NULL),
        x AS (
          SELECT p.employee_id, p.department, p.realised,
                 coalesce(sum(c.s / c0.s * p.recent / pow(1.05, c.t - p.tau)), 0) AS expected
          FROM p JOIN curve c0 ON c0.department = p.department AND c0.t = p.tau AND c0.s > 0
          LEFT JOIN curve c ON c.department = p.department AND c.t > p.tau
           AND c.t <= p.tau + p.horizon
          GROUP BY ALL
          UNION ALL
          SELECT p.employee_id, p.department, p.realised, 0 FROM p
          WHERE NOT EXISTS (SELECT 1 FROM curve c0 WHERE c0.department = p.department
                            AND c0.t = p.tau AND c0.s > 0))
        SELECT department, GROUPING(department), sum(round_even(realised + expected, 0)),
               count(*)
        FROM x GROUP BY GROUPING SETS ((), (department))"""
    ).fetchall()
    m = metas["hc.employee_ltv"]
    add_groups(
        out,
        "hc.employee_ltv",
        m,
        [({} if g else {"department": d}, total, n) for d, g, total, n in rows],
    )


RULES = {
    "hc.wages_while_not_employed": f"""
        SELECT count(*) FROM wages w LEFT JOIN employees e ON e.employee_id = w.employee_id
        WHERE w.fiscal_year = {FY} AND w.total_wages - coalesce(w.retirement_allowance, 0) > 0
          AND (e.employee_id IS NULL OR e.hire_date > {E} OR e.separation_date < {S})""",
    "hc.position_of_unknown_employee": """
        SELECT count(*) FROM positions p ANTI JOIN employees e ON e.employee_id = p.employee_id""",
    "hc.employed_without_position": f"""
        SELECT count(*) FROM employees e
        WHERE e.hire_date <= {A} AND (e.separation_date IS NULL OR e.separation_date >= {A})
          AND e.employee_id NOT IN (SELECT employee_id FROM staff_end)""",
    "hc.leave_without_birth": f"""
        SELECT count(*) FROM (SELECT DISTINCT l.employee_id, l.child_birth_date
          FROM childcare_leave l ANTI JOIN births b ON b.employee_id = l.employee_id
           AND b.child_birth_date = l.child_birth_date
          WHERE l.start_date BETWEEN {S} AND {E})""",
}


def run(snapshots: dict[str, Path], metas: dict[str, Meta]) -> tuple[Figures, dict[str, int]]:
    """Every hc. figure of FY2024 and the number of violations per rule."""
    con = duckdb.connect(":memory:")
    try:
        for name, path in snapshots.items():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        for name, sql in SHARED.items():
            con.execute(f"CREATE TEMP TABLE {name} AS {sql}")
        out: Figures = {}
        for ind, rows in ROWS.items():
            add_groups(out, ind, metas[ind], grouped(con, rows, metas[ind]))
        wage_gaps(con, out, metas)
        engagement(con, out, metas)
        ltv(con, out, metas)
        rules = {r: int(con.execute(sql).fetchall()[0][0]) for r, sql in RULES.items()}
        return out, rules
    finally:
        con.close()
