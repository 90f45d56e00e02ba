"""Credit-rating notation: one ordinal scale for every agency, so rules can compare ratings.

R&I, JCR, S&P and Fitch write `AA-`; Moody's writes `Aa3`. Both map to the same rank
(1 = AAA, 2 = AA+, …, 10 = BBB-, 11 = BB+ …), a smaller rank being a better rating. The
scale is published to rule formulas through the `funds.parameters` indicator as rows named
`rating:<notation>`, because a rule formula can read only datasets and indicators.
"""

from __future__ import annotations

LETTER = [
    "AAA",
    "AA+",
    "AA",
    "AA-",
    "A+",
    "A",
    "A-",
    "BBB+",
    "BBB",
    "BBB-",
    "BB+",
    "BB",
    "BB-",
    "B+",
    "B",
    "B-",
    "CCC+",
    "CCC",
    "CCC-",
    "CC",
    "C",
    "D",
]
MOODYS = [
    "Aaa",
    "Aa1",
    "Aa2",
    "Aa3",
    "A1",
    "A2",
    "A3",
    "Baa1",
    "Baa2",
    "Baa3",
    "Ba1",
    "Ba2",
    "Ba3",
    "B1",
    "B2",
    "B3",
    "Caa1",
    "Caa2",
    "Caa3",
    "Ca",
    "C",
]

RANK: dict[str, int] = {r: i + 1 for i, r in enumerate(LETTER)}
RANK.update({r: i + 1 for i, r in enumerate(MOODYS)})

BBB_MINUS = RANK["BBB-"]  # the lowest investment grade: the guideline's "triple B or better"
BANDS = ("AAA", "AA", "A", "BBB")  # maturity ranges are set per band of the best rating


def rank(notation: str) -> int:
    """The rank of a rating; ValueError names the accepted forms when it is not one."""
    text = notation.strip()
    if text not in RANK:
        raise ValueError(f"unknown rating '{text}' (expected e.g. AA-, A+, BBB or Moody's Aa3)")
    return RANK[text]


def band_of(rank_: int) -> str | None:
    """AAA, AA, A or BBB for investment grades; None below BBB-."""
    if rank_ == 1:
        return "AAA"
    if rank_ <= 4:
        return "AA"
    if rank_ <= 7:
        return "A"
    return "BBB" if rank_ <= 10 else None


def parse_ratings(text: str | None) -> dict[str, str]:
    """`R&I:AA;JCR:AA+` -> {'R&I': 'AA', 'JCR': 'AA+'}; ValueError on a malformed part."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        agency, sep, rating = part.partition(":")
        if not sep or not agency.strip():
            raise ValueError(f"'{part.strip()}' is not AGENCY:RATING")
        rank(rating)
        out[agency.strip()] = rating.strip()
    return out
