"""The forms a volunteer treasurer fills in (LAW-5): the core information, in plain words, one
section at a time; and the share-code forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.layout import HTML
from crispy_forms_gds.layout import Field, Layout
from django import forms

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm, date_field
from commissioning.supplier_information import grounds
from commissioning.supplier_information.models import LegalForm, SupplierInformationVersion
from commissioning.supplier_information.services import (
    ConnectedPerson,
    CoreInformation,
    Declaration,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _money(label: str, help_text: str, minimum: Decimal | None = Decimal(0)) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=minimum,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": f"Enter your {label.lower()} in pounds",
            "invalid": f"Enter your {label.lower()} as an amount in pounds, like 125000",
            "min_value": f"{label} must be £0 or more",
            "max_digits": f"{label} is too large",
            "max_decimal_places": f"Enter {label.lower()} to the nearest penny",
        },
    )


def _heading(text: str, intro: str = "") -> HTML:
    paragraph = f'<p class="govuk-body">{intro}</p>' if intro else ""
    return HTML(f'<h2 class="govuk-heading-m">{text}</h2>{paragraph}')


class CoreInformationForm(GovUKForm):
    legal_name = forms.CharField(
        label="Registered name",
        max_length=200,
        help_text="As on the Charity Commission or Companies House register.",
        error_messages={"required": "Enter your organisation's registered name"},
    )
    legal_form = forms.ChoiceField(
        label="What kind of organisation are you?",
        choices=LegalForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation you are"},
    )
    charity_number = forms.CharField(
        label="Charity number (if you have one)", max_length=20, required=False
    )
    company_number = forms.CharField(
        label="Company number (if you have one)", max_length=20, required=False
    )
    ppon = forms.CharField(
        label="Public Procurement Organisation Number (if you have one)",
        help_text="The number the government's Central Digital Platform gives you when you "
        "register there. Leave it blank if you have not registered.",
        max_length=40,
        required=False,
    )
    registered_address = forms.CharField(
        label="Registered address",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your registered address"},
    )
    accounts_year_end = date_field(
        "Year end of your latest accounts", "The last day of the year they cover, e.g. 31 3 2026"
    )
    turnover = _money("Income", "Total income for that year, from your latest accounts.")
    reserves = _money(
        "Unrestricted reserves",
        "Money you could spend on anything, at that year end (enter a minus sign if in deficit).",
        minimum=None,
    )

    def __init__(self, *args: Any, person_rows: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_rows = person_rows
        people: list[Any] = []
        for index in range(1, person_rows + 1):
            self.fields[f"person_{index}_name"] = forms.CharField(
                label=f"Person {index}: full name", max_length=200, required=False
            )
            self.fields[f"person_{index}_role"] = forms.CharField(
                label=f"Person {index}: role",
                help_text="For example trustee, director, chief executive.",
                max_length=200,
                required=False,
            )
            self.fields[f"person_{index}_control"] = forms.CharField(
                label=f"Person {index}: how they control or influence the organisation",
                help_text="For example “votes on the board”, “owns more than 25% of shares”.",
                max_length=300,
                required=False,
            )
            people += [
                Field.text(f"person_{index}_name", field_width=20),
                Field.text(f"person_{index}_role", field_width=20),
                Field.text(f"person_{index}_control"),
            ]
        declarations: list[Any] = []
        for ground in grounds.ALL:
            self.fields[f"ground_{ground.key}"] = forms.ChoiceField(
                label=ground.label,
                help_text=ground.hint,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether “{ground.label}” applies"},
            )
            self.fields[f"ground_{ground.key}_details"] = forms.CharField(
                label=f"If yes: details of “{ground.label}”, and what you have done about it",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            declarations += [
                Field.radios(f"ground_{ground.key}", inline=True, small=True),
                Field.textarea(f"ground_{ground.key}_details"),
            ]
        self.helper.layout = Layout(
            _heading("Basic information"),
            "legal_name",
            Field.radios("legal_form", small=True),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Field.text("ppon", field_width=20),
            "registered_address",
            _heading("Money", "From your latest accounts."),
            "accounts_year_end",
            Field.text("turnover", field_width=10),
            Field.text("reserves", field_width=10),
            _heading(
                "Connected persons",
                "The people with significant influence or control: trustees or directors, and "
                "anyone who owns or controls the organisation. We never ask for dates of birth, "
                "and this list is never published. Leave spare rows empty.",
            ),
            *people,
            _heading(
                "Exclusion grounds",
                "The law says a buyer must or may turn a supplier away for these. Answer each "
                "one; where the answer is yes, say what happened and what you have done since. "
                "Mandatory grounds come first, then discretionary ones.",
            ),
            *declarations,
        )

    @staticmethod
    def initial_from(
        version: SupplierInformationVersion | None, organisation: Any
    ) -> dict[str, Any]:
        if version is None:
            return {
                "legal_name": organisation.name,
                "charity_number": organisation.charity_number,
                "company_number": organisation.company_number,
            }
        initial: dict[str, Any] = {
            name: getattr(version, name)
            for name in (
                "legal_name",
                "legal_form",
                "charity_number",
                "company_number",
                "ppon",
                "registered_address",
                "accounts_year_end",
                "turnover",
                "reserves",
            )
        }
        for index, person in enumerate(version.connected_persons, start=1):
            for key in ("name", "role", "control"):
                initial[f"person_{index}_{key}"] = person.get(key, "")
        for key, declaration in version.declarations.items():
            initial[f"ground_{key}"] = "yes" if declaration.get("applies") else "no"
            initial[f"ground_{key}_details"] = declaration.get("details", "")
        return initial

    def information(self) -> CoreInformation:
        data = self.cleaned_data
        people = []
        for index in range(1, self.person_rows + 1):
            row = [data.get(f"person_{index}_{key}", "") for key in ("name", "role", "control")]
            if any(value.strip() for value in row):
                people.append(ConnectedPerson(*row))
        return CoreInformation(
            legal_name=data["legal_name"],
            legal_form=data["legal_form"],
            registered_address=data["registered_address"],
            accounts_year_end=data["accounts_year_end"],
            turnover=data["turnover"],
            reserves=data["reserves"],
            charity_number=data["charity_number"],
            company_number=data["company_number"],
            ppon=data["ppon"],
            connected_persons=tuple(people),
            declarations={
                ground.key: Declaration(
                    applies=data[f"ground_{ground.key}"] == "yes",
                    details=data.get(f"ground_{ground.key}_details", ""),
                )
                for ground in grounds.ALL
            },
        )


class ShareCodeForm(GovUKForm):
    commissioning_body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Which commissioning body is the code for?",
        help_text="Only that body's commissioners can use it.",
        queryset=Organisation.objects.none(),
        empty_label="Choose a commissioning body",
        error_messages={
            "required": "Choose the commissioning body the code is for",
            "invalid_choice": "Choose the commissioning body the code is for",
        },
    )

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioning_body"].queryset = bodies  # type: ignore[attr-defined]


class LookUpForm(GovUKForm):
    code = forms.CharField(
        label="Share code",
        help_text="The code the organisation gave you, like SI-7KQ2-M9XA-3PLD.",
        max_length=40,
        error_messages={"required": "Enter the share code"},
    )
