"""Nothing that identifies a reporter is kept on the anonymous concerns route (SUP-5): not in
any table, not in the application's log, not in gunicorn's access log; a signed-in person who
reports leaves no session row linking them to it; the receipt page warns before it shows the
receipt that a lost one cannot be recovered."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from commissioning.accounts.models import User
from commissioning.concerns import challenge, services
from commissioning.concerns.anonymity import AnonymousRouteLogFilter, GunicornLogger
from commissioning.concerns.models import Concern
from tests.factories import UserFactory, client_for

pytestmark = pytest.mark.django_db

USER_AGENT = "Mozilla/5.0 (Quokka-Distinctive-Agent 9.4.1)"
FORWARDED_FOR = "203.0.113.77"
REMOTE_ADDR = "198.51.100.23"
TEXT = "Zanzibar-heron-5521: the prime withheld the sub-contractor's payments for five months"
PASSPHRASE = "a long passphrase for the reviewer"


@pytest.fixture
def reviewer() -> User:
    user = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(user, PASSPHRASE)
    return user


@pytest.fixture
def application_log() -> Any:
    """The platform's own log handler (settings.LOGGING's console), writing to a buffer."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, AnonymousRouteLogFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    # Swapped directly, not with setStream(): that flushes the old stream, which may be one the
    # test runner has closed since logging was configured.
    old_stream = handler.stream  # type: ignore[attr-defined]
    handler.stream = buffer  # type: ignore[attr-defined]
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    yield buffer
    logging.getLogger().setLevel(old_level)
    handler.stream = old_stream  # type: ignore[attr-defined]


def identifying(client: Client) -> dict[str, str]:
    return {
        "HTTP_USER_AGENT": USER_AGENT,
        "HTTP_X_FORWARDED_FOR": FORWARDED_FOR,
        "REMOTE_ADDR": REMOTE_ADDR,
    }


def report(client: Client, text: str = TEXT) -> Any:
    page = client.get("/concerns/report/", **identifying(client))
    token = re.search(r'name="challenge" value="([^"]+)"', page.content.decode())
    assert token is not None
    data = {
        "subject": "described",
        "described_subject": "A prime in the north east",
        "what_happened": text,
        "contact": "",
        "challenge": token.group(1),
        "solution": challenge.solve(token.group(1)),
    }
    return client.post("/concerns/report/", data, **identifying(client))


def every_stored_value() -> list[bytes]:
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        values.append(bytes(value))
                    elif value is not None:
                        values.append(str(value).encode())
    return values


def test_no_address_user_agent_or_text_is_stored_or_logged(
    reviewer: User, application_log: Any
) -> None:
    client = Client()
    answer = report(client)
    assert answer.status_code == 200, answer.content.decode()
    assert "Your receipt" in answer.content.decode()
    # A page that fails on the route is logged, without its path or the request.
    assert client.get("/concerns/no-such-page/", **identifying(client)).status_code == 404
    assert Concern.objects.count() == 1
    stored = every_stored_value()
    needles = [USER_AGENT, "Quokka-Distinctive", FORWARDED_FOR, REMOTE_ADDR, "Zanzibar-heron"]
    hits = [n for n in needles for value in stored if n.encode() in value]
    assert hits == []
    log = application_log.getvalue()
    assert "details withheld" in log
    assert [n for n in [*needles, "/concerns/"] if n in log] == []


def test_the_reporter_reads_with_the_receipt_and_the_reviewer_with_their_passphrase(
    reviewer: User,
) -> None:
    answer = report(Client()).content.decode()
    receipt = re.search(r'id="receipt">([\d ]+)<', answer)
    assert receipt is not None and len(receipt.group(1).replace(" ", "")) == 16
    page = Client().post("/concerns/return/", {"receipt": receipt.group(1)})
    assert page.status_code == 200 and "Zanzibar-heron-5521" in page.content.decode()
    wrong = Client().post("/concerns/return/", {"receipt": "0000 0000 0000 0000"})
    assert "No concern has that receipt" in wrong.content.decode()


def test_a_signed_in_reporter_leaves_no_session_row_linking_them(reviewer: User) -> None:
    provider = UserFactory(username="provider-staff")
    client = client_for(provider)
    before = {s.session_key: s.session_data for s in Session.objects.all()}
    answer = report(client)
    assert answer.status_code == 200
    assert {s.session_key: s.session_data for s in Session.objects.all()} == before
    assert set(answer.cookies) <= {"csrftoken"}
    # The page does not know who is signed in: the route never reads the session.
    assert "Signed in as" not in answer.content.decode()
    assert Concern.objects.count() == 1


def test_the_page_says_a_lost_receipt_cannot_be_recovered_before_showing_it(
    reviewer: User,
) -> None:
    page = report(Client()).content.decode()
    warning = page.index("nobody can recover it")
    assert warning < page.index('id="receipt"')
    assert "nobody can recover it" in Client().get("/concerns/report/").content.decode()


def test_gunicorn_writes_no_access_log_line_for_the_route(tmp_path: Any) -> None:
    from gunicorn.config import Config

    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    logger = GunicornLogger(config)
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    for path in ("/concerns/report/", "/opportunities/"):
        environ = {
            "REQUEST_METHOD": "POST",
            "RAW_URI": path,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": REMOTE_ADDR,
            "HTTP_USER_AGENT": USER_AGENT,
        }
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    for handler in logger.access_log.handlers:
        handler.flush()
    written = log_file.read_text()
    assert "/opportunities/" in written
    assert "/concerns/" not in written and written.count(REMOTE_ADDR) == 1
