"""Huge reply trees cannot break or bloat a work page.

A member could once answer 500 for everyone with a reply chain deeper than Python's
recursion limit, and a top-level comment with thousands of replies cost every
reader seconds and megabytes. Reply depth is bounded, the tree is built without
recursion, and the thread page shows at most KCRY_COMMENT_REPLIES_SHOWN replies per
top-level comment, linking the rest to that comment's own paginated replies page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from tests.comments.trees import reply_chain, reply_tree
from tests.factories import CommentFactory, WorkFactory

pytestmark = pytest.mark.django_db
SHOWN = 50


@pytest.fixture(autouse=True)
def _replies_shown(settings):
    settings.KCRY_COMMENT_REPLIES_SHOWN = SHOWN


def get_counting(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def small_thread_queries(client):
    """Queries for a work page whose thread has one top-level comment and one reply."""
    work = WorkFactory()
    CommentFactory(parent=CommentFactory(work=work))
    return get_counting(client, work.get_absolute_url())[1]


def test_a_reply_below_the_deepest_level_keeps_its_parent_at_that_depth(member, other, mv):
    top = services.comment_post(author=member, target=mv, body="top")[0]
    one = services.comment_post(author=other, target=mv, body="1", parent=top)[0]
    two = services.comment_post(author=member, target=mv, body="2", parent=one)[0]
    three = services.comment_post(author=other, target=mv, body="3", parent=two)[0]
    four = services.comment_post(author=member, target=mv, body="4", parent=three)[0]

    assert [c.depth for c in (top, one, two, three, four)] == [0, 1, 2, 2, 2]
    assert (three.parent, four.parent) == (two, three)  # whom they answer is kept
    assert {c.root_id for c in (one, two, three, four)} == {top.pk}


def test_a_1500_deep_chain_renders_with_the_queries_of_a_small_thread(client, member, mv):
    client.force_login(member)
    expected = small_thread_queries(client)
    top = CommentFactory(work=mv, body="where it starts")
    reply_chain(top, 1500)

    response, queries = get_counting(client, mv.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "where it starts" in page and f"deeper {SHOWN}<" in page
    assert f"deeper {SHOWN + 1}<" not in page
    assert queries == expected


def test_a_3000_reply_tree_shows_at_most_the_setting_and_links_the_rest(client, member, mv):
    client.force_login(member)
    expected = small_thread_queries(client)
    top = CommentFactory(work=mv, body="the big one")
    reply_tree(top, 3000)

    response, queries = get_counting(client, mv.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('id="c-') == SHOWN + 1  # the top-level comment and 50 replies
    assert len(response.content) < 150_000
    assert queries == expected
    assert "2,950 more replies" in page
    assert f'href="/comments/{top.pk}/replies/?page=2"' in page


def test_the_replies_page_paginates_every_reply_in_order(client, member, mv):
    top = CommentFactory(work=mv, body="the big one")
    reply_tree(top, 120)
    client.force_login(member)
    url = reverse("comments:replies", args=[top.pk])

    first, first_queries = get_counting(client, url)
    last, last_queries = get_counting(client, url + "?page=3")

    assert first.status_code == last.status_code == 200
    first_page, last_page = first.content.decode(), last.content.decode()
    assert "the big one" in first_page and "the big one" in last_page
    assert first_page.count('id="c-') == SHOWN + 1  # the top-level comment on every page
    assert "reply 1 " in first_page and "reply 50 " in first_page
    assert "reply 51 " not in first_page
    assert last_page.count('id="c-') == 20 + 1
    assert "reply 101 " in last_page and "reply 120 " in last_page
    assert "replying to @" in last_page
    assert "?page=2" in last_page and "Page 3 of 3" in last_page
    assert first_queries == last_queries
    assert client.get(url + "?page=99").status_code == 200  # the last page, not an error


def test_the_replies_page_of_a_reply_or_an_unknown_comment_is_404(client, mv):
    reply = CommentFactory(parent=CommentFactory(work=mv))
    assert client.get(reverse("comments:replies", args=[reply.pk])).status_code == 404
    assert client.get(reverse("comments:replies", args=[reply.pk + 9])).status_code == 404


def test_the_permalink_of_a_reply_beyond_the_thread_page_leads_to_its_replies_page(client, mv):
    top = CommentFactory(work=mv)
    replies = reply_chain(top, 120)
    early, late = replies[SHOWN - 1], replies[110]

    assert client.get(early.get_absolute_url())["Location"] == (
        f"/works/haru-haru/?cpage=1#c-{early.pk}"
    )
    location = client.get(late.get_absolute_url())["Location"]
    assert location == f"/comments/{top.pk}/replies/?page=3#c-{late.pk}"
    assert f'id="c-{late.pk}"' in client.get(location).content.decode()
