"""A contract's outcome payment cites a published outcome study as its observed result (PBR-2,
OUT-1; issue 17 item 1): the statement pays on the study's figures, the statement page, the API
and the command line link to the study, the study page to the contract; an unpublished study or
one by an organisation outside the contract is refused by the form and the API alike, and a
cited study cannot be unpublished.

The contract is the illustrative supply chain: £2,500 per person not reconvicted on the binary
reconviction measure (a matched comparison, threshold 2 points). Its import gives period 6 a
result of 41.5% against 45.0% for 400 people: 3.5 points × 400 / 100 = 14 people, £35,000.00.
The cited study's matched cohort is 120 people, 30.0% reoffending against 40.0% for the matched
comparison: 10.0 points × 120 / 100 = 12 people × £2,500 = £30,000.00.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.cli import main
from commissioning.contracts import services
from commissioning.contracts.models import Contract, StudyCitation
from commissioning.outcomes_web import services as study_services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory, client_for, member_of
from tests.integration.test_outcomes_web_publishing import small_result

pytestmark = pytest.mark.django_db

MEASURE = "binary-reconviction"
PERIOD = 6
CITED_PAYMENT = "30000.00"
IMPORTED_PAYMENT = "35000.00"


def _study(organisation: Any, member: User, *, published: bool = True) -> OutcomeStudy:
    result = small_result() | {
        "n_treated": 124,
        "n_matched_treated": 120,
        "n_matched_comparison": 120,
        "treated_mean": 0.30,
        "comparison_mean": 0.40,
        "effect": -0.10,
    }
    study = OutcomeStudy.objects.create(
        organisation=organisation,
        created_by=member,
        title="Through the gate mentoring, 2025 cohort",
        outcome="reoffended",
        covariates=["age"],
        cohort_csv="",
        status=OutcomeStudy.Status.DONE,
        result=result,
    )
    if published:
        study_services.publish_study(member, study.pk)
    return study


@pytest.fixture
def setting() -> dict[str, Any]:
    contract = contract_with_parties()
    provider = member_of(contract.prime)
    outsider_org = OrganisationFactory(name="Unrelated Trust")
    outsider = member_of(outsider_org)
    return {
        "contract": contract,
        "commissioner": member_of(contract.commissioning_body, role=User.Role.COMMISSIONER),
        "provider": provider,
        "study": _study(contract.prime, provider),
        "unpublished": _study(contract.prime, provider, published=False),
        "unrelated": _study(outsider_org, outsider),
    }


def _reconviction_payments(lines: list[dict[str, Any]]) -> dict[int, str]:
    return {
        line["period"]: line["amount"]
        for line in lines
        if line["rule"] == "outcome_payments.reconviction" and line["payer"] == "pcc"
    }


def _cite(setting: dict[str, Any], study: OutcomeStudy, who: str = "commissioner") -> Any:
    url = reverse("contracts:citations", args=[setting["contract"].reference])
    data = {"measure": MEASURE, "period": PERIOD, "study": study.pk}
    return client_for(setting[who]).post(url, data)


def test_the_statement_pays_on_the_cited_study_and_page_api_cli_agree(
    setting: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    contract: Contract = setting["contract"]
    reference = contract.reference
    before = services.statement_data(services.contract_statement(contract))  # type: ignore[arg-type]
    assert _reconviction_payments(before["lines"]) == {PERIOD: IMPORTED_PAYMENT}

    response = _cite(setting, setting["study"])
    assert response.status_code == 302

    api = client_for(None).get(f"/api/contracts/{reference}/statement").json()["statement"]
    assert _reconviction_payments(api["lines"]) == {PERIOD: CITED_PAYMENT}
    paid = next(line for line in api["lines"] if line["rule"] == "outcome_payments.reconviction")
    assert paid["explanation"] == (
        f"cohort study-{setting['study'].pk}: 30.0% vs matched comparison 40.0%, improvement "
        "10.0 percentage points: 12 × £2,500.00 per unit of improvement"
    )
    study_url = reverse("outcomes:detail", args=[setting["study"].pk])
    assert api["cited_studies"] == [
        {
            "measure": MEASURE,
            "period": PERIOD,
            "cohort": f"study-{setting['study'].pk}",
            "cohort_size": 120,
            "observed": "30.0",
            "reference": "40.0",
            "study": {
                "id": setting["study"].pk,
                "title": "Through the gate mentoring, 2025 cohort",
                "organisation": contract.prime.name,
                "url": study_url,
            },
        }
    ]

    page = client_for(None).get(reverse("contracts:statements", args=[reference]))
    html = page.content.decode()
    assert "£30,000.00" in html and "£35,000.00" not in html
    assert f'href="{study_url}"' in html
    assert "30.0 for the 120 people who took part, against 40.0" in html

    assert main(["contracts", "statement", reference, "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli == api
    assert main(["contracts", "statement", reference]) == 0
    text = capsys.readouterr().out
    assert "£30,000.00" in text and study_url in text

    listed = client_for(None).get(f"/api/contracts/{reference}/citations").json()
    assert listed["citations"] == api["cited_studies"]


def test_the_study_page_names_the_contract_and_the_study_cannot_be_unpublished(
    setting: dict[str, Any],
) -> None:
    study = setting["study"]
    reference = setting["contract"].reference
    assert _cite(setting, study).status_code == 302
    html = client_for(None).get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert "Payments rest on this study:" in html
    assert reverse("contracts:statements", args=[reference]) in html

    owner = client_for(setting["provider"])
    response = owner.post(reverse("outcomes:unpublish", args=[study.pk]), {"reason": "Redo"})
    assert response.status_code == 400
    assert f"while payments rest on it (contract {reference})" in response.content.decode()
    api = owner.post(
        f"/api/outcome-studies/{study.pk}/unpublish",
        {"reason": "Redo"},
        content_type="application/json",
    )
    assert api.status_code == 409, api.content
    assert "payments rest on it" in api.json()["detail"]
    study.refresh_from_db()
    assert study.is_published
    assert not study_services.can_delete_study(setting["provider"], study)

    citation = StudyCitation.objects.get()
    remove = reverse("contracts:citation-remove", args=[reference, citation.pk])
    assert client_for(setting["commissioner"]).post(remove).status_code == 302
    assert not StudyCitation.objects.exists()
    response = owner.post(reverse("outcomes:unpublish", args=[study.pk]), {"reason": "Redo"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert not study.is_published


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("unpublished", "This study is not published: only a published study can be cited"),
        ("unrelated", "Unrelated Trust is not a party to this contract"),
    ],
)
def test_the_form_and_the_api_refuse_a_study_that_cannot_be_cited(
    setting: dict[str, Any], which: str, message: str
) -> None:
    response = _cite(setting, setting[which])
    assert response.status_code == 400
    assert message in response.content.decode()

    reference = setting["contract"].reference
    api = client_for(setting["commissioner"]).post(
        f"/api/contracts/{reference}/citations",
        {"measure": MEASURE, "period": PERIOD, "study": setting[which].pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    body = api.json()
    assert set(body) == {"detail", "errors"}
    assert message in body["errors"]["study"][0]
    assert not StudyCitation.objects.exists()
    statement = services.statement_data(services.contract_statement(setting["contract"]))  # type: ignore[arg-type]
    assert _reconviction_payments(statement["lines"]) == {PERIOD: IMPORTED_PAYMENT}


def test_only_the_contracts_commissioners_cite_a_study(setting: dict[str, Any]) -> None:
    assert _cite(setting, setting["study"], who="provider").status_code == 403
    reference = setting["contract"].reference
    payload = {"measure": MEASURE, "period": PERIOD, "study": setting["study"].pk}
    url = f"/api/contracts/{reference}/citations"
    assert client_for(None).post(url, payload, content_type="application/json").status_code == 401
    response = client_for(setting["provider"]).post(url, payload, content_type="application/json")
    assert response.status_code == 403
    assert not StudyCitation.objects.exists()


def test_a_measure_and_period_outside_the_mechanism_are_refused(setting: dict[str, Any]) -> None:
    reference = setting["contract"].reference
    api = client_for(setting["commissioner"]).post(
        f"/api/contracts/{reference}/citations",
        {"measure": "settled-accommodation", "period": 99, "study": setting["study"].pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    errors = api.json()["errors"]
    assert errors["period"] == ["Enter a contract period from 1 to 24, the periods of the term"]
    assert "not a reoffending measure" in errors["study"][0]
