"""Benchmark: the icfr pack's journal-entry tests over N ledger lines, against hand-written
DuckDB SQL for the same tests, and against pandas and polars on a size they can hold.

    python bench/bench_icfr.py --rows 2000000 [--repeat 3] [--frames-rows 2000000]
                               [--memory-limit 3GB]

Generates a general ledger for FY2024 (numpy Generator, fixed seed; two-line balanced
entries posted on business days, with a small share of every anomaly the tests look for)
as Parquet in bench/data/, builds the workspace bench/data/ws-icfr/<rows>/ (icfr pack only)
and loads it once; later calls reuse both. Then times, best of `--repeat`, interleaved:

  (a) baseline: in a fresh DuckDB connection over the same snapshot Parquet file, the same
      eleven tests written by hand the way an analyst would (one temp table of the year's
      lines, one query per test, the combined score from the flags, Benford first and
      first-two digits), every flagged line fetched into Python;
  (b) mieruka: `start_run(project, Period.for_fiscal_year(2024))` — the pack's rules with
      every flagged line stored as evidence, the score rule, Benford indicators, the ledger;
  (c) pandas and (d) polars: straightforward implementations of the same tests, on
      `--frames-rows` lines (default: the same size, capped at 20M) read from a Parquet
      file of that size, measured against mieruka on that size.

`--memory-limit` (default 3GB) sets DuckDB's memory_limit for both DuckDB sides, spilling to
disk beyond it: for mieruka through the workspace's `memory_limit` setting (spilling to
.mieruka/tmp), for the baseline in its connection; so a 100M-line run stays under 4 GiB.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from harness import peak_mb, reset_peak

DATA = Path(__file__).resolve().parent / "data"
FY = 2024
USERS = [f"U{i:03d}" for i in range(1, 201)]
ACCOUNTS = [str(c) for c in range(1000, 1120)]  # 120 accounts
RARE_ACCOUNT, INTRUDER, RARE_USER = "7990", "X999", "U900"
TEXTS = ["売上計上", "仕入計上", "経費精算", "入金消込", "支払", "給与振替", "減価償却"]
RATE = 2e-5  # share of entries carrying each planted anomaly
MATERIALITY = 100_000_000  # 5% of the bench company's pre-tax income (2,000,000,000)


# ---------------------------------------------------------------- data


def _business_days(start: str, end: str) -> np.ndarray:
    """Japanese business days in [start, end) (weekdays that are not holidays)."""
    import jpholiday

    days = np.arange(np.datetime64(start), np.datetime64(end))
    ok = [np.is_busday(d) and not jpholiday.is_holiday(d.astype(object)) for d in days]
    return days[np.array(ok)]


def generate(rows: int, path: Path, seed: int = 20240401) -> None:
    """`rows` journal lines (two per entry) as Parquet, written 1M lines at a time."""
    rng = np.random.default_rng(seed)
    bdays = _business_days("2024-04-01", "2025-04-01")  # effective dates: FY2024
    open_days = _business_days("2024-04-01", "2025-07-01")  # postings may follow the year end
    holidays = np.setdiff1d(np.arange(np.datetime64("2024-04-01"), np.datetime64("2025-07-01")),
                            open_days)  # fmt: skip
    writer: pq.ParquetWriter | None = None
    chunk = 1_000_000
    next_number = 1
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start) // 2 * 2
        e = n // 2
        gap = rng.random(e) < RATE  # a gap skips one number before the entry
        number = next_number + np.arange(e) + np.cumsum(gap)
        next_number = int(number[-1]) + 1
        eff = bdays[rng.integers(0, len(bdays), e)]
        posted = np.busday_offset(eff, rng.integers(0, 3, e), roll="forward", holidays=holidays)
        weekend = rng.random(e) < RATE
        posted[weekend] = np.busday_offset(posted[weekend], 0, roll="forward",
                                           weekmask="0000011")  # fmt: skip
        late = rng.random(e) < RATE
        posted[late] = posted[late] + np.timedelta64(60, "D")
        secs = rng.integers(9 * 3600, 19 * 3600, e).astype("timedelta64[s]")
        stamp = posted.astype("datetime64[s]") + secs
        # log-uniform from 100,000 to 90,000,000 yen: Benford-like leading digits, below the
        # materiality band, and few equal (account, amount, date) pairs by chance even at 100M
        amount = np.exp(rng.uniform(np.log(1e5), np.log(9e7), e)).astype(np.int64)
        rnd = rng.random(e) < RATE
        amount[rnd] = rng.integers(1, 10, int(rnd.sum())) * 1_000_000
        near = rng.random(e) < RATE
        amount[near] = rng.integers(int(MATERIALITY * 0.9), MATERIALITY, int(near.sum()))
        credit_amount = amount.copy()
        unbalanced = rng.random(e) < RATE
        credit_amount[unbalanced] += 1_000
        users = np.array(USERS)[rng.integers(0, len(USERS), e)]
        users[rng.random(e) < RATE] = INTRUDER
        if start == 0:  # two entries by a user who almost never posts, one seldom account
            users[[10, 20]] = RARE_USER
        texts = np.array(TEXTS)[rng.integers(0, len(TEXTS), e)]
        texts[rng.random(e) < RATE] = "期末修正"
        debit_acct = np.array(ACCOUNTS)[rng.integers(0, len(ACCOUNTS), e)]
        if start == 0:
            debit_acct[[30, 40]] = RARE_ACCOUNT
        credit_acct = np.array(ACCOUNTS)[rng.integers(0, len(ACCOUNTS), e)]
        ids = np.char.add("JE", np.char.zfill(number.astype(str), 10))
        batch = pa.table({
            "entry_id": pa.array(np.repeat(ids, 2)),
            "line_no": pa.array(np.tile(np.array([1, 2], dtype=np.int64), e)),
            "account_code": pa.array(np.column_stack([debit_acct, credit_acct]).ravel()),
            "debit": pa.array(np.column_stack([amount, np.zeros(e, np.int64)]).ravel(),
                              mask=np.tile([False, True], e)),
            "credit": pa.array(np.column_stack([np.zeros(e, np.int64), credit_amount]).ravel(),
                               mask=np.tile([True, False], e)),
            "posted_at": pa.array(np.repeat(np.datetime_as_string(stamp, unit="s"), 2)),
            "effective_date": pa.array(np.repeat(eff, 2)),
            "user_id": pa.array(np.repeat(users, 2)),
            "description": pa.array(np.repeat(texts, 2)),
        })  # fmt: skip
        if writer is None:
            writer = pq.ParquetWriter(str(path), batch.schema, compression="zstd")
        writer.write_table(batch)
    assert writer is not None
    writer.close()


def source(rows: int, say: Callable[[str], None]) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"journal_{rows}.parquet"
    if not path.exists():
        t0 = time.perf_counter()
        generate(rows, path)
        say(f"generated {path.name} in {time.perf_counter() - t0:.1f} s")
    return path


LOCATIONS = ("location_id,name,fiscal_year,revenue,total_assets,pretax_income\n"
             "HQ,本社,2024,40000000000,30000000000,2000000000\n")  # fmt: skip


def prepare(rows: int, say: Callable[[str], None]) -> Path:
    """The workspace for `rows` lines with the ledger loaded (built once, then reused)."""
    from mieruka.core.datasets import load
    from mieruka.core.workspace import init_workspace

    parquet = source(rows, say)
    root = DATA / "ws-icfr" / str(rows)
    ready = root / ".mieruka" / "bench-ready"
    if ready.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    init_workspace(root, organisation="ベンチマーク株式会社", enabled_packs=["icfr"])
    with (root / "mieruka.toml").open("a", encoding="utf-8") as f:
        f.write(f"\n[packs.icfr]\nauthorised_users = {[*USERS, RARE_USER]!r}\n".replace("'", '"'))
    (root / "locations.csv").write_text(LOCATIONS, encoding="utf-8")
    set_memory_limit(root, "3GB")  # the load of 100M lines would grow past 19 GB without it
    project = _project(root)
    t0 = time.perf_counter()
    load(project, "locations", root / "locations.csv")
    load(project, "journal_entries", parquet)
    say(f"loaded {rows:,} lines into the workspace in {time.perf_counter() - t0:.1f} s")
    project.close()
    ready.write_text("ok\n", encoding="utf-8")
    return root


def _project(root: Path) -> Any:
    from mieruka.core.project import Project
    from mieruka.core.workspace import open_workspace

    return Project(open_workspace(root))


def snapshot_of(root: Path) -> Path:
    found = sorted((root / ".mieruka" / "snapshots" / "journal_entries").glob("*.parquet"))
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- (b) mieruka


def set_memory_limit(root: Path, memory_limit: str | None) -> None:
    """The workspace's `memory_limit` setting (DuckDB spills to .mieruka/tmp beyond it)."""
    import re

    config = root / "mieruka.toml"
    text = re.sub(r"(?m)^memory_limit = .*\n", "", config.read_text(encoding="utf-8"))
    setting = f'memory_limit = "{memory_limit}"\n' if memory_limit else ""
    config.write_text(setting + text, encoding="utf-8")


