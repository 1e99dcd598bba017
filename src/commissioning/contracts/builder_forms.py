"""The payment mechanism builder's questions, one GOV.UK form per step (PBR-1 .. PBR-4, PBR-6).

Each form only checks its own answers' shape (a number, a percentage from 0 to 100); the rules
that join answers into a mechanism are the analytics core's
(:mod:`commissioning_analytics.payments.builder`), and the document is then checked by the
core's schema like any imported JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commissioning.contracts.forms import DocumentsForm
from commissioning.kernel.forms import GovUKForm
from commissioning_analytics.payments.builder import MAX_SUBCONTRACTORS, OWN_PARTICIPANTS
from commissioning_analytics.payments.builder_more import quantity_terms

NUMBER = {"class": "govuk-input--width-10", "inputmode": "decimal"}
SHORT = {"class": "govuk-input--width-4", "inputmode": "decimal"}
ORDINALS = ("First", "Second", "Third")


def money(label: str, help_text: str = "", required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} (£)",
        required=required,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be an amount in pounds, like 1200 or 1200.50",
            "min_value": f"{label} must be £0 or more",
            "max_decimal_places": f"{label} must have no more than 2 decimal places (pence)",
            "max_digits": f"{label} must be less than £1,000,000,000,000",
        },
    )


def percentage(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} (%)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs=SHORT),
        error_messages={
            "invalid": f"{label} must be a percentage from 0 to 100",
            # These messages are formatted with the limit as a parameter: % is written %%.
            "min_value": f"{label} must be 0%% or more",
            "max_value": f"{label} must be 100%% or less",
            "max_decimal_places": f"{label} must have no more than 4 decimal places",
            "max_digits": f"{label} must be a percentage from 0 to 100",
        },
    )


def decimal(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=12,
        decimal_places=6,
        help_text=help_text,
        widget=forms.TextInput(attrs=SHORT),
        error_messages={
            "invalid": f"{label} must be a number, like 5 or 2.5",
            "max_decimal_places": f"{label} must have no more than 6 decimal places",
            "max_digits": f"{label} must be a smaller number",
        },
    )


def whole(
    label: str, low: int, high: int, help_text: str = "", required: bool = False
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {low} or more",
            "max_value": f"{label} must be {high} or fewer",
        },
    )


def choice(label: str, choices: list[tuple[str, str]], required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices if required else [("", "None"), *choices],
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Select {label[0].lower()}{label[1:].rstrip('?')}",
            "invalid_choice": f"Select {label[0].lower()}{label[1:].rstrip('?')} from the list",
        },
    )


def text(label: str, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be 200 characters or fewer",
        },
    )


class StepForm(GovUKForm):
    """One step of the builder; ``title`` names it in the steps and on check your answers."""

    title = ""


class TermForm(StepForm):
    title = "Term and periods"
    name = text("Name of the mechanism", "For example, Resettlement services 2026 to 2028", True)
    commissioner_name = text("Commissioner", "The body that pays the service fee", True)
    prime_name = text("Prime provider", "The lead provider that holds the contract", True)
    period = choice(
        "How often are payments worked out?",
        [
            ("month", "Monthly"),
            ("four_weeks", "Every four weeks"),
            ("quarter", "Quarterly"),
            ("year", "Yearly"),
        ],
    )
    term_periods = whole("Number of periods in the term", 1, 1000, "For example, 24 months", True)
    payment_terms_days = whole(
        "Days the commissioner takes to pay", 0, 365, "After each period ends; 30 if left blank"
    )


class MeasureForm(StepForm):
    title = "Outcome measure"
    measure_kind = choice(
        "What is measured?",
        [
            ("intermediate", "People achieving an outcome, such as settled accommodation"),
            ("binary", "Reoffending: the share of people reconvicted"),
            ("frequency", "Reoffending: reconviction events per 100 people"),
            (
                "quantity",
                "A quantity per person other than reoffending, such as custody bed nights",
            ),
        ],
        required=False,
    )
    measure_unit = text(
        "What is counted for each person?",
        "Only for a quantity: in the plural, like custody bed nights",
    )
    measure_better = choice(
        "Which way is better?",
        [("lower", "Fewer, like custody bed nights"), ("higher", "More, like days in work")],
        required=False,
    )
    measure_description = text(
        "Describe the outcome", "For example, in settled accommodation 3 months after release"
    )
    comparison = choice(
        "Reoffending is compared with",
        [("baseline", "A fixed baseline"), ("matched_comparison", "A matched comparison group")],
        required=False,
    )
    improvement = choice(
        "Improvement is counted in",
        [
            ("percentage_points", "Percentage points (share reconvicted)"),
            ("events_per_100", "Events per 100 people (frequency)"),
            ("per_person", "Units per person (a quantity)"),
            ("relative_percent", "Per cent of the comparison value"),
        ],
        required=False,
    )
    baseline = decimal("Baseline", "Only for a fixed baseline: the reference rate, like 58.0")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors: dict[str, str] = {}
        quantity_terms({k: v or "" for k, v in data.items()}, errors)
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class ServiceFeeForm(StepForm):
    title = "Service fee"
    annual_value = money("Service fee a year", "Leave blank for no service fee")
    frequency = choice(
        "How often is it paid?",
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("annual", "Once a year")],
        required=False,
    )
    timing = choice(
        "When is it paid?",
        [("advance", "In advance, at the start"), ("arrears", "In arrears, after the work")],
        required=False,
    )
    at_risk_percent = percentage("Share of the fee at risk", "Guidance: between 10% and 30%")
    at_risk_mode = choice(
        "How is the share at risk handled?",
        [
            ("clawback", "Paid, then clawed back if the target is missed"),
            ("withheld", "Withheld until the target is met"),
        ],
        required=False,
    )
    at_risk_target = decimal(
        "Target improvement", "The improvement on the outcome measure that keeps the fee, like 5"
    )
    clawback_scale = choice(
        "How much is clawed back when the target is missed?",
        [
            ("whole", "All of the share at risk"),
            ("sliding", "An amount in proportion to the shortfall, up to a cap"),
        ],
        required=False,
    )
    sliding_percent_per_unit = percentage(
        "Clawed back for each point short",
        "The share of the amount at risk repaid for each point of improvement below the "
        "target, like 20",
    )
    sliding_cap_percent = percentage(
        "Most clawed back", "The share of the amount at risk; 100% if left blank"
    )
    at_risk_years = whole(
        "Years the target is measured over",
        1,
        50,
        "The results of that many contract years are pooled and judged once, against the "
        "amount at risk in all of them; leave blank to judge each result on its own",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("annual_value") is not None:
            for name, message in (
                ("frequency", "Select how often the service fee is paid"),
                ("timing", "Select when the service fee is paid"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if data.get("at_risk_percent"):
            if data.get("at_risk_target") is None and "at_risk_target" not in self.errors:
                self.add_error(
                    "at_risk_target", "Enter the target improvement the fee at risk depends on"
                )
            if not data.get("at_risk_mode"):
                self.add_error("at_risk_mode", "Select how the share at risk is handled")
        if data.get("at_risk_years") and not data.get("at_risk_percent"):
            self.add_error(
                "at_risk_years",
                "Enter the share of the fee at risk before the years it is judged over",
            )
        if data.get("clawback_scale") == "sliding":
            if data.get("at_risk_mode") == "withheld":
                self.add_error(
                    "clawback_scale",
                    "Choose all of the share at risk: a share withheld is released or kept whole",
                )
            if (
                data.get("sliding_percent_per_unit") is None
                and "sliding_percent_per_unit" not in self.errors
            ):
                self.add_error(
                    "sliding_percent_per_unit",
                    "Enter the share of the amount at risk clawed back for each point short",
                )
        return data


class OutcomesForm(StepForm):
    title = "Outcome payments"
    outcome_tariff = money(
        "Tariff",
        "Paid per person achieving the outcome, or per unit of improvement; leave blank for "
        "no outcome payments",
    )
    outcome_basis = choice(
        "What does the tariff pay for?",
        [
            ("per_result", "Each person or unit of improvement"),
            ("fixed", "A fixed sum once the threshold is met"),
        ],
        required=False,
    )
    group1 = text("First need group", "For example, Standard")
    group1_tariff = money("First need group's tariff")
    group2 = text("Second need group", "For example, High need")
    group2_tariff = money("Second need group's tariff")
    threshold = decimal("Threshold", "The least improvement that pays anything")
    floor = money("Floor", "The least one evaluation pays once the threshold is met")
    cap = money("Cap per evaluation")
    total_cap = money("Cap over the contract")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in (1, 2):
            group, tariff = data.get(f"group{number}"), data.get(f"group{number}_tariff")
            if group and tariff is None and f"group{number}_tariff" not in self.errors:
                self.add_error(f"group{number}_tariff", f"Enter the tariff for {group}")
            if tariff is not None and not group:
                self.add_error(f"group{number}", "Enter the name of the need group")
        return data


VOLUME_EVENTS = (
    ("referral", "Each referral"),
    ("attachment", "Each attachment"),
    ("start", "Each start"),
    ("job_outcome", "Each job outcome"),
    ("sustainment", "Each sustainment"),
    ("completion", "Each completion"),
)


class VolumeFeesForm(StepForm):
    title = "Volume fees"
    volume_event = choice("What is paid for?", list(VOLUME_EVENTS), required=False)
    volume_tariff = money("Fee per event", "Leave blank for no volume fees")
    volume_max_per_person = whole(
        "Most paid for each person",
        1,
        1000,
        "For example, at most 13 sustainment payments for each job outcome; leave blank for "
        "no limit",
    )
    volume_per_person_event = choice(
        "Most paid for each of which event?",
        [(e, f"Each {label[5:]}") for e, label in VOLUME_EVENTS],
        False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("volume_tariff") is not None and not data.get("volume_event"):
            self.add_error("volume_event", "Select what the volume fee pays for")
        limit, event = data.get("volume_max_per_person"), data.get("volume_per_person_event")
        if limit is not None and not event:
            self.add_error(
                "volume_per_person_event", "Select the event the most paid for each person counts"
            )
        if event and limit is None and "volume_max_per_person" not in self.errors:
            self.add_error("volume_max_per_person", "Enter the most paid for each person, like 13")
        if (
            (limit is not None or event)
            and data.get("volume_tariff") is None
            and "volume_tariff" not in self.errors
        ):
            self.add_error("volume_tariff", "Enter the fee per event before limiting it")
        return data


class SocialImpactBondForm(StepForm):
    title = "Social impact bond"
    investor_name = text("Investor", "Leave blank if there is no social impact bond")
    sib_capital = money("Capital invested at the start")
    sib_tariff = money("Repayment per unit of improvement")
    sib_threshold = decimal("Improvement all cohorts must reach")
    sib_final_period = whole("Period of the final evaluation", 1, 1000)
    sib_max_return = percentage("Most return to investors")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("investor_name"):
            for name, label in (
                ("sib_capital", "the capital invested"),
                ("sib_tariff", "the repayment per unit of improvement"),
                ("sib_threshold", "the improvement all cohorts must reach"),
            ):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Enter {label}")
        return data


def share_basis(label: str) -> forms.ChoiceField:
    """Whether a sub-contractor's share is of every payment of a kind the prime receives, or of
    those its own participants earned (PBR-4, PBR-6); left blank, of every payment."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[
            ("all", "Every payment the prime receives"),
            (OWN_PARTICIPANTS, "Only what its own participants earn"),
        ],
        widget=forms.RadioSelect,
        help_text="Its own participants are the people referred to its service",
        error_messages={"invalid_choice": f"Select {label[0].lower()}{label[1:]} from the list"},
    )


