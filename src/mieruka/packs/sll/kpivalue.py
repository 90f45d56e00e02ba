"""What a reported KPI value or an SPT target means: a number, or an action done / not done.

Kept in one place because the load-time checks, the cross-dataset rules' documentation and
the achievement logic must agree on the same spellings. Numbers accept thousands
separators and a trailing `%` (banks' sheets write `53%`); done-words follow the
booleans of the input conventions plus the Japanese words a borrower writes (実施/未実施).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

DONE_WORDS = ("done", "true", "yes", "1", "○", "〇", "有", "実施", "実施済")
NOT_DONE_WORDS = ("not done", "false", "no", "0", "×", "無", "未実施")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_done(text: str | None) -> bool | None:
    """True for a done-word, False for a not-done word, None when the text is neither."""
    if text is None:
        return None
    word = _norm(text)
    if word in DONE_WORDS:
        return True
    if word in NOT_DONE_WORDS:
        return False
    return None


def parse_number(text: str | None) -> Decimal | None:
    """The number a cell holds (`53.2`, `1,234`, `53%`), or None when it is not a number."""
    if text is None:
        return None
    word = _norm(text)
    if not _NUMBER.match(word):
        return None
    try:
        return Decimal(word.rstrip("%").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        return None


def is_done_target(text: str | None) -> bool:
    return text is not None and _norm(text) == "done"