def run_mieruka(root: Path) -> int:
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run

    project = _project(root)
    try:
        run = start_run(project, Period.for_fiscal_year(FY))
        return len(project.store.violations(run.id, "icfr.je_score"))
    finally:
        project.close()


# ---------------------------------------------------------------- (a) hand-written DuckDB

BASE = """CREATE TEMP TABLE je AS
SELECT entry_id, line_no, account_code, coalesce(debit, 0) AS debit, coalesce(credit, 0) AS credit,
       abs(coalesce(debit, 0) - coalesce(credit, 0)) AS amount,
       CAST(posted_at AS TIMESTAMP) AS posted_at, effective_date, user_id, description
FROM read_parquet('{path}') WHERE effective_date BETWEEN DATE '2024-04-01' AND DATE '2025-03-31'"""

HAND = {
    "weekend_holiday": "SELECT entry_id, line_no FROM je WHERE dayofweek(posted_at) IN (0, 6) "
                       "OR CAST(posted_at AS DATE) IN (SELECT d FROM hol)",
    "late_posting": "SELECT entry_id, line_no FROM je "
                    "WHERE CAST(posted_at AS DATE) > last_day(effective_date) + 10",
    "round_amount": "SELECT entry_id, line_no FROM je WHERE amount >= 1000000 "
                    "AND amount % 1000000 = 0",
    "unauthorised_user": "SELECT entry_id, line_no FROM je WHERE user_id IS NULL "
                         "OR user_id NOT IN (SELECT u FROM auth)",
    "rare_user": "SELECT entry_id, line_no FROM je WHERE user_id IN (SELECT user_id FROM je "
                 "GROUP BY user_id HAVING count(DISTINCT entry_id) <= 3)",
    "keyword": "SELECT entry_id, line_no FROM je WHERE regexp_matches(description, "
               "'修正|調整|訂正|仮|取消')",
    "unbalanced": "SELECT entry_id, line_no FROM je WHERE entry_id IN (SELECT entry_id FROM je "
                  "GROUP BY entry_id HAVING sum(debit) <> sum(credit))",
    "duplicate": "SELECT entry_id, line_no FROM je SEMI JOIN (SELECT account_code, debit, credit, "
                 "effective_date FROM je GROUP BY ALL HAVING count(DISTINCT entry_id) > 1) d "
                 "USING (account_code, debit, credit, effective_date)",
    "number_gap": "SELECT entry_id, min(line_no) AS line_no FROM (SELECT entry_id, line_no, n, "
                  "n - lag(n) OVER (ORDER BY n) AS step FROM (SELECT DISTINCT entry_id, 1 AS "
                  "line_no, CAST(substr(entry_id, 3) AS BIGINT) AS n FROM je)) WHERE step > 1 "
                  "GROUP BY entry_id",
    "seldom_account": "SELECT entry_id, line_no FROM je WHERE account_code IN (SELECT "
                      "account_code FROM je GROUP BY account_code HAVING count(*) <= 3)",
    "near_materiality": f"SELECT entry_id, line_no FROM je WHERE amount >= {MATERIALITY} * 0.9 "
                        f"AND amount < {MATERIALITY}",
}  # fmt: skip
WEIGHTS = {"weekend_holiday": 1, "late_posting": 2, "round_amount": 1, "unauthorised_user": 3,
           "rare_user": 2, "keyword": 1, "unbalanced": 5, "duplicate": 2, "number_gap": 1,
           "seldom_account": 1, "near_materiality": 2}  # fmt: skip


