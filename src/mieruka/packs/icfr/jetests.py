"""Journal-entry tests: one SQL query per test over the fiscal year's ledger lines.

Each test is written once here; `specgen.py` turns them into the pack's rules (one rule per
test, keyed by the journal line, so every flagged line is evidence in the run) and into the
combined-score rule that unions them. The thresholds come from `ind('icfr.je_settings')`
and the lists (holidays, keywords, authorised users) from their own indicators, so the
parameters a run used are recorded as figures of that run and `verify` re-derives them.
Where two formulations are equivalent the cheaper one is used (measured): "two or more
entries" is `min(entry_id) <> max(entry_id)`, not `count(DISTINCT entry_id) > 1`, and only
over the (account, amount, date) groups with more than one line (30% faster at 10M lines).
"""

from __future__ import annotations

from dataclasses import dataclass

CFG = """cfg AS (SELECT setting, CAST(value AS DOUBLE) AS value FROM ind('icfr.je_settings')
        WHERE setting IS NOT NULL)"""
"""The settings, read as DOUBLE: a product of two DECIMAL(38, s) values overflows the scale."""
SCOPE = f"""je AS (
  SELECT entry_id, line_no, account_code, coalesce(debit, 0) AS debit,
         coalesce(credit, 0) AS credit, abs(coalesce(debit, 0) - coalesce(credit, 0)) AS amount,
         CAST(posted_at AS TIMESTAMP) AS posted_at, effective_date, user_id, description
  FROM journal_entries WHERE effective_date BETWEEN :fy_start AND :fy_end),
{CFG}"""
"""The CTEs every test reads: the lines whose effective date falls in the fiscal year, and
the settings. Every rule repeats them; a run computes them once (`core.common_tables`)."""


@dataclass(frozen=True)
class JeTest:
    name: str
    ja: str
    en: str
    action_ja: str
    weight: int  # default weight in the combined score
    select: str  # returns entry_id, line_no and the columns that explain the flag


