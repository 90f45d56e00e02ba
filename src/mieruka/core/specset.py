"""The validated set of everything a run evaluates, gathered from packs and the workspace.

Stage two of validation lives here: references between specs (datasets and indicators
named in formulas, targets on unknown indicators, cycles between indicators). The set
serialises to canonical JSON, stored with every run, so that `verify` and `evidence`
re-use exactly the specs a run was computed from, even after the files have changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mieruka.core import sqlsafety
from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.core.ledger import canonical_json, sha256_hex
from mieruka.core.registry import Pack
from mieruka.core.schema import DatasetSchema
from mieruka.core.specs import Indicator, Rule, SpecFile, Target, parse_spec_text, split_source


@dataclass(frozen=True)
class SpecSet:
    datasets: dict[str, DatasetSchema]
    indicators: dict[str, Indicator]
    targets: tuple[Target, ...]
    rules: dict[str, Rule]
    order: tuple[str, ...]  # indicators, dependencies first
    formulas: dict[str, sqlsafety.ParsedFormula] = field(repr=False, compare=False)
    rule_order: tuple[str, ...]  # every rule, those read with rule('...') first

    def to_json(self) -> str:
        return canonical_json(
            {
                "datasets": [d.model_dump(mode="json") for d in self.datasets.values()],
                "indicators": [i.model_dump(mode="json") for i in self.indicators.values()],
                "targets": [t.model_dump(mode="json") for t in self.targets],
                "rules": [r.model_dump(mode="json") for r in self.rules.values()],
            }
        )

    @property
    def hash(self) -> str:
        return sha256_hex(self.to_json())

    @classmethod
    def from_json(cls, text: str, functions: Iterable[str] = ()) -> SpecSet:
        data = json.loads(text)
        spec = SpecFile.model_validate(data)
        return build_specset([spec], functions=functions)

    def rules_in_order(self) -> list[Rule]:
        """The rules, those read with rule('...') before their readers (of a subset made
        with `dataclasses.replace(rules=...)`, the ones it kept)."""
        return [self.rules[r] for r in self.rule_order if r in self.rules]

    def of_pack(self, pack: str) -> SpecSet:
        """The pack's own indicators and rules, in the same order, without targets: what a
        pack evaluates for a report of its own (its formulas read only its own figures)."""
        indicators = {k: v for k, v in self.indicators.items() if v.pack == pack}
        rules = {k: v for k, v in self.rules.items() if v.pack == pack}
        return replace(
            self,
            indicators=indicators,
            order=tuple(i for i in self.order if i in indicators),
            targets=(),
            rules=rules,
            rule_order=tuple(r for r in self.rule_order if r in rules),
        )

    def dependencies(self, indicator_id: str) -> tuple[str, ...]:
        return _dependencies(indicator_id, self.indicators, self.formulas)


def _dependencies(
    indicator_id: str,
    indicators: dict[str, Indicator],
    formulas: dict[str, sqlsafety.ParsedFormula],
) -> tuple[str, ...]:
    """Indicators an indicator reads: ind() references, or a function's declared `needs`."""
    formula = formulas.get(indicator_id)
    if formula is not None:
        return formula.indicators
    return tuple(n for n in indicators[indicator_id].needs if n in indicators)


def _issue_at(source: str | None, message: str, line: int | None = None) -> Issue:
    file, src_line = split_source(source)
    return Issue(message, file=file, line=line or src_line)