def run_duckdb(path: Path, memory_limit: str | None = None) -> int:
    import jpholiday

    tmp = DATA / "tmp-baseline"
    tmp.mkdir(parents=True, exist_ok=True)
    limits = {"memory_limit": memory_limit} if memory_limit else {}
    con = duckdb.connect(":memory:", config={"temp_directory": str(tmp), **limits})
    con.execute(BASE.format(path=path))
    days = [d for y in (2024, 2025) for d, _ in jpholiday.year_holidays(y)]
    con.execute("CREATE TEMP TABLE hol AS SELECT unnest($1::DATE[]) AS d", [days])
    con.execute("CREATE TEMP TABLE auth AS SELECT unnest($1::VARCHAR[]) AS u",
                [[*USERS, RARE_USER]])  # fmt: skip
    parts = []
    for name, sql in HAND.items():
        con.execute(f"CREATE TEMP TABLE f_{name} AS {sql}")
        con.execute(f"SELECT * FROM f_{name}").fetchall()
        parts.append(f"SELECT entry_id, line_no, '{name}' AS test, {WEIGHTS[name]} AS w "
                     f"FROM f_{name}")  # fmt: skip
    score = con.execute("SELECT entry_id, line_no, string_agg(test, ';' ORDER BY test), count(*), "
                        f"sum(w) FROM ({' UNION ALL '.join(parts)}) GROUP BY ALL").fetchall()  # fmt: skip
    for k in (1, 2):
        con.execute(f"SELECT left(CAST(amount AS VARCHAR), {k}) AS d, count(*) FROM je "
                    "WHERE amount >= 10 GROUP BY d").fetchall()  # fmt: skip
    con.close()
    return len(score)


