"""Equality impact assessments (EQU-1, USR-1; issue 19 item 1): a commissioner writes the nine
characteristics' evidence, impact and mitigation with who was engaged, saves a draft, checks the
answers and publishes; a published assessment is revised into a new version with a reason; the
page and PDF are public; only the body's commissioners write; and a tender (UK4) is not published
until its exercise's assessment is."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.equality import services
from commissioning.equality.models import Assessment, Characteristic
from commissioning.equality.pdf import pdf_blocks
from commissioning.equality.queries import NO_ASSESSMENT
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import TransitionError
from commissioning.procurement.models import Opportunity
from tests.engagement_factories import ConsultationFactory, commissioner_of
from tests.equality_factories import complete_answers, published_assessment
from tests.factories import ExerciseFactory, OrganisationFactory, client_for, member_of
from tests.procurement_factories import ready_opportunity

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def _without_assessment() -> Opportunity:
    opportunity = ready_opportunity(now=NOW)
    opportunity.exercise.equality_assessments.all().delete()
    return opportunity


def _form(answers: dict[str, Any], action: str) -> dict[str, Any]:
    return {**{k: v for k, v in answers.items() if v is not None}, "action": action}


def test_the_tender_is_refused_until_the_assessment_is_published() -> None:
    opportunity = _without_assessment()
    assert NO_ASSESSMENT in procurement.publish_problems(opportunity, NOW)
    with pytest.raises(TransitionError) as refused:
        procurement.publish(commissioner_of(opportunity.exercise), opportunity, now=NOW)
    assert NO_ASSESSMENT in refused.value.reasons
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT

    published_assessment(opportunity.exercise)
    assert procurement.publish_problems(opportunity, NOW) == []
    procurement.publish(commissioner_of(opportunity.exercise), opportunity, now=NOW)
    assert opportunity.status == Opportunity.Status.OPEN


def test_the_publish_page_says_why_and_links_to_the_assessment() -> None:
    opportunity = _without_assessment()
    client = client_for(commissioner_of(opportunity.exercise))
    url = reverse("procurement:publish", args=[opportunity.reference])
    assessment_url = reverse("equality:exercise", args=[opportunity.exercise.reference])
    for page in (client.get(url), client.post(url)):
        html = page.content.decode()
        assert f'<a href="{assessment_url}">{escape(NO_ASSESSMENT)}</a>' in html
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT


def test_a_draft_assessment_does_not_open_the_tender() -> None:
    opportunity = _without_assessment()
    services.save_draft(
        commissioner_of(opportunity.exercise), opportunity.exercise, complete_answers()
    )
    assert NO_ASSESSMENT in procurement.publish_problems(opportunity, NOW)


def test_save_as_draft_check_your_answers_and_publish_through_the_forms() -> None:
    exercise = ExerciseFactory()
    consultation = ConsultationFactory(exercise=exercise, title="Shaping the lots")
    client = client_for(commissioner_of(exercise))
    write = reverse("equality:edit", args=[exercise.reference])
    check = reverse("equality:check", args=[exercise.reference])

    saved = client.post(write, _form({"scope": "Part written."}, "draft"))
    assert saved.status_code == 302
    draft = Assessment.objects.get(exercise=exercise)
    assert (draft.status, draft.scope, draft.published_at) == ("draft", "Part written.", None)

    incomplete = client.post(write, _form({"scope": "Part written."}, "check"))
    assert incomplete.status_code == 400
    html = incomplete.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_age_evidence"' in html and "Enter the evidence about age" in html
    assert 'href="#id_race_impact_1"' in html

    answers = complete_answers(consultations=[consultation.pk])
    answers["race_mitigation"] = ""
    refused = client.post(write, _form(answers, "check"))
    assert "Enter the mitigation for race: the impact is negative" in refused.content.decode()

    answers = complete_answers(consultations=[consultation.pk])
    done = client.post(write, _form(answers, "check"))
    assert done.status_code == 302 and done["Location"] == check
    page = client.get(check).content.decode()
    assert "Check your answers before publishing" in page and "Shaping the lots" in page

    published = client.post(check)
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    assert list(draft.consultations.all()) == [consultation]
    assert draft.findings.count() == 9
    assert AuditEvent.objects.filter(action="equality_assessment.publish").count() == 1


def test_a_revision_needs_a_reason_and_replaces_the_published_version() -> None:
    exercise = ExerciseFactory()
    first = published_assessment(exercise)
    author = commissioner_of(exercise)
    revision = services.save_draft(author, exercise, complete_answers(scope="Wider scope."))
    assert revision.version == 2
    with pytest.raises(ValidationError) as refused:
        services.publish(author, revision)
    assert refused.value.message_dict == {
        "revision_reason": ["Enter why the assessment was revised"]
    }
    first.refresh_from_db()
    assert first.status == "published"

    services.save_draft(
        author, exercise, complete_answers(scope="Wider scope.", revision_reason="New data.")
    )
    services.publish(author, revision)
    first.refresh_from_db()
    revision.refresh_from_db()
    assert (first.status, revision.status) == ("superseded", "published")
    page = client_for(None).get(reverse("equality:exercise", args=[exercise.reference]))
    html = page.content.decode()
    assert "Wider scope." in html and "New data." in html and "Version 1, published" in html


def test_only_the_bodys_commissioners_write_and_drafts_stay_private() -> None:
    exercise = ExerciseFactory()
    services.save_draft(commissioner_of(exercise), exercise, complete_answers(scope="Secret."))
    provider = member_of(OrganisationFactory())
    other_commissioner = member_of(OrganisationFactory(), role=User.Role.COMMISSIONER)
    for outsider in (provider, other_commissioner):
        with pytest.raises(PermissionDenied):
            services.save_draft(outsider, exercise, complete_answers())
        client = client_for(outsider)
        assert client.get(reverse("equality:edit", args=[exercise.reference])).status_code == 403
        assert client.post(reverse("equality:check", args=[exercise.reference])).status_code == 403
    public = client_for(None).get(reverse("equality:exercise", args=[exercise.reference]))
    assert public.status_code == 200
    assert "Secret." not in public.content.decode()
    assert (
        client_for(None).get(reverse("equality:pdf", args=[exercise.reference])).status_code == 404
    )


def test_the_pdf_says_each_characteristics_impact_and_who_was_engaged() -> None:
    exercise = ExerciseFactory(reference="EX-EQ-1")
    published_assessment(exercise)
    response = client_for(None).get(reverse("equality:pdf", args=[exercise.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="equality-impact-assessment-EX-EQ-1-v1.pdf"' in response["Content-Disposition"]
    text = [(b.kind, b.text) for b in pdf_blocks(Assessment.objects.get(exercise=exercise))]
    assert ("subheading", "Race: negative impact") in text
    assert ("text", "Mitigation: Monitor race each quarter.") in text
    assert ("subheading", "Age: neutral impact") in text
    assert ("text", "Mitigation: None needed.") in text
    assert ("subheading", "Gender reassignment: not known impact") in text
    assert ("text", "Women's Centre Network; Black Training and Enterprise Group.") in text
    assert sum(1 for kind, _ in text if kind == "subheading") == len(Characteristic) + 2


def test_the_api_publishes_the_draft_or_refuses_with_the_pages_words() -> None:
    exercise = ExerciseFactory(reference="EX-EQ-API")
    author = commissioner_of(exercise)
    services.save_draft(author, exercise, complete_answers(race_mitigation=""))
    url = "/api/exercises/EX-EQ-API/equality-assessment"
    assert client_for(None).get(url).status_code == 404

    client = client_for(author)
    refused = client.post(f"{url}/publish")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "race_mitigation": ["Enter the mitigation for race: the impact is negative"]
    }
    provider = client_for(member_of(OrganisationFactory()))
    assert provider.post(f"{url}/publish").status_code == 403

    services.save_draft(author, exercise, complete_answers())
    published = client.post(f"{url}/publish")
    assert published.status_code == 200 and published.json()["version"] == 1
    body = client_for(None).get(url).json()
    assert body["status"] == "published"
    race = next(f for f in body["findings"] if f["characteristic"] == "race")
    assert (race["impact"], race["mitigation"]) == ("negative", "Monitor race each quarter.")
