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


# base.html: the header and footer's shared parts are fragments per language; the path,
# the CSRF token, the search query and the member's own name and inbox count are not.


def base_nav_cached():
    from kcry_site.web.fragments import IN_PROCESS

    return any(key[0] == ("shared", "base-nav") for key in IN_PROCESS)


def test_the_header_is_kept_per_language_and_each_member_sees_their_own_bits(client):
    from django.conf import settings

    from kcry_site.accounts.models import User
    from kcry_site.web.fragments import IN_PROCESS

    minji = UserFactory(username="minji")
    jisoo = UserFactory(username="jisoo")
    client.force_login(minji)
    IN_PROCESS.clear()
    html = client.get("/works/").content.decode()
    assert base_nav_cached()
    assert 'href="/u/minji/" title="Your tear diary">minji</a>' in html
    assert 'class="inbox-link" href="/inbox/">Inbox</a>' in html
    User.objects.filter(pk=minji.pk).update(unread_notifications=3)
    html = client.get("/search/?q=rain").content.decode()
    assert 'class="inbox-link" href="/inbox/">Inbox (3)</a>' in html
    assert 'value="rain" maxlength="100"' in html  # the query stays live
    assert 'name="next" value="/search/?q=rain"' in html  # the language form's path too
    client.force_login(jisoo)
    html = client.get("/works/").content.decode()
    assert 'href="/u/jisoo/" title="Your tear diary">jisoo</a>' in html
    assert "minji" not in html and "Inbox (3)" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = client.get("/works/").content.decode()
    assert '<html lang="ko">' in korean
    assert ">목록</a>" in korean and ">Lists</a>" not in korean
    assert "언어 바꾸기" in korean
    assert 'value="ko" lang="ko" selected' in korean


def test_anonymous_log_in_links_keep_the_current_path(client):
    client.get("/works/")
    html = client.get("/rankings/").content.decode()
    assert 'href="/accounts/login/?next=/rankings/"' in html
    assert 'name="next" value="/rankings/"' in html


# The work page's head (poster, facts, credits) and editors' lists are fragments under
# the work's and the site's versions.


def test_the_work_head_comes_from_the_cache_until_an_edit(client, member):
    from tests.factories import CreditFactory, PersonFactory

    work = WorkFactory(slug="rain", title="Rain Letter")
    CreditFactory(work=work, person=PersonFactory(name="IU"))
    url = reverse("work", args=["rain"])
    first = client.get(url)
    assert rendered(first, "pages/_work_head.html") and ">IU</a>" in first.content.decode()
    again = client.get(url)
    assert not rendered(again, "pages/_work_head.html")
    assert not rendered(again, "pages/_work_lists.html")
    assert 'id="work-title">Rain Letter' in again.content.decode()
    work.title = "Rain Letters Unsent"
    work.save()
    assert 'id="work-title">Rain Letters Unsent' in client.get(url).content.decode()


def test_a_new_list_entry_shows_on_the_work_page_at_once(client, member):
    work = WorkFactory(slug="rain")
    url = reverse("work", args=["rain"])
    client.get(url)
    assert "On the editors’ lists" not in client.get(url).content.decode()
    editorial_list = EditorialListFactory(title="Sad Songs")
    ListEntryFactory(editorial_list=editorial_list, works=[work], position=1)
    html = client.get(url).content.decode()
    assert "On the editors’ lists" in html and "Sad Songs" in html


def test_the_work_head_follows_the_language(client, member):
    from django.conf import settings

    WorkFactory(slug="rain", kind="film")
    url = reverse("work", args=["rain"])
    assert '<span class="kind kind-film">Film</span>' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert '<span class="kind kind-film">영화</span>' in client.get(url).content.decode()
