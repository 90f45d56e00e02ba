"""Pages a pack adds to the dashboard, described without depending on the web layer.

A pack sets `Pack.pages` to a `PackPages`: a few `PackPage` values, each a path under
`/packs/<pack>/`, a label for the navigation and a view. The dashboard (`mieruka.web`)
owns everything about HTTP: it mounts each view, checks the `read` permission, wraps the
page's HTML in its own layout (header, navigation, language/era/yen switches) and serves
the same view's data as JSON under `/api/v1/packs/<pack>/<path>`. A pack therefore imports
only core (this module), jinja2 and itself, as the layers require.

A view receives a `PageRequest` — the workspace, the reader's display choices with the
formatting helpers of `mieruka.japan` (和暦/西暦, 千円/百万円 truncated toward zero with △),
the query string and the chosen stored run — and returns a `PageContent`: a title, the
body's HTML (rendered with the pack's own templates through `pack_templates`) and the
figures as JSON-able data. Pages read stored runs and the pack's own functions; they never
write. Charts: a `<canvas data-chart='{"type": ..., "labels": ..., "datasets": ...}'>` is
drawn by the dashboard's vendored Chart.js (the same figures belong in a table beside it);
no inline script or style (the Content-Security-Policy refuses them).

A pack may also declare `PageAction`s: a form a page posts to `/packs/<pack>/<path>` (and
JSON to `/api/v1/packs/<pack>/<path>`), with the permission it needs. The dashboard checks
that permission and the CSRF token before the pack's handler runs, and passes the handler
the signed-in user's name and the form's fields in the `PageRequest`; the handler does the
writing through core (e.g. `store.audit`) and returns an `ActionResult`, or raises
`MierukaError` to refuse with a clear message (the page is shown again with it, status 400).
A view shows an action's form only when `p.can(permission)`, with `p.csrf_field()` inside.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.schema import Labels
from mieruka.core.store import RunRecord
from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.japan.yen import truncate_to_unit

STATUS_ORDER = ("missed", "no_data", "met", "no_target")
YEN_TEXT = {
    ("ja", 1000): "千円",
    ("ja", 1_000_000): "百万円",
    ("en", 1000): "¥ thousand",
    ("en", 1_000_000): "¥ million",
}

UNIT_TEXT = {
    "people": {"ja": "人", "en": ""},
    "years": {"ja": "年", "en": " yrs"},
    "days": {"ja": "日", "en": " days"},
    "hours": {"ja": "時間", "en": " h"},
}


class PageNotFound(LookupError):
    """What a page was asked for does not exist (answered with HTTP 404)."""


@dataclass(frozen=True)
class PageContent:
    title: str
    html: Markup | str  # the page's body, placed in the dashboard's layout
    data: Any = None  # the same figures, JSON-able, for /api/v1/packs/<pack>/<path>


@dataclass(frozen=True)
class PackPage:
    path: str  # "" for the pack's first page, else e.g. "survey"
    label: Labels  # shown in the navigation and on the overview
    view: Callable[[PageRequest], PageContent]


@dataclass(frozen=True)
class ActionResult:
    """What an action did: the page query to go back to, and the record as JSON-able data."""

    query: Mapping[str, str] = field(default_factory=dict)  # e.g. {"loan": "L1", "fy": "2024"}
    data: Any = None  # answered by the JSON twin (status 201)


@dataclass(frozen=True)
class PageAction:
    path: str  # POST /packs/<pack>/<path> (form) and /api/v1/packs/<pack>/<path> (JSON)
    permission: str  # one of the dashboard's permissions, e.g. "signoff"; checked before `handle`
    handle: Callable[[PageRequest], ActionResult]  # raises MierukaError to refuse
    page: str = ""  # the PackPage the form is on: shown again after the action, or with its error


@dataclass(frozen=True)
class PackPages:
    pages: Sequence[PackPage]
    actions: Sequence[PageAction] = ()


class RunView:
    """One stored run, read for a page: values by dimension, targets, rules and violations."""

    def __init__(self, project: Any, run: RunRecord) -> None:
        self.project, self.run = project, run

    @cached_property
    def params(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.run.params)
        return loaded

    def options(self, pack: str) -> dict[str, Any]:
        """The pack's options as they were when the run was made."""
        found: dict[str, Any] = self.params.get("options", {}).get(pack, {})
        return found

    @property
    def skipped(self) -> dict[str, str]:
        found: dict[str, str] = self.params.get("skipped", {})
        return found

    @cached_property
    def spec(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.project.store.spec(self.run.spec_hash))
        return loaded

    @cached_property
    def _values(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for v in self.project.store.values(self.run.id):
            out.setdefault(v["indicator"], []).append(v)
        return out

    @cached_property
    def _targets(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for t in self.project.store.targets(self.run.id):
            if not t["dims"]:
                out.setdefault(t["indicator"], []).append(t)
        return out

    def indicator(self, indicator: str) -> dict[str, Any] | None:
        return next((i for i in self.spec["indicators"] if i["id"] == indicator), None)

    def value(self, indicator: str, **dims: str) -> Decimal | None:
        for v in self._values.get(indicator, []):
            if v["dims"] == dims:
                return None if v["value"] is None else Decimal(str(v["value"]))
        return None

    def breakdown(self, indicator: str, *dims: str) -> dict[tuple[str, ...], Decimal | None]:
        """Member(s) of exactly `dims` -> value, in the stored order."""
        out: dict[tuple[str, ...], Decimal | None] = {}
        for v in self._values.get(indicator, []):
            if tuple(sorted(v["dims"])) == tuple(sorted(dims)):
                raw = v["value"]
                out[tuple(str(v["dims"][d]) for d in dims)] = (
                    None if raw is None else Decimal(str(raw))
                )
        return out

    def targets(self, indicator: str) -> list[dict[str, Any]]:
        """The indicator's total-level targets: comparator, target, status."""
        return self._targets.get(indicator, [])

    def status(self, indicator: str) -> str:
        statuses = [t["status"] for t in self.targets(indicator)]
        if not statuses:
            return "no_target"
        return min(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)

    def rules(self, pack: str) -> list[dict[str, Any]]:
        """Each of the pack's rules in the run: label, severity, action, skipped, violations."""
        found: dict[str, list[dict[str, Any]]] = {}
        for v in self.project.store.violations(self.run.id):
            found.setdefault(v["rule"], []).append(v)
        return [
            {
                "id": r["id"],
                "label": r.get("label") or {},
                "severity": r.get("severity", "error"),
                "action": r.get("action") or {},
                "key": list(r.get("key") or []),
                "skipped": self.skipped.get(r["id"]),
                "violations": found.get(r["id"], []),
            }
            for r in self.spec.get("rules", [])
            if r.get("pack") == pack
        ]


@dataclass(frozen=True)
class PageRequest:
    """What a pack's view is given: the workspace, the reader's choices, the query."""

    project: Any  # mieruka.core.project.Project
    lang: str = "ja"
    era: str = "western"
    yen_unit: int = 1000
    query: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None  # who is signed in ("local" in local mode)
    permissions: frozenset[str] = frozenset()  # what the reader may do, e.g. {"read", "signoff"}
    csrf: str = ""  # the token an action's form must carry (see `csrf_field`)
    form: Mapping[str, str] = field(default_factory=dict)  # an action's fields (text, cut short)

    # --- the reader's rights --------------------------------------------------------------

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def csrf_field(self) -> Markup:
        """The hidden field every form posting to a `PageAction` must contain."""
        return Markup(f'<input type="hidden" name="csrf" value="{escape(self.csrf)}">')

    # --- the query ------------------------------------------------------------------------

    def param(self, name: str) -> str | None:
        value = self.query.get(name)
        return value if value else None

    def int_param(self, name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
        text = self.param(name)
        if text is None:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            raise MierukaError(
                Issue(f"query parameter '{name}'", expected=f"{low}…{high}", found=text[:40])
            )
        return int(text)

    def date_param(self, name: str) -> dt.date | None:
        text = self.param(name)
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise MierukaError(
                Issue(f"query parameter '{name}'", expected="YYYY-MM-DD", found=text[:40])
            ) from None

    # --- stored runs ----------------------------------------------------------------------

    @property
    def start_month(self) -> int:
        month: int = self.project.ws.settings.fiscal_year_start_month
        return month

    def run(self) -> RunView:
        """`?run=N`, else the newest run of `?fy=`, else the newest of the latest year."""
        runs = self.project.store.runs()
        wanted, fy = self.int_param("run"), self.int_param("fy", 1900, 9998)
        if wanted is not None:
            chosen = [r for r in runs if r.id == wanted]
            if not chosen:
                raise PageNotFound(f"no run {wanted}")
            return RunView(self.project, chosen[0])
        if fy is not None:
            runs = [r for r in runs if r.fiscal_year == fy]
            if not runs:
                raise PageNotFound(f"no run for FY{fy}; start one with `mieruka run --fy {fy}`")
        if not runs:
            raise PageNotFound("no runs yet; start one with `mieruka run --fy 2024`")
        return RunView(self.project, max(runs, key=lambda r: (r.fiscal_year or 0, r.id)))

    def run_choices(self) -> list[tuple[int, str]]:
        """(run id, "#3 2025年度") of every run, newest first, for a run selector."""
        return [
            (r.id, f"#{r.id} {self.fy(r.fiscal_year)}") for r in reversed(self.project.store.runs())
        ]

    # --- writing for the reader -----------------------------------------------------------

    def t(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en

    def label(self, labels: Labels | Mapping[str, Any] | None, fallback: str = "") -> str:
        if labels is None:
            return fallback
        if isinstance(labels, Labels):
            return labels.get(self.lang) or fallback
        other = "en" if self.lang == "ja" else "ja"
        return str(labels.get(self.lang) or labels.get(other) or fallback)

    def fy(self, year: int | None) -> str:
        if year is None:
            return "—"
        if self.era == "wareki":
            return format_fiscal_year_wareki(year, self.start_month)
        return FiscalYear(year, self.start_month).label("ja" if self.lang == "ja" else "en")

    def date(self, day: dt.date | str | None) -> str:
        if day is None or day == "":
            return "—"
        if isinstance(day, str):
            day = dt.date.fromisoformat(day[:10])
        if isinstance(day, dt.datetime):
            day = day.date()
        return format_wareki(day) if self.era == "wareki" else day.isoformat()

    @property
    def yen_text(self) -> str:
        """The unit amounts are shown in: 千円 or 百万円 (¥ thousand / ¥ million)."""
        return YEN_TEXT[(self.lang, self.yen_unit)]

    def yen(self, amount: Decimal | int | float | str | None) -> str:
        """An amount in yen, truncated toward zero to the chosen unit; △ before a negative."""
        if amount is None or amount == "":
            return "—"
        value = truncate_to_unit(Decimal(str(amount)), self.yen_unit)
        sign = ("△" if self.lang == "ja" else "-") if value < 0 else ""
        return f"{sign}{abs(value):,}"

    def number(self, value: Decimal | int | float | str | None, digits: int = 0) -> str:
        """A plain number with thousands separators and `digits` decimals (half up)."""
        if value is None or value == "":
            return "—"
        exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_UP")
        sign = ("△" if self.lang == "ja" else "-") if exact < 0 else ""
        return f"{sign}{abs(exact):,.{digits}f}"

    def percent(self, value: Decimal | int | float | str | None, digits: int = 1) -> str:
        return "—" if value is None or value == "" else self.number(value, digits) + "%"

    def figure(self, indicator: Mapping[str, Any] | None, value: Decimal | None) -> str:
        """A stored value written as its indicator declares: unit, rounding digits."""
        spec = indicator or {}
        unit = str(spec.get("unit") or "number")
        digits = int((spec.get("rounding") or {}).get("digits") or 0)
        if value is None:
            return "—"
        if unit == "yen":
            return f"{self.yen(value)}{self.yen_text if self.lang == 'ja' else ' ' + self.yen_text}"
        if unit == "percent":
            return self.percent(value, digits)
        suffix = UNIT_TEXT.get(unit, {}).get(self.lang, "")
        return self.number(value, digits) + suffix

    def run_picker(self, current: RunView, action: str = "") -> Markup:
        """A GET form choosing the stored run the page reads (works without JavaScript)."""
        options = "".join(
            f'<option value="{i}"{" selected" if i == current.run.id else ""}>{escape(text)}</option>'
            for i, text in self.run_choices()
        )
        return Markup(
            f'<form method="get" action="{escape(action)}" class="filters run-picker">'
            f'<label>{escape(self.t("実行", "Run"))}<select name="run">{options}</select></label>'
            f'<button type="submit">{escape(self.t("表示", "Show"))}</button></form>'
        )


def pack_templates(folder: Path) -> jinja2.Environment:
    """A pack's own templates, autoescaped, with `tojson` for `data-chart` attributes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_page(env: jinja2.Environment, name: str, page: PageRequest, **context: Any) -> Markup:
    """Render one of the pack's templates with the request as `p` (p.t, p.yen, p.fy …)."""
    return Markup(env.get_template(name).render(p=page, **context))
