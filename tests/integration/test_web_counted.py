"""One way to say a number of things (issue 11 item 23): "You have 7 unread notifications.", not
"7 unread notification." (Django's ``|pluralize`` read the header's lazy count as singular)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from commissioning.kernel.text import counted, form_for
from commissioning.notifications.services import notify
from tests.factories import PASSWORD, UserFactory


def test_counted_agrees_with_the_number() -> None:
    assert counted(7, "unread notification") == "7 unread notifications"
    assert counted(1, "unread notification") == "1 unread notification"
    assert counted(0, "question") == "0 questions"
    assert counted(1720, "organisation") == "1,720 organisations"
    assert counted(1, "opportunity", "opportunities") == "1 opportunity"
    assert counted(2, "opportunity", "opportunities") == "2 opportunities"
    assert counted(SimpleLazyObject(lambda: 7), "notification") == "7 notifications"
    assert form_for(1, "matches", "match") == "matches"
    assert form_for(3, "matches", "match") == "match"


def test_the_template_filters_use_the_same_rule() -> None:
    template = Template(
        '{{ lazy|counted:"unread notification" }}; {{ one|counted:"opportunity,opportunities" }}; '
        '{{ many|counted:"organisation" }} {{ many|form_for:"matches,match" }}'
    )
    context = Context({"lazy": SimpleLazyObject(lambda: 7), "one": 1, "many": 1720})
    assert template.render(context) == (
        "7 unread notifications; 1 opportunity; 1,720 organisations match"
    )


@pytest.mark.django_db
def test_the_notifications_page_counts_seven_unread_in_the_plural() -> None:
    me = UserFactory()
    for number in range(7):
        notify([me], subject=f"Notice {number}", body="b", url="/x/", kind="k")
    client = Client()
    client.login(request=RequestFactory().get("/"), username=me.username, password=PASSWORD)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You have 7 unread notifications." in page
