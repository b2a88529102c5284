"""The work page's rating panel: the figures and histogram are kept under the work's and
the site's versions (every rating bumps both), the member's own rating, watchlist and
forms are read live beside them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, WorkFactory, rate
from votes import services
from votes.models import Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return WorkFactory(slug="focus", title="Focus")


def member_client(member=None):
    client = Client()
    client.force_login(member or UserFactory())
    return client


def panel(client, **headers):
    response = client.get("/works/focus/", **headers)
    assert response.status_code == 200
    body = response.content.decode()
    return body.split('id="tear-rating"', 1)[1].split("</section>", 1)[0]


def figures_reads(captured):
    return [q for q in captured if 'FROM "votes_workstats"' in q["sql"]]


def pressed(html):
    return re.findall(r'value="(\d)" class="tissue-choice" aria-pressed="true"', html)


def test_the_second_request_takes_the_figures_from_the_cache(client, work):
    rate(UserFactory(), work, 4)
    with CaptureQueriesContext(connection) as first:
        panel(client)
    with CaptureQueriesContext(connection) as second:
        html = panel(client)
    assert len(figures_reads(first)) == 1
    assert figures_reads(second) == []
    assert "1 rating" in html and "4 tissues in all" in html
    with CaptureQueriesContext(connection) as member:
        panel(member_client())
    assert figures_reads(member) == []


def test_a_rating_by_another_member_shows_at_once(work):
    viewer = member_client()
    assert "No ratings yet." in panel(viewer).split("data-stat-empty", 1)[1][:40]
    rate(UserFactory(), work, 5)
    html = panel(viewer)
    assert "1 rating" in html and "5 tissues in all" in html
    other = UserFactory()
    rate(other, work, 1)
    html = panel(viewer)
    assert "2 ratings" in html and "6 tissues in all" in html and ">3.00<" in html
    rate(other, work, 3)  # a change
    assert "8 tissues in all" in panel(viewer)
    services.rating_withdraw(member=other, work=work)
    assert "5 tissues in all" in panel(viewer)


def test_a_staff_removal_shows_at_once(client, work):
    rate(UserFactory(), work, 5)
    rate(UserFactory(), work, 2)
    assert "7 tissues in all" in panel(client)
    services.rating_remove(Rating.objects.get(tears=2))
    html = panel(client)
    assert "1 rating" in html and "5 tissues in all" in html


def test_each_member_sees_their_own_rating_whoever_filled_the_cache(work):
    five, two, none = UserFactory(), UserFactory(), UserFactory()
    rate(five, work, 5)
    rate(two, work, 2)
    none_html = panel(member_client(none))  # fills the figures
    five_html = panel(member_client(five))
    two_html = panel(member_client(two))
    assert pressed(none_html) == [] and pressed(five_html) == ["5"] and pressed(two_html) == ["2"]
    assert "Your rating: 5 –" in five_html and "Your rating: 2 –" in two_html
    assert "Your rating</legend>" in none_html
    assert 'class="inline-form withdraw-form" method="post"' in five_html
    assert "data-rating-form hidden" in none_html
    assert all("2 ratings" in html for html in (none_html, five_html, two_html))
    # The forms carry each member's own CSRF token; a visitor gets the log-in form.
    assert 'name="csrfmiddlewaretoken"' in five_html
    visitor = panel(Client())
    assert 'method="get" action="/works/focus/rating/later/"' in visitor
    assert "csrfmiddlewaretoken" not in visitor and "to give your own tear rating" in visitor
    assert pressed(visitor) == [] and "2 ratings" in visitor


def test_a_members_own_rating_shows_at_once(work):
    member = UserFactory()
    client = member_client(member)
    rate(UserFactory(), work, 1)
    assert pressed(panel(client)) == []
    rate(member, work, 4)
    html = panel(client)
    assert pressed(html) == ["4"] and "2 ratings" in html
    rate(member, work, 3)
    assert pressed(panel(client)) == ["3"]
    services.rating_withdraw(member=member, work=work)
    html = panel(client)
    assert pressed(html) == [] and "1 rating" in html


def test_the_figures_follow_the_language(client, work):
    rate(UserFactory(), work, 3)
    english = panel(client, HTTP_ACCEPT_LANGUAGE="en")
    korean = panel(client, HTTP_ACCEPT_LANGUAGE="ko")
    assert "average tissues out of 5" in english
    assert "평균 휴지 (5개 중)" in korean and "average tissues out of 5" not in korean
    assert "average tissues out of 5" in panel(client, HTTP_ACCEPT_LANGUAGE="en")


def test_the_watchlist_and_the_rating_date_are_each_members_own(work):
    from datetime import timedelta

    from django.utils import timezone

    from votes.services import watchlist_toggle

    keeps, drops = UserFactory(), UserFactory()
    rate(keeps, work, 3)
    rate(drops, work, 3)
    Rating.objects.filter(member=drops).update(rated_at=timezone.now() - timedelta(days=400))
    watchlist_toggle(member=keeps, work=work, add=True)
    keeps_html = panel(member_client(keeps))
    drops_html = panel(member_client(drops))
    assert "Take it off my watchlist" in keeps_html and "still on your watchlist" in keeps_html
    assert "Add to my watchlist" in drops_html and "Take it off" not in drops_html
    for member, html in ((keeps, keeps_html), (drops, drops_html)):
        rated_at = timezone.localtime(Rating.objects.get(member=member).rated_at)
        assert f'<time datetime="{rated_at:%Y-%m-%dT%H:%M:%S}' in html
        assert html.count('name="csrfmiddlewaretoken"') == 3  # rate, withdraw, watchlist
        assert "<!--kcry-" not in html


def test_the_page_after_a_rating_without_javascript_offers_undo_once(work):
    member = UserFactory()
    client = member_client(member)
    rate(member, work, 2)
    panel(client)  # the panel is kept for this rating
    answer = client.post("/works/focus/rating/", {"tears": "4"})
    assert answer.status_code == 302
    html = panel(client)
    assert "undo-form" in html and "back to 2" in html and pressed(html) == ["4"]
    assert "undo-form" not in panel(client)


def test_a_kept_panel_carries_each_works_addresses_and_each_visitors_way_back(work):
    WorkFactory(slug="other")
    member = UserFactory()
    client = member_client(member)
    panel(client)  # kept for members without a rating of this work
    other = client.get("/works/other/").content.decode()
    assert 'action="/works/other/rating/"' in other and "/works/focus/" not in other
    visitor = Client()
    panel(visitor)
    html = visitor.get("/works/other/?from=list&x=1").content.decode()
    html = html.split('id="tear-rating"', 1)[1].split("</section>", 1)[0]
    assert 'action="/works/other/rating/later/"' in html
    assert "?next=/works/other/%3Ffrom%3Dlist%26x%3D1" in html
    assert "slot" not in html and "<!--kcry" not in html
