"""The anonymous page cache follows the data: a write shows at once to every visitor,
while an unchanged page is served from the cache without touching the database."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.models import Work
from comments.services import comment_hide, metoo_toggle
from kcry_site.cache import normalise_query
from tests.factories import (
    CommentFactory,
    EditorialListFactory,
    ListEntryFactory,
    UserFactory,
    WorkFactory,
    rate,
)
from votes.services import tear_mark_add


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 60


def html(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mod", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return user


@pytest.mark.django_db
def test_a_hidden_comment_is_gone_for_anonymous_visitors_on_the_next_request(moderator):
    comment = CommentFactory(body="Spoilers for everyone here")
    url = comment.work.get_absolute_url()
    assert "Spoilers for everyone here" in html(Client().get(url))

    comment_hide(comments=comment, moderator=moderator)

    assert "Spoilers for everyone here" not in html(Client().get(url))


@pytest.mark.django_db
def test_a_new_rating_shows_at_once_on_the_work_page_and_the_rankings():
    work = WorkFactory(title="Spring Day")
    url = work.get_absolute_url()
    assert "No ratings yet." in html(Client().get(url))
    assert "Spring Day" not in html(Client().get(reverse("votes:rankings")))

    rate(UserFactory(), work, 4)

    page = html(Client().get(url))
    assert '<p class="meta" data-stat-empty hidden>' in page and "1 rating" in page
    assert "Spring Day" in html(Client().get(reverse("votes:rankings")))


@pytest.mark.django_db
def test_a_rating_posted_by_a_member_reaches_anonymous_visitors_at_once():
    work = WorkFactory()
    assert "No ratings yet." in html(Client().get(work.get_absolute_url()))
    member = Client()
    member.force_login(UserFactory())
    member.post(reverse("votes:rate", args=[work.slug]), {"tears": "5"})
    assert "1 rating" in html(Client().get(work.get_absolute_url()))


@pytest.mark.django_db
def test_other_writes_reach_anonymous_visitors_at_once():
    comment = CommentFactory(body="The ending got me")
    work = comment.work
    url = work.get_absolute_url()
    html(Client().get(url))

    metoo_toggle(member=UserFactory(), comment=comment)
    assert "1 cried too" in html(Client().get(url))


@pytest.mark.django_db
def test_staff_edits_of_works_and_lists_reach_every_page_at_once():
    work = WorkFactory(title="First Title")
    editorial_list = EditorialListFactory(title="Best Dramas")
    ListEntryFactory(editorial_list=editorial_list, works=[work])
    pages = [work.get_absolute_url(), editorial_list.get_absolute_url(), reverse("catalog:works")]
    for url in pages:
        assert "First Title" in html(Client().get(url))

    work.title = "Second Title"
    work.save()

    for url in pages:
        page = html(Client().get(url))
        assert "Second Title" in page and "First Title" not in page


@pytest.mark.django_db
def test_a_write_to_one_work_keeps_other_work_pages_cached(django_assert_num_queries):
    comment = CommentFactory()
    other = WorkFactory()
    html(Client().get(other.get_absolute_url()))
    tear_mark_add(member=UserFactory(), work=comment.work, at_seconds=10)
    with django_assert_num_queries(0):
        html(Client().get(other.get_absolute_url()))


@pytest.mark.django_db
def test_unknown_query_parameters_are_served_from_the_cache(django_assert_num_queries):
    WorkFactory(title="Spring Day", kind=Work.Kind.FILM)
    url = reverse("catalog:works")
    first = html(Client().get(url, {"kind": "film"}))
    with django_assert_num_queries(0):
        again = Client().get(f"{url}?x=1&kind=film&utm_source=crawler")
        reordered = Client().get(f"{url}?kind=film&x=2")
    assert html(again) == first
    assert html(reordered) == first


@pytest.mark.django_db
def test_a_page_with_extra_parameters_answers_like_the_plain_page(settings):
    WorkFactory(title="Spring Day")
    url = reverse("votes:rankings")
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    with_extra = html(Client().get(f"{url}?zzz=1&order=newest"))
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    plain = html(Client().get(f"{url}?order=newest"))
    assert with_extra == plain
    assert "zzz" not in with_extra


@pytest.mark.django_db
def test_the_parameters_a_page_reads_still_make_separate_copies():
    WorkFactory(title="Spring Day", kind=Work.Kind.FILM)
    WorkFactory(title="Haru Haru", kind=Work.Kind.MV)
    url = reverse("catalog:works")
    films = html(Client().get(url, {"kind": "film"}))
    mvs = html(Client().get(url, {"kind": "mv"}))
    assert "Spring Day" in films and "Haru Haru" not in films
    assert "Haru Haru" in mvs and "Spring Day" not in mvs


def test_the_query_is_cut_to_known_parameters_in_sorted_order(rf):
    request = rf.get("/rankings/?zeta=1&page=2&kind=film&kind=mv&order=newest")
    normalise_query(request)
    assert request.META["QUERY_STRING"] == "kind=film&kind=mv&order=newest&page=2"
    assert request.get_full_path() == "/rankings/?kind=film&kind=mv&order=newest&page=2"
    assert "zeta" not in request.GET


@pytest.mark.django_db
def test_members_never_get_the_anonymous_copy():
    work = WorkFactory()
    html(Client().get(work.get_absolute_url()))
    member = UserFactory()
    rate(member, work, 2)
    client = Client()
    client.force_login(member)
    # The member's own choice is pressed: a page made for them, not the cached one.
    assert 'value="2" class="tissue-choice" aria-pressed="true"' in html(
        client.get(work.get_absolute_url())
    )


@pytest.mark.django_db
def test_the_cached_ranking_rows_follow_a_new_rating_for_members_too():
    member = UserFactory()
    client = Client()
    client.force_login(member)
    first, second = WorkFactory(title="Spring Day"), WorkFactory(title="Haru Haru")
    rate(UserFactory(), first, 3)
    page = html(client.get(reverse("votes:rankings")))
    assert "Spring Day" in page and "Haru Haru" not in page

    rate(member, second, 5)

    page = html(client.get(reverse("votes:rankings")))
    assert "Spring Day" in page and "Haru Haru" in page