# ---------------------------------------------------------------- (c) pandas, (d) polars


def run_pandas(path: Path) -> int:
    import jpholiday
    import pandas as pd

    df = pd.read_parquet(path)
    df = df[(df.effective_date >= date(2024, 4, 1)) & (df.effective_date <= date(2025, 3, 31))]
    df = df.assign(debit=df.debit.fillna(0), credit=df.credit.fillna(0))
    df["amount"] = (df.debit - df.credit).abs()
    posted = pd.to_datetime(df.posted_at)
    day = posted.dt.normalize()
    hol = pd.to_datetime([d for y in (2024, 2025) for d, _ in jpholiday.year_holidays(y)])
    eff = pd.to_datetime(df.effective_date)
    flags = {
        "weekend_holiday": (posted.dt.day_of_week >= 5) | day.isin(hol),
        "late_posting": day > eff + pd.offsets.MonthEnd(0) + pd.Timedelta(days=10),
        "round_amount": (df.amount >= 1_000_000) & (df.amount % 1_000_000 == 0),
        "unauthorised_user": ~df.user_id.isin([*USERS, RARE_USER]),
        "rare_user": df.user_id.map(df.groupby("user_id").entry_id.nunique()) <= 3,
        "keyword": df.description.str.contains("修正|調整|訂正|仮|取消", regex=True),
        "seldom_account": df.account_code.map(df.account_code.value_counts()) <= 3,
        "near_materiality": (df.amount >= MATERIALITY * 0.9) & (df.amount < MATERIALITY),
    }
    sums = df.groupby("entry_id")[["debit", "credit"]].transform("sum")
    flags["unbalanced"] = sums.debit != sums.credit
    keys = ["account_code", "debit", "credit", "effective_date"]
    flags["duplicate"] = df.groupby(keys).entry_id.transform("nunique") > 1
    firsts = df.drop_duplicates("entry_id")
    number = firsts.entry_id.str[2:].astype("int64").sort_values()
    gaps = set(firsts.entry_id.loc[number.index[1:][number.diff().iloc[1:].to_numpy() > 1]])
    flags["number_gap"] = df.entry_id.isin(gaps) & (df.line_no == 1)
    frame = pd.DataFrame(flags)
    hit = frame.any(axis=1)
    score = (frame[hit] * pd.Series(WEIGHTS)).sum(axis=1)
    for k in (1, 2):
        df.amount[df.amount >= 10].astype(str).str[:k].value_counts()
    return len(score)


