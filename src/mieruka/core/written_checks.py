"""What the loader's fast path checks on the Parquet file it has just written, with pyarrow.

    trimmed, ordered = scan_written(path, ["name", "employee_id"], key="employee_id")

- `trimmed`: no text value starts or ends with whitespace (the fast path blanks text but
  does not trim it; a value that needs trimming sends the load down the full path).
- `ordered`: the key column has no blank and each value is above (or each below) the one
  before, which proves the keys unique without grouping — registers usually come sorted.

Why pyarrow and not SQL: DuckDB tests a value's last character by extracting it, ~25 ns a
value on each core, a third of a 10M-row load per text column; pyarrow's `utf8_trim` and
neighbour comparison cost ~10 ns, and DuckDB's `lag()` window runs on one thread. The file
is read a batch at a time, so memory stays flat whatever its size.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from mieruka.core.typing_sql import WS


def _untrimmed(values: pa.Array) -> bool:
    trimmed = pc.utf8_trim(values, WS)
    return bool(pc.any(pc.not_equal(pc.binary_length(trimmed), pc.binary_length(values))).as_py())


def scan_written(path: Path, text: list[str], key: str | None) -> tuple[bool, bool]:
    """(no text column needs trimming, `key` strictly monotonic without blanks)."""
    columns = list(dict.fromkeys([*text, *([key] if key else [])]))
    if not columns:
        return True, False
    up = down = key is not None
    last = None
    # batches come in file order, read ahead on pyarrow's threads; had they not, a key
    # would only look unordered and DuckDB's distinct count would decide
    for batch in ds.dataset(path, format="parquet").to_batches(columns=columns):
        if any(_untrimmed(batch.column(name)) for name in text):
            return False, False
        if not (up or down) or key is None:
            if not text:
                break  # the key is out of order and there is no text to look at
            continue
        keys = batch.column(key)
        if keys.null_count:
            up = down = False
            continue
        if len(keys) == 0:
            continue
        first = keys[0].as_py()
        if last is not None:
            up, down = up and last < first, down and last > first
        before, after = keys[:-1], keys[1:]
        up = up and pc.all(pc.less(before, after)).as_py() is not False
        down = down and pc.all(pc.greater(before, after)).as_py() is not False
        last = keys[-1].as_py()
    return True, up or down
