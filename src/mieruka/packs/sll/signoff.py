"""A verifier's sign-off on one reported KPI value, kept in the store's audit log.

The audit log (`Store.audit`) is append-only and sits beside the hash-chained run ledger;
the dashboard records its run sign-offs there too. An SLL sign-off is the entry
`action = "sll.signoff"`, `target = "sll:LOAN/KPI/FY"`, `actor` = the verifier's name,
`after_hash` = the SHA-256 of what was signed, and `detail` = JSON with the verdict
(`passed` | `failed`), the verification date and a note.

What is signed is the content the SPT is judged on: the reported value (for a KPI fed by
an indicator, the ledger's figure with its run id and run hash), the report date and the
evidence reference. When that content changes after signing (a corrected file is loaded,
a new run discloses another figure), the sign-off no longer matches: the observation is
unverified again and flagged `signoff_stale`. A matching sign-off — the latest one —
supplies the observation's verification (verifier, date, verdict) in place of the
file's `verified_by` / `verified_on` / `verification` columns, because it is the later act
and is on record; the deadline rule then applies to the sign-off's date as to any other.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.ledger import canonical_json, sha256_hex
from mieruka.core.store import Store
from mieruka.packs.sll.achievement import DEFAULT_OPTIONS, IndicatorLookup, Options, figure_of
from mieruka.packs.sll.model import Loan

ACTION = "sll.signoff"
VERDICTS = ("passed", "failed")


def target_of(loan_id: str, kpi_id: str, fy: int) -> str:
    return f"sll:{loan_id}/{kpi_id}/{fy}"


def signed_content(
    loan: Loan,
    kpi_id: str,
    fy: int,
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """What a verifier vouches for: the judged value, its report date, evidence, source."""
    kpi = loan.kpi(kpi_id)
    if kpi is None:
        raise MierukaError(
            Issue(
                f"loan {loan.loan_id} has no KPI '{kpi_id}'",
                expected=", ".join(k.kpi_id for k in loan.kpis),
                found=kpi_id,
            )
        )
    obs = loan.observations.get((kpi_id, fy))
    value, evidence = figure_of(loan, kpi, fy, lookup=lookup, options=options)
    return {
        "loan_id": loan.loan_id,
        "kpi_id": kpi_id,
        "fiscal_year": fy,
        "source": kpi.source,
        "value": value,
        "reported_on": obs.reported_on.isoformat() if obs and obs.reported_on else None,
        "evidence_ref": obs.evidence_ref if obs else None,
        "indicator_run": evidence.get("run"),
        "indicator_run_hash": evidence.get("run_hash"),
    }


def content_hash(content: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_json(dict(content)))


def record_signoff(
    store: Store,
    loan: Loan,
    kpi_id: str,
    fy: int,
    *,
    by: str,
    on: date,
    verdict: str = "passed",
    note: str | None = None,
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
    today: date | None = None,
) -> dict[str, Any]:
    """Check that there is something to sign, then append the sign-off to the audit log."""
    content = signed_content(loan, kpi_id, fy, lookup, options)
    where = f"{loan.loan_id} {kpi_id} FY{fy}"
    if not by.strip():
        raise MierukaError(Issue("a sign-off needs the verifier's name", expected="--by NAME"))
    if verdict not in VERDICTS:
        raise MierukaError(Issue("unknown verdict", expected=" or ".join(VERDICTS), found=verdict))
    if content["reported_on"] is None:
        raise MierukaError(
            Issue(
                f"{where}: nothing reported to sign (no observation with a report date)",
                expected="an observations row with reported_on",
            )
        )
    if content["value"] is None:
        kpi = loan.kpi(kpi_id)
        hint = f"; run `mieruka run --fy {fy}` first" if kpi and kpi.indicator else ""
        raise MierukaError(
            Issue(f"{where}: there is no value to sign{hint}", expected="a reported value")
        )
    reported = date.fromisoformat(content["reported_on"])
    if on < reported:
        raise MierukaError(
            Issue(
                f"{where}: the verification date is before the report date",
                expected=f"on or after {reported.isoformat()}",
                found=on.isoformat(),
            )
        )
    if today is not None and on > today:
        raise MierukaError(
            Issue(
                f"{where}: a sign-off cannot be dated in the future",
                expected=f"on or before {today.isoformat()}",
                found=on.isoformat(),
            )
        )
    digest = content_hash(content)
    detail = {"verdict": verdict, "on": on.isoformat(), "note": note, "content": content}
    store.audit(
        by.strip(),
        ACTION,
        target_of(loan.loan_id, kpi_id, fy),
        after_hash=digest,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
    )
    return {"target": target_of(loan.loan_id, kpi_id, fy), "by": by.strip(), "hash": digest,
            **detail}  # fmt: skip


def read_signoffs(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every SLL sign-off in the audit log, by target, oldest first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in store.audit_log():
        if entry["action"] != ACTION:
            continue
        detail = json.loads(entry["detail"] or "{}")
        found.setdefault(str(entry["target"]), []).append(
            {
                "by": entry["actor"],
                "at": entry["at"].isoformat(),
                "hash": entry["after_hash"],
                "verdict": detail.get("verdict"),
                "on": detail.get("on"),
                "note": detail.get("note"),
            }
        )
    return found


def apply_signoffs(
    loan: Loan,
    signoffs: Mapping[str, Sequence[dict[str, Any]]],
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> Loan:
    """The loan with each observation's verification taken from its latest matching sign-off."""
    observations = dict(loan.observations)
    for (kpi_id, fy), obs in loan.observations.items():
        entries = signoffs.get(target_of(loan.loan_id, kpi_id, fy), ())
        if not entries or loan.kpi(kpi_id) is None:
            continue
        digest = content_hash(signed_content(loan, kpi_id, fy, lookup, options))
        matching = [e for e in entries if e["hash"] == digest]
        if not matching:
            observations[(kpi_id, fy)] = dataclasses.replace(
                obs, signoff={**entries[-1], "current": False}
            )
            continue
        last = matching[-1]
        observations[(kpi_id, fy)] = dataclasses.replace(
            obs,
            verified_by=last["by"],
            verified_on=date.fromisoformat(last["on"]),
            verification=last["verdict"],
            signoff={**last, "current": True},
        )
    return dataclasses.replace(loan, observations=observations)
