"""The notices already sent about a bid-candy flag (SUP-2): one row per sub-contractor and
measure, so that evaluating the flags again never tells anyone twice."""

from __future__ import annotations

from django.db import models


class FlagNotice(models.Model):
    party = models.ForeignKey(
        "contracts.ContractParty", on_delete=models.CASCADE, related_name="flag_notices"
    )
    measure = models.CharField(max_length=20)
    quarter = models.DateField(help_text="The first day of the quarter the flag first appeared.")
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "measure"], name="flag_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} flag for {self.party} from {self.quarter}"