def build_specset(files: Sequence[SpecFile], functions: Iterable[str] = ()) -> SpecSet:
    issues: list[Issue] = []
    datasets: dict[str, DatasetSchema] = {}
    indicators: dict[str, Indicator] = {}
    rules: dict[str, Rule] = {}
    targets: list[Target] = []
    for spec in files:
        for ds in spec.datasets:
            if ds.id in datasets:
                issues.append(Issue(f"dataset '{ds.id}' is declared twice"))
            datasets[ds.id] = ds
        for ind in spec.indicators:
            if ind.id in indicators:
                issues.append(
                    _issue_at(
                        ind.source,
                        f"indicator '{ind.id}' is declared twice (first at {indicators[ind.id].source})",
                    )
                )
            indicators[ind.id] = ind
        for rule in spec.rules:
            if rule.id in rules:
                issues.append(
                    _issue_at(
                        rule.source,
                        f"rule '{rule.id}' is declared twice (first at {rules[rule.id].source})",
                    )
                )
            rules[rule.id] = rule
        targets.extend(spec.targets)

    known_functions = set(functions)
    columns = {d.id: d.column_names for d in datasets.values()}
    ind_columns = {i.id: [*i.by, "value"] for i in indicators.values()}
    formulas: dict[str, sqlsafety.ParsedFormula] = {}
    items: list[Indicator | Rule] = [*indicators.values(), *rules.values()]
    for item in items:
        if item.formula is None:
            assert isinstance(item, Indicator)
            if item.function not in known_functions:
                issues.append(
                    _issue_at(
                        item.source,
                        f"{item.id}: unknown function '{item.function}'{did_you_mean(str(item.function), known_functions)}",
                    )
                )
            for need in item.needs:
                if need not in datasets and need not in indicators:
                    names = [*datasets, *indicators]
                    issues.append(
                        _issue_at(
                            item.source,
                            f"{item.id}: needs '{need}', which is neither a dataset nor an indicator{did_you_mean(need, names)}",
                        )
                    )
            continue
        file, _ = split_source(item.source)
        try:
            formulas[item.id] = sqlsafety.check_formula(
                item.formula,
                datasets=columns,
                indicators=ind_columns,
                where=file,
                line=item.formula_line,
                rules=list(rules) if isinstance(item, Rule) else None,
            )
        except MierukaError as exc:
            issues.extend(
                Issue(
                    f"{item.id}: {i.message}",
                    file=i.file,
                    line=i.line,
                    expected=i.expected,
                    found=i.found,
                )
                for i in exc.issues
            )
    for target in targets:
        if target.indicator not in indicators:
            issues.append(
                _issue_at(
                    target.source,
                    f"target for unknown indicator '{target.indicator}'{did_you_mean(target.indicator, indicators)}",
                )
            )
        else:
            unknown = [d for d in target.dims if d not in indicators[target.indicator].by]
            if unknown:
                issues.append(
                    _issue_at(
                        target.source,
                        f"target on {target.indicator}: dimension(s) {', '.join(unknown)} not in its 'by'",
                    )
                )
    order, cycle_issues = _order(
        indicators, lambda i: _dependencies(i, indicators, formulas), "indicators"
    )
    issues.extend(cycle_issues)
    rule_order, rule_cycles = _order(
        rules, lambda r: formulas[r].rules if r in formulas else (), "rules", sort=False
    )
    issues.extend(rule_cycles)
    if issues:
        raise MierukaError(issues)
    return SpecSet(
        datasets, indicators, tuple(targets), rules, tuple(order), formulas, tuple(rule_order)
    )


def _order(
    items: Mapping[str, Indicator | Rule],
    depends_on: Callable[[str], Iterable[str]],
    what: str,
    *,
    sort: bool = True,
) -> tuple[list[str], list[Issue]]:
    """Topological order (dependencies first; declaration order among rules when `sort` is
    False); each cycle is reported once with its path."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    issues: list[Issue] = []

    def visit(node: str, path: list[str]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            cycle = [*path[path.index(node) :], node]
            issues.append(_issue_at(items[node].source, f"cyclic {what}: " + " -> ".join(cycle)))
            return
        state[node] = 1
        for dep in depends_on(node):
            if dep in items:
                visit(dep, [*path, node])
        state[node] = 2
        order.append(node)

    for item in sorted(items) if sort else items:
        visit(item, [])
    return order, issues


def load_specs(specs_dir: Path, packs: Sequence[Pack]) -> SpecSet:
    """Every pack's spec files and the workspace's `specs/*.yaml`, validated together."""
    files: list[SpecFile] = []
    issues: list[Issue] = []
    for pack in packs:
        if pack.datasets:
            files.append(SpecFile(datasets=tuple(pack.datasets)))
        for path in pack.spec_files:
            files.append(
                parse_spec_text(
                    path.read_text(encoding="utf-8"), f"{pack.name}:{path.name}", pack=pack.name
                )
            )
    if specs_dir.is_dir():
        for path in sorted(specs_dir.glob("*.y*ml")):
            try:
                files.append(
                    parse_spec_text(
                        path.read_text(encoding="utf-8"), str(path.relative_to(specs_dir.parent))
                    )
                )
            except MierukaError as exc:
                issues.extend(exc.issues)
    if issues:
        raise MierukaError(issues)
    functions = [name for pack in packs for name in pack.functions]
    return build_specset(files, functions=functions)
