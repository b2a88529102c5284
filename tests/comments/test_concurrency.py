"""Concurrent comment writes leave exact counts and no lost or doubled rows."""

import uuid

import pytest

from comments.models import Comment, MeToo
from comments.services import comment_post, metoo_toggle
from tests.concurrency import run_at_once
from tests.factories import UserFactory, WorkFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_me_too_marks_at_once_are_all_counted():
    work = WorkFactory()
    comment, _ = comment_post(author=UserFactory(), target=work, body="The ending, though.")
    members = [UserFactory() for _ in range(12)]
    run_at_once([(lambda m=m: metoo_toggle(member=m, comment=comment, mark=True)) for m in members])
    comment.refresh_from_db()
    assert comment.metoo_count == MeToo.objects.filter(comment=comment).count() == 12


def test_one_form_submitted_many_times_at_once_stores_one_comment():
    work, author, token = WorkFactory(), UserFactory(), uuid.uuid4()
    run_at_once(
        [
            (lambda: comment_post(author=author, target=work, body="Sobbing.", token=token))
            for _ in range(8)
        ]
    )
    assert Comment.objects.filter(author=author).count() == 1


def test_replies_posted_at_once_all_land_in_the_thread():
    work = WorkFactory()
    parent, _ = comment_post(author=UserFactory(), target=work, body="Who else cried?")
    members = [UserFactory() for _ in range(10)]
    run_at_once(
        [
            (lambda m=m: comment_post(author=m, target=work, body="Me.", parent=parent))
            for m in members
        ]
    )
    replies = Comment.objects.filter(parent=parent)
    assert replies.count() == 10
    assert set(replies.values_list("author_id", flat=True)) == {m.pk for m in members}