TESTS: tuple[JeTest, ...] = (
    JeTest("weekend_holiday", "土日・祝日の計上", "Posted on a weekend or Japanese holiday",
           "承認者と計上理由を確認する", 1, """
SELECT je.entry_id, je.line_no, je.posted_at,
       coalesce(h.name, CASE WHEN dayofweek(je.posted_at) = 0 THEN '日曜日' ELSE '土曜日' END)
         AS day_kind
FROM je LEFT JOIN (SELECT CAST(left(holiday, 10) AS DATE) AS day, substr(holiday, 12) AS name
                   FROM ind('icfr.je_holidays') WHERE holiday IS NOT NULL) h
  ON CAST(je.posted_at AS DATE) = h.day
WHERE dayofweek(je.posted_at) IN (0, 6) OR h.day IS NOT NULL"""),
    JeTest("late_posting", "締め後の前期間への計上", "Posted after the close of an earlier period",
           "締め後計上の承認と理由を確認する", 2, """
SELECT entry_id, line_no, effective_date, posted_at,
       last_day(effective_date) + CAST((SELECT value FROM cfg WHERE setting = 'close_days')
         AS INTEGER) AS close_date
FROM je
WHERE CAST(posted_at AS DATE) > last_day(effective_date)
      + CAST((SELECT value FROM cfg WHERE setting = 'close_days') AS INTEGER)"""),
    JeTest("round_amount", "端数のない金額", "Round amount",
           "取引の裏付け資料を確認する", 1, """
SELECT je.entry_id, je.line_no, je.amount, max(CAST(cfg.value AS BIGINT)) AS multiple
FROM je JOIN cfg ON cfg.setting LIKE 'round_multiple%'
WHERE je.amount >= CAST(cfg.value AS BIGINT) AND je.amount % CAST(cfg.value AS BIGINT) = 0
GROUP BY je.entry_id, je.line_no, je.amount"""),
    # NOT EXISTS rather than NOT IN: the same rows here (a blank user_id matches no listed
    # user, so it is flagged), and Spark plans it as a hash anti-join, not a nested loop
    JeTest("unauthorised_user", "権限のない起票者", "Posted by a user outside the authorised list",
           "起票権限とアクセス権の付与を確認する", 3, """
SELECT entry_id, line_no, user_id FROM je
WHERE EXISTS (SELECT 1 FROM ind('icfr.je_authorised_users') WHERE user_id IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM ind('icfr.je_authorised_users') a
                  WHERE a.user_id = je.user_id)"""),
    JeTest("rare_user", "起票の少ない利用者", "Posted by a user with unusually few entries",
           "起票者の職務と権限を確認する", 2, """
SELECT je.entry_id, je.line_no, je.user_id, u.entries AS user_entries
FROM je JOIN (SELECT user_id, count(DISTINCT entry_id) AS entries FROM je GROUP BY user_id
              HAVING count(DISTINCT entry_id) <= (SELECT value FROM cfg
                                                  WHERE setting = 'few_postings')) u
  ON je.user_id = u.user_id"""),
    JeTest("keyword", "摘要の注意語", "Description contains a watch-word",
           "修正・調整の内容と承認を確認する", 1, """
SELECT je.entry_id, je.line_no, je.description, string_agg(k.keyword, ';' ORDER BY k.keyword)
       AS keywords
FROM je JOIN (SELECT keyword FROM ind('icfr.je_keywords') WHERE keyword IS NOT NULL) k
  ON contains(je.description, k.keyword)
GROUP BY je.entry_id, je.line_no, je.description"""),
    JeTest("unbalanced", "貸借不一致の仕訳", "Entry whose debits and credits do not balance",
           "仕訳の入力とシステムの貸借チェックを確認する", 5, """
SELECT je.entry_id, je.line_no, b.debits, b.credits
FROM je JOIN (SELECT entry_id, sum(debit) AS debits, sum(credit) AS credits FROM je
              GROUP BY entry_id HAVING sum(debit) <> sum(credit)) b ON je.entry_id = b.entry_id"""),
    JeTest("duplicate", "重複計上の疑い（科目・金額・日付）", "Possible duplicate (account, amount, date)",
           "二重計上でないか証憑と照合する", 2, """
SELECT je.entry_id, je.line_no, je.account_code, je.amount, je.effective_date
FROM je JOIN (SELECT account_code, debit, credit, effective_date
              FROM je JOIN (SELECT account_code, debit, credit, effective_date FROM je
                            GROUP BY ALL HAVING count(*) > 1) c
                USING (account_code, debit, credit, effective_date)
              GROUP BY ALL HAVING min(entry_id) <> max(entry_id)) d
  USING (account_code, debit, credit, effective_date)"""),
    JeTest("number_gap", "仕訳番号の欠番", "Gap in the entry-number sequence",
           "欠番の理由（削除・取消）を確認する", 1, """
SELECT g.entry_id, min(je.line_no) AS line_no, any_value(g.missing_from) AS missing_from,
       any_value(g.missing_to) AS missing_to
FROM (SELECT entry_id, previous_number + 1 AS missing_from, number - 1 AS missing_to
      FROM (SELECT entry_id, prefix, number,
                   lag(prefix) OVER (ORDER BY prefix, number) AS previous_prefix,
                   lag(number) OVER (ORDER BY prefix, number) AS previous_number
            FROM (SELECT entry_id, regexp_replace(entry_id, '[0-9]+$', '') AS prefix,
                         CAST(digits AS BIGINT) AS number
                  FROM (SELECT entry_id, regexp_extract(entry_id, '([0-9]+)$', 1) AS digits
                        FROM (SELECT DISTINCT entry_id FROM je))
                  WHERE digits <> ''))
      WHERE prefix = previous_prefix AND number - previous_number > 1) g
  JOIN je ON je.entry_id = g.entry_id
GROUP BY g.entry_id"""),
    JeTest("seldom_account", "使用頻度の低い勘定科目", "Seldom-used account",
           "科目の使用理由を確認する", 1, """
SELECT je.entry_id, je.line_no, je.account_code, a.lines AS account_lines
FROM je JOIN (SELECT account_code, count(*) AS lines FROM je GROUP BY account_code
              HAVING count(*) <= (SELECT value FROM cfg
                                  WHERE setting = 'seldom_account_lines')) a
  ON je.account_code = a.account_code"""),
    JeTest("near_materiality", "重要性の基準値に近い金額", "Amount just below materiality",
           "取引の実在性と承認を確認する", 2, """
SELECT je.entry_id, je.line_no, je.amount, m.value AS materiality
FROM je, (SELECT CAST(value AS DOUBLE) AS value FROM ind('icfr.materiality')
         WHERE value IS NOT NULL) m
WHERE je.amount >= m.value * (SELECT value FROM cfg WHERE setting = 'near_materiality_from')
  AND je.amount < m.value"""),
)  # fmt: skip
