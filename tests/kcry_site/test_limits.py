"""Oversized request bodies are refused early with 413, never parsed and never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


class WatchedBody:
    """A request body that counts the attempts to read it and gives nothing."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return b""

    readline = read


def huge_post(client, path, body=None, **headers):
    """A POST claiming a 500 MB multipart body (none of which is ever sent)."""
    return client.generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(500 * 2**20),
        **{"wsgi.input": body or WatchedBody()},
        **headers,
    )


def test_a_500_mb_post_to_the_log_in_page_is_refused_unread(client):
    body = WatchedBody()
    response = huge_post(client, "/accounts/login/", body)
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert body.reads == 0


def test_scripts_get_the_refusal_as_json(client):
    response = huge_post(client, "/api/works/", HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_the_refusal_speaks_the_readers_language(client):
    response = huge_post(client, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 413
    assert '<html lang="ko"' in response.content.decode()


def test_bodies_up_to_the_limit_reach_the_view(client, settings):
    settings.KCRY_MAX_BODY_BYTES = 2000
    fits = client.post("/accounts/login/", {"username": "a", "password": "b" * 1000})
    assert fits.status_code == 200  # the log-in form again, with its error
    too_big = client.post("/accounts/login/", {"username": "a", "password": "b" * 2100})
    assert too_big.status_code == 413


def test_the_limit_leaves_room_for_a_poster_and_its_form(settings):
    assert settings.KCRY_MAX_BODY_BYTES >= settings.KCRY_POSTER_MAX_BYTES + 64 * 1024


def test_djangos_own_form_size_limit_answers_a_clear_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"username": "a", "password": "b" * 5000})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    # An upload's file is not counted against that limit, only the other fields.
    upload = SimpleUploadedFile("ratings.csv", b"title,tears\n" + b"x" * 5000)
    response = client.post("/accounts/login/", {"username": "a", "file": upload})
    assert response.status_code == 200


# --- null characters: PostgreSQL refuses them in a query, so they never reach one -----------


@pytest.mark.parametrize(
    "path,params",
    [("/u/%00/", {}), ("/api/works/", {"q": "\x00"}), ("/u/a/compare/", {"other": "b\x00"})],
)
def test_a_null_character_in_the_path_or_query_is_a_400(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    assert "null character" in response.content.decode()


def test_a_null_character_in_a_form_field_is_a_400(client):
    from tests.factories import UserFactory, WorkFactory

    client.force_login(UserFactory())
    work = WorkFactory()
    response = client.post(f"/works/{work.slug}/content-notes/", {"note": "x\x00", "vote": "yes"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()


def test_the_null_character_refusal_speaks_the_readers_language(client):
    response = client.get("/works/", {"q": "\x00"}, headers={"accept-language": "ko"})
    assert response.status_code == 400
    assert '<html lang="ko"' in response.content.decode()
