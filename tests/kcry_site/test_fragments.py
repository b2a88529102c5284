"""Members' pages keep their shared parts as cached fragments (kcry_site.web.fragments):
rendered once, served from the cache afterwards, and rendered afresh as soon as a rating,
a reaction or a catalog edit changes what they show."""

import pytest
from django.urls import reverse

from tests.factories import (
    EditorialListFactory,
    ListEntryFactory,
    UserFactory,
    WorkFactory,
    rate,
)

pytestmark = pytest.mark.django_db


def rendered(response, template):
    return template in [t.name for t in response.templates]


def grid(response):
    """The page's work grid (the rest carries a fresh CSRF token each time)."""
    html = response.content.decode()
    start = html.index('<ul class="work-grid">')
    return html[start : html.index("</ul>", start)]


@pytest.fixture
def member(client):
    user = UserFactory(username="minji")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/works/", "catalog/_work_cards.html"),
        ("/", "catalog/_work_cards.html"),
        ("/search/?q=rain", "catalog/_work_cards.html"),
    ],
)
def test_work_cards_come_from_the_cache_until_a_catalog_edit(client, member, path, fragment):
    work = WorkFactory(title="Rain Letter")
    first = client.get(path)
    assert rendered(first, fragment) and "Rain Letter" in first.content.decode()
    again = client.get(path)
    assert not rendered(again, fragment)  # served from the cache
    assert grid(again) == grid(first)
    work.title = "Rain Letters Unsent"
    work.save()  # a staff edit (admin saves the same way)
    edited = client.get(path)
    assert rendered(edited, fragment)
    assert "Rain Letters Unsent" in edited.content.decode()


def test_a_new_work_shows_in_the_index_at_once(client, member):
    WorkFactory(title="First Tears")
    client.get("/works/")
    WorkFactory(title="Second Tears")
    html = client.get("/works/").content.decode()
    assert "First Tears" in html and "Second Tears" in html


def test_my_rating_shows_in_my_diary_at_once(client, member):
    work = WorkFactory(title="Letter Never Sent")
    rate(member, WorkFactory(title="Earlier Work"), 2)
    first = client.get("/u/minji/")
    assert rendered(first, "pages/_member_diary.html")
    assert not rendered(client.get("/u/minji/"), "pages/_member_diary.html")
    client.post(reverse("votes:rate", args=[work.slug]), {"tears": "5"})
    html = client.get("/u/minji/").content.decode()
    assert "Letter Never Sent" in html
    assert "5 – " in html
    # The totals are in the fragment too.
    assert "<dd>7</dd>" in html


def test_another_members_rating_changes_the_list_rank_table_at_once(client, member):
    editorial_list = EditorialListFactory(slug="sad-songs", title="Sad songs")
    first, second = WorkFactory(title="Alpha Sorrow"), WorkFactory(title="Beta Sorrow")
    ListEntryFactory(editorial_list=editorial_list, works=[first], position=1)
    ListEntryFactory(editorial_list=editorial_list, works=[second], position=2)
    url = reverse("list", args=["sad-songs"])
    page = client.get(url)
    assert rendered(page, "votes/_list_community_table.html")
    assert rendered(page, "pages/_list_entries.html")
    cached = client.get(url)
    assert not rendered(cached, "votes/_list_community_table.html")
    assert not rendered(cached, "pages/_list_entries.html")
    assert cached.content.decode().count("not rated yet") == 2
    rate(UserFactory(), second, 5)
    html = client.get(url).content.decode()
    assert html.count("not rated yet") == 1
    assert "(1)" in html  # Beta's figures: one rating


def test_my_reaction_shows_at_once_on_a_cached_list_page(client, member):
    editorial_list = EditorialListFactory(slug="sad-songs")
    ListEntryFactory(editorial_list=editorial_list, works=[WorkFactory()], position=1)
    url = reverse("list", args=["sad-songs"])
    client.get(url)
    client.get(url)
    client.post(reverse("votes:react", args=["sad-songs"]), {"reaction": "sobbing"})
    html = client.get(url).content.decode()
    assert 'value="sobbing" class="reaction" aria-pressed="true"' in html


def test_list_entries_show_an_edit_at_once(client, member):
    editorial_list = EditorialListFactory(slug="sad-songs")
    work = WorkFactory(title="Old Title")
    ListEntryFactory(editorial_list=editorial_list, works=[work], position=1)
    url = reverse("list", args=["sad-songs"])
    client.get(url)
    work.title = "New Title"
    work.save()
    assert "New Title" in client.get(url).content.decode()


def test_fragments_follow_the_language(client, member):
    from django.conf import settings

    WorkFactory(title="Rain Letter", kind="film")
    english = client.get("/works/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = client.get("/works/").content.decode()
    assert '<span class="kind kind-film">Film</span>' in english
    assert '<span class="kind kind-film">영화</span>' in korean
