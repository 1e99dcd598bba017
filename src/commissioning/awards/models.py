"""Award per lot (PRO-9, EVA-4): the level-playing-field price adjustment, the award decision
with its reasons and a snapshot of the results it was made on, the standstill, and the contract
created from the winning bid once the standstill has ended.

* :class:`PriceAdjustment` — the hidden subsidy a commissioner adds to a public-sector bid's
  declared price before price scoring (EVA-4), with the reason; audited.
* :class:`LotAward` — one decision per lot: awarded to the top-ranked qualifying bid, or no
  award (no bid qualifies). ``results`` keeps the totals, ranking and price lines as decided
  (see :mod:`commissioning.awards.results`), so feedback and open data never drift from the
  decision. The standstill (default 8 working days, ``AWARD_STANDSTILL_WORKING_DAYS``) runs
  from the decision, which is also when the award notice (UK6) is published.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models

from commissioning_analytics.timelines.working_days import LONDON


class PriceAdjustment(models.Model):
    bid = models.OneToOneField(
        "bids.Bid", on_delete=models.CASCADE, related_name="price_adjustment"
    )
    hidden_subsidy = models.DecimalField(
        "Hidden subsidy (£)",
        max_digits=14,
        decimal_places=2,
        help_text="Costs the public-sector bidder does not bear (premises, pensions, overheads "
        "carried by its parent body), added to its price before scoring.",  # EVA-4
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Bid {self.bid_id}: hidden subsidy £{self.hidden_subsidy}"


class LotAward(models.Model):
    class Outcome(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        NO_AWARD = "no_award", "Not awarded (no bid qualified)"

    lot = models.OneToOneField("procurement.Lot", on_delete=models.CASCADE, related_name="award")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    winning_bid = models.OneToOneField(
        "bids.Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    reasons = models.TextField()
    results = models.JSONField(default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    standstill_ends_at = models.DateTimeField(null=True, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award",
    )

    class Meta:
        ordering = ["lot__opportunity", "lot__number"]

    def __str__(self) -> str:
        return f"{self.lot}: {self.get_outcome_display()}"

    @property
    def standstill_last_day(self) -> date | None:
        """The last day of the standstill (UK time); it ends at midnight at the end of it."""
        if self.standstill_ends_at is None:
            return None
        return (self.standstill_ends_at - timedelta(seconds=1)).astimezone(LONDON).date()
