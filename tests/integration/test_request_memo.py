"""A request's memo (commissioning.requestmemo, issue 21): a page's access checks and its menu
share one read of the person's memberships; nothing read is kept past a write, past a
transaction the request opened, or past the request, and nothing is kept outside a request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from commissioning import permissions
from commissioning.accounts.models import Membership
from commissioning.requestmemo import RequestMemoMiddleware, remembered
from tests.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def _in_a_request(work: Callable[[], Any]) -> Any:
    """``work()`` run as a view is, inside the middleware; returns what it returned."""
    answers: list[Any] = []

    def view(request: HttpRequest) -> HttpResponse:
        answers.append(work())
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    return answers[0]


def test_in_a_request_the_same_question_reads_once() -> None:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    answers = _in_a_request(lambda: [remembered("question", read) for _ in range(3)])
    assert answers == [1, 1, 1]
    assert len(reads) == 1
    # The next request, and anything outside one, reads afresh.
    assert _in_a_request(lambda: remembered("question", read)) == 2
    assert [remembered("question", read) for _ in range(2)] == [3, 4]


def test_access_checks_and_the_menu_share_one_read_of_the_memberships(
    django_assert_num_queries: Any,
) -> None:
    organisation, other = OrganisationFactory(), OrganisationFactory()
    person = member_of(organisation)

    def ask() -> tuple[bool, bool, list[int]]:
        return (
            permissions.is_approved_member(person, organisation.pk),
            permissions.is_approved_member(person, other.pk),
            [m.organisation_id for m in permissions.memberships_of(person)],
        )

    with django_assert_num_queries(1):
        assert _in_a_request(ask) == (True, False, [organisation.pk])
    with django_assert_num_queries(3):  # outside a request each question reads
        assert ask() == (True, False, [organisation.pk])


def test_a_write_in_the_request_is_seen_by_the_next_question() -> None:
    organisation = OrganisationFactory()
    person = member_of(organisation)
    newcomer = UserFactory()

    def change_then_ask() -> list[bool]:
        seen = [
            permissions.is_approved_member(person, organisation.pk),
            permissions.is_approved_member(newcomer, organisation.pk),
        ]
        Membership.objects.filter(user=person).update(status=Membership.Status.REJECTED)
        Membership.objects.create(
            user=newcomer, organisation=organisation, status=Membership.Status.APPROVED
        )
        seen += [
            permissions.is_approved_member(person, organisation.pk),
            permissions.is_approved_member(newcomer, organisation.pk),
        ]
        return seen

    assert _in_a_request(change_then_ask) == [True, False, False, True]


def test_nothing_read_inside_a_transaction_the_request_opened_outlives_its_rollback() -> None:
    organisation = OrganisationFactory()
    person = UserFactory()

    class Undone(Exception):
        pass

    def join_undo_then_ask() -> list[bool]:
        seen = []
        try:
            with transaction.atomic():
                Membership.objects.create(
                    user=person, organisation=organisation, status=Membership.Status.APPROVED
                )
                seen.append(permissions.is_approved_member(person, organisation.pk))
                raise Undone
        except Undone:
            pass
        seen.append(permissions.is_approved_member(person, organisation.pk))
        return seen

    assert _in_a_request(join_undo_then_ask) == [True, False]
