"""A thread page's comment list is rendered once and kept (comments.selectors.thread_panel);
each viewer's own bits (me-too form and state, Edit/Delete on their own comments, Flag,
the CSRF token) are filled in per request (comments.actions). Every write to the thread
renders it afresh at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, MeToo
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "comments/_thread_list.html"


def rendered(response):
    """Whether the comment list was rendered for this response (not taken from the cache)."""
    return LIST in [t.name for t in response.templates]


def comment_list(response):
    html = response.content.decode()
    start = html.index('<ol class="comment-list">')
    return html[start : html.index("</section>", start)]


def article(response, comment):
    html = response.content.decode()
    start = html.index(f'id="c-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def thread(mv, member, other):
    """Two of `other`'s comments, one of `member`'s, a reply under the first."""
    first = CommentFactory(work=mv, author=other, body="The bridge got me.")
    second = CommentFactory(work=mv, author=other, body="Spoilers ahead", is_spoiler=True)
    mine = CommentFactory(work=mv, author=member, body="Same here.")
    reply = CommentFactory(work=mv, author=member, body="Me as well.", parent=first)
    return {"first": first, "second": second, "mine": mine, "reply": reply}


def test_the_second_request_takes_the_thread_from_the_cache(mv, member, thread):
    client = login(member)
    url = mv.get_absolute_url()
    first = client.get(url)
    assert rendered(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert not rendered(again)
    assert "comments/_comment.html" not in [t.name for t in again.templates]
    # The thread's only query is the reader's own "me too" marks.
    assert not [q for q in queries if 'FROM "comments_comment"' in q["sql"]]
    assert len([q for q in queries if 'FROM "comments_metoo"' in q["sql"]]) == 1
    tokens = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert tokens.sub("", comment_list(again)) == tokens.sub("", comment_list(first))
    assert "The bridge got me." in again.content.decode()


def post_comment(client, mv, **data):
    return client.post(reverse("comments:work-post", args=[mv.slug]), {"body": "x", **data})


@pytest.mark.parametrize(
    "write",
    ["comment", "reply", "edit", "metoo", "hide", "delete", "restore"],
)
def test_each_write_renders_the_thread_afresh_at_once(mv, member, other, moderator, thread, write):
    client = login(member)
    url = mv.get_absolute_url()
    if write == "restore":
        services.comment_hide(comments=thread["second"], moderator=moderator)
    client.get(url)
    assert not rendered(client.get(url))
    if write == "comment":
        post_comment(client, mv, body="A brand new comment.")
        expected = "A brand new comment."
    elif write == "reply":
        post_comment(client, mv, body="A brand new reply.", parent=thread["second"].pk)
        expected = "A brand new reply."
    elif write == "edit":
        client.post(reverse("comments:edit", args=[thread["mine"].pk]), {"body": "Edited text."})
        expected = "Edited text."
    elif write == "metoo":
        client.post(reverse("comments:metoo", args=[thread["first"].pk]), {"mark": "1"})
        expected = "1 cried too"
    elif write == "hide":
        services.comment_hide(comments=thread["first"], moderator=moderator)
        expected = "[hidden by the moderators]"
    elif write == "delete":
        client.post(reverse("comments:delete", args=[thread["mine"].pk]))
        expected = None
    else:
        services.comment_restore(comments=thread["second"], moderator=moderator)
        expected = "Spoilers ahead"
    page = client.get(url)
    assert rendered(page)
    html = comment_list(page)
    if expected is None:
        assert "Same here." not in html
    else:
        assert expected in html
    if write == "metoo":
        assert 'aria-pressed="true"' in article(page, thread["first"])


def test_two_members_and_a_visitor_each_get_their_own_bits(mv, member, other, thread):
    MeToo.objects.create(member=member, comment=thread["first"])
    Comment.objects.filter(pk=thread["first"].pk).update(metoo_count=1)
    url = mv.get_absolute_url()
    # `other` fills the cache.
    theirs = login(other).get(url)
    assert rendered(theirs)
    mine = login(member).get(url)
    anonymous = Client().get(url)
    assert not rendered(mine) and not rendered(anonymous)

    # Me-too state: member marked `first`; other has marked nothing.
    assert 'aria-pressed="true"' in article(mine, thread["first"])
    assert "Me too ✓ (take back)" in article(mine, thread["first"])
    assert 'aria-pressed="false"' in article(mine, thread["second"])
    assert 'aria-pressed="true"' not in comment_list(theirs)
    # No me-too form on one's own comments.
    assert 'name="mark"' not in article(theirs, thread["first"])
    assert 'name="mark"' not in article(mine, thread["mine"])
    # Edit and Delete only on one's own comments, Flag on the others'.
    edit = reverse("comments:edit", args=[thread["mine"].pk])
    assert f'href="{edit}"' in article(mine, thread["mine"])
    assert f'href="{edit}"' not in comment_list(theirs)
    assert reverse("comments:delete", args=[thread["mine"].pk]) in article(mine, thread["mine"])
    assert reverse("comments:flag", args=[thread["mine"].pk]) in article(theirs, thread["mine"])
    assert reverse("comments:flag", args=[thread["mine"].pk]) not in comment_list(mine)
    first_edit = reverse("comments:edit", args=[thread["first"].pk])
    assert first_edit in article(theirs, thread["first"])
    assert first_edit not in comment_list(mine)

    # The visitor: a log-in prompt, no forms, no edit links; Reply and Flag lead to log-in.
    html = anonymous.content.decode()
    assert 'class="comment-login"' in html
    assert 'name="mark"' not in html and "csrfmiddlewaretoken" not in html
    assert "/edit/" not in comment_list(anonymous)
    assert reverse("comments:flag", args=[thread["first"].pk]) in html
    assert reverse("comments:reply", args=[thread["first"].pk]) in html


def test_the_me_too_form_carries_the_requesters_own_csrf_token(mv, member, other, thread):
    url = mv.get_absolute_url()
    login(other).get(url)  # the cache filled in someone else's request
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    page = strict.get(url)
    assert not rendered(page)
    form = re.search(
        rf'action="{reverse("comments:metoo", args=[thread["first"].pk])}">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page.content.decode(),
    )
    assert form is not None
    answer = strict.post(
        reverse("comments:metoo", args=[thread["first"].pk]),
        {"csrfmiddlewaretoken": form.group(1), "mark": "1", "next": url},
    )
    assert answer.status_code == 302
    assert MeToo.objects.filter(member=member, comment=thread["first"]).exists()


def test_the_edit_link_follows_the_edit_window_even_from_the_cache(mv, member, thread):
    old = CommentFactory(work=mv, author=member, body="Long ago.")
    Comment.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=1))
    client = login(member)
    client.get(mv.get_absolute_url())
    page = client.get(mv.get_absolute_url())
    assert not rendered(page)
    assert "/edit/" not in article(page, old)
    assert reverse("comments:delete", args=[old.pk]) in article(page, old)
    assert reverse("comments:edit", args=[thread["mine"].pk]) in article(page, thread["mine"])


def test_staff_and_readers_do_not_share_a_rendering(mv, member, moderator, thread):
    services.comment_hide(comments=thread["first"], moderator=moderator)
    url = mv.get_absolute_url()
    visitor = Client().get(url)
    assert "[hidden by the moderators]" in comment_list(visitor)
    assert "The bridge got me." not in visitor.content.decode()
    staff = login(moderator).get(url)
    assert "The bridge got me." in comment_list(staff)
    assert "Hidden by moderators" in comment_list(staff)
    # Spoilers stay folded and the reply under the hidden comment stays readable.
    again = Client().get(url)
    assert not rendered(again)
    assert '<details class="spoiler">' in article(again, thread["second"])
    assert "Me as well." in comment_list(again)


def test_more_replies_link_comes_through_the_cache(mv, member, other, settings):
    settings.KCRY_COMMENT_REPLIES_SHOWN = 2
    top = CommentFactory(work=mv, author=other)
    for _ in range(4):
        CommentFactory(work=mv, author=member, parent=top)
    client = login(member)
    client.get(mv.get_absolute_url())
    page = client.get(mv.get_absolute_url())
    assert not rendered(page)
    assert "2 more replies" in page.content.decode()


def test_the_thread_follows_the_language(mv, member, thread):
    client = login(member)
    url = mv.get_absolute_url()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert ">Reply</a>" in comment_list(english)
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
    assert rendered(korean)  # a rendering of its own, not the English one
    html = comment_list(korean)
    assert ">답글</a>" in html and ">Reply</a>" not in html
    assert "나도 울었어요" in html and ">수정</a>" in html
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert not rendered(again) and ">Reply</a>" in comment_list(again)


def test_a_list_thread_is_kept_and_refreshed_too(member, other):
    from tests.factories import EditorialListFactory

    editorial_list = EditorialListFactory(slug="sad-songs")
    CommentFactory(editorial_list=editorial_list, author=other, body="First on the list.")
    client = login(member)
    url = reverse("list", args=["sad-songs"])
    assert rendered(client.get(url))
    assert not rendered(client.get(url))
    client.post(reverse("comments:list-post", args=["sad-songs"]), {"body": "Second on the list."})
    page = client.get(url)
    assert rendered(page) and "Second on the list." in page.content.decode()


def test_a_departing_members_me_too_leaves_the_kept_thread_at_once(mv, member, other, thread):
    from kcry_site.accounts.services import member_delete

    leaving = UserFactory(username="leaving")
    services.metoo_toggle(member=leaving, comment=thread["first"], mark=True)
    client = login(member)
    url = mv.get_absolute_url()
    assert "1 cried too" in article(client.get(url), thread["first"])
    member_delete(member=leaving)
    assert "cried too" not in article(client.get(url), thread["first"])
