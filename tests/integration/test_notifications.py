"""In-app notifications and their emails (issue 3: notifications for interest holders, bidders
and named sub-contractors)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from commissioning.kernel import pagecache
from commissioning.notifications.links import absolute_url
from commissioning.notifications.models import Notification
from commissioning.notifications.services import mark_read, notify, unread_count
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_each_and_emails_after_commit(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    first, second, inactive = UserFactory(), UserFactory(), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        count = notify(
            [first, second, first, inactive],
            subject="Timeline changed",
            body="The bid deadline moved.",
            url="/opportunities/OPP-1/",
            kind="procurement.timeline_change",
        )
        assert mail.outbox == []
    # one email task; the cached public pages' new key is not a task (issue 21)
    assert len([c for c in callbacks if c is not pagecache._bump_now]) == 1
    assert count == 2
    assert Notification.objects.filter(user=first).count() == 1
    assert not Notification.objects.filter(user=inactive).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    # Absolute, on the site's address (SITE_URL): a mail client cannot follow a path (issue 13
    # item 3). The tests' address is the local one.
    assert "See: http://127.0.0.1:8000/opportunities/OPP-1/" in mail.outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        try:
            with transaction.atomic():
                notify([user], subject="s", body="b", url="", kind="k")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_mark_read_touches_only_your_own() -> None:
    me, other = UserFactory(), UserFactory()
    notify([me, other], subject="s", body="b", url="", kind="k")
    theirs = Notification.objects.get(user=other)
    assert mark_read(me, [theirs.pk]) == 0
    assert unread_count(me) == 1
    assert mark_read(me) == 1
    assert unread_count(me) == 0
    assert unread_count(other) == 1


def test_the_page_lists_and_marks_read() -> None:
    me = UserFactory()
    notify([me], subject="Cancelled: OPP-9", body="Funding ended.", url="/x/", kind="k")
    client = Client()
    assert client.get(reverse("notifications:list")).status_code == 302
    client.login(request=RequestFactory().get("/"), username=me.username, password=PASSWORD)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert "Cancelled: OPP-9" in page.content.decode()
    assert page.context["unread_notifications"] == 1
    note = Notification.objects.get(user=me)
    response = client.post(reverse("notifications:mark-read"), {"id": note.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_links_in_emails_are_built_on_the_site_address(settings: pytest.FixtureRequest) -> None:
    settings.SITE_URL = "https://commissioning.example.org"  # type: ignore[attr-defined]
    assert absolute_url("/opportunities/OPP-1/") == (
        "https://commissioning.example.org/opportunities/OPP-1/"
    )
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
