"""Messaging between organisations (PRO-6): starting a conversation about a lot, replying, who
may read (the two organisations' approved members only), notifications in-app and by email to the
other organisation, unread counts, the inbox, the "Messages" menu item, and nothing half-saved on
bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.notifications.models import Notification
from commissioning.partnering import messaging
from commissioning.partnering.context import partnering_for_organisation
from commissioning.partnering.models import Conversation, Message
from tests.factories import CommissioningBodyFactory, MembershipFactory, UserFactory, member_of
from tests.integration.test_partnering_interest import Market, market, signed_in, url

pytestmark = pytest.mark.django_db

BODY = "We bring specialist women's services in Tyneside. Shall we talk about lot 1?"


def _start(m: Market) -> Conversation:
    return messaging.start_conversation(
        m.prime_member,
        sender=m.prime,
        recipient=m.sub,
        subject="Partnering on lot 1",
        body=BODY,
        lot=m.lot,
    )


def test_starting_a_conversation_about_a_lot_notifies_the_other_organisation(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    m = market()
    colleague = member_of(m.sub)
    pending = UserFactory()
    MembershipFactory(user=pending, organisation=m.sub, status=Membership.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = signed_in(m.prime_member).post(
            url("start-about-lot", m.lot, m.sub.slug),
            {"subject": "Partnering on lot 1", "body": BODY},
        )

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert (
        conversation.lot,
        conversation.started_by_organisation,
        conversation.with_organisation,
    ) == (
        m.lot,
        m.prime,
        m.sub,
    )
    message = conversation.messages.get()
    assert (message.body, message.author, message.sender_organisation) == (
        BODY,
        m.prime_member,
        m.prime,
    )
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {m.sub_member.username, colleague.username}
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [m.sub_member.email, colleague.email]
    )
    assert "Northern Prime Ltd" in mail.outbox[0].subject
    assert BODY not in mail.outbox[0].body  # the text stays on the platform
    event = AuditEvent.objects.get(action="conversation.start")
    assert event.changes["characters"] == len(BODY)
    assert BODY not in str(event.changes)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("prime_member", 200),
        ("sub_member", 200),
        ("third_member", 403),
        ("pending_member", 403),
        ("commissioner", 403),
    ],
)
def test_only_the_two_organisations_read_and_reply(who: str, status: int) -> None:
    m = market()
    conversation = _start(m)
    client = signed_in(getattr(m, who))

    assert client.get(conversation.get_absolute_url()).status_code == status
    response = client.post(conversation.get_absolute_url(), {"body": "Count us in."})
    assert response.status_code == (302 if status == 200 else 403)
    assert conversation.messages.count() == (2 if status == 200 else 1)


def test_anonymous_people_are_sent_to_sign_in_for_every_messaging_page() -> None:
    m = market()
    conversation = _start(m)
    client = signed_in(None)
    for page in (
        conversation.get_absolute_url(),
        reverse("partnering:inbox"),
        reverse("partnering:start", args=[m.sub.slug]),
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    client.post(conversation.get_absolute_url(), {"body": "Sneaky"})
    assert conversation.messages.count() == 1


def test_a_reply_notifies_the_starter_and_counts_as_unread_until_read(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    m = market()
    conversation = _start(m)
    mail.outbox.clear()
    assert messaging.unread_count(m.sub_member) == 1
    assert messaging.unread_count(m.prime_member) == 0

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        signed_in(m.sub_member).post(conversation.get_absolute_url(), {"body": "Yes please."})

    assert [email.to[0] for email in mail.outbox] == [m.prime_member.email]
    assert messaging.unread_count(m.prime_member) == 1
    assert messaging.unread_count(m.sub_member) == 0  # replying reads the thread
    inbox = signed_in(m.prime_member).get(reverse("partnering:inbox")).content.decode()
    assert "You have 1 unread message." in inbox
    assert "1 unread" in inbox
    assert "Yes please." in inbox  # the latest message
    assert "Tyneside Women" in inbox

    signed_in(m.prime_member).get(conversation.get_absolute_url())
    assert messaging.unread_count(m.prime_member) == 0
    assert AuditEvent.objects.filter(action="conversation.reply").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"subject": "Hello", "body": "   "}, "body", "Enter a message"),
        ({"subject": "", "body": "Hi"}, "subject", "Enter a subject"),
        ({"subject": "Hello", "body": "x" * 2001}, "body", "2,000 characters or fewer"),
        ({"subject": "Hello", "body": "escape\x1b[31m"}, "body", "plain text"),
        ({"subject": "s" * 151, "body": "Hi"}, "subject", "150 characters or fewer"),
    ],
)
def test_bad_messages_save_nothing(data: dict[str, str], field: str, message: str) -> None:
    m = market()

    response = signed_in(m.prime_member).post(url("start-about-lot", m.lot, m.sub.slug), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert message in html
    assert f'href="#id_{field}"' in html
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_bad_reply_saves_nothing() -> None:
    m = market()
    conversation = _start(m)
    before = Notification.objects.count()

    response = signed_in(m.sub_member).post(conversation.get_absolute_url(), {"body": ""})

    assert response.status_code == 200
    assert "Enter a message" in response.content.decode()
    assert conversation.messages.count() == 1
    assert Notification.objects.count() == before


@pytest.mark.parametrize("who", ["pending_member", "commissioner"])
def test_only_approved_provider_members_start_conversations(who: str) -> None:
    m = market()
    client = signed_in(getattr(m, who))

    assert client.get(reverse("partnering:start", args=[m.sub.slug])).status_code == 403
    response = client.post(
        reverse("partnering:start", args=[m.sub.slug]), {"subject": "Hi", "body": "Hi"}
    )
    assert response.status_code == 403
    assert client.get(reverse("partnering:inbox")).status_code == 403
    assert not Conversation.objects.exists()


def test_commissioning_bodies_and_your_own_organisation_cannot_be_messaged() -> None:
    m = market()
    client = signed_in(m.prime_member)
    body = CommissioningBodyFactory()

    assert client.get(reverse("partnering:start", args=[body.slug])).status_code == 403
    assert client.get(reverse("partnering:start", args=[m.prime.slug])).status_code == 403
    assert client.get(reverse("partnering:start", args=["no-such-org"])).status_code == 404


def test_a_member_of_two_organisations_chooses_who_writes() -> None:
    m = market()
    both = member_of(m.prime)
    MembershipFactory(user=both, organisation=m.third)
    client = signed_in(both)

    missing = client.post(
        reverse("partnering:start", args=[m.sub.slug]), {"subject": "Hi", "body": "Hi"}
    )
    assert "Select your organisation" in missing.content.decode()
    assert not Conversation.objects.exists()
    client.post(
        reverse("partnering:start", args=[m.sub.slug]),
        {"subject": "Hi", "body": "Hi", "organisation": str(m.third.pk)},
    )
    assert Conversation.objects.get().started_by_organisation == m.third


def test_inbox_lists_only_your_organisations_conversations() -> None:
    m = market()
    _start(m)
    messaging.start_conversation(
        m.third_member, sender=m.third, recipient=m.sub, subject="Elsewhere only", body="Hi"
    )

    prime_inbox = signed_in(m.prime_member).get(reverse("partnering:inbox")).content.decode()
    sub_inbox = signed_in(m.sub_member).get(reverse("partnering:inbox")).content.decode()

    assert "Partnering on lot 1" in prime_inbox and "Elsewhere only" not in prime_inbox
    assert "Partnering on lot 1" in sub_inbox and "Elsewhere only" in sub_inbox
    assert "You have 2 unread messages." in sub_inbox


def test_directory_page_include_offers_a_message_to_other_providers() -> None:
    m = market()
    _start(m)
    section = partnering_for_organisation(m.prime_member, m.sub)
    assert section["can_message"] is True
    assert [c.subject for c in section["conversations"]] == ["Partnering on lot 1"]
    assert partnering_for_organisation(m.third_member, m.sub)["conversations"] == []
    assert partnering_for_organisation(m.commissioner, m.sub)["can_message"] is False
    assert partnering_for_organisation(m.prime_member, m.prime)["can_message"] is False


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("prime_member", True),
        ("pending_member", False),
        ("commissioner", False),
        (None, False),
    ],
)
def test_messages_menu_item_for_approved_provider_members(who: str | None, shown: bool) -> None:
    m = market()
    user: User | None = getattr(m, who) if who else None

    html = signed_in(user).get("/").content.decode()

    assert (f'href="{reverse("partnering:inbox")}"' in html) is shown


def test_the_menus_unread_count_agrees_with_the_unread_messages() -> None:
    # The menu's count is a statement written out (issue 21); it must say what the query of
    # unread messages says, for a person in two organisations with conversations read in part.
    m = market()
    start = timezone.now() - timedelta(days=3)
    MembershipFactory(user=m.sub_member, organisation=m.third)  # sub_member: sub and third
    with_sub = messaging.start_conversation(
        m.prime_member, sender=m.prime, recipient=m.sub, subject="One", body=BODY, now=start
    )
    messaging.reply(m.prime_member, with_sub, "Second.", now=start + timedelta(hours=1))
    with_third = messaging.start_conversation(
        m.prime_member, sender=m.prime, recipient=m.third, subject="Two", body=BODY, now=start
    )
    # Read the first conversation after its first message only; then a reply of theirs and of
    # the prime's, and an own message in the second (never unread to its own side).
    messaging.mark_read(m.sub_member, with_sub, now=start + timedelta(minutes=30))
    messaging.reply(m.sub_member, with_third, "Our reply.", now=start + timedelta(hours=2))
    messaging.reply(m.prime_member, with_third, "Theirs.", now=start + timedelta(hours=3))
    between_others = messaging.start_conversation(
        m.prime_member, sender=m.prime, recipient=m.sub, subject="Three", body=BODY, now=start
    )
    messaging.mark_read(m.sub_member, between_others, now=start + timedelta(days=1))
    # A reply in a conversation the prime started, unread by the prime; and a marker at the very
    # moment of a message, which has read it.
    messaging.reply(m.sub_member, with_sub, "Later.", now=start + timedelta(hours=5))
    messaging.mark_read(m.third_member, with_third, now=start + timedelta(hours=3))

    counts = {
        person.username: (
            messaging.unread_count(person),
            messaging._unread_messages(person).count(),
        )
        for person in (m.sub_member, m.prime_member, m.third_member, m.commissioner)
    }

    # sub_member: "Theirs." (after their own reply's marker); "Second." is read since "Later.".
    assert counts[m.sub_member.username] == (1, 1)
    # prime_member: "Later." in the conversation the prime started; "Our reply." came before
    # "Theirs.", which moved their marker past it.
    assert counts[m.prime_member.username] == (1, 1)
    # third_member: their marker is at "Theirs." itself; "Our reply." was sent for third, their
    # own organisation.
    assert counts[m.third_member.username] == (0, 0)
    assert counts[m.commissioner.username] == (0, 0)


def test_messages_menu_item_counts_unread_messages_until_read() -> None:
    m = market()
    conversation = _start(m)
    messaging.reply(m.prime_member, conversation, "And we could share the referral pathway.")
    reader = signed_in(m.sub_member)

    assert "Messages (2 unread)" in reader.get("/").content.decode()
    assert "unread)" not in signed_in(m.prime_member).get("/").content.decode()  # its own

    reader.get(reverse("partnering:conversation", args=[conversation.pk]))

    after = reader.get("/").content.decode()
    assert "unread)" not in after and f'href="{reverse("partnering:inbox")}"' in after
