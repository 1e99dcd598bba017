"""Forms for ring-fenced budgets (CYC-5). They collect what people type; the rules are
:mod:`commissioning.ringfences.services`', whose errors the views put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.kernel.forms import GovUKForm, date_field
from commissioning.ringfences.models import RingFence


class RingFenceForm(GovUKForm):
    purpose = forms.ChoiceField(
        label="What is the money earmarked for?",
        choices=RingFence.Purpose.choices,
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(label="Amount earmarked", help_text="In pounds, for example 25000")
    commissioning_body = forms.ChoiceField(label="Whose budget is it?")
    contract = forms.CharField(
        label="Contract reference",
        required=False,
        help_text="Leave empty to earmark part of an area's budget instead.",
    )
    area = forms.ChoiceField(label="Area", required=False)
    starts_on = date_field("Start date", "Leave empty on a contract to use its start date")
    ends_on = date_field("End date", "Leave empty on a contract to use its end date")
    description = forms.CharField(
        label="What the money is for, in a sentence or two", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, bodies: Any = (), areas: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioning_body"].choices = [(str(b.pk), b.name) for b in bodies]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", "No area: a contract's ring-fence")] + [  # type: ignore[attr-defined]
            (str(a.pk), a.name) for a in areas
        ]
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False


class ChargeForm(GovUKForm):
    invoice = forms.ChoiceField(label="Invoice paid from this money")

    def __init__(self, *args: Any, invoices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{i.contract.reference} {i.reference}: {i.issuer.name}, £{i.amount:,}")
            for i in invoices
        ]


class CountRoundForm(GovUKForm):
    grant_round = forms.ChoiceField(label="Grant round whose awards count against it")

    def __init__(self, *args: Any, rounds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant_round"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), f"{r.reference}: {r.title}") for r in rounds
        ]
