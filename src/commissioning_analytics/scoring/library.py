"""The criteria library (EVA-2, EVA-3): ready-made criteria a commissioner picks and weights.

Each entry carries guidance for bidders (what to write) and for evaluators (what to look for);
all use the default 0 / 25 / 50 / 75 / 100 quality scale unless the commissioner chooses another.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning_analytics.scoring.criteria import (
    DEFAULT_QUALITY_SCALE,
    Criterion,
    CriterionKind,
    Scale,
)
from commissioning_analytics.scoring.errors import ScoringError


@dataclass(frozen=True)
class LibraryCriterion:
    """A ready-made criterion, before the commissioner gives it a weight."""

    id: str
    name: str
    kind: CriterionKind
    guidance_for_bidders: str
    guidance_for_evaluators: str
    requirements: tuple[str, ...]

    def use(
        self, weight: Decimal | int | str, minimum: int | None = None, scale: Scale | None = None
    ) -> Criterion:
        """This criterion with a weight (percent) and an optional disqualifying minimum."""
        return Criterion(
            id=self.id,
            name=self.name,
            kind=self.kind,
            weight=Decimal(str(weight)),
            minimum=minimum,
            scale=scale or DEFAULT_QUALITY_SCALE,
            guidance_for_bidders=self.guidance_for_bidders,
            guidance_for_evaluators=self.guidance_for_evaluators,
        )

    def summary(self) -> str:
        return (
            f"{self.name} [{self.kind.value}; {', '.join(self.requirements)}]\n"
            f"  Bidders: {self.guidance_for_bidders}\n"
            f"  Evaluators: {self.guidance_for_evaluators}"
        )


def _entry(
    id: str, name: str, kind: CriterionKind, bidders: str, evaluators: str, *reqs: str
) -> LibraryCriterion:
    return LibraryCriterion(id, name, kind, bidders, evaluators, reqs)


Q = CriterionKind.QUALITY
SV = CriterionKind.SOCIAL_VALUE

LIBRARY: tuple[LibraryCriterion, ...] = (
    _entry(
        "service-model",
        "Quality of the service model",
        Q,
        "Describe how the service will work day to day: the pathway from referral to exit, "
        "staffing, caseloads, how you meet the must-have and ideal levels of the specification.",
        "Look for a coherent, evidenced model that meets every must-have, is staffed realistically "
        "for the caseload and explains how it reaches the outcomes sought.",
        "EVA-1",
    ),
    _entry(
        "cohort-experience",
        "Front-line experience with the cohort",
        Q,
        "Show your front-line experience with this cohort (for example women, young adults, "
        "BAME people, families): who delivers, for how long, with what results.",
        "Credit direct, recent delivery to this cohort by the people or organisations who will "
        "deliver, with evidence of results; do not credit generic claims.",
        "EVA-3",
    ),
    _entry(
        "vcs-track-record",
        "Track record of working fairly with the voluntary sector",
        Q,
        "Give examples of past partnerships with voluntary organisations: terms offered, how "
        "referrals and payments flowed, how risk was shared, and what partners would say.",
        "Look for evidence that named sub-contractors received the referrals and money promised, "
        "were paid promptly and carried proportionate risk; weigh any published concerns.",
        "EVA-3",
        "SUP-3",
    ),
    _entry(
        "supply-chain-diversity",
        "Diversity of the proposed supply chain",
        Q,
        "Name your proposed supply chain including specialist, user-led and "
        "lived-experience-led organisations, their roles and the value each is promised.",
        "Use the supply-chain evidence computed from the bid and the directory (who leads each "
        "organisation, its size and specialism) and judge whether the roles and value are real.",
        "EVA-3",
        "PRO-7",
    ),
    _entry(
        "equality-strategy",
        "Equality strategy for the 9 protected characteristics",
        Q,
        "Set out how the service meets the needs of people with each of the 9 protected "
        "characteristics of the Equality Act 2010, and how you will monitor this.",
        "Check that all 9 characteristics are addressed with concrete actions and monitoring, "
        "informed by specialist organisations and service users.",
        "EVA-3",
        "EQU-1",
    ),
    _entry(
        "user-involvement",
        "Service user involvement",
        Q,
        "Explain how people with lived experience shape the design, delivery and review of the "
        "service, and your record of doing so.",
        "Credit involvement that changes decisions (not consultation alone), with a track record "
        "visible to evaluators.",
        "EVA-3",
        "USR-1",
    ),
    _entry(
        "outcomes-spend",
        "Committed minimum spend on outcomes-based services",
        Q,
        "State the minimum amount or share of the contract value you commit to spend on "
        "outcomes-based services delivered by specialist providers, and how it is protected.",
        "Judge whether the commitment is specific, realistic and enforceable in the contract.",
        "EVA-3",
    ),
    _entry(
        "neighbourhood-impact",
        "Neighbourhood impact",
        SV,
        "Describe the benefits for the neighbourhoods where people live: local employment, local "
        "providers, community safety, reparation.",
        "Evaluate the quality and likelihood of the local benefits qualitatively on the scale, "
        "not only by counting metrics.",
        "EVA-2",
        "EVA-3",
    ),
    _entry(
        "social-value-model",
        "Social value (Social Value Model themes)",
        SV,
        "Choose the themes and outcomes of the government's Social Value Model that apply "
        "(e.g. tackling economic inequality, equal opportunity, wellbeing) and show your "
        "commitments, methods and how you will report them.",
        "Score the quality and credibility of the commitments on the published scale; metrics "
        "support the judgement but do not replace it.",
        "EVA-2",
    ),
    _entry(
        "employment-with-convictions",
        "Employment and skills for people with convictions",
        SV,
        "Describe how you will recruit, train and progress people with convictions in your "
        "organisation and supply chain, with numbers you commit to.",
        "Credit specific, monitored commitments with support in work, beyond generic statements.",
        "EVA-2",
        "EVA-3",
    ),
)

LIBRARY_BY_ID: dict[str, LibraryCriterion] = {entry.id: entry for entry in LIBRARY}

PRICE = LibraryCriterion(
    "price",
    "Price",
    CriterionKind.PRICE,
    "Give the full cost of delivering the service; public-sector bidders also declare "
    "the costs they do not bear (hidden subsidies).",
    "Price is scored by the published method after the level-playing-field adjustment; "
    "evaluators do not score it.",
    ("EVA-1", "EVA-4"),
)


def library_criterion(criterion_id: str) -> LibraryCriterion:
    """A ready-made criterion by id (``"price"`` included)."""
    if criterion_id == PRICE.id:
        return PRICE
    try:
        return LIBRARY_BY_ID[criterion_id]
    except KeyError:
        known = ", ".join(sorted([*LIBRARY_BY_ID, PRICE.id]))
        raise ScoringError(f"No library criterion {criterion_id!r}; choose from {known}.") from None
