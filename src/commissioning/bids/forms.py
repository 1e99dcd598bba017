"""GOV.UK forms for bids: they parse input; the services hold the rules and seal what is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper
from django import forms

from commissioning.accounts.organisation_search import OrganisationChoiceField
from commissioning.audit.versions import VersionedFormMixin
from commissioning.bids.content import COST_LINES, BidContent
from commissioning.bids.documents import ALLOWED_TEXT
from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm

TEXTAREA = {"rows": 5}
YES_NO = [("yes", "Yes"), ("no", "No")]
HELPER_SETTINGS = ("form_tag", "disable_csrf", "label_size", "legend_size")


def _money(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": f"Enter {label.lower()} in pounds",
            "invalid": f"{label} must be an amount of money, like 125000.00",
            "min_value": f"{label} must be 0 or more",
            "max_decimal_places": f"{label} must have no more than 2 decimal places (pence)",
        },
    )


class StartBidForm(GovUKForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation is bidding?",
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the organisation that is bidding"},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class PricingForm(VersionedFormMixin, GovUKForm):
    """Price and full-cost disclosure (EVA-4); one field per line of :data:`COST_LINES`. Carries
    the bid's version, so a colleague's price saved meanwhile is not overwritten (issue 13)."""

    price = _money("Price for the lot (£ a year)", "What you ask to be paid a year.")
    cost_staff = _money("Staff (£ a year)", "The full cost, even where someone else pays it.")
    cost_overheads = _money("Overheads (£ a year)")
    cost_premises = _money("Premises (£ a year)", "Include premises you get free or cheaply.")
    cost_subcontracting = _money("Sub-contracting (£ a year)")
    cost_other = _money("Other costs (£ a year)")
    has_subsidy = forms.ChoiceField(
        label="Does any public subsidy, or any cost you do not bear, support this bid?",
        help_text="For example free premises, seconded staff or a grant paying for part "
        "of the service. Public-sector bids are adjusted for these before price scoring.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if a subsidy or cost you do not bear applies"},
    )
    subsidy_details = forms.CharField(
        label="Describe the subsidy or the costs you do not bear, with their value",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    @classmethod
    def initial_from(cls, content: BidContent) -> dict[str, Any]:
        initial: dict[str, Any] = {"price": content.price}
        initial.update({f"cost_{k}": v for k, v in content.costs.items()})
        if content.has_subsidy is not None:
            initial["has_subsidy"] = "yes" if content.has_subsidy else "no"
        initial["subsidy_details"] = content.subsidy_details
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("has_subsidy") == "yes" and not cleaned.get("subsidy_details", "").strip():
            self.add_error("subsidy_details", "Describe the subsidy or the costs you do not bear")
        return cleaned

    def costs(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[f"cost_{key}"] for key in COST_LINES}


class AnswersForm(VersionedFormMixin, GovUKForm):
    """One answer per published non-price criterion (EVA-1), carrying the bid's version."""

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            hint = f"{criterion.get_kind_display()}, {criterion.weight}% of the total."
            if criterion.guidance:
                hint = f"{hint} {criterion.guidance}"
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=criterion.name,
                help_text=hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        # The crispy helper was laid out before these fields existed: lay it out again.
        settings = {k: getattr(self.helper, k) for k in HELPER_SETTINGS}
        self.helper = FormHelper(self)
        for name, value in settings.items():
            setattr(self.helper, name, value)

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("criterion_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("criterion_")
        }


class DocumentForm(GovUKForm):
    document = forms.FileField(
        label="Upload a document",
        help_text=f"A {ALLOWED_TEXT} file, smaller than 10 MB. It is sealed with the bid.",
        error_messages={"required": "Select a file to upload"},
    )


class SubcontractorForm(GovUKForm):
    """A named sub-contractor and what it is promised (PRO-7)."""

    organisation = OrganisationChoiceField(
        "providers",
        label="Sub-contractor",
        help_text="The name of a provider in the directory. Its members will be asked to confirm.",
        error_messages={"required": "Enter the sub-contractor's name"},
    )
    role = forms.CharField(
        label="Its role",
        max_length=200,
        help_text="For example: specialist women's service in the north of the area.",
        error_messages={"required": "Enter the sub-contractor's role"},
    )
    services = forms.CharField(
        label="Services it will deliver",
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the services it will deliver"},
    )
    referrals_per_year = forms.IntegerField(
        label="Referrals promised a year",
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "required": "Enter the referrals promised a year",
            "invalid": "Referrals promised a year must be a whole number",
            "min_value": "Referrals promised a year must be 0 or more",
        },
    )
    value_per_year = _money("Value promised a year (£)")

    def __init__(self, *args: Any, prime: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = field.offered().exclude(pk=prime.pk)


class ConsentForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Do you agree to be named in this bid on these terms?",
        choices=[("confirm", "Yes, we confirm"), ("decline", "No, we decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you confirm or decline"},
    )
    reason = forms.CharField(
        label="Reason for declining",
        help_text="Required if you decline. The bidder will see it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why you are declining")
        return cleaned
