"""Forms of the referral pages (REF-1): they parse input; the rules are the services' (the same
for the API and the import), whose errors are shown next to the field they name."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms

from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning.referrals import characteristics
from commissioning.referrals.lifecycle import NEEDS_REASON, Status
from commissioning.referrals.pseudonyms import MAX_CASE_REFERENCE


def date_field(label: str, what: str) -> DateInputField:
    field = DateInputField(
        label=label, help_text="For example, 27 3 2027", require_all_fields=False
    )
    field.error_messages["required"] = f"Enter {what}"
    field.error_messages["incomplete"] = f"Enter {what} as a day, month and year"
    field.error_messages["invalid"] = f"Enter {what} as a real date"
    return field


def need_group_label(group: str) -> str:
    return group.replace("-", " ").capitalize()


class ReferForm(GovUKForm, SubmissionKeyForm):
    referrer = forms.ModelChoiceField(
        label="Referring for",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation you are referring for"},
    )
    party = forms.ModelChoiceField(
        label="Service",
        queryset=ContractParty.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The prime's own service or a sub-contractor's.",
        error_messages={
            "required": "Select the service the person is referred to",
            "invalid_choice": "Select the service the person is referred to",
        },
    )
    case_reference = forms.CharField(
        label="Your case reference for the person",
        max_length=MAX_CASE_REFERENCE + 10,
        help_text="Only a pseudonymous reference made from it is kept, never the case reference "
        "itself. Do not enter a name or a date of birth.",
        error_messages={"required": "Enter the person's case reference"},
    )
    need_group = forms.ChoiceField(
        label="Need group",
        widget=forms.RadioSelect,
        help_text="The contract's need groups, as its payment mechanism sets them.",
        error_messages={"required": "Select the person's need group"},
    )
    referred_on = date_field("Date of the referral", "the date of the referral")

    def __init__(
        self,
        *args: Any,
        contract: Contract,
        referrers: list[Organisation],
        parties: Any,
        need_groups: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referrer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in referrers])
        if len(referrers) == 1:
            field.initial = referrers[0].pk
            field.widget = forms.HiddenInput()
        party_field = self.fields["party"]
        assert isinstance(party_field, forms.ModelChoiceField)
        party_field.queryset = parties
        party_field.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            f"{obj.organisation.name} ({obj.get_role_display().lower()})"
        )
        groups = self.fields["need_group"]
        assert isinstance(groups, forms.ChoiceField)
        groups.choices = [(group, need_group_label(group)) for group in need_groups]
        self.contract = contract


class CharacteristicsForm(GovUKForm):
    """The nine protected characteristics, each optional with "prefer not to say"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in characteristics.CHARACTERISTICS:
            self.fields[item.name] = forms.ChoiceField(
                label=f"{item.label} (optional)",
                required=False,
                choices=[("", "Not recorded"), *item.choices()],
                error_messages={"invalid_choice": f"Select the person's {item.label.lower()}"},
            )


class StepForm(GovUKForm):
    """The date a step happened and, where it needs one, the reason."""

    happened_on = date_field("Date it happened", "the date it happened")
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, target: Status, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        if target not in NEEDS_REASON:
            del self.fields["reason"]


class ReferralFilterForm(GovUKForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Status.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    provider = forms.ModelChoiceField(
        label="Service provider",
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label="Any provider",
        error_messages={"invalid_choice": "Select a provider from the list"},
    )
    need_group = forms.ChoiceField(label="Need group", required=False)
    referred_from = date_field("Referred on or after", "the first referral date")
    referred_to = date_field("Referred on or before", "the last referral date")

    def __init__(self, *args: Any, providers: Any, need_groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ModelChoiceField)
        provider.queryset = providers
        groups = self.fields["need_group"]
        assert isinstance(groups, forms.ChoiceField)
        groups.choices = [("", "Any need group")] + [(g, need_group_label(g)) for g in need_groups]
        for name in ("referred_from", "referred_to"):
            self.fields[name].required = False


class ImportForm(GovUKForm):
    organisation = forms.ModelChoiceField(
        label="Importing for",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation the events are for"},
    )
    file = forms.FileField(
        label="CSV file of the quarter's events",
        help_text="Columns: referral, action, happened_on (YYYY-MM-DD), reason. Nothing is "
        "stored unless every row is right.",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()
