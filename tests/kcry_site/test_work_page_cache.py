"""The work page keeps the work itself, its head and its share tags: a staff edit shows at
once, and share tags give the address the page was asked at."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_the_kept_work_follows_a_staff_edit_at_once(client):
    client.force_login(UserFactory())
    work = WorkFactory(slug="focus", title="Before the Rain")
    first = client.get("/works/focus/").content.decode()
    assert "<title>Before the Rain" in first and 'content="Before the Rain"' in first
    with CaptureQueriesContext(connection) as captured:
        client.get("/works/focus/")
    assert not [q for q in captured if 'FROM "catalog_work"' in q["sql"]]
    work.title = "After the Rain"
    work.save()  # as the admin saves it
    page = client.get("/works/focus/").content.decode()
    assert "Before the Rain" not in page
    assert "<title>After the Rain" in page and 'og:title" content="After the Rain"' in page
    work.is_published = False
    work.save()
    assert client.get("/works/focus/").status_code == 404


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_share_tags_give_the_address_the_page_was_asked_at(client, host):
    WorkFactory(slug="focus")
    for asked in ("localhost", host):
        page = client.get("/works/focus/", HTTP_HOST=asked).content.decode()
        assert f'og:url" content="http://{asked}/works/focus/"' in page
