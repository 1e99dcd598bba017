"""Report once (SUP-7): a charity sends one monitoring return a quarter; the contract's
commissioner and the grant's funder each see only the parts they declared, for the quarters they
fund; anyone else sees nothing, through the pages and the API; bad input is refused with nothing
stored; corrections keep the reason, who and when."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.cli import main
from commissioning.monitoring import services
from commissioning.monitoring.models import CaseStudy, Correction, MonitoringReturn, Part
from tests.factories import client_for
from tests.monitoring_factories import FundedCharity, funded_charity

pytestmark = pytest.mark.django_db

Q3 = date(2026, 7, 1)  # July to September 2026: inside the contract and the grant
Q2 = date(2026, 4, 1)  # April to June 2026: inside the contract only
VALUES: dict[str, Any] = {
    "people_served": "37",
    "age_18_24": "3",
    "age_25_34": "14",
    "age_35_49": "12",
    "age_50_plus": "8",
    "outputs": "46 one-to-one sessions and 12 group workshops",
    "outcomes": "8 women moved into settled housing",
}
STORY = services.Story(
    "Settled after six moves", "A woman in her 30s left a hostel for her own flat.", True
)


@pytest.fixture
def world() -> FundedCharity:
    world = funded_charity()
    services.declare_needs(
        world.commissioner,
        world.charity,
        [Part.PEOPLE, Part.OUTPUTS],
        contract=world.contract,
    )
    services.declare_needs(
        world.grant_funder,
        world.charity,
        [Part.PEOPLE, Part.BREAKDOWN, Part.OUTCOMES, Part.CASE_STUDIES],
        grant_agreement=world.agreement,
    )
    return world


def _send(world: FundedCharity, quarter: date = Q3) -> MonitoringReturn:
    return services.save_return(world.member, world.charity, quarter, VALUES, [STORY], submit=True)


def test_one_return_is_seen_by_each_funder_in_the_parts_it_needs(world: FundedCharity) -> None:
    """SUP-7: sent once; the commissioner sees people and outputs, the grant's funder people,
    the counts by age (3 suppressed, and the next smallest with it), outcomes and the story."""
    sent = _send(world)
    assert sent.status == MonitoringReturn.Status.SUBMITTED
    url = f"/api/monitoring/returns/{sent.pk}"

    commissioner = client_for(world.commissioner).get(url).json()
    assert commissioner["parts"] == ["people", "outputs"]
    assert commissioner["people_served"] == 37
    assert commissioner["outputs"] == VALUES["outputs"]
    assert (commissioner["outcomes"], commissioner["case_studies"]) == (None, [])
    assert commissioner["breakdown"] == []

    funder = client_for(world.grant_funder).get(url).json()
    assert funder["parts"] == ["people", "breakdown", "outcomes", "case_studies"]
    assert funder["outputs"] is None
    assert funder["outcomes"] == VALUES["outcomes"]
    assert funder["case_studies"] == [{"title": STORY.title, "story": STORY.story}]
    ages = {g["group"]: g["count"] for g in funder["breakdown"][0]["groups"]}
    assert ages == {
        "18 to 24": "fewer than 5",
        "25 to 34": "14",
        "35 to 49": "12",
        "50 and over": "fewer than 5",
    }

    own = client_for(world.member).get(url).json()
    assert {g["count"] for g in own["breakdown"][0]["groups"]} == {"3", "14", "12", "8"}

    page = client_for(world.commissioner).get(f"/contracts/{world.contract.reference}/monitoring/")
    text = page.content.decode()
    assert page.status_code == 200
    assert VALUES["outputs"] in text and "37" in text
    assert VALUES["outcomes"] not in text and STORY.story not in text

    grant_page = client_for(world.grant_funder).get(
        f"/grant-applications/{world.agreement.application.pk}/monitoring/"
    )
    grant_text = grant_page.content.decode()
    assert VALUES["outcomes"] in grant_text and STORY.story in grant_text
    assert VALUES["outputs"] not in grant_text
    assert "fewer than 5" in grant_text


def test_a_funder_sees_only_the_quarters_it_funds(world: FundedCharity) -> None:
    """The grant starts in July: April to June is the contract's, not the grant's."""
    earlier = _send(world, Q2)
    later = _send(world, Q3)
    funder_list = client_for(world.grant_funder).get("/api/monitoring/returns").json()
    assert [r["id"] for r in funder_list["results"]] == [later.pk]
    assert client_for(world.grant_funder).get(f"/monitoring/{earlier.pk}/").status_code == 404
    commissioner_list = client_for(world.commissioner).get("/api/monitoring/returns").json()
    assert [r["id"] for r in commissioner_list["results"]] == [later.pk, earlier.pk]


def test_a_third_party_sees_nothing(world: FundedCharity) -> None:
    sent = _send(world)
    for user in (world.outsider_commissioner, world.outsider_member):
        client = client_for(user)
        assert client.get(f"/api/monitoring/returns/{sent.pk}").status_code == 404
        assert client.get("/api/monitoring/returns").json()["count"] == 0
        assert client.get(f"/monitoring/{sent.pk}/").status_code == 404
        page = client.get(f"/contracts/{world.contract.reference}/monitoring/").content.decode()
        assert VALUES["outputs"] not in page
        assert "see its providers' monitoring returns" in page
        assert (
            client.get(
                f"/grant-applications/{world.agreement.application.pk}/monitoring/"
            ).status_code
            == 404
        )
    anonymous = client_for(None).get(f"/contracts/{world.contract.reference}/monitoring/")
    assert VALUES["outputs"] not in anonymous.content.decode()


def test_a_draft_is_seen_by_no_funder(world: FundedCharity) -> None:
    draft = services.save_return(world.member, world.charity, Q3, VALUES, [STORY])
    assert draft.status == MonitoringReturn.Status.DRAFT
    assert client_for(world.commissioner).get(f"/monitoring/{draft.pk}/").status_code == 404
    assert client_for(world.member).get(f"/monitoring/{draft.pk}/").status_code == 200


def test_bad_input_is_refused_with_a_clear_error_and_nothing_stored(world: FundedCharity) -> None:
    client = client_for(world.member)
    without_consent = client.post(
        "/api/monitoring/returns",
        {
            "organisation": world.charity.slug,
            "quarter": "2026Q3",
            "people_served": 10,
            "breakdown": {"age": {"18_24": 12}},
            "case_studies": [{"title": "A story", "story": "She found work."}],
            "submit": True,
        },
        content_type="application/json",
    )
    assert without_consent.status_code == 400
    errors = without_consent.json()["errors"]
    assert errors["age_18_24"] == ["The counts by age add up to 12: more than the 10 people served"]
    assert errors["case_study_consent"] == [
        "Case study 1: confirm the person agreed to their story being shared"
    ]
    named = client.post(
        f"/monitoring/organisations/{world.charity.pk}/new/",
        {
            "quarter": "2026Q3",
            "people_served": "ten",
            "case_study_title": "Work",
            "case_study_story": "Mrs Patel found work.",
            "case_study_consent": "on",
        },
    )
    assert named.status_code == 200
    text = named.content.decode()
    assert "Enter how many people you served as a whole number, 0 or more" in text
    assert "leave out the person&#x27;s name" in text
    missing = client.post(
        "/api/monitoring/returns",
        {"organisation": world.charity.slug, "quarter": "2026Q3", "submit": True},
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"people_served", "outputs", "outcomes"}
    assert MonitoringReturn.objects.count() == 0 and CaseStudy.objects.count() == 0
    outsider = client_for(world.outsider_member).post(
        "/api/monitoring/returns",
        {"organisation": world.charity.slug, "quarter": "2026Q3", "people_served": 1},
        content_type="application/json",
    )
    assert outsider.status_code == 403
    assert MonitoringReturn.objects.count() == 0


def test_an_unended_quarter_is_not_sent(world: FundedCharity) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_return(world.member, world.charity, date(2099, 1, 1), VALUES, submit=True)
    assert "submit its return after that" in str(refused.value)
    assert MonitoringReturn.objects.count() == 0


def test_a_correction_keeps_the_reason_who_and_when(world: FundedCharity) -> None:
    sent = _send(world)
    with pytest.raises(ValidationError) as refused:
        services.correct_return(world.member, sent, {**VALUES, "people_served": "39"}, [STORY], "")
    assert refused.value.message_dict == {"reason": ["Enter why you are correcting the return"]}
    corrected = services.correct_return(
        world.member, sent, {**VALUES, "people_served": "39"}, [STORY], "Two late sign-ups"
    )
    assert corrected.status == MonitoringReturn.Status.CORRECTED
    correction = Correction.objects.get()
    assert (correction.reason, correction.corrected_by) == ("Two late sign-ups", world.member)
    assert correction.previous["people_served"] == 37
    seen = client_for(world.commissioner).get(f"/api/monitoring/returns/{sent.pk}").json()
    assert (seen["people_served"], seen["corrections"]) == (39, 1)
    page = client_for(world.commissioner).get(f"/monitoring/{sent.pk}/").content.decode()
    assert "Two late sign-ups" in page


def test_only_the_funder_says_what_it_needs(world: FundedCharity) -> None:
    with pytest.raises(PermissionDenied):
        services.declare_needs(
            world.outsider_commissioner, world.charity, [Part.OUTCOMES], contract=world.contract
        )
    with pytest.raises(ValidationError):
        services.declare_needs(world.commissioner, world.charity, [], contract=world.contract)
    # The commissioner adds outcomes through the page; the prime sees what the contract needs
    # of its sub-contractor but does not change it.
    url = f"/contracts/{world.contract.reference}/monitoring/needs/{world.charity.pk}/"
    assert client_for(world.prime_member).post(url, {"parts": ["case_studies"]}).status_code == 404
    changed = client_for(world.commissioner).post(url, {"parts": ["people", "outputs", "outcomes"]})
    assert changed.status_code == 302
    sent = _send(world)
    seen = client_for(world.prime_member).get(f"/api/monitoring/returns/{sent.pk}").json()
    assert seen["parts"] == ["people", "outputs", "outcomes"]


def test_the_grant_reuses_the_return_instead_of_asking_again(world: FundedCharity) -> None:
    """Grants' hook: the holder is told it need not report separately; the funder is linked to
    the returns."""
    _send(world)
    url = world.agreement.application.get_absolute_url()
    holder = client_for(world.member).get(url).content.decode()
    assert "You do not need to report separately on this grant" in holder
    assert "Tell us how the grant is going" not in holder
    funder = client_for(world.grant_funder).get(url).content.decode()
    assert "Monitoring returns from" in funder and "1 quarter reported" in funder


def test_the_command_line_sends_a_return_and_refuses_a_bad_one(
    world: FundedCharity, tmp_path: Any, capsys: Any
) -> None:
    document = {
        "quarter": "2026Q3",
        "people_served": 37,
        "breakdown": {"age": {"18_24": 3, "25_34": 14}},
        "outputs": VALUES["outputs"],
        "outcomes": VALUES["outcomes"],
        "case_studies": [{"title": STORY.title, "story": STORY.story, "consent_confirmed": True}],
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**document, "breakdown": {"age": {"under_18": 2}}}))
    args = ["monitoring", "send", "--organisation", world.charity.slug]
    assert main([*args, "--user", world.member.username, str(bad)]) == 1
    assert "breakdown: Not a characteristic and group we count: age.under_18" in (
        capsys.readouterr().err
    )
    good = tmp_path / "good.json"
    good.write_text(json.dumps(document))
    assert main([*args, "--user", world.outsider_member.username, str(good)]) == 1
    assert MonitoringReturn.objects.count() == 0
    assert main([*args, "--user", world.member.username, str(good)]) == 0
    sent = MonitoringReturn.objects.get()
    assert (sent.status, sent.people_served, sent.breakdown) == (
        MonitoringReturn.Status.SUBMITTED,
        37,
        {"age": {"18_24": 3, "25_34": 14}},
    )
