"""Proportionate selection (EVA-6): pass/fail selection questions that scale with lot value.

The policy is data: :data:`DEFAULT_POLICY` is a table of value bands (a lot's *annual* value,
lower bound inclusive), each adding questions to the bands below it. :func:`questions_for`
returns the questions a lot of a given value needs and the reason for each;
:func:`check_demands` lists, with specific messages, the demands a commissioner has configured
that are disproportionate for the lot; :func:`validate_demands` refuses them.

Context, not legal advice: the Procurement Act 2023 s.22 requires conditions of participation
to be a proportionate means of checking a supplier can perform the contract, and limits when
audited accounts may be required; the Public Contracts Regulations 2015 reg. 58(9) caps a
minimum yearly turnover requirement at two times the estimated contract value "except in duly
justified cases". This policy applies the stricter cap of 2× the lot's *annual* value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise


class SelectionError(ValueError):
    """A selection policy or a commissioner's demands are refused; the message says why."""


@dataclass(frozen=True)
class SelectionQuestion:
    """A pass/fail selection question and what a bidder can give to pass it."""

    id: str
    name: str
    what_passes: str


BASIC_INFORMATION = SelectionQuestion(
    "basic-information",
    "Basic information",
    "Name, address, legal form, registration numbers and a named contact.",
)
DECLARATIONS = SelectionQuestion(
    "declarations",
    "Declarations (exclusion grounds)",
    "A signed declaration that no mandatory or discretionary exclusion ground applies.",
)
INSURANCE = SelectionQuestion(
    "insurance",
    "Insurance proportionate to value",
    "Employer's liability at the statutory minimum and other cover no higher than the "
    "policy's cap for the lot's value, or a commitment to hold it by the contract start.",
)
FINANCIAL_STANDING = SelectionQuestion(
    "financial-standing",
    "Financial standing (proportionate test)",
    "Annual turnover of at most 2× the lot's annual value if a turnover test is set; small "
    "charities may show standing by a reference from a funder or bank, or management accounts "
    "— audited accounts are not required.",
)
AUDITED_ACCOUNTS = SelectionQuestion(
    "audited-accounts",
    "Audited accounts or equivalent",
    "The last two years' audited accounts, or — for bidders not required to have an audit — "
    "independently examined accounts or management accounts with a funder or bank reference.",
)
QUALITY_STANDARDS = SelectionQuestion(
    "quality-standards",
    "Quality standards",
    "Evidence of a recognised quality standard or an equivalent description of the bidder's "
    "own quality assurance.",
)
BUSINESS_CONTINUITY = SelectionQuestion(
    "business-continuity",
    "Business continuity",
    "A business continuity plan covering loss of staff, premises and systems.",
)
SUPPLY_CHAIN_MANAGEMENT = SelectionQuestion(
    "supply-chain-management",
    "Supply-chain management",
    "How the bidder will treat sub-contractors fairly: terms, prompt payment, proportionate "
    "monitoring and fair risk.",
)
CARBON_REDUCTION_PLAN = SelectionQuestion(
    "carbon-reduction-plan",
    "Carbon reduction plan",
    "A carbon reduction plan (PPN 06/21 asks for one on central government contracts over "
    "£5 million a year).",
)


@dataclass(frozen=True)
class ValueBand:
    """Lots with an annual value of at least ``lower`` (and below the next band's ``lower``)
    need the questions of every band up to and including this one."""

    lower: Decimal
    label: str
    adds: tuple[SelectionQuestion, ...]
    reason: str


@dataclass(frozen=True)
class SelectionPolicy:
    """Value bands and the documented caps on what a commissioner may demand.

    * ``turnover_cap_multiple``: the highest minimum turnover, as a multiple of the lot's annual
      value (2, after PCR 2015 reg. 58(9)).
    * ``insurance_cap_multiple`` and ``insurance_floor``: the highest cover a commissioner may
      demand for any one insurance is ``max(insurance_cap_multiple × annual value,
      insurance_floor)`` — except employer's liability, which may always be demanded up to
      ``employers_liability_minimum`` (£5m, the statutory minimum cover in Great Britain).
    * ``reserves_cap_months``: the most months of reserves a commissioner may demand.
    """

    bands: tuple[ValueBand, ...]
    turnover_cap_multiple: Decimal = Decimal(2)
    insurance_cap_multiple: Decimal = Decimal(5)
    insurance_floor: Decimal = Decimal(1_000_000)
    employers_liability_minimum: Decimal = Decimal(5_000_000)
    reserves_cap_months: Decimal = Decimal(3)

    def __post_init__(self) -> None:
        if not self.bands or self.bands[0].lower != 0:
            raise SelectionError("The first value band must start at £0.")
        lowers = [band.lower for band in self.bands]
        if any(b <= a for a, b in pairwise(lowers)):
            raise SelectionError("Value bands must start at strictly increasing values.")
        ids = [q.id for band in self.bands for q in band.adds]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise SelectionError(f"Each question is added by one band only: {repeated} repeated.")
        for name in ("turnover_cap_multiple", "insurance_cap_multiple", "reserves_cap_months"):
            if getattr(self, name) <= 0:
                raise SelectionError(f"{name} must be positive.")

    def band_index(self, annual_value: Decimal) -> int:
        if annual_value <= 0:
            raise SelectionError(
                f"A lot needs a positive annual value (got {_money(annual_value)})."
            )
        index = 0
        for i, band in enumerate(self.bands):
            if annual_value >= band.lower:
                index = i
        return index

    def band_for(self, question_id: str) -> ValueBand:
        for band in self.bands:
            if any(q.id == question_id for q in band.adds):
                return band
        raise SelectionError(f"No selection question {question_id!r} in this policy.")

    def insurance_cap(self, kind: str, annual_value: Decimal) -> Decimal:
        cap = max(self.insurance_cap_multiple * annual_value, self.insurance_floor)
        if kind == "employers_liability":
            cap = max(cap, self.employers_liability_minimum)
        return cap


