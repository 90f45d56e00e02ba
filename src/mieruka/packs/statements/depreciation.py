"""Straight-line depreciation from a fixed-asset register, in whole yen.

Written here rather than taken from a library because the rules are the accounting
standard's, not a tax table's: the charge runs monthly from the month of acquisition
(an asset acquired on the last day of a month is depreciated for that whole month),
through the month of disposal, down to zero (the domain page keeps no 備忘価額, so none
is kept); land, art, construction in progress and telephone rights are not depreciated.
After an impairment the remaining book value is spread over the remaining months, so that
a written-down asset is never depreciated below zero. Every yen figure is truncated
(1円未満切捨て) with integer arithmetic: a verifier re-computing it gets the same digits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from mieruka.packs.statements.schemas import NOT_DEPRECIATED


@dataclass(frozen=True)
class Asset:
    asset_id: str
    asset_class: str
    section: str
    acquired_on: date
    cost: int
    useful_life_years: int | None = None
    disposed_on: date | None = None
    impairment_in_pl: int = 0
    impairment_outside_pl: int = 0
    impaired_on: date | None = None

    @property
    def depreciable(self) -> bool:
        return (
            self.asset_class not in NOT_DEPRECIATED
            and self.section not in ("non_depreciable",)
            and bool(self.useful_life_years)
        )

    @property
    def impairment(self) -> int:
        return self.impairment_in_pl + self.impairment_outside_pl


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_used(asset: Asset, through: date) -> int:
    """Months of use counted by the end of `through`'s month: the acquisition month counts
    whole, the disposal month too, and nothing after the useful life."""
    last = _month(through)
    if asset.disposed_on is not None:
        last = min(last, _month(asset.disposed_on))
    lifetime = (asset.useful_life_years or 0) * 12
    return max(0, min(last - _month(asset.acquired_on) + 1, lifetime))


def accumulated_depreciation(asset: Asset, through: date) -> int:
    """Depreciation charged from acquisition to the end of `through`'s month (yen)."""
    if not asset.depreciable or through < asset.acquired_on.replace(day=1):
        return 0
    lifetime = (asset.useful_life_years or 0) * 12
    used = months_used(asset, through)
    impaired = asset.impaired_on
    if not asset.impairment or impaired is None or impaired > through:
        return asset.cost * used // lifetime
    # The impairment is recognised at the end of its month: depreciation up to then is on
    # cost, afterwards on what is left, over what is left of the life.
    at_impairment = months_used(asset, impaired)
    charged = asset.cost * at_impairment // lifetime
    if used <= at_impairment or at_impairment >= lifetime:
        return asset.cost * min(used, at_impairment) // lifetime
    remaining = max(asset.cost - charged - asset.impairment, 0)
    return charged + remaining * (used - at_impairment) // (lifetime - at_impairment)


@dataclass(frozen=True)
class AssetYear:
    """One asset's contribution to a fiscal year's schedule, in yen."""

    opening: int = 0
    increase: int = 0
    decrease: int = 0
    closing: int = 0
    accumulated_depreciation: int = 0
    depreciation_for_period: int = 0
    accumulated_impairment: int = 0
    impairment_in_pl: int = 0
    impairment_outside_pl: int = 0

    @property
    def net_closing(self) -> int:
        return self.closing - self.accumulated_depreciation - self.accumulated_impairment


def for_year(asset: Asset, fy_start: date, fy_end: date) -> AssetYear:
    """Where an asset stands in a fiscal year: a disposal removes its cost (decrease) and,
    with it, its accumulated depreciation and impairment from the closing balances."""
    if asset.impairment and asset.impaired_on is None:
        asset = replace(asset, impaired_on=fy_end)
    gone = asset.disposed_on
    held_at_start = asset.acquired_on < fy_start and (gone is None or gone >= fy_start)
    held_at_end = asset.acquired_on <= fy_end and (gone is None or gone > fy_end)
    acquired = fy_start <= asset.acquired_on <= fy_end
    disposed = gone is not None and fy_start <= gone <= fy_end
    before = fy_start - timedelta(days=1)
    charge = accumulated_depreciation(asset, fy_end) - accumulated_depreciation(asset, before)
    when = asset.impaired_on
    existed = when is not None and asset.acquired_on <= when and (gone is None or gone >= when)
    in_year = existed and when is not None and fy_start <= when <= fy_end
    return AssetYear(
        opening=asset.cost if held_at_start else 0,
        increase=asset.cost if acquired else 0,
        decrease=asset.cost if disposed else 0,
        closing=asset.cost if held_at_end else 0,
        accumulated_depreciation=accumulated_depreciation(asset, fy_end) if held_at_end else 0,
        depreciation_for_period=charge,
        accumulated_impairment=(
            asset.impairment if held_at_end and existed and when and when <= fy_end else 0
        ),
        impairment_in_pl=asset.impairment_in_pl if in_year else 0,
        impairment_outside_pl=asset.impairment_outside_pl if in_year else 0,
    )
