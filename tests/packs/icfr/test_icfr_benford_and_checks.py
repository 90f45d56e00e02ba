"""Benford conformity by MAD with Nigrini's bands; load checks; the generated rule file."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.packs.icfr import benford, pack
from mieruka.packs.icfr.specgen import SPEC, generate


def _digits(amounts: np.ndarray, k: int) -> dict[int, int]:
    return dict(Counter(int(str(int(a))[:k]) for a in amounts if a >= 10))


def test_benford_expected_shares_are_the_logarithmic_law():
    assert math.isclose(benford.expected(1)[1], 0.30103, abs_tol=1e-5)
    assert math.isclose(sum(benford.expected(2).values()), 1.0)


def test_nigrini_bands_at_their_boundaries():
    assert [benford.band(m, 1) for m in (0.006, 0.0061, 0.012, 0.015, 0.0151)] == [
        "close", "acceptable", "acceptable", "marginal", "nonconformity"]  # fmt: skip
    assert [benford.band(m, 2) for m in (0.0012, 0.0018, 0.0022, 0.0023)] == [
        "close", "acceptable", "marginal", "nonconformity"]  # fmt: skip


def test_a_natural_ledger_conforms_and_invented_amounts_do_not():
    rng = np.random.default_rng(7)
    natural = np.floor(10 ** rng.uniform(2, 7, 50_000))  # scale-invariant: Benford
    r1, r2 = benford.analyse(_digits(natural, 1), 1), benford.analyse(_digits(natural, 2), 2)
    assert r1.conformity == "close" and r2.conformity in ("close", "acceptable")
    # someone typing amounts "between 40,000 and 99,999" to stay under an approval limit
    invented = np.concatenate([natural[:45_000], rng.integers(40_000, 99_999, 5_000)])
    r = benford.analyse(_digits(invented, 1), 1)
    assert r.mad > r1.mad and r.conformity in ("marginal", "nonconformity")
    # at this size chi-square rejects both; that is why MAD decides
    assert r.p_value < 0.001 and r.df == 8


def test_no_amounts_gives_no_figure_rather_than_zero():
    assert math.isnan(benford.analyse({}, 1).mad)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    registry.register(pack)
    p = make_project(tmp_path / "ws", {}, packs=["icfr"])
    yield p
    p.close()
    registry.unregister("icfr")


BAD_LEDGER = """\
entry_id,line_no,account_code,debit,credit,posted_at,effective_date,user_id,description
E1,1,1100,100,,2024-04-01 10:00:00,2024-04-01,U1,ok
E1,2,4000,,100,yesterday,2024-04-01,U1,bad time
E2,1,1100,100,100,2024-04-02 10:00:00,2024-04-02,U1,both sides
E2,2,4000,,,2024-04-02 10:00:00,2024-04-02,U1,no side
"""


def test_a_ledger_with_a_bad_timestamp_or_two_sided_line_is_refused(project, tmp_path):
    with pytest.raises(MierukaError) as err:
        load(project, "journal_entries", write(tmp_path / "je.csv", BAD_LEDGER))
    found = {(i.row, i.column) for i in err.value.issues}
    assert found == {(3, "posted_at"), (4, "credit"), (5, "debit")}


def test_unknown_assertion_and_impossible_test_counts_are_refused(project, tmp_path):
    controls = ("control_id,process_id,description,frequency,nature,key,assertions,owner\n"
                "C1,P1,承認,monthly,manual,○,existence;valuation,経理部長\n"
                "C2,P1,照合,daily,automated,○,existence;accuracy,経理課\n")  # fmt: skip
    with pytest.raises(MierukaError) as err:
        load(project, "controls", write(tmp_path / "c.csv", controls))
    assert [(i.row, i.found) for i in err.value.issues] == [(3, "accuracy")]
    tests = ("control_id,fiscal_year,phase,population_size,sample_size,deviations,tested_on,tester\n"
             "C1,2024,operating,12,2,3,2025-01-10,監査室\n")  # fmt: skip
    with pytest.raises(MierukaError) as err:
        load(project, "tests", write(tmp_path / "t.csv", tests))
    assert [(i.row, i.column) for i in err.value.issues] == [(2, "deviations")]


def test_the_rule_file_is_generated_from_the_tests():
    assert SPEC.read_text(encoding="utf-8") == generate(), (
        "run python -m mieruka.packs.icfr.specgen"
    )