def _subcontractor_fields(number: int) -> dict[str, forms.Field]:
    who = f"{ORDINALS[number - 1]} sub-contractor"
    return {
        f"sub{number}_name": text(f"{who}: name", "Leave blank for none"),
        f"sub{number}_fee_share": percentage(f"{who}: share of the service fee"),
        f"sub{number}_outcome_share": percentage(f"{who}: share of outcome payments"),
        f"sub{number}_outcome_basis": share_basis(f"{who}: a share of which outcome payments?"),
        f"sub{number}_volume_share": percentage(f"{who}: share of volume fees"),
        f"sub{number}_volume_basis": share_basis(f"{who}: a share of which volume fees?"),
        f"sub{number}_management_fee": percentage(
            f"{who}: management fee", "The part of its share the prime keeps"
        ),
        f"sub{number}_risk_passed": percentage(
            f"{who}: risk passed down", "100% passes its share of the risk down in full"
        ),
        f"sub{number}_minimum": money(f"{who}: minimum contract value", "Guaranteed over the term"),
        f"sub{number}_payment_terms": whole(
            f"{who}: days to pay", 0, 365, "After the prime is paid; 30 if left blank"
        ),
    }


class SubcontractorsForm(StepForm):
    title = "Sub-contractors' terms"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_SUBCONTRACTORS + 1):
            self.fields.update(_subcontractor_fields(number))
        self.helper.form = self  # crispy lays out the fields added above

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, MAX_SUBCONTRACTORS + 1):
            named = data.get(f"sub{number}_name")
            for name in _subcontractor_fields(number):
                if not named and name != f"sub{number}_name" and data.get(name) not in (None, ""):
                    self.add_error(f"sub{number}_name", "Enter the sub-contractor's name")
                    break
        return data


class ScenarioForm(GovUKForm):
    """The preview's scenario: what the commissioner expects, to see the statement it makes."""

    referrals_per_year = whole("Referrals a year", 0, 1_000_000, "", True)
    outcome_rate = percentage(
        "Outcome rate",
        "People achieving the outcome, or not reconvicted; for frequency, the cut in events",
    )
    outcome_rate.required = True
    outcome_rate.error_messages["required"] = "Enter the outcome rate"


DEFAULT_SCENARIO = {"referrals_per_year": "200", "outcome_rate": "40"}


class LotMechanismForm(DocumentsForm):
    """The contract documents form with the mechanism alone: a lot has no observations or
    assumptions. Pass ``versioned=lot``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["observed"], self.fields["assumptions"]
        self.helper.form = self
