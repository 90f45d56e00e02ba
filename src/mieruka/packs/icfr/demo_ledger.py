"""The demo company's general ledger: ordinary entries plus one planted anomaly per test.

Ordinary entries are drawn with numpy's Generator (fixed seed) so that no test flags them:
business-day postings, authorised users, non-round amounts spread by Benford's law
(10^U), unique (account, amount, date), a contiguous numbering. `PLANTED` lists what an
auditor should find in the last fiscal year; FY2024 also hides a batch of invented
expense claims just under a ¥500,000 approval limit, which only Benford's test reveals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import jpholiday
import numpy as np

USERS = [f"U{i:03d}" for i in range(1, 9)]
RARE_USER, INTRUDER = "U050", "X999"
# (weight, debit account, credit account, description)
PATTERNS = (
    (30, "1130", "4100", "売上計上"), (20, "1110", "1130", "売掛金入金"),
    (15, "5100", "2110", "仕入計上"), (12, "2110", "1110", "買掛金支払"),
    (10, "6200", "1110", "旅費交通費精算"), (6, "6100", "1110", "給与支払"),
    (4, "6300", "2120", "外注費計上"), (3, "1140", "5100", "期末棚卸振替"),
)  # fmt: skip


class Ledger:
    """Accumulates lines; keeps (account, amount, date) unique so duplicates are planted."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng, self.number = rng, 0
        self.lines: list[dict[str, Any]] = []
        self.seen: set[tuple[str, int, date]] = set()

    def entry(self, day: date, pairs: list[tuple[str, int, int]], *, user: str | None = None,
              desc: str = "", posted: datetime | None = None, skip_number: bool = False,
              unique: bool = True) -> str:  # fmt: skip
        self.number += 2 if skip_number else 1
        eid = f"JE{self.number:07d}"
        at = posted or datetime.combine(day, datetime.min.time()) + timedelta(
            hours=int(self.rng.integers(9, 19)), minutes=int(self.rng.integers(0, 60))
        )
        who = user or USERS[int(self.rng.integers(0, len(USERS)))]
        for i, (account, debit, credit) in enumerate(pairs, start=1):
            if unique:
                self.seen.add((account, debit or credit, day))
            self.lines.append({"entry_id": eid, "line_no": i, "account_code": account,
                               "debit": debit or "", "credit": credit or "",
                               "posted_at": at.strftime("%Y-%m-%d %H:%M:%S"),
                               "effective_date": day.isoformat(), "user_id": who,
                               "description": desc})  # fmt: skip
        return eid

    def amount(self, low: float = 3.0, high: float = 7.0) -> int:
        while True:
            a = int(10 ** self.rng.uniform(low, high))
            if a % 1_000_000 and a % 1_000:  # never round: the round test must stay quiet
                return a

    def ordinary(self, day: date, pattern: tuple[int, str, str, str], amount: int) -> None:
        _, dr, cr, desc = pattern
        while (dr, amount, day) in self.seen or (cr, amount, day) in self.seen:
            amount += 1
        self.entry(day, [(dr, amount, 0), (cr, 0, amount)], desc=desc)


def business_days(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if d.weekday() < 5 and not jpholiday.is_holiday(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def ordinary_year(led: Ledger, fy: int, entries: int) -> None:
    days = business_days(date(fy, 4, 1), date(fy + 1, 3, 31))
    weights = np.array([p[0] for p in PATTERNS], dtype=float)
    picks = led.rng.choice(len(PATTERNS), size=entries, p=weights / weights.sum())
    when = np.sort(led.rng.integers(0, len(days), size=entries))
    for k, d in zip(picks, when, strict=True):
        led.ordinary(days[int(d)], PATTERNS[int(k)], led.amount())


def invented_claims(led: Ledger, fy: int, count: int) -> None:
    """Expense claims typed in just under the ¥500,000 approval limit (first digit 4)."""
    days = business_days(date(fy, 10, 1), date(fy + 1, 3, 31))
    for _ in range(count):
        day = days[int(led.rng.integers(0, len(days)))]
        led.ordinary(day, PATTERNS[4], int(led.rng.integers(400_001, 499_999)) | 1)


def _at(day: date, hour: int = 11) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 5)


def planted(led: Ledger, fy: int, materiality: int) -> dict[str, list[str]]:
    """One anomaly (or a few) per journal-entry test in fiscal year `fy`; ids by test."""
    e, y1 = led.entry, fy + 1
    sale = lambda a: [("1130", a, 0), ("4100", 0, a)]  # noqa: E731
    found: dict[str, list[str]] = {
        "weekend_holiday": [e(date(fy, 6, 13), sale(1_234_567), posted=_at(date(fy, 6, 15)),
                              desc="売上計上"),  # dated Friday, keyed in on Sunday
                            e(date(fy, 11, 3), sale(2_345_671), desc="売上計上")],  # 文化の日
        "late_posting": [e(date(fy, 9, 30), sale(3_456_781), posted=_at(date(fy, 11, 5)),
                           desc="売上計上")],
        "round_amount": [e(date(fy, 12, 26), [("6300", 5_000_000, 0), ("2120", 0, 5_000_000)],
                           desc="外注費計上")],
        "unauthorised_user": [e(date(y1, 2, 2 + i), sale(1_111_111 + 7 * i), user=INTRUDER,
                                desc="売上計上") for i in range(5)],
        "rare_user": [e(date(fy, 8, 6), sale(987_653), user=RARE_USER, desc="売上計上")],
        "keyword": [e(date(y1, 3, 31), [("4100", 4_321_987, 0), ("1130", 0, 4_321_987)],
                      desc="前期売上の修正"),
                    e(date(y1, 3, 31), [("5100", 765_431, 0), ("1140", 0, 765_431)],
                      desc="決算調整")],
        "unbalanced": [e(date(fy, 10, 7), [("6200", 345_679, 0), ("1110", 0, 345_697)],
                         desc="旅費交通費精算")],
        "duplicate": [e(date(fy, 7, 22), [("2110", 8_765_431, 0), ("1110", 0, 8_765_431)],
                        desc="買掛金支払", unique=False) for _ in range(2)],
        "number_gap": [e(date(fy, 7, 23), sale(1_357_913), desc="売上計上", skip_number=True)],
        "seldom_account": [e(date(y1, 1, 15), [("7990", 234_567, 0), ("1110", 0, 234_567)],
                             desc="雑損失計上")],
        "near_materiality": [e(date(y1, 3, 30), sale(int(materiality * 0.95) | 1),
                               desc="売上計上")],
    }  # fmt: skip
    return found


def ledger_rows(seed: int, fys: list[int], entries: int, materiality: int) -> tuple[
        list[dict[str, Any]], dict[str, list[str]]]:  # fmt: skip
    led = Ledger(np.random.default_rng(seed))
    anomalies: dict[str, list[str]] = {}
    for fy in fys:
        ordinary_year(led, fy, entries)
        if len(fys) > 1 and fy == fys[-2]:
            invented_claims(led, fy, max(entries // 8, 50))
        if fy == fys[-1]:
            anomalies = planted(led, fy, materiality)
    return led.lines, anomalies