DEFAULT_POLICY = SelectionPolicy(
    (
        ValueBand(
            Decimal(0),
            "under £100,000 a year",
            (BASIC_INFORMATION, DECLARATIONS),
            "every bidder, whatever the value",
        ),
        ValueBand(
            Decimal(100_000),
            "£100,000 to under £1 million a year",
            (INSURANCE, FINANCIAL_STANDING),
            "annual value of £100,000 or more",
        ),
        ValueBand(
            Decimal(1_000_000),
            "£1 million to under £5 million a year",
            (AUDITED_ACCOUNTS, QUALITY_STANDARDS),
            "annual value of £1 million or more",
        ),
        ValueBand(
            Decimal(5_000_000),
            "£5 million a year or more",
            (BUSINESS_CONTINUITY, SUPPLY_CHAIN_MANAGEMENT, CARBON_REDUCTION_PLAN),
            "annual value of £5 million or more",
        ),
    )
)
"""The default proportionate selection table (EVA-6); see docs/evaluation-evidence.md."""


@dataclass(frozen=True)
class RequiredQuestion:
    question: SelectionQuestion
    reason: str


@dataclass(frozen=True)
class SelectionRequirement:
    """The pass/fail questions a lot of ``annual_value`` needs, each with its reason."""

    annual_value: Decimal
    band: ValueBand
    questions: tuple[RequiredQuestion, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(r.question.id for r in self.questions)

    def summary(self) -> str:
        lines = [
            f"Selection for a lot of {_money(self.annual_value)} a year ({self.band.label}): "
            f"{len(self.questions)} pass/fail questions."
        ]
        lines += [f"- {r.question.name}: {r.reason}." for r in self.questions]
        return "\n".join(lines)


def questions_for(
    annual_value: Decimal, policy: SelectionPolicy = DEFAULT_POLICY
) -> SelectionRequirement:
    """The selection questions for a lot's annual value, and why each applies (EVA-6)."""
    top = policy.band_index(annual_value)
    required = tuple(
        RequiredQuestion(q, f"required for {band.reason}")
        for band in policy.bands[: top + 1]
        for q in band.adds
    )
    return SelectionRequirement(annual_value, policy.bands[top], required)


@dataclass(frozen=True)
class SelectionDemands:
    """What a commissioner has configured for a lot's selection stage.

    ``questions``: ids of the questions asked; ``insurance``: insurance kind (e.g.
    ``"public_liability"``, ``"employers_liability"``) → cover demanded in pounds.
    """

    questions: tuple[str, ...] = ()
    min_turnover_multiple: Decimal | None = None
    min_reserves_months: Decimal | None = None
    insurance: Mapping[str, Decimal] = field(default_factory=dict)
    audited_accounts_alternatives: bool = True
    """Whether bidders not required to have an audit may give equivalent evidence instead."""


def check_demands(
    demands: SelectionDemands, annual_value: Decimal, policy: SelectionPolicy = DEFAULT_POLICY
) -> tuple[str, ...]:
    """The disproportionate demands for a lot of ``annual_value``, one message each."""
    required = questions_for(annual_value, policy)
    problems: list[str] = []
    for question_id in demands.questions:
        if question_id in required.question_ids:
            continue
        band = policy.band_for(question_id)
        problems.append(
            f"'{_question_name(policy, question_id)}' is asked only for lots with an "
            f"{band.reason}; this lot is worth {_money(annual_value)} a year."
        )
    multiple = demands.min_turnover_multiple
    if multiple is not None and multiple > policy.turnover_cap_multiple:
        problems.append(
            f"A minimum turnover of {multiple:g}× the annual value "
            f"({_money(multiple * annual_value)}) is more than {policy.turnover_cap_multiple:g}× "
            f"({_money(policy.turnover_cap_multiple * annual_value)}), the cap after PCR 2015 "
            "reg. 58(9)."
        )
    months = demands.min_reserves_months
    if months is not None and months > policy.reserves_cap_months:
        problems.append(
            f"Free reserves of {months:g} months of expenditure are more than the "
            f"{policy.reserves_cap_months:g} months a proportionate test may ask for."
        )
    for kind, cover in sorted(demands.insurance.items()):
        cap = policy.insurance_cap(kind, annual_value)
        if cover > cap:
            problems.append(
                f"Insurance '{kind}' of {_money(cover)} is more than the {_money(cap)} cap "
                f"for a lot of {_money(annual_value)} a year."
            )
    if AUDITED_ACCOUNTS.id in demands.questions and not demands.audited_accounts_alternatives:
        problems.append(
            "Audited accounts may be required only from bidders that must have an audit; "
            "others (such as small charities) must be allowed equivalent evidence."
        )
    return tuple(problems)


def validate_demands(
    demands: SelectionDemands, annual_value: Decimal, policy: SelectionPolicy = DEFAULT_POLICY
) -> None:
    """Refuse disproportionate demands (:class:`SelectionError` listing every problem)."""
    problems = check_demands(demands, annual_value, policy)
    if problems:
        raise SelectionError("Disproportionate selection demands: " + " ".join(problems))


def _question_name(policy: SelectionPolicy, question_id: str) -> str:
    band = policy.band_for(question_id)
    return next(q.name for q in band.adds if q.id == question_id)


def _money(amount: Decimal) -> str:
    """Pounds as text: whole pounds without pence (``£150,000``), otherwise to the penny."""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount.quantize(Decimal('0.01')):,}"
