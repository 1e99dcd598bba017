"""GOV.UK forms for bids: they parse input; the services hold the rules and seal what is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout
from django import forms

from commissioning.accounts.organisation_search import OrganisationChoiceField
from commissioning.audit.versions import VersionedFormMixin
from commissioning.bids.content import COST_LINES, PAYMENT_TERMS_MAX_DAYS, BidContent, Terms
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


def _percent(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "min_value": "Enter a percentage from 0 to 100",
            "max_value": "Enter a percentage from 0 to 100",
        },
    )


def _payment_terms_days(label: str, help_text: str = "") -> forms.IntegerField:
    """Days to pay an invoice: what the prime promises a sub-contractor, and what the
    sub-contractor tests (PBR-7), with the same bounds and messages."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=PAYMENT_TERMS_MAX_DAYS,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": "Enter the days as a whole number, like 30",
            "min_value": "Enter 0 days or more",
            "max_value": f"Enter {PAYMENT_TERMS_MAX_DAYS} days or fewer",
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
    upfront_percent = _percent(
        "Share of its fee paid up front (%)",
        "Paid when each person is referred. For example 20; 0 when everything is paid once the "
        "work is done. With the lot's share paid on outcomes it cannot be more than 100%.",
    )
    payment_terms_days = _payment_terms_days(
        "Days you take to pay its invoices",
        "For example 30. Public bodies pay undisputed invoices within 30 days.",
    )

    def __init__(self, *args: Any, prime: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = field.offered().exclude(pk=prime.pk)

    def terms(self) -> Terms:
        """What the valid form promises the sub-contractor, to be sealed with the bid."""
        data = self.cleaned_data
        return Terms(
            role=data["role"].strip(),
            services=data["services"].strip(),
            referrals_per_year=data["referrals_per_year"],
            value_per_year=data["value_per_year"],
            upfront_percent=data["upfront_percent"],
            payment_terms_days=data["payment_terms_days"],
        )


def _share_of_work(label: str, *, required: str, invalid: str) -> forms.DecimalField:
    """A consortium party's share of the work, in percent to two places (PRO-6): the lead's
    and each member's, with the same bounds and messages but their own wording."""
    out_of_range = "Enter a share of more than 0% and up to 100%"
    return forms.DecimalField(
        label=label,
        help_text="The lead's and members' shares must add up to 100%.",
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": required,
            "invalid": invalid,
            "min_value": out_of_range,
            "max_value": out_of_range,
            "max_decimal_places": "Enter a share with at most two decimal places",
        },
    )


class ConsortiumLeadForm(GovUKForm):
    """How the organisations bid together, and the lead's own role and share (PRO-6)."""

    arrangement = forms.ChoiceField(
        label="How are you bidding together?",
        choices=[
            ("consortium", "As a consortium"),
            ("spv", "Through a special-purpose vehicle"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you are bidding together"},
    )
    lead_role = forms.CharField(
        label="Your role as the lead",
        max_length=200,
        help_text="For example: case management and managing the contract.",
        error_messages={"required": "Enter your role as the lead"},
    )
    lead_share = _share_of_work(
        "Your share of the work (%)",
        required="Enter your share of the work",
        invalid="Your share of the work must be a number, like 40 or 33.34",
    )


class ConsortiumMemberForm(GovUKForm):
    """A member bidding together with the lead, its role and share (PRO-6)."""

    organisation = OrganisationChoiceField(
        "providers",
        label="Member",
        help_text="The name of a provider in the directory. Its members will be asked to confirm.",
        error_messages={"required": "Enter the member's name"},
    )
    role = forms.CharField(
        label="Its role",
        max_length=200,
        help_text="For example: accommodation for women leaving custody.",
        error_messages={"required": "Enter the member's role"},
    )
    share = _share_of_work(
        "Its share of the work (%)",
        required="Enter the member's share of the work",
        invalid="The share of the work must be a number, like 30 or 33.33",
    )

    def __init__(self, *args: Any, lead: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = field.offered().exclude(pk=lead.pk)


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


def _pounds(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "min_value": "Enter an amount of £0 or more",
        },
    )


class OfferTestForm(GovUKForm):
    """The terms offered and the organisation's own figures for “Test this offer” (PBR-7).
    Nothing entered is stored: the form is posted back to the page that shows the result."""

    value_per_year = _pounds("Value offered a year (£)")
    referrals_per_year = forms.IntegerField(
        label="Referrals promised a year",
        min_value=0,
        max_value=1_000_000,
        error_messages={"required": "Enter the referrals promised a year"},
    )
    upfront_percent = _percent(
        "Share of the fee paid up front (%)",
        "Paid when each person is referred to you. The rest not at risk is paid once the work "
        "is done.",
    )
    at_risk_percent = _percent(
        "Share of the fee paid only on outcomes (%)",
        "What is at risk: paid only for the people who achieve the outcome.",
    )
    payment_terms_days = _payment_terms_days("Days the bidder takes to pay your invoices")
    outcome_lag_months = forms.IntegerField(
        label="Months from a referral to its outcome payment",
        help_text="Reoffending is measured over a year, so 12 is usual.",
        min_value=0,
        max_value=60,
        error_messages={"required": "Enter the months from a referral to its outcome payment"},
    )
    months = forms.IntegerField(
        label="Length of the contract (months)",
        min_value=1,
        max_value=240,
        error_messages={"required": "Enter the length of the contract in months"},
    )
    transfer_percent = _percent(
        "Share of the staff transferring under TUPE who would join you (%)",
        "Their employment cost is added to your monthly costs.",
    )
    income_per_year = _pounds(
        "Your income a year from everything else (£)", "Not counting this contract."
    )
    reserves = _pounds(
        "Your free reserves (£)",
        "Unrestricted money not tied up in buildings or set aside for something else.",
    )
    monthly_costs = _pounds(
        "Your costs a month, this work included (£)",
        "Everything you spend a month, including the staff and costs of delivering this work.",
    )
    outcome_rate_percent = _percent(
        "People you expect to achieve the outcome (%)",
        "Of the people referred to you under this contract.",
    )

    OFFER_FIELDS = (
        "value_per_year",
        "referrals_per_year",
        "upfront_percent",
        "at_risk_percent",
        "payment_terms_days",
        "outcome_lag_months",
        "months",
        "transfer_percent",
    )
    OWN_FIELDS = ("income_per_year", "reserves", "monthly_costs", "outcome_rate_percent")

    def __init__(self, *args: Any, with_transfer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer = [name for name in self.OFFER_FIELDS if with_transfer or name != "transfer_percent"]
        if not with_transfer:
            del self.fields["transfer_percent"]
        self.helper.layout = Layout(
            Fieldset(*offer, legend="The offer", legend_size="m", legend_tag="h2"),
            Fieldset(
                *self.OWN_FIELDS,
                legend="Your own figures",
                legend_size="m",
                legend_tag="h2",
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upfront, at_risk = cleaned.get("upfront_percent"), cleaned.get("at_risk_percent")
        if upfront is not None and at_risk is not None and upfront + at_risk > 100:
            self.add_error(
                "upfront_percent",
                "The share paid up front and the share paid on outcomes must not add up to "
                "more than 100%",
            )
        return cleaned
