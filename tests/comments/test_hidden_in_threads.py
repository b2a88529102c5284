"""Hiding or deleting a comment never takes other people's replies with it.

Staff once hid a top-level comment: readers saw "Comments (1)" above "No comments
yet", the reply's permalink led to a page without it, and the author never knew.
A hidden or deleted comment with readable replies now stays as a placeholder, its
replies stay readable under it, and the author is told (signal, member page).
"""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from comments import services
from comments.selectors import member_comments
from comments.signals import comment_moderated
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db
HIDDEN = "[hidden by the moderators]"
EMPTY = "No comments yet."


def thread_html(client, work, viewer=None):
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_hidden_comment_with_a_reply_stays_as_a_placeholder(client, mv, member, moderator):
    top = CommentFactory(work=mv, body="rude words")
    reply = CommentFactory(parent=top, body="a kind answer")
    services.comment_hide(comments=[top], moderator=moderator)

    page = thread_html(client, mv, member)

    assert HIDDEN in page and f'id="c-{top.pk}"' in page
    assert "rude words" not in page
    assert "a kind answer" in page and f'id="c-{reply.pk}"' in page
    assert '<span class="comment-count">(1)</span>' in page
    assert EMPTY not in page
    staff_page = thread_html(client, mv, moderator)
    assert "rude words" in staff_page and "a kind answer" in staff_page


def test_a_hidden_reply_keeps_the_replies_under_it(client, mv, member, moderator):
    top = CommentFactory(work=mv, body="top")
    middle = CommentFactory(parent=top, body="spam in the middle")
    under = CommentFactory(parent=middle, body="under the spam")
    deep = CommentFactory(parent=CommentFactory(parent=under, body="third"), body="fourth")
    services.comment_hide(comments=[middle], moderator=moderator)

    page = thread_html(client, mv, member)

    assert "spam in the middle" not in page and HIDDEN in page
    assert "under the spam" in page and "fourth" in page
    assert f'id="c-{deep.pk}"' in page
    assert '<span class="comment-count">(4)</span>' in page


def test_a_hidden_comment_without_readable_replies_is_gone_and_the_thread_is_empty(
    client, mv, member, moderator
):
    top = CommentFactory(work=mv, body="rude words")
    hidden_reply = CommentFactory(parent=top, body="rude too")
    services.comment_hide(comments=[top, hidden_reply], moderator=moderator)

    page = thread_html(client, mv, member)

    assert HIDDEN not in page and "rude" not in page
    assert '<span class="comment-count">(0)</span>' in page and EMPTY in page


def test_a_deleted_comment_over_a_hidden_one_over_a_readable_reply(
    client, mv, member, other, moderator
):
    top = CommentFactory(work=mv, author=member, body="mine")
    hidden = CommentFactory(parent=top, body="spam")
    CommentFactory(parent=hidden, author=other, body="still worth reading")
    services.comment_delete(comment=top, member=member)
    services.comment_hide(comments=[hidden], moderator=moderator)

    page = thread_html(client, mv, UserFactory())

    assert "[deleted]" in page and HIDDEN in page and "still worth reading" in page
    assert '<span class="comment-count">(1)</span>' in page


def test_the_permalink_of_a_reply_under_a_hidden_comment_leads_to_it(client, mv, moderator):
    for n in range(3):
        CommentFactory(work=mv, body=f"earlier {n}")
    top = CommentFactory(work=mv, body="rude words")
    reply = CommentFactory(parent=top, body="a kind answer")
    services.comment_hide(comments=[top], moderator=moderator)

    location = client.get(reply.get_absolute_url())["Location"]

    page = client.get(location).content.decode()
    assert f'id="c-{reply.pk}"' in page and "a kind answer" in page


def test_the_replies_page_of_a_hidden_comment_shows_its_readable_replies(
    client, mv, member, moderator
):
    top = CommentFactory(work=mv, body="rude words")
    CommentFactory(parent=top, body="a kind answer")
    services.comment_hide(comments=[top], moderator=moderator)
    client.force_login(member)

    page = client.get(reverse("comments:replies", args=[top.pk])).content.decode()

    assert HIDDEN in page and "rude words" not in page and "a kind answer" in page


def test_hiding_and_restoring_send_comment_moderated_once_per_change(mv, moderator):
    first, second = CommentFactory(work=mv), CommentFactory(work=mv)
    heard = []

    def listen(sender, comment, action, by, **kwargs):
        heard.append((comment.pk, comment.is_public, action, by))

    comment_moderated.connect(listen)
    try:
        services.comment_hide(comments=[first], moderator=moderator)
        services.comment_hide(comments=[first, second], moderator=moderator)
        services.comment_restore(comments=[first], moderator=moderator)
        services.comment_restore(comments=[first], moderator=moderator)
    finally:
        comment_moderated.disconnect(listen)

    assert heard == [
        (first.pk, False, "hidden", moderator),
        (second.pk, False, "hidden", moderator),
        (first.pk, True, "restored", moderator),
    ]


def test_admin_hide_action_sends_the_signal_too(client, mv, moderator):
    comment = CommentFactory(work=mv)
    heard = []

    def listen(sender, action, **kwargs):
        heard.append(action)

    comment_moderated.connect(listen)
    client.force_login(moderator)
    try:
        client.post(
            "/admin/comments/comment/", {"action": "hide", "_selected_action": [comment.pk]}
        )
    finally:
        comment_moderated.disconnect(listen)
    assert heard == ["hidden"]


def member_comments_html(member, viewer):
    return render_to_string("comments/member_comments.html", member_comments(member, viewer))


def test_authors_see_their_hidden_comments_marked_on_their_member_page(
    member, other, mv, moderator
):
    CommentFactory(work=mv, author=member, body="fine words")
    hidden = CommentFactory(work=mv, author=member, body="rude words")
    services.comment_hide(comments=[hidden], moderator=moderator)

    own = member_comments_html(member, member)
    theirs = member_comments_html(member, other)

    assert "rude words" in own and "Hidden by moderators" in own
    assert "fine words" in own and own.count("Hidden by moderators") == 1
    assert "rude words" not in theirs and "Hidden by moderators" not in theirs
    assert "fine words" in theirs


def test_member_page_shows_the_hidden_note_to_its_owner_only(client, member, other, mv):
    hidden = CommentFactory(work=mv, author=member, body="rude words", is_public=False)
    client.force_login(member)
    own = client.get(f"/u/{member.username}/").content.decode()
    client.force_login(other)
    theirs = client.get(f"/u/{member.username}/").content.decode()
    assert "rude words" in own and f'id="mc-{hidden.pk}"' in own
    assert "rude words" not in theirs
