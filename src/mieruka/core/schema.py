"""Declared dataset schemas: the typed contract a source file is checked against.

Packs declare their datasets in code or YAML; users declare their own in
`specs/datasets.yaml`. Both produce the same `DatasetSchema`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IDENT = r"^[a-z][a-z0-9_]*$"


class ColumnType(StrEnum):
    """Logical column types; each has a conversion from text in `mieruka.core.typing_sql`."""

    string = "string"
    integer = "integer"  # whole numbers; thousands separators and △ accepted
    number = "number"  # floating point
    decimal = "decimal"  # exact decimal (stored as DECIMAL(38, scale))
    yen = "yen"  # whole yen; △ or - marks a negative
    date = "date"  # ISO, slashes or 和暦
    boolean = "boolean"  # true/false, 1/0, yes/no, ○/×, 有/無


class Labels(BaseModel):
    """A label in Japanese and English (either may be missing; the other is shown)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ja: str | None = None
    en: str | None = None

    def get(self, lang: str = "ja") -> str:
        first, second = (self.ja, self.en) if lang == "ja" else (self.en, self.ja)
        return first or second or ""


class Column(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=IDENT)
    type: ColumnType = ColumnType.string
    required: bool = False
    label: Labels | None = None
    description: str | None = None
    min: float | None = None  # e.g. 0 for "no negative amounts"
    max: float | None = None
    values: tuple[str, ...] | None = None  # allowed values for a code column
    scale: int = 2  # digits after the point, for decimal


class DatasetSchema(BaseModel):
    """A named, typed table. `key` columns must be unique together and are the evidence keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    label: Labels | None = None
    key: tuple[str, ...] = ()
    columns: tuple[Column, ...]
    allow_extra_columns: bool = False
    pack: str | None = None  # which pack declared it; None for the user's own

    @field_validator("key", mode="before")
    @classmethod
    def _key_as_tuple(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_columns(self) -> DatasetSchema:
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"column(s) declared twice: {', '.join(dupes)}")
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"key column(s) not declared: {', '.join(missing)}")
        return self

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
