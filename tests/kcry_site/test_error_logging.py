"""A client's bad request is logged as one line, never with a traceback."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def django_records(caplog):
    return [record for record in caplog.records if record.name.startswith("django.")]


def assert_one_line(caplog, logger, *words):
    records = django_records(caplog)
    assert len(records) == 1, [record.getMessage() for record in records]
    record = records[0]
    assert record.name == logger
    assert record.exc_info is None and record.exc_text is None
    message = record.getMessage()
    assert "\n" not in message and all(word in message for word in words), message
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("path", ["/works/?page=abc", "/api/works/?page=abc"])
def test_a_malformed_page_number_logs_one_line(client, caplog, path):
    caplog.set_level(logging.INFO)
    assert client.get(path).status_code == 400
    assert_one_line(caplog, "django.request", path.split("?")[0])


def test_a_suspicious_request_logs_one_line_to_django_security(client, caplog, settings):
    caplog.set_level(logging.INFO)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post("/accounts/login/", {"username": "a", "password": "b" * 500})
    assert response.status_code == 413
    assert_one_line(caplog, "django.security.RequestDataTooBig", "Too Large", "/accounts/login/")


def test_the_reason_is_in_the_line_and_a_newline_cannot_forge_another(client, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/works/", {"page": "abc\nFAKE"}).status_code == 400
    assert_one_line(caplog, "django.request", "pages are numbered from 1", "abc\\nFAKE")
