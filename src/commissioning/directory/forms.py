"""Editing an organisation's profile (MKT-1): one form for the web page and the API's PATCH.

Members edit what they know best: the description, contacts, money, the areas, specialisms and
people they serve, who leads them and their type. The name, slug, registration numbers, the
prime-contractor and commissioning-body flags and the synthetic marker are facts the site
administrators keep (in the admin), so a member cannot rename or re-classify an organisation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.validators import URLValidator
from django.db.models import Case, IntegerField, Value, When

from commissioning.audit.versions import VersionedFormMixin
from commissioning.directory.models import (
    INVOLVEMENT_METHODS,
    LED_BY_FIELDS,
    Area,
    Cohort,
    Organisation,
    Specialism,
)
from commissioning.directory.services import EDITABLE_FIELDS
from commissioning.kernel.forms import GovUKModelForm

MAX_RESERVES_MONTHS = Decimal(120)
MAX_DESCRIPTION = 5000
MAX_INVOLVEMENT_DESCRIPTION = 1000

_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"spellcheck": "false", **attrs})


class PoundsField(forms.DecimalField):
    """Pounds, accepting what people type: "£250,000", "250000" or "250000.50"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class WebsiteField(forms.URLField):
    """A web address: http or https only (no ftp:, javascript: or mailto: links on profiles)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.kind == Area.Kind.PROBATION_REGION:
            return f"{obj.name} (probation region)"
        if obj.kind == Area.Kind.NATIONAL:
            return f"{obj.name} (national)"
        return str(obj.name)


def areas_in_order() -> Any:
    """National first, then probation regions, then police force areas, each by name."""
    rank = Case(
        When(kind=Area.Kind.NATIONAL, then=Value(0)),
        When(kind=Area.Kind.PROBATION_REGION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return Area.objects.annotate(rank=rank).order_by("rank", "name")


def specialisms_field(help_text: str = "") -> forms.ModelMultipleChoiceField:
    """Specialisms as optional checkboxes, by slug: the profile form's and an alert's."""
    return forms.ModelMultipleChoiceField(
        label="Specialisms",
        help_text=help_text,
        queryset=Specialism.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not a specialism on the list",
            "invalid_list": "Select the specialisms from the list",
        },
    )


def cohorts_field(help_text: str = "") -> forms.ModelMultipleChoiceField:
    """Groups of people as optional checkboxes, by slug: the profile form's and an alert's."""
    return forms.ModelMultipleChoiceField(
        label="People supported",
        help_text=help_text,
        queryset=Cohort.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not a group of people on the list",
            "invalid_list": "Select the groups of people from the list",
        },
    )


class OrganisationProfileForm(VersionedFormMixin, GovUKModelForm):
    org_type = forms.ChoiceField(
        label="Type of organisation",
        choices=Organisation.OrgType.choices,
        error_messages={
            "required": "Select the type of organisation",
            "invalid_choice": "Select the type of organisation from the list",
        },
    )
    description = forms.CharField(
        label="Description",
        help_text="What the organisation does and for whom. This is shown on the public profile.",
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": f"Description must be {MAX_DESCRIPTION:,} characters or fewer",
        },
    )
    annual_income = PoundsField(
        label="Annual income (£)",
        help_text="Total income in the last financial year, in pounds, like 250000",
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=_text(inputmode="decimal"),
        error_messages={
            "required": "Enter the annual income",
            "invalid": "Enter the annual income as a number of pounds, like 250000",
            "min_value": "Annual income must be £0 or more",
            "max_digits": "Annual income must be less than £1,000,000,000,000",
            "max_whole_digits": "Annual income must be less than £1,000,000,000,000",
            "max_decimal_places": "Annual income must be in pounds and pence, like 250000.50",
        },
    )
    reserves_months = forms.DecimalField(
        label="Months of free reserves",
        help_text="How many months of its spending the organisation could pay from its free "
        "reserves (unrestricted funds not tied up in buildings or set aside for a purpose)",
        min_value=Decimal(0),
        max_value=MAX_RESERVES_MONTHS,
        max_digits=5,
        decimal_places=1,
        widget=_text(inputmode="decimal"),
        error_messages={
            "required": "Enter the months of free reserves",
            "invalid": "Enter the months of free reserves as a number, like 6 or 4.5",
            "min_value": "Months of free reserves must be 0 or more",
            "max_value": (
                "Months of free reserves must be 120 or fewer (10 years); "
                "check the figure is in months"
            ),
            "max_decimal_places": (
                "Months of free reserves can have at most one decimal place, like 4.5"
            ),
            "max_digits": "Months of free reserves must be 120 or fewer",
            "max_whole_digits": "Months of free reserves must be 120 or fewer",
        },
    )
    areas = AreaChoiceField(
        label="Areas served",
        help_text="Select every area where the organisation delivers services",
        queryset=Area.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one area the organisation serves",
            "invalid_choice": "“%(value)s” is not an area on the list",
            "invalid_list": "Select the areas from the list",
        },
    )
    specialisms = specialisms_field()
    cohorts = cohorts_field()
    led_by = forms.MultipleChoiceField(
        label="Who leads the organisation",
        help_text="Select all that apply",
        choices=list(LED_BY_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the options",
            "invalid_list": "Select who leads the organisation from the list",
        },
    )
    involvement_methods = forms.MultipleChoiceField(
        label="How the organisation involves the people it serves",
        help_text="Select all that apply. Evaluators see this beside your bids when they score "
        "how a bid involves the people who use its services.",
        choices=list(INVOLVEMENT_METHODS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the ways of involving people",
            "invalid_list": "Select the ways of involving people from the list",
        },
    )
    involvement_description = forms.CharField(
        label="Describe how the people you serve shape your work",
        help_text="A few sentences: for example what your forum changed last year, or how many "
        "of your staff and volunteers have lived experience.",
        required=False,
        max_length=MAX_INVOLVEMENT_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "The description of how you involve people must be "
            f"{MAX_INVOLVEMENT_DESCRIPTION:,} characters or fewer",
        },
    )
    website = WebsiteField(
        label="Website",
        help_text="Starting with https://, like https://www.example.org",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=_text(autocomplete="url", input_type="url"),
        error_messages={
            "invalid": "Enter a website address starting with http:// or https://, "
            "like https://www.example.org",
            "max_length": "Website address must be 200 characters or fewer",
        },
    )
    contact_name = forms.CharField(
        label="Contact name",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Contact name must be 120 characters or fewer"},
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        max_length=254,
        widget=_text(autocomplete="email", input_type="email"),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    contact_phone = forms.CharField(
        label="Contact telephone number",
        help_text="For international numbers include the country code",
        required=False,
        max_length=30,
        widget=_text(autocomplete="tel", input_type="tel"),
        error_messages={"max_length": "Telephone number must be 30 characters or fewer"},
    )

    class Meta:
        model = Organisation
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas_in_order()  # type: ignore[attr-defined]
        if self.instance.pk and "led_by" not in self.initial:
            self.initial["led_by"] = [
                name for name in LED_BY_FIELDS if getattr(self.instance, name)
            ]
        self.helper.layout = Layout(
            "org_type",
            "description",
            Field.text("annual_income", field_width=10),
            Field.text("reserves_months", field_width=4),
            *(
                Field.checkboxes(name, small=True)
                for name in ("areas", "specialisms", "cohorts", "led_by", "involvement_methods")
            ),
            "involvement_description",
            "website",
            "contact_name",
            "contact_email",
            Field.text("contact_phone", field_width=20),
            "version",
        )

    def clean_contact_phone(self) -> str:
        phone: str = self.cleaned_data.get("contact_phone", "").strip()
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not _PHONE_CHARACTERS.match(phone) or not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                "Enter a telephone number, like 01632 960 001 or +44 808 157 0192"
            )
        return phone

    def clean_description(self) -> str:
        return str(self.cleaned_data.get("description", "")).strip()

    def clean_involvement_methods(self) -> list[str]:
        """Stored in the order of the list, so re-ticking the same boxes is no change."""
        chosen = set(self.cleaned_data.get("involvement_methods") or ())
        return [key for key in INVOLVEMENT_METHODS if key in chosen]

    def clean_involvement_description(self) -> str:
        return str(self.cleaned_data.get("involvement_description", "")).strip()

    def clean_contact_name(self) -> str:
        return str(self.cleaned_data.get("contact_name", "")).strip()

    def service_data(self) -> dict[str, Any]:
        """The validated changes, as model field names, for :func:`services.update_organisation`."""
        data = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
        chosen = set(self.cleaned_data.get("led_by") or ())
        data.update({name: name in chosen for name in LED_BY_FIELDS})
        return data


def form_data(organisation: Organisation) -> dict[str, Any]:
    """The organisation's current values as form data: the base an API ``PATCH`` is merged into."""
    return {
        "org_type": organisation.org_type,
        "description": organisation.description,
        "annual_income": str(organisation.annual_income),
        "reserves_months": str(organisation.reserves_months),
        "areas": [area.slug for area in organisation.areas.all()],
        "specialisms": [item.slug for item in organisation.specialisms.all()],
        "cohorts": [item.slug for item in organisation.cohorts.all()],
        "led_by": [name for name in LED_BY_FIELDS if getattr(organisation, name)],
        "involvement_methods": list(organisation.involvement_methods or ()),
        "involvement_description": organisation.involvement_description,
        "website": organisation.website,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
    }
