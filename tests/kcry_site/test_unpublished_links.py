"""Unpublishing a work leaves no dead links: diaries, comparisons and lists say
"no longer listed" in its place, and a list keeps its numbering."""

import pytest

from tests.factories import ListEntryFactory, UserFactory, WorkFactory, rate

pytestmark = pytest.mark.django_db


def unpublish(work):
    work.is_published = False
    work.save()


def test_diary_shows_an_unpublished_work_without_a_link(client):
    member = UserFactory(username="jisoo")
    gone = WorkFactory(title="Gone Song", slug="gone-song")
    rate(member, gone, 4)
    unpublish(gone)
    body = client.get("/u/jisoo/").content.decode()
    assert "Gone Song" in body and "no longer listed" in body
    assert f'href="{gone.get_absolute_url()}"' not in body
    assert client.get(gone.get_absolute_url()).status_code == 404


def test_compare_shows_an_unpublished_work_without_a_link(client):
    a, b = UserFactory(username="a"), UserFactory(username="b")
    gone = WorkFactory(title="Gone Song", slug="gone-song")
    rate(a, gone, 5), rate(b, gone, 1)
    unpublish(gone)
    body = client.get("/u/a/compare/b/").content.decode()
    assert "Gone Song" in body and "no longer listed" in body
    assert f'href="{gone.get_absolute_url()}"' not in body


def test_a_list_keeps_its_numbering_when_a_work_is_unpublished(client):
    first = ListEntryFactory(position=1, works=[WorkFactory(title="Kept One")])
    editorial_list = first.editorial_list
    gone = WorkFactory(title="Gone Song")
    ListEntryFactory(editorial_list=editorial_list, position=2, works=[gone])
    ListEntryFactory(editorial_list=editorial_list, position=3, works=[WorkFactory()])
    unpublish(gone)
    response = client.get(editorial_list.get_absolute_url())
    body = response.content.decode()
    assert [entry.position for entry in response.context["ranked"]] == [1, 2, 3]
    second = body[body.index(">#2</span>") : body.index(">#3</span>")]
    assert "No longer listed" in second
    assert "Gone Song" not in body


def test_the_data_export_links_no_unpublished_page(client):
    from comments.services import comment_post

    member = UserFactory(username="jisoo")
    gone, kept = WorkFactory(slug="gone"), WorkFactory(slug="kept")
    comment_post(author=member, target=gone, body="Was here")
    comment_post(author=member, target=kept, body="Still here")
    unpublish(gone)
    client.force_login(member)
    comments = client.get("/u/jisoo/data/all.json").json()["comments"]
    urls = {row["target"]: row["url"] for row in comments}
    assert urls["gone"] is None
    assert client.get(urls["kept"]).status_code in (200, 302)
