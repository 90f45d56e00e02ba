"""Committee action items (ch.2 §3-2②③, §3-3, §3-6): each downgrade path, end to end.

A finding opens the item; the treasurer records referral, decision and closure with
`mieruka funds actions record`, which rewrites and reloads the committee_actions file; the
item's status on a date follows what was recorded by then.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from test_fd_world import HEADERS, holding, holdings, shared_world, write_csv

from mieruka.core.datasets import load
from mieruka.core.issues import MierukaError
from mieruka.core.runs import current_snapshots
from mieruka.packs.funds.actions_data import items_on, record
from mieruka.packs.funds.cli import funds_cli

BOND = holding("C2", "OPER", 10, ratings="R&I:A", book_value=1_000_000, acquired_on="2024-04-01")
AS_OF = date(2025, 3, 31)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from shared_world(tmp_path_factory)


def history(*changes):
    return [{"holding_id": "C2", "agency": a, "rating": r, "date": d} for a, r, d in changes]


REVIEW = history(("R&I", "A", "2024-03-01"), ("R&I", "BBB", "2024-11-01"))
SELL = history(("R&I", "A", "2024-03-01"), ("R&I", "BB", "2025-01-15"))
REVIEW_THEN_SELL = [*REVIEW, *history(("R&I", "BB", "2025-02-20"))]


def items(world, as_of=AS_OF, **tables):
    world.use(**{"holdings": [*holdings(), BOND], **tables})
    return {(i.holding_id, i.kind): i for i in items_on(world.project, as_of)}


def step(world, kind, file, **changes):
    return record(world.project, "C2", kind, changes, file)


def test_a_downgrade_still_at_the_purchase_level_opens_no_item(world):
    keep = history(("R&I", "AA", "2024-03-01"), ("R&I", "A", "2024-11-01"))
    assert items(world, rating_history=keep) == {}


def test_sell_in_principle_is_referred_decided_kept_and_closed(world, tmp_path):
    file = tmp_path / "committee_actions.csv"
    [item] = items(world, rating_history=REVIEW).values()
    assert (item.kind, item.status, item.opened_on, item.entity_id) == (
        "downgrade_review",
        "open",
        date(2024, 11, 1),
        "ZAI",
    )
    assert "資金管理委員会" in item.action
    world.use(holdings=[*holdings(), BOND], rating_history=REVIEW)  # the file is written on this
    step(world, "downgrade_review", file, referred_on=date(2024, 12, 2))
    assert items_on(world.project, AS_OF)[0].status == "referred"
    step(world, "downgrade_review", file, decision="keep", decided_on=date(2024, 12, 20),
         note="JCRのBBBが残る")  # fmt: skip
    [item] = items_on(world.project, AS_OF)
    assert (item.status, item.decision, item.problems) == ("decided", "keep", [])
    step(world, "downgrade_review", file, closed_on=date(2024, 12, 20))
    [item] = items_on(world.project, AS_OF)
    assert (item.status, item.closed_on, item.note) == (
        "closed",
        date(2024, 12, 20),
        "JCRのBBBが残る",
    )
    # seen from before the decision, the same file shows the item as referred only
    [before] = items_on(world.project, date(2024, 12, 10))
    assert (before.status, before.decision) == ("referred", None)
    assert "downgrade_review" in file.read_text(encoding="utf-8")


def test_bb_is_sold_promptly_and_closes_only_when_no_longer_held(world, tmp_path):
    file = tmp_path / "committee_actions.csv"
    [item] = items(world, rating_history=SELL).values()
    assert (item.kind, item.status) == ("downgrade_sell", "open")
    assert "年間資金計画" in item.action
    world.use(holdings=[*holdings(), BOND], rating_history=SELL)
    step(world, "downgrade_sell", file, referred_on=date(2025, 1, 20), decision="sell",
         decided_on=date(2025, 1, 31), closed_on=date(2025, 2, 14))  # fmt: skip
    [item] = items_on(world.project, AS_OF)
    assert item.status == "closed" and item.problems == [
        "売却として完了したが、なお保有している / closed as sold but still held"
    ]
    sold = [*holdings(), {**BOND, "disposed_on": "2025-02-14"}]
    world.use(holdings=sold, rating_history=SELL, committee_actions=[
        {"holding_id": "C2", "kind": "downgrade_sell", "referred_on": "2025-01-20",
         "decision": "sell", "decided_on": "2025-01-31", "closed_on": "2025-02-14"}])  # fmt: skip
    [item] = items_on(world.project, AS_OF)
    assert (item.status, item.finding, item.problems) == ("closed", False, [])


def test_keeping_a_bb_holding_is_flagged_as_departing_from_the_guideline(world):
    decided = [{"holding_id": "C2", "kind": "downgrade_sell", "decision": "keep",
                "decided_on": "2025-02-01"}]  # fmt: skip
    [item] = items(world, rating_history=SELL, committee_actions=decided).values()
    assert item.status == "decided" and "速やかに売却" in item.problems[0]


def test_review_then_bb_opens_a_second_item_while_the_first_stays_closed(world):
    closed = [{"holding_id": "C2", "kind": "downgrade_review", "referred_on": "2024-12-02",
               "decision": "keep", "decided_on": "2024-12-20", "closed_on": "2024-12-20"}]  # fmt: skip
    found = items(world, rating_history=REVIEW_THEN_SELL, committee_actions=closed)
    assert {k: (i.status, i.finding) for k, i in found.items()} == {
        ("C2", "downgrade_review"): ("closed", False),
        ("C2", "downgrade_sell"): ("open", True),
    }


def test_a_legacy_holding_closed_without_a_complete_plan_is_flagged(world):
    legacy = holding("OLD", "ENDOW", 10, ratings="R&I:BBB", acquired_on="2012-04-01",
                     maturity_date="2032-04-01", book_value=1)  # fmt: skip
    closed = [{"holding_id": "OLD", "kind": "legacy_plan", "decision": "keep_with_plan",
               "decided_on": "2024-06-01", "closed_on": "2024-06-01"}]  # fmt: skip
    world.use(holdings=[*holdings(), legacy], committee_actions=closed)
    [item] = items_on(world.project, AS_OF)
    assert (item.kind, item.opened_on, item.status) == ("legacy_plan", date(2013, 3, 21), "closed")
    assert item.problems == [
        "管理計画が未整備のまま完了 / closed while the management plan is still missing"
    ]


def test_a_wrong_step_is_refused_and_changes_nothing(world, tmp_path):
    file = tmp_path / "committee_actions.csv"
    world.use(holdings=[*holdings(), BOND], rating_history=SELL)
    step(world, "downgrade_sell", file, referred_on=date(2025, 1, 20))
    text, snaps = file.read_text(encoding="utf-8"), current_snapshots(world.project)
    with pytest.raises(MierukaError) as refused:  # decided before it was referred
        step(world, "downgrade_sell", file, decision="sell", decided_on=date(2025, 1, 10))
    assert "decided_on is before referred_on" in refused.value.render()
    assert "row 2" in refused.value.render()
    with pytest.raises(MierukaError, match="no holding 'C3'"):
        record(world.project, "C3", "downgrade_sell", {"referred_on": date(2025, 1, 20)}, file)
    assert file.read_text(encoding="utf-8") == text
    assert current_snapshots(world.project) == snaps


def test_the_cli_records_and_lists_items_to_closure(world, tmp_path):
    world.use(holdings=[*holdings(), BOND], rating_history=SELL)
    ws = {"workspace": world.project.ws.root}
    run = CliRunner().invoke
    listed = run(funds_cli, ["actions", "list", "--as-of", "R7.3.31", "--json"], obj=ws)
    assert listed.exit_code == 1  # an open item
    [item] = json.loads(listed.stdout)["items"]
    assert (item["kind"], item["status"], item["status_label"]) == (
        "downgrade_sell",
        "open",
        "未付議",
    )
    file = str(tmp_path / "actions.csv")
    done = run(funds_cli, ["actions", "record", "C2", "--kind", "downgrade_sell", "--referred-on",
                           "2025-01-20", "--decision", "sell", "--decided-on", "R7.1.31",
                           "--file", file], obj=ws)  # fmt: skip
    assert done.exit_code == 0, done.output
    listed = run(funds_cli, ["actions", "list", "--as-of", "2025-03-31", "--json"], obj=ws)
    [item] = json.loads(listed.stdout)["items"]
    assert (item["status"], item["decided_on"], item["decision_label"]) == (
        "decided",
        "2025-01-31",
        "売却",
    )
    sold = [*holdings(), {**BOND, "disposed_on": "2025-02-14"}]
    world.replace(holdings=sold)
    closed = run(funds_cli, ["actions", "record", "C2", "--kind", "downgrade_sell",
                             "--closed-on", "2025-02-14", "--file", file], obj=ws)  # fmt: skip
    assert closed.exit_code == 0, closed.output
    final = run(funds_cli, ["actions", "list", "--as-of", "2025-03-31"], obj=ws)
    assert final.exit_code == 0, final.output
    assert "0 open, 0 referred, 0 decided, 1 closed" in final.output
    nothing = run(funds_cli, ["actions", "record", "C2", "--kind", "downgrade_sell"], obj=ws)
    assert nothing.exit_code == 2


def test_the_committee_file_is_checked_row_by_row_when_it_loads(world, tmp_path):
    rows = [
        {"holding_id": "C2", "kind": "downgrade_sell", "decision": "sell"},  # no date
        {"holding_id": "C3", "kind": "downgrade_sell", "closed_on": "2025-02-01"},  # no decision
        {"holding_id": "C4", "kind": "legacy_plan", "decision": "keep_with_plan",
         "decided_on": "2025-02-01", "closed_on": "2025-01-31"},  # closed before decided
        {"holding_id": "C5", "kind": "downgrade", "referred_on": "2025-01-01"},  # unknown kind
    ]  # fmt: skip
    path = write_csv(tmp_path / "committee_actions.csv", rows, HEADERS["committee_actions"])
    with pytest.raises(MierukaError) as refused:
        load(world.project, "committee_actions", path)
    text = refused.value.render()
    for expected in (
        "row 2, column 'decided_on'",
        "row 3, column 'decision'",
        "row 4, column 'closed_on'",
        "row 5, column 'kind'",
    ):
        assert expected in text, (expected, text)
