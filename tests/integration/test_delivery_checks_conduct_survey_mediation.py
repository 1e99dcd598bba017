"""The supply-chain survey (SUP-4) and the mediation requests (SUP-3) in the code-of-conduct
evidence table (issue 15 item 2), on the hand-made contract of
``test_delivery_checks_code_of_conduct``: the prime's published survey counts under the Merlin
principle each question evidences, only from five answers (ADR 0011), and each sub-contractor's
mediation requests with their outcomes under Review. Every figure is worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.urls import reverse

from commissioning.contracts.models import ContractParty
from commissioning.delivery_checks.code_of_conduct import Principle, evidence_for
from commissioning.directory.models import Organisation
from commissioning.mediation import lifecycle as mediation_lifecycle
from commissioning.mediation.models import MediationRequest
from commissioning.supply_survey import services as survey_services
from commissioning.supply_survey.models import QUESTIONS
from commissioning_analytics.timelines.working_days import LONDON
from tests.contract_factories import ContractFactory, ContractPartyFactory
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of
from tests.integration.test_delivery_checks_code_of_conduct import TODAY, setting
from tests.referral_factories import ReferralSetting

pytestmark = pytest.mark.django_db
__all__ = ["setting"]

#: Five answers (1 strongly disagree … 5 strongly agree), in the order of QUESTIONS: fair terms,
#: prompt payment, proportionate monitoring, fair risk, would recommend.
ANSWERS = (
    (5, 5, 5, 5, 5),
    (4, 4, 4, 4, 4),
    (4, 2, 4, 4, 4),
    (2, 2, 2, 2, 2),
    (1, 1, 1, 1, 4),
)


def _survey(s: ReferralSetting, answers: int) -> None:
    """The prime's 2025 survey: its two sub-contractors here and three more on another of its
    2025 contracts, ``answers`` of them answering ANSWERS in turn; closed and published."""
    prime = s.contract.prime
    other = ContractFactory(prime=prime, start_date=date(2025, 4, 1), end_date=date(2026, 3, 31))
    more = [OrganisationFactory(name=f"Sub-contractor {n}") for n in range(3)]
    for organisation in more:
        ContractPartyFactory(
            contract=other, organisation=organisation, role=ContractParty.Role.SUBCONTRACTOR
        )
    subs: list[tuple[Organisation, object]] = [
        (s.housing_party.organisation, s.housing),
        (s.womens_party.organisation, s.womens),
        *((organisation, member_of(organisation)) for organisation in more),
    ]
    reviewer = UserFactory(role="reviewer")
    survey_round = survey_services.open_round(reviewer, prime, 2025)
    for (organisation, member), values in list(zip(subs, ANSWERS, strict=True))[:answers]:
        ratings = {name: str(v) for (name, _), v in zip(QUESTIONS, values, strict=True)}
        survey_services.answer(member, survey_round, organisation, ratings)  # type: ignore[arg-type]
    survey_services.move(reviewer, survey_round, "close")
    survey_services.move(reviewer, survey_round, "publish")


def _mediations(s: ReferralSetting) -> None:
    """The housing charity: one resolved, one declined, one waiting; the women's centre: one in
    mediation with Sam Smith."""
    prime = s.contract.prime
    housing, womens = s.housing_party.organisation, s.womens_party.organisation
    requests: list[tuple[Organisation | None, str, dict[str, str]]] = [
        (
            housing,
            "resolved",
            {"mediator": "Jo Bloggs", "outcome": "Invoices paid within 30 days from June."},
        ),
        (housing, "declined", {"decline_reason": "A matter for the contract's commissioner."}),
        (womens, "accepted", {"mediator": "Sam Smith"}),
        (housing, "requested", {}),
    ]
    for n, (organisation, status, extra) in enumerate(requests):
        mediation_lifecycle.seeded(
            status,
            contract=s.contract,
            subcontractor=organisation,
            prime=prime,
            category="payment",
            what_happened="Invoices paid late.",
            outcome_sought="Payment within terms.",
            requested_at=datetime.combine(date(2025, 6, 1 + n), time(10), tzinfo=LONDON),
            **extra,
        ).save()


def test_the_published_survey_and_the_mediations_are_evidence_with_the_hand_figures(
    setting: ReferralSetting,
) -> None:
    _survey(setting, answers=5)
    _mediations(setting)
    table = evidence_for(setting.contract, TODAY)
    housing, womens = table.subcontractors

    # Review: each sub-contractor's mediation requests and how they ended.
    assert housing.criteria[-1].principle == Principle.REVIEW
    assert housing.criteria[-1].name == "Mediation requests and their outcomes"
    assert housing.criteria[-1].figure == "1 of 3 resolved"
    assert housing.criteria[-1].statement == (
        f"Local housing charity {setting.contract.reference} asked for mediation with the prime "
        "3 times: 1 resolved, 1 waiting for the independent reviewer, 1 declined."
    )
    assert womens.criteria[-1].figure == "0 of 1 resolved"
    mediation = next(c for c in table.total.criteria if c.name.startswith("Mediation"))
    assert (mediation.figure, mediation.statement) == (
        "1 of 4 resolved",
        "The sub-contractors asked for mediation with the prime 4 times: 1 resolved, "
        "1 in mediation, 1 waiting for the independent reviewer, 1 declined.",
    )
    assert [(m.status, m.outcome) for m in table.mediations] == [
        ("Resolved", "Invoices paid within 30 days from June."),
        ("Declined", "A matter for the contract's commissioner."),
        ("In mediation", ""),
        ("Waiting for the independent reviewer", ""),
    ]

    # The survey: agreeing (4 or 5) of 5 — fair terms 3 (60%), prompt payment 2 (40%),
    # proportionate monitoring 3 (60%), fair risk 3 (60%), would recommend 4 (80%).
    survey = [c for c in table.total.criteria if c.name.startswith("Survey 2025")]
    assert [(c.principle, c.figure) for c in survey] == [
        (Principle.COMMITMENT, "3 of 5"),
        (Principle.CONDUCT, "2 of 5"),
        (Principle.CONDUCT, "3 of 5"),
        (Principle.COMMITMENT, "3 of 5"),
        (Principle.REVIEW, "4 of 5"),
    ]
    assert survey[1].name == "Survey 2025: The prime contractor pays us promptly"
    assert survey[1].statement == (
        f"2 of the 5 sub-contractors who answered the 2025 survey of {setting.contract.prime.name} "
        "agree or strongly agree (40%)."
    )
    assert survey[4].statement.endswith("agree or strongly agree (80%).")
    # The survey is the prime's: it is not on a single sub-contractor's table.
    assert not any(c.name.startswith("Survey") for c in housing.criteria)

    page = client_for(setting.commissioner).get(
        reverse("delivery_checks:code_of_conduct", args=[setting.contract.reference])
    )
    html = page.content.decode()
    total = html[html.index('id="conduct-table-total"') :]
    assert "Survey 2025: The prime contractor pays us promptly" in total
    assert "4 of 5" in total and "1 of 4 resolved" in total
    mediations = html[html.index('id="conduct-mediations"') :]
    assert "4 mediation requests under this contract" in mediations
    assert "Invoices paid within 30 days from June." in mediations
    assert "Not recorded yet" in mediations


def test_fewer_than_five_answers_are_not_shown_and_no_survey_says_so(
    setting: ReferralSetting,
) -> None:
    before = evidence_for(setting.contract, TODAY)
    assert [(c.figure, c.statement) for c in before.total.criteria[-1:]] == [
        (
            "None published",
            f"No supply-chain survey of {setting.contract.prime.name} has been published for a "
            "year of this contract.",
        )
    ]
    assert before.mediations == ()
    assert before.total.criteria[-2].statement == (
        "No mediation with the prime was asked for by the sub-contractors."
    )

    _survey(setting, answers=4)
    table = evidence_for(setting.contract, TODAY)
    survey = [c for c in table.total.criteria if c.name.startswith("Survey 2025")]
    assert len(survey) == 5
    assert {(c.figure, c.statement) for c in survey} == {
        ("Not shown", "Fewer than five answers: not shown.")
    }
    assert table.survey is not None and table.survey.respondents == 4
    assert MediationRequest.objects.count() == 0
