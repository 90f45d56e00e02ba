"""How far per-cell 千円 truncation can move an identity — and not one yen further.

Every identity of schedule (1) (a row's roll-forward and net balance, a section's 計, a
total's class rows) holds exactly in yen. Printed in 千円 with each cell truncated on its
own toward zero, a cell shown as t > 0 stands for a true value in [t, t+1), one shown as
t < 0 for (t−1, t], a cell shown as `0` for (−1, 1) (something under a thousand yen) and
a `-` cell for exactly zero. For an identity Σ cₖ·Vₖ = F the printed difference
D = Σ cₖ·tₖ − t_F therefore lies in (−n, p): n counts the cells that can pull it down
(terms with cₖ·tₖ > 0, a found cell below zero), p those that can push it up (terms with
cₖ·tₖ < 0, a found cell above zero), and a `0` cell counts on both sides. D = 0 is
always possible. The SQL rules in `specs/statements.yaml` apply the same window
(`rules_sql.py` writes them).

Reading `-` as exactly zero is what keeps the window tight enough to catch a transposed
digit (whose difference is a multiple of 9) in a section of fewer than ten classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sum:
    """Σ cₖ·tₖ of printed cells, with how many of them can pull the truth down or up."""

    expected: int = 0
    down: int = 0
    up: int = 0

    def plus(self, coefficient: int, value: int, below_unit: bool = False) -> Sum:
        signed = coefficient * value
        return Sum(
            self.expected + signed,
            self.down + (signed > 0 or below_unit),
            self.up + (signed < 0 or below_unit),
        )

    def minus(self, coefficient: int, value: int, below_unit: bool = False) -> Sum:
        """This sum without a term that `plus` added (a row taken out of a section)."""
        signed = coefficient * value
        return Sum(
            self.expected - signed,
            self.down - (signed > 0 or below_unit),
            self.up - (signed < 0 or below_unit),
        )

    def window(self, found: int, below_unit: bool = False) -> tuple[int, int]:
        """The open interval (−n, p) per-cell truncation allows for expected − found."""
        return (
            -(self.down + (found < 0 or below_unit)),
            self.up + (found > 0 or below_unit),
        )

    def allowed(self, found: int, below_unit: bool = False) -> str:
        """The differences truncation allows, as a reader wants them: `-1 .. +0`."""
        low, high = self.window(found, below_unit)
        return f"{min(low + 1, 0):+} .. {max(high - 1, 0):+}"

    def explains(self, found: int, below_unit: bool = False) -> bool:
        """True when found is the printed sum, or differs only by what truncation explains."""
        difference = self.expected - found
        low, high = self.window(found, below_unit)
        return difference == 0 or low < difference < high


def total(*terms: tuple[int, int, bool]) -> Sum:
    """The Sum of (coefficient, printed value, printed as `0`) terms."""
    result = Sum()
    for coefficient, value, below_unit in terms:
        result = result.plus(coefficient, value, below_unit)
    return result
