"""The builder's steps in order (PBR-1 .. PBR-4, PBR-6), with the two steps for the format's
later additions: a fee at risk on several weighted measures, and tariffs that change by
contract year (PBR-1, PBR-2, PBR-3). The other steps' forms are in
:mod:`commissioning.contracts.builder_forms`; the rules joining the answers are the core's
(:mod:`commissioning_analytics.payments.builder_more`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commissioning.contracts.builder_forms import (
    MeasureForm,
    OutcomesForm,
    ServiceFeeForm,
    SocialImpactBondForm,
    StepForm,
    SubcontractorsForm,
    TermForm,
    VolumeFeesForm,
    choice,
    decimal,
    money,
    percentage,
    text,
    whole,
)
from commissioning_analytics.payments.builder_more import EXTRA_TARGETS, ORDINAL, TARIFF_CHANGES

HUNDRED = Decimal(100)


def _target_fields(number: int) -> dict[str, forms.Field]:
    which = f"{ORDINAL[number].capitalize()} measure"
    return {
        f"target{number}_kind": choice(
            f"{which}: what is measured?",
            [
                ("intermediate", "People achieving an outcome, such as employment"),
                ("binary", "Reoffending: the share of people reconvicted"),
                ("frequency", "Reoffending: reconviction events per 100 people"),
            ],
            required=False,
        ),
        f"target{number}_description": text(f"{which}: describe the outcome"),
        f"target{number}_baseline": decimal(
            f"{which}: baseline",
            "Only for reoffending: the fixed reference rate, like 58.0; leave blank for a "
            "matched comparison group",
        ),
        f"target{number}_target": decimal(
            f"{which}: target improvement", "The improvement that earns this measure's weight"
        ),
        f"target{number}_weight": percentage(f"{which}: weight"),
    }


class WeightedTargetsForm(StepForm):
    """An at-risk share earned partly on several measures, each with its weight (PBR-1,
    PBR-2): the first is the outcome measure and target already given."""

    title = "Fee at risk on several measures"
    at_risk_weight = percentage(
        "Weight of the first measure's target",
        "The part of the fee at risk earned by meeting the target on the outcome measure; "
        "leave blank, with no other measures, for all of it",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in EXTRA_TARGETS:
            self.fields.update(_target_fields(number))
        self.helper.form = self  # crispy lays out the fields added above

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = [n for n in EXTRA_TARGETS if data.get(f"target{n}_kind")]
        for number in EXTRA_TARGETS:
            if number in named:
                for field, what in (("target", "target improvement"), ("weight", "weight")):
                    name = f"target{number}_{field}"
                    if data.get(name) is None and name not in self.errors:
                        self.add_error(name, f"Enter the {ORDINAL[number]} measure's {what}")
            elif any(
                data.get(f"target{number}_{field}") not in (None, "")
                for field in ("description", "baseline", "target", "weight")
            ):
                self.add_error(
                    f"target{number}_kind", f"Select what the {ORDINAL[number]} measure measures"
                )
        if named and data.get("at_risk_weight") is None and "at_risk_weight" not in self.errors:
            self.add_error("at_risk_weight", "Enter the weight of the first measure's target")
        given = [data.get("at_risk_weight")] + [data.get(f"target{n}_weight") for n in named]
        weights: list[Decimal] = [weight for weight in given if weight is not None]
        if named and len(weights) == len(given) and not self.errors:
            total = sum(weights, Decimal(0))
            if total != HUNDRED:
                self.add_error(
                    "at_risk_weight",
                    f"The weights add up to {format(total.normalize(), 'f')}%: they must add "
                    "up to 100%",
                )
        return data


def _change_fields(prefix: str, change: int, groups: bool) -> dict[str, forms.Field]:
    what = "Outcome payments" if prefix == "outcome" else "Volume fee"
    which = f"{what}, {('first', 'second')[change - 1]} change"
    name = f"{prefix}_change{change}_"
    fields: dict[str, forms.Field] = {
        name + "from_year": whole(
            f"{which}: from contract year", 2, 100, "Year 1 pays the tariffs already given"
        ),
        name + "tariff": money(f"{which}: tariff"),
    }
    if groups:
        fields[name + "group1_tariff"] = money(f"{which}: first need group's tariff")
        fields[name + "group2_tariff"] = money(f"{which}: second need group's tariff")
    return fields


class TariffsByYearForm(StepForm):
    """Tariffs that change by contract year (PBR-1, PBR-3), up to two changes for the outcome
    payment and for the volume fee; each change replaces the tariffs before it."""

    title = "Tariffs by contract year"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, groups in (("outcome", True), ("volume", False)):
            for change in TARIFF_CHANGES:
                self.fields.update(_change_fields(prefix, change, groups))
        self.helper.form = self

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in ("outcome", "volume"):
            previous = 1
            for change in TARIFF_CHANGES:
                name = f"{prefix}_change{change}_"
                year, tariff = data.get(name + "from_year"), data.get(name + "tariff")
                given = [k for k in self.fields if k.startswith(name) and data.get(k) is not None]
                if given and year is None and name + "from_year" not in self.errors:
                    self.add_error(name + "from_year", "Enter the contract year the change starts")
                if given and tariff is None and name + "tariff" not in self.errors:
                    self.add_error(name + "tariff", "Enter the tariff from that year")
                if year is not None:
                    if year <= previous and name + "from_year" not in self.errors:
                        self.add_error(
                            name + "from_year",
                            f"Enter a year later than {previous}, the year before this change",
                        )
                    previous = max(previous, year)
        return data


STEPS: dict[str, type[StepForm]] = {
    "term": TermForm,
    "measure": MeasureForm,
    "service-fee": ServiceFeeForm,
    "at-risk-measures": WeightedTargetsForm,
    "outcomes": OutcomesForm,
    "volume-fees": VolumeFeesForm,
    "tariffs-by-year": TariffsByYearForm,
    "social-impact-bond": SocialImpactBondForm,
    "subcontractors": SubcontractorsForm,
}


def step_of(answer: str) -> str:
    """The step whose form asks ``answer`` (the term step for anything else)."""
    for step, form_class in STEPS.items():
        if answer in form_class.base_fields or answer in form_class().fields:
            return step
    return "term"