def run_polars(path: Path) -> int:
    import jpholiday
    import polars as pl

    hol = [d for y in (2024, 2025) for d, _ in jpholiday.year_holidays(y)]
    df = pl.read_parquet(path).filter(
        pl.col("effective_date").is_between(date(2024, 4, 1), date(2025, 3, 31))
    ).with_columns(pl.col("debit").fill_null(0), pl.col("credit").fill_null(0),
                   pl.col("posted_at").str.to_datetime("%Y-%m-%dT%H:%M:%S"))  # fmt: skip
    df = df.with_columns((pl.col("debit") - pl.col("credit")).abs().alias("amount"),
                         pl.col("posted_at").dt.date().alias("day"))  # fmt: skip
    number = pl.col("entry_id").str.slice(2).cast(pl.Int64)
    firsts = df.filter(pl.col("line_no") == 1).select("entry_id", number.alias("n")).sort("n")
    gaps = firsts.filter(pl.col("n").diff() > 1).get_column("entry_id")
    flags = df.select(
        "entry_id", "line_no",
        ((pl.col("posted_at").dt.weekday() >= 6) | pl.col("day").is_in(pl.Series(hol, dtype=pl.Date).implode())).alias("weekend_holiday"),
        (pl.col("day") > pl.col("effective_date").dt.month_end() + pl.duration(days=10)).alias("late_posting"),
        ((pl.col("amount") >= 1_000_000) & (pl.col("amount") % 1_000_000 == 0)).alias("round_amount"),
        (~pl.col("user_id").is_in(pl.Series([*USERS, RARE_USER]).implode())).alias("unauthorised_user"),
        (pl.col("entry_id").n_unique().over("user_id") <= 3).alias("rare_user"),
        pl.col("description").str.contains("修正|調整|訂正|仮|取消").alias("keyword"),
        (pl.col("debit").sum().over("entry_id") != pl.col("credit").sum().over("entry_id")).alias("unbalanced"),
        (pl.col("entry_id").n_unique().over(["account_code", "debit", "credit", "effective_date"]) > 1).alias("duplicate"),
        (pl.col("entry_id").is_in(gaps.implode()) & (pl.col("line_no") == 1)).alias("number_gap"),
        (pl.len().over("account_code") <= 3).alias("seldom_account"),
        ((pl.col("amount") >= MATERIALITY * 0.9) & (pl.col("amount") < MATERIALITY)).alias("near_materiality"),
    )  # fmt: skip
    score = flags.with_columns(
        sum(pl.col(n).cast(pl.Int64) * w for n, w in WEIGHTS.items()).alias("score")
    ).filter(pl.col("score") > 0)
    for k in (1, 2):
        df.filter(pl.col("amount") >= 10).group_by(
            pl.col("amount").cast(pl.String).str.slice(0, k)).len()  # fmt: skip
    return score.height


