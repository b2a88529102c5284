"""When the database cannot be reached, pages say so with 503 and Retry-After (the drill
saw 500s while PostgreSQL was stopped); any other failure stays a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from kcry_site.pages import views as pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def failing_with(monkeypatch, error):
    """The home page fails with `error` while it is being made (a name of the view's own
    module is replaced, so no other module keeps the stand-in)."""

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(pages, "render", fail)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1, port 5432 failed"),
        InterfaceError("connection already closed"),
        OperationalError("database is locked"),
    ],
)
def test_an_unreachable_database_is_a_503_with_retry_after(client, monkeypatch, error):
    failing_with(monkeypatch, error)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "cannot reach its database just now" in body
    assert "5432" not in body and "locked" not in body  # no internals shown


def test_the_json_answer_says_the_same(client, monkeypatch):
    failing_with(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    response = client.get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.json()["error"]


def test_it_speaks_the_visitor_s_language(client, monkeypatch, settings):
    failing_with(monkeypatch, OperationalError("the database system is shutting down"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get("/")
    assert response.status_code == 503
    assert "데이터베이스" in response.content.decode()


def test_any_other_failure_is_still_a_500_without_retry_after(client, monkeypatch):
    failing_with(monkeypatch, RuntimeError("a bug"))
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()
