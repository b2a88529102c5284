"""Comment forms that fit the situation and never lose what a member typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comments import services
from comments.models import Comment, Flag
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
SPOILER_RADIO = 'value="spoiler"'


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def test_a_comment_marked_spoiler_offers_no_spoiler_not_marked_reason(logged_in, other, mv):
    marked = CommentFactory(work=mv, author=other, is_spoiler=True)
    plain = CommentFactory(work=mv, author=other)

    marked_page = logged_in.get(reverse("comments:flag", args=[marked.pk])).content.decode()
    plain_page = logged_in.get(reverse("comments:flag", args=[plain.pk])).content.decode()

    assert SPOILER_RADIO not in marked_page and 'value="abuse"' in marked_page
    assert SPOILER_RADIO in plain_page


def test_the_server_refuses_spoiler_not_marked_on_a_marked_spoiler(logged_in, member, other, mv):
    marked = CommentFactory(work=mv, author=other, is_spoiler=True)

    with pytest.raises(ValidationError) as excinfo:
        services.flag_create(member=member, comment=marked, reason=Flag.Reason.SPOILER)
    response = logged_in.post(reverse("comments:flag", args=[marked.pk]), {"reason": "spoiler"})

    assert "reason" in excinfo.value.message_dict
    assert response.status_code == 400
    assert not Flag.objects.exists()
    marked.refresh_from_db()
    assert marked.flag_count == 0


def test_an_empty_comment_comes_back_with_the_message_and_the_other_fields(logged_in, mv):
    response = logged_in.post(
        reverse("comments:work-post", args=[mv.slug]),
        {"body": " \u200b ", "spoiler": "on", "moment": "3:07"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Write something first: the comment is empty." in page
    assert 'name="spoiler" id="comment-spoiler" checked' in page
    assert 'name="moment" value="3:07"' in page
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_hidden_meanwhile_keeps_the_text_as_a_comment_of_its_own(
    logged_in, mv, moderator
):
    parent = CommentFactory(work=mv, body="rude words")
    services.comment_hide(comments=[parent], moderator=moderator)
    url = reverse("comments:work-post", args=[mv.slug])

    response = logged_in.post(url, {"body": "my long typed reply", "parent": parent.pk})

    page = response.content.decode()
    assert response.status_code == 400
    assert "That comment was removed, so it can no longer take replies." in page
    assert "my long typed reply</textarea>" in page
    assert "rude words" not in page  # a hidden comment is not quoted back
    assert 'name="parent" id="comment-parent"' in page  # sent again, it stands alone
    again = logged_in.post(url, {"body": "my long typed reply", "parent": ""})
    assert again.status_code == 302
    assert Comment.objects.get(body="my long typed reply").parent is None