# ---------------------------------------------------------------- timing


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, peak, out = [], 0.0, None
    for _ in range(repeat):
        reset_peak()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        peak = max(peak, peak_mb())
    return min(times), peak, out


def measure(rows: int, repeat: int = 3, say: Callable[[str], None] = print,
            frames_rows: int | None = None, memory_limit: str | None = None) -> dict[str, Any]:  # fmt: skip
    root = prepare(rows, say)
    set_memory_limit(root, memory_limit)
    snap = snapshot_of(root)
    if rows < 50_000_000:
        run_duckdb(snap, memory_limit)  # warm-up: file cache, imports
        run_mieruka(root)
    else:  # a warm-up run would take minutes: warm the file cache by reading the snapshot
        with snap.open("rb") as handle:
            while handle.read(64 << 20):
                pass
    base_s, base_peak, base_n = _best(lambda: run_duckdb(snap, memory_limit), repeat)
    ours_s, ours_peak, ours_n = _best(lambda: run_mieruka(root), repeat)
    say(
        f"(a) hand-written DuckDB: {base_s:7.2f} s, {base_n:,} flagged lines, peak {base_peak:,.0f} MB"
    )
    say(
        f"(b) mieruka run:         {ours_s:7.2f} s, {ours_n:,} flagged lines, peak {ours_peak:,.0f} MB"
    )
    say(f"ratio b/a: {ours_s / base_s:.2f} (goal <= 1.5)")
    row = {"workload": "icfr: 11 journal-entry tests + score + Benford", "size": f"{rows:,} lines",
           "mieruka_s": ours_s, "baseline_s": base_s, "ratio": ours_s / base_s, "goal": 1.5,
           "peak_mb": ours_peak, "baseline_peak_mb": base_peak,
           "baseline": "hand-written DuckDB SQL for the same tests (flags fetched)",
           "detail": f"{ours_n} flagged (mieruka) / {base_n} (SQL); {date.today().isoformat()}"}  # fmt: skip
    n = frames_rows if frames_rows is not None else min(rows, 20_000_000)
    if n:
        froot = prepare(n, say) if n != rows else root
        set_memory_limit(froot, memory_limit)
        fsnap = snapshot_of(froot)
        ours_f = ours_s if n == rows else _best(lambda: run_mieruka(froot), repeat)[0]
        pd_s, pd_peak, pd_n = _best(lambda: run_pandas(fsnap), 1)
        pl_s, pl_peak, pl_n = _best(lambda: run_polars(fsnap), 1)
        say(f"on {n:,} lines: mieruka {ours_f:.2f} s; pandas {pd_s:.2f} s ({pd_s / ours_f:.1f}x, "
            f"peak {pd_peak:,.0f} MB, {pd_n:,} flagged); polars {pl_s:.2f} s "
            f"({pl_s / ours_f:.1f}x, peak {pl_peak:,.0f} MB, {pl_n:,} flagged)")  # fmt: skip
        row.update(pandas_s=pd_s, polars_s=pl_s, frames_rows=n, pandas_speedup=pd_s / ours_f,
                   polars_speedup=pl_s / ours_f)  # fmt: skip
    return row


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frames-rows", type=int, default=None,
                        help="size for pandas/polars (0: skip them)")  # fmt: skip
    parser.add_argument(
        "--memory-limit", default="3GB", help='DuckDB memory_limit (default 3GB; "" for none)'
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    quiet = (lambda _m: None) if args.json else print
    result = measure(args.rows, args.repeat, quiet, args.frames_rows, args.memory_limit)
    print(json.dumps(result) if args.json else f"peak RSS: mieruka {result['peak_mb']:,.0f} MB")
