"""Matching a file's header row to a dataset's schema: by name, in any order.

Split from `readers` (which turns files into text columns): this is where the header's
problems — duplicated, unexpected or missing columns — become issues on row 1, with a
"did you mean …?" for near-misses.
"""

from __future__ import annotations

from mieruka.core.issues import Issue, did_you_mean
from mieruka.core.schema import DatasetSchema


def match_header(
    schema: DatasetSchema, header: list[str], label: str
) -> tuple[dict[str, int], list[int], list[Issue]]:
    """Schema column → position in the file; positions of unnamed columns; header issues."""
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    issues: list[Issue] = []
    first: dict[str, int] = {}
    extras: list[str] = []
    for i, name in enumerate(header):
        if not name:
            unnamed.append(i)
        elif name in first:
            issues.append(
                Issue(
                    f"column '{name}' appears more than once in the header "
                    f"(columns {first[name] + 1} and {i + 1})",
                    file=label,
                    row=1,
                    column=name,
                    expected="each column once",
                    found=name,
                )
            )
        else:
            first[name] = i
            if schema.column(name) is not None:
                positions[name] = i
            else:
                extras.append(name)
    absent = [c.name for c in schema.columns if c.name not in positions]
    if not schema.allow_extra_columns:
        for name in extras:
            issues.append(
                Issue(
                    f"unexpected column '{name}'{did_you_mean(name, absent)}",
                    file=label,
                    row=1,
                    column=name,
                    expected=f"only the columns of dataset '{schema.id}'",
                    found=name,
                )
            )
    for column in schema.columns:
        if column.name in positions or not (column.required or column.name in schema.key):
            continue
        issues.append(
            Issue(
                f"missing required column '{column.name}'{did_you_mean(column.name, extras)}",
                file=label,
                row=1,
                column=column.name,
                expected=f"a column named '{column.name}'",
                found=", ".join(header),
            )
        )
    return positions, unnamed, issues
