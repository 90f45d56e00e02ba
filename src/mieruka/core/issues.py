"""Errors are data: every problem found in a file or spec is an `Issue` with its location.

Loading and validation collect issues instead of stopping at the first one, so that a
user sees every problem in a file in one go (up to `MAX_ISSUES`). A step that cannot
continue raises `MierukaError` carrying the collected issues.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_ISSUES = 50


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as the source allows.

    `row` is the 1-based line of the data row as the user sees it in the file
    (the header is row 1, so the first data row is row 2); `line` is a spec file line.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    expected: str | None = None
    found: str | None = None
    severity: str = "error"

    def location(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += (
                f", found {self.found!r}"
                if self.expected is not None
                else f"; found {self.found!r}"
            )
        loc = self.location()
        return f"{loc}: {text}" if loc else text

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class MierukaError(Exception):
    """A failure the user can act on; carries one or more located issues."""

    def __init__(self, issues: Issue | str | Sequence[Issue], *, truncated: int = 0) -> None:
        if isinstance(issues, str):
            issues = [Issue(issues)]
        elif isinstance(issues, Issue):
            issues = [issues]
        self.issues: list[Issue] = list(issues)
        self.truncated = truncated
        super().__init__(self.render())

    def render(self) -> str:
        lines = [str(i) for i in self.issues]
        if self.truncated:
            lines.append(f"... and {self.truncated} more problem(s) not shown")
        return "\n".join(lines)


class IssueCollector:
    """Collects issues up to a cap and counts the rest."""

    def __init__(self, cap: int = MAX_ISSUES) -> None:
        self.cap = cap
        self.issues: list[Issue] = []
        self.dropped = 0

    def add(self, issue: Issue) -> None:
        if len(self.issues) < self.cap:
            self.issues.append(issue)
        else:
            self.dropped += 1

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    @property
    def full(self) -> bool:
        return len(self.issues) >= self.cap

    def __bool__(self) -> bool:
        return bool(self.issues)

    def raise_if_any(self) -> None:
        if self.issues:
            raise MierukaError(self.issues, truncated=self.dropped)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
