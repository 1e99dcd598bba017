"""The nine protected characteristics of the Equality Act 2010 (s.4), each with its answers and
"prefer not to say", held for equality monitoring of referrals (REF-1), and the rule for
publishing counts by characteristic: a count of 1 to 4 is never shown, and where a single cell of
a characteristic is suppressed the next smallest is withheld too, so that it cannot be worked
out from the total. Framework-free: the forms, the API, the import and the pages share it."""

from __future__ import annotations

from dataclasses import dataclass

from commissioning_analytics.chain.equality import hidden_cells
from commissioning_analytics.outcomes.safeguards import SUPPRESS_BELOW

PREFER_NOT_TO_SAY = "prefer-not-to-say"
NOT_RECORDED = ""


@dataclass(frozen=True)
class Characteristic:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]

    def choices(self) -> list[tuple[str, str]]:
        """The answers, then "prefer not to say"; "not recorded" is left blank."""
        return [*self.options, (PREFER_NOT_TO_SAY, "Prefer not to say")]

    def label_of(self, value: str) -> str:
        if value == NOT_RECORDED:
            return "Not recorded"
        return dict(self.choices()).get(value, value)


_YES_NO = (("yes", "Yes"), ("no", "No"))

CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic(
        "age",
        "Age",
        (
            ("18-24", "18 to 24"),
            ("25-34", "25 to 34"),
            ("35-49", "35 to 49"),
            ("50-64", "50 to 64"),
            ("65-plus", "65 or over"),
        ),
    ),
    Characteristic("disability", "Disability", _YES_NO),
    Characteristic("gender_reassignment", "Gender reassignment", _YES_NO),
    Characteristic(
        "marriage_civil_partnership",
        "Marriage or civil partnership",
        (
            ("married", "Married"),
            ("civil-partnership", "In a civil partnership"),
            ("neither", "Neither"),
        ),
    ),
    Characteristic("pregnancy_maternity", "Pregnancy or maternity", _YES_NO),
    Characteristic(
        "race",
        "Ethnic group",
        (
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
        ),
    ),
    Characteristic(
        "religion_belief",
        "Religion or belief",
        (
            ("none", "No religion"),
            ("buddhist", "Buddhist"),
            ("christian", "Christian"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Another religion or belief"),
        ),
    ),
    Characteristic("sex", "Sex", (("female", "Female"), ("male", "Male"))),
    Characteristic(
        "sexual_orientation",
        "Sexual orientation",
        (
            ("straight", "Straight or heterosexual"),
            ("gay-lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
        ),
    ),
)
BY_NAME = {item.name: item for item in CHARACTERISTICS}


def problems(values: dict[str, str]) -> dict[str, str]:
    """Why ``values`` (name → answer, blank for not recorded) cannot be stored, by name."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        item = BY_NAME.get(name)
        if item is None:
            errors[name] = f"{name} is not a protected characteristic"
        elif value != NOT_RECORDED and value not in dict(item.choices()):
            allowed = ", ".join(code for code, _ in item.choices())
            errors[name] = f"{item.label}: choose one of {allowed}, or leave it blank"
    return errors


def cleaned(values: dict[str, str]) -> dict[str, str]:
    """Only the recorded answers (blanks dropped), in the characteristics' order."""
    return {c.name: values[c.name] for c in CHARACTERISTICS if values.get(c.name)}


SUPPRESSED = f"fewer than {SUPPRESS_BELOW}"
WITHHELD = "withheld"


def publishable(counts: list[int]) -> list[int | str]:
    """A characteristic's counts (one per answer, "not recorded" included) as they may be shown:
    1 to 4 become "fewer than 5"; where that leaves exactly one cell hidden, the smallest other
    non-zero cell is withheld too, so the hidden one cannot be recovered from the total."""
    hidden = hidden_cells(counts)
    return [
        (SUPPRESSED if 0 < count < SUPPRESS_BELOW else WITHHELD) if i in hidden else count
        for i, count in enumerate(counts)
    ]
