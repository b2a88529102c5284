"""The comment endpoints over HTTP: forms, redirects, JSON, refusals."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, Flag, MeToo
from comments.selectors import member_comments
from tests.factories import CommentFactory, WorkFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def post_url(target):
    kind = "work" if hasattr(target, "kind") else "list"
    return reverse(f"comments:{kind}-post", args=[target.slug])


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


# --- posting ----------------------------------------------------------------------------


def test_anonymous_post_is_sent_to_log_in_and_back_to_the_thread(client, mv):
    response = client.post(post_url(mv), {"body": "hi"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/works/haru-haru/%23comments"
    assert not Comment.objects.exists()


def test_anonymous_json_post_gets_401(client, mv):
    response = client.post(post_url(mv), {"body": "hi"}, **JSON)
    assert response.status_code == 401
    assert response.json() == {
        "error": "Log in to do this; you will come back here.",
        "login_url": "/accounts/login/?next=/works/haru-haru/%23comments",
    }


def test_get_on_a_write_url_is_405(logged_in, mv):
    assert logged_in.get(post_url(mv)).status_code == 405
    response = logged_in.get(post_url(mv), **JSON)
    assert response.status_code == 405 and response.json()["error"].startswith("Only POST")


def test_missing_csrf_token_is_refused(member, mv):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(post_url(mv), {"body": "no token"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_redirects_to_the_new_comment_with_a_message(logged_in, mv, member):
    response = logged_in.post(post_url(mv), {"body": "울었어요\nㅠㅠ", "token": str(uuid.uuid4())})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/haru-haru/?cpage=1#c-{comment.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your comment is posted."]
    page = logged_in.get(response["Location"]).content.decode()
    assert f'id="c-{comment.pk}"' in page
    assert "울었어요<br>\nㅠㅠ" in page
    assert comment.author == member


def test_reply_and_list_thread(logged_in, other, editorial_list):
    parent = CommentFactory(editorial_list=editorial_list, author=other)
    response = logged_in.post(post_url(editorial_list), {"body": "same", "parent": parent.pk})
    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"/lists/saddest-mvs/?cpage=1#c-{reply.pk}"
    page = logged_in.get(editorial_list.get_absolute_url()).content.decode()
    assert f'id="c-{reply.pk}"' in page


def test_double_submission_over_http_stores_one_comment(logged_in, mv):
    data = {"body": "once only", "token": str(uuid.uuid4())}
    first = logged_in.post(post_url(mv), data)
    second = logged_in.post(post_url(mv), data)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert "already posted" in [str(m) for m in get_messages(second.wsgi_request)][-1]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": ""}, "body", "Write something first: the comment is empty."),
        ({"body": "\u200b\u200d"}, "body", "Write something first: the comment is empty."),
        ({"body": "x", "moment": "3:75"}, "moment", "Write the tear moment as m:ss or h:mm:ss"),
        ({"body": "x", "moment": "5:00:00"}, "moment", "A tear moment must be between 0:00 and"),
        ({"body": "x", "parent": "999999"}, "parent", "The comment you replied to no longer"),
        ({"body": "x", "parent": "abc"}, "parent", "Enter a whole number."),
    ],
)
def test_bad_input_gets_400_with_the_message_and_stores_nothing(
    logged_in, mv, data, field, message
):
    response = logged_in.post(post_url(mv), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()
    json_response = logged_in.post(post_url(mv), data, **JSON)
    assert json_response.status_code == 400
    assert json_response.json()["errors"][field][0].startswith(message)


def test_overlong_comment_comes_back_filled_in(logged_in, mv, settings):
    settings.KCRY_COMMENT_MAX_LENGTH = 50
    text = "긴 이야기 " * 20
    response = logged_in.post(post_url(mv), {"body": text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "A comment can be at most 50 characters; this one has 119." in page
    assert text.strip() in page  # nothing lost: the text is back in the textarea


def test_reply_to_a_comment_of_another_thread_is_refused(logged_in, mv, film):
    elsewhere = CommentFactory(work=film)
    response = logged_in.post(post_url(mv), {"body": "x", "parent": elsewhere.pk}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "You can only reply to a comment in the same thread."


def test_unknown_slug_is_404(logged_in):
    response = logged_in.post("/works/no-such-work/comments/", {"body": "x"}, **JSON)
    assert response.status_code == 404
    assert "no-such-work" in response.json()["error"]
    assert logged_in.post("/lists/nope/comments/", {"body": "x"}).status_code == 404


def test_posting_too_fast_is_429_with_a_clear_message(logged_in, mv, settings):
    settings.KCRY_COMMENT_RATE = (2, 60)
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(2):
            assert logged_in.post(post_url(mv), {"body": f"c{n}"}).status_code == 302
        html = logged_in.post(post_url(mv), {"body": "keep this text"})
        json_response = logged_in.post(post_url(mv), {"body": "again"}, **JSON)
    assert html.status_code == 429
    assert (
        "You are commenting too fast: at most 2 comments every 60 seconds." in html.content.decode()
    )
    assert "keep this text" in html.content.decode()
    assert json_response.status_code == 429
    assert 1 <= int(json_response["Retry-After"]) <= 60
    assert Comment.objects.count() == 2


def test_json_post_answers_the_comment(logged_in, mv):
    response = logged_in.post(
        post_url(mv), {"body": "3분에서 울었다", "moment": "3:07", "spoiler": "on"}, **JSON
    )
    assert response.status_code == 201
    data = response.json()["comment"]
    assert data["body"] == "3분에서 울었다"
    assert (data["moment"], data["spoiler"], data["depth"]) == ("3:07", True, 0)


# --- the thread on the page -------------------------------------------------------------


def test_thread_shows_spoilers_folded_and_moment_jump_links(client, mv):
    CommentFactory(work=mv, body="the brother dies", is_spoiler=True, moment_seconds=187)
    page = client.get(mv.get_absolute_url()).content.decode()
    assert (
        '<details class="spoiler"><summary>Spoiler — open to read</summary>\n'
        '  <div class="comment-body">the brother dies</div>'
    ) in page
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=187s"' in page
    assert "jump to 3:07</a>" in page


def test_moment_without_video_is_plain_text(client):
    song = WorkFactory(kind="song", video_url="")
    CommentFactory(work=song, moment_seconds=65)
    page = client.get(song.get_absolute_url()).content.decode()
    assert "Tear moment: 1:05" in page
    assert "t=65" not in page


def test_hostile_comment_is_escaped_on_the_page(client, mv):
    CommentFactory(work=mv, body='<script>alert(1)</script><img src=x onerror="alert(2)">')
    page = client.get(mv.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"
        in page
    )


def test_anonymous_visitors_see_the_thread_and_a_log_in_link(client, mv):
    CommentFactory(work=mv, body="visible to all")
    page = client.get(mv.get_absolute_url()).content.decode()
    assert "visible to all" in page
    assert 'href="/accounts/login/?next=%2Fworks%2Fharu-haru%2F%23comments"' in page
    assert 'name="body"' not in page


def test_sort_and_page_links_keep_the_thread_params(client, mv, settings):
    settings.KCRY_COMMENTS_PER_PAGE = 1
    CommentFactory(work=mv, body="older")
    CommentFactory(work=mv, body="newer")
    page = client.get(mv.get_absolute_url() + "?csort=newest").content.decode()
    assert page.index("newer") < page.index('rel="next nofollow"')
    assert "older" not in page.split('id="comments"')[1]
    assert 'href="?csort=newest&amp;cpage=2#comments"' in page


def test_edited_and_deleted_markers(client, mv, member, other):
    edited = CommentFactory(work=mv, author=member, body="fixed typo")
    services.comment_edit(comment=edited, member=member, body="fixed typo!")
    gone = CommentFactory(work=mv, author=member, body="regret")
    CommentFactory(parent=gone, author=other, body="what did it say?")
    services.comment_delete(comment=gone, member=member)
    page = client.get(mv.get_absolute_url()).content.decode()
    assert "· edited" in page
    assert "[deleted]" in page and "regret" not in page
    assert "what did it say?" in page


# --- edit, delete, flag, me too ---------------------------------------------------------


def test_edit_within_the_window_and_refused_after(logged_in, member, mv, settings):
    settings.KCRY_COMMENT_EDIT_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = CommentFactory(work=mv, author=member, body="draft")
    url = reverse("comments:edit", args=[comment.pk])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert ">\ndraft</textarea>" in logged_in.get(url).content.decode()
        response = logged_in.post(url, {"body": "final"})
    assert response["Location"].endswith(f"#c-{comment.pk}")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        refused = logged_in.get(url)
        late = logged_in.post(url, {"body": "too late"})
        logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
        refused_in_korean = logged_in.get(url).content.decode()
    assert refused.status_code == 400
    assert "can no longer be edited" in refused.content.decode()
    assert "더 이상 수정할 수 없어요" in refused_in_korean
    assert late.status_code == 400
    assert "edited for 15 minutes" in late.content.decode()
    comment.refresh_from_db()
    assert comment.body == "final"


def test_other_members_cannot_edit_or_delete(logged_in, other, mv):
    comment = CommentFactory(work=mv, author=other)
    assert (
        logged_in.post(reverse("comments:edit", args=[comment.pk]), {"body": "x"}).status_code
        == 403
    )
    response = logged_in.post(reverse("comments:delete", args=[comment.pk]), **JSON)
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == comment.body


def test_delete_confirms_then_deletes(logged_in, member, mv):
    comment = CommentFactory(work=mv, author=member)
    url = reverse("comments:delete", args=[comment.pk])
    assert "Delete your comment?" in logged_in.get(url).content.decode()
    response = logged_in.post(url)
    assert response["Location"] == "/works/haru-haru/#comments"
    assert not Comment.objects.exists()


def test_flag_with_a_reason_and_safe_return(logged_in, other, mv):
    comment = CommentFactory(work=mv, author=other)
    url = reverse("comments:flag", args=[comment.pk])
    page = logged_in.get(url).content.decode()
    assert '<label for="flag-reason_0">Spoiler not marked</label>' in page
    response = logged_in.post(
        url, {"reason": "spoiler", "text": "", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/works/haru-haru/?cpage=1#c-{comment.pk}"
    assert Flag.objects.get().reason == "spoiler"
    again = logged_in.post(url, {"reason": "spam"})
    assert again.status_code == 400
    assert "already flagged" in again.content.decode()


def test_metoo_over_json_and_html(logged_in, other, mv):
    comment = CommentFactory(work=mv, author=other)
    url = reverse("comments:metoo", args=[comment.pk])
    assert logged_in.post(url, {"mark": "1"}, **JSON).json() == {"me_too": True, "count": 1}
    response = logged_in.post(url, {"mark": "0", "next": "/works/haru-haru/?csort=metoo"})
    assert response["Location"] == f"/works/haru-haru/?csort=metoo#c-{comment.pk}"
    assert not MeToo.objects.exists()


def test_metoo_on_your_own_comment_is_400(logged_in, member, mv):
    comment = CommentFactory(work=mv, author=member)
    response = logged_in.post(reverse("comments:metoo", args=[comment.pk]), **JSON)
    assert response.status_code == 400


def test_anonymous_reply_link_goes_to_log_in(client, mv):
    comment = CommentFactory(work=mv)
    response = client.get(reverse("comments:reply", args=[comment.pk]))
    assert response["Location"] == f"/accounts/login/?next=/comments/{comment.pk}/reply/"


def test_reply_page_shows_the_parent_and_a_form(logged_in, mv):
    parent = CommentFactory(work=mv, body="the ending got me")
    page = logged_in.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert "the ending got me" in page
    assert f'name="parent" value="{parent.pk}"' in page
    assert 'action="/works/haru-haru/comments/"' in page


def test_permalink_redirects_to_the_page_and_hides_hidden_comments(client, mv, moderator):
    comment = CommentFactory(work=mv)
    assert client.get(comment.get_absolute_url())["Location"] == (
        f"/works/haru-haru/?cpage=1#c-{comment.pk}"
    )
    services.comment_hide(comments=[comment], moderator=moderator)
    assert client.get(comment.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert client.get(comment.get_absolute_url()).status_code == 302


# --- member pages -----------------------------------------------------------------------


def test_member_comments_lists_recent_readable_comments(member, mv, editorial_list):
    CommentFactory(work=mv, author=member, body="on the video")
    CommentFactory(editorial_list=editorial_list, author=member, body="on the list")
    CommentFactory(work=mv, author=member, body="hidden one", is_public=False)
    CommentFactory(work=WorkFactory(is_published=False), author=member, body="unpublished")
    html = render_to_string("comments/member_comments.html", member_comments(member, viewer=None))
    assert html.index("on the list") < html.index("on the video")
    assert "hidden one" not in html and "unpublished" not in html


def test_a_tampered_form_token_is_refused_with_a_message(logged_in, mv):
    response = logged_in.post(post_url(mv), {"body": "hello", "token": "not-a-uuid"})
    assert response.status_code == 400
    assert "This form is out of date; please send it again." in response.content.decode()
    assert "hello" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("cpage, status", [("-1", 400), ("abc", 400), ("0", 400), ("5", 404)])
def test_a_bad_comment_page_follows_the_site_rule(client, cpage, status):
    """?cpage= is a page number like any other: not a number → 400, past the end → 404
    (it used to give page 1 quietly)."""
    from tests.factories import WorkFactory

    work = WorkFactory()
    response = client.get(f"{work.get_absolute_url()}?cpage={cpage}")
    assert response.status_code == status
    body = response.content.decode()
    if status == 400:
        assert f"There is no page “{cpage}”: pages are numbered from 1." in body
    else:
        assert "There is no page 5: the last page is 1." in body
    assert client.get(f"{work.get_absolute_url()}?cpage=1").status_code == 200


def test_a_film_comment_takes_an_h_mm_ss_moment(logged_in):
    film = WorkFactory(kind="film", slug="ode-to-my-father", runtime_seconds=7600)
    response = logged_in.post(
        post_url(film), {"body": "The letter.", "moment": "1:58:03", "token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert Comment.objects.get(work=film).moment_seconds == 7083
    past_the_end = logged_in.post(
        post_url(film), {"body": "Later.", "moment": "2:10:00", "token": str(uuid.uuid4())}
    )
    assert past_the_end.status_code == 400
    assert "2:06:40" in past_the_end.content.decode()
