"""Spec models: indicators, targets and rules, declared in YAML by users and packs alike.

Validation runs in two stages (as metricflow does): `parse_spec_file` checks the shape of
each file and reports every problem with its file:line; `SpecSet.validate` then checks
cross-references (datasets, indicators used by formulas and targets, cycles).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.schema import DatasetSchema, Labels
from mieruka.core.yamlsource import KEY_LINES, LINE, VALUE_LINES, line_of, load_yaml, strip_lines

SPEC_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
Aggregate = Literal["sum", "count", "avg", "min", "max", "ratio", "value"]
Comparator = Literal[">=", "<=", ">", "<", "=="]
RoundingMode = Literal["half_up", "truncate", "floor", "ceil", "half_even"]
UNITS = ("percent", "ratio", "yen", "count", "people", "days", "hours", "years", "score", "number")


class Rounding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    digits: int = Field(default=1, ge=0, le=10)
    mode: RoundingMode = "half_up"


class _Located(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str | None = None  # "file:line", filled by the loader
    pack: str | None = None


class Indicator(_Located):
    """A figure. The formula returns one row per piece of evidence (see docs/specs.md)."""

    id: str = Field(pattern=SPEC_ID)
    label: Labels
    unit: Literal[UNITS] = "number"  # type: ignore[valid-type]
    aggregate: Aggregate
    formula: str | None = None
    function: str | None = None  # a pack function name, instead of a formula
    needs: tuple[str, ...] = ()  # datasets and indicators a function reads (ordering, no-data)
    by: tuple[str, ...] = ()
    rounding: Rounding = Rounding()
    scale: Decimal | None = None  # ratio multiplier; 100 for percent when omitted
    method: Labels | None = None
    formula_line: int | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Indicator:
        if (self.formula is None) == (self.function is None):
            raise ValueError("give exactly one of 'formula' or 'function'")
        return self

    @property
    def multiplier(self) -> Decimal:
        if self.scale is not None:
            return self.scale
        return Decimal(100) if self.unit == "percent" and self.aggregate == "ratio" else Decimal(1)


class Target(_Located):
    indicator: str = Field(pattern=SPEC_ID)
    fy: int | None = None
    from_fy: int | None = None
    to_fy: int | None = None
    comparator: Comparator
    value: Decimal
    dims: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _period(self) -> Target:
        if self.fy is None and self.from_fy is None:
            raise ValueError("give 'fy' (one fiscal year) or 'from_fy' (and optionally 'to_fy')")
        if self.fy is not None and (self.from_fy is not None or self.to_fy is not None):
            raise ValueError("give either 'fy' or 'from_fy'/'to_fy', not both")
        return self

    def applies_to(self, fy: int) -> bool:
        if self.fy is not None:
            return self.fy == fy
        assert self.from_fy is not None
        return self.from_fy <= fy and (self.to_fy is None or fy <= self.to_fy)


class Rule(_Located):
    id: str = Field(pattern=SPEC_ID)
    label: Labels
    severity: Literal["error", "warning", "info"] = "error"
    action: Labels | None = None
    formula: str
    key: tuple[str, ...] = ()  # columns naming the violating row; the first column when empty
    formula_line: int | None = None

    @field_validator("key", mode="before")
    @classmethod
    def _key_tuple(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class SpecFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    datasets: tuple[DatasetSchema, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    targets: tuple[Target, ...] = ()
    rules: tuple[Rule, ...] = ()


_SECTIONS = {"datasets", "indicators", "targets", "rules"}


def _formula_line(item: dict[str, Any]) -> int | None:
    lines = item.get(VALUE_LINES, {})
    return int(lines["formula"]) if "formula" in lines else None


def parse_spec_text(text: str, file: str, *, pack: str | None = None) -> SpecFile:
    """Parse one spec file; every shape problem is reported with its file:line in one go."""
    data = load_yaml(text, file)
    if data is None:
        return SpecFile()
    if not isinstance(data, dict):
        raise MierukaError(
            Issue(
                "a spec file must be a mapping with datasets/indicators/targets/rules",
                file=file,
                line=1,
            )
        )
    issues: list[Issue] = []
    out: dict[str, list[Any]] = {s: [] for s in _SECTIONS}
    for key in data:
        if key in (LINE, KEY_LINES, VALUE_LINES):
            continue
        if key not in _SECTIONS:
            from mieruka.core.issues import did_you_mean

            issues.append(
                Issue(
                    f"unknown section '{key}'{did_you_mean(key, _SECTIONS)}",
                    file=file,
                    line=line_of(data, key),
                    expected="datasets, indicators, targets or rules",
                )
            )
    model_of: dict[str, type[BaseModel]] = {
        "datasets": DatasetSchema,
        "indicators": Indicator,
        "targets": Target,
        "rules": Rule,
    }
    for section, model in model_of.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            issues.append(
                Issue(f"'{section}' must be a list", file=file, line=line_of(data, section))
            )
            continue
        for item in items:
            if not isinstance(item, dict):
                issues.append(
                    Issue(
                        f"each entry of '{section}' must be a mapping",
                        file=file,
                        line=line_of(data, section),
                    )
                )
                continue
            fields = strip_lines(item)
            if section != "datasets":
                fields["source"] = f"{file}:{line_of(item)}"
                fields["pack"] = pack
            else:
                fields["pack"] = pack
            if section in ("indicators", "rules"):
                fields["formula_line"] = _formula_line(item)
            try:
                out[section].append(model.model_validate(fields))
            except ValidationError as exc:
                issues.extend(_validation_issues(exc, item, file))
    if issues:
        raise MierukaError(issues)
    return SpecFile(**{k: tuple(v) for k, v in out.items()})


def _validation_issues(exc: ValidationError, item: dict[str, Any], file: str) -> list[Issue]:
    issues = []
    ident = item.get("id") or item.get("indicator") or "?"
    for err in exc.errors():
        loc = err.get("loc", ())
        field = str(loc[0]) if loc else None
        where = ".".join(str(p) for p in loc) or "entry"
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "required field is missing"
        found = err.get("input")
        issues.append(
            Issue(
                f"{ident}: {where}: {message}",
                file=file,
                line=line_of(item, field) if field else line_of(item),
                found=None
                if err["type"] == "missing" or isinstance(found, dict)
                else _short(found),
            )
        )
    return issues


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def split_source(source: str | None) -> tuple[str | None, int | None]:
    if not source:
        return None, None
    match = re.match(r"^(.*):(\d+)$", source)
    return (match.group(1), int(match.group(2))) if match else (source, None)
