"""Peak memory of one phase of a benchmark (Linux VmHWM, reset per phase)."""

from __future__ import annotations

import resource
from pathlib import Path


def reset_peak() -> bool:
    """Reset the process's peak RSS (VmHWM) so that a phase's own peak can be read."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
