import uuid

import pytest
from django.db import IntegrityError

from comments.models import Comment
from tests.factories import CommentFactory, EditorialListFactory, MeTooFactory, WorkFactory


@pytest.mark.django_db
def test_a_comment_needs_exactly_one_target(member):
    with pytest.raises(IntegrityError):
        Comment.objects.create(
            author=member, body="both", work=WorkFactory(), editorial_list=EditorialListFactory()
        )


@pytest.mark.django_db
def test_a_comment_without_a_target_is_refused_by_the_database(member):
    with pytest.raises(IntegrityError):
        Comment.objects.create(author=member, body="nowhere")


@pytest.mark.django_db
def test_a_reply_must_store_its_root_and_depth(member):
    top = CommentFactory()
    with pytest.raises(IntegrityError):
        Comment.objects.create(author=member, body="x", work=top.work, parent=top, depth=0)


@pytest.mark.django_db
def test_one_form_token_stores_one_comment_per_author(member):
    token = uuid.uuid4()
    CommentFactory(author=member, form_token=token)
    with pytest.raises(IntegrityError):
        CommentFactory(author=member, form_token=token)


@pytest.mark.django_db
def test_one_metoo_per_member_and_comment(member):
    comment = CommentFactory()
    MeTooFactory(comment=comment, member=member)
    with pytest.raises(IntegrityError):
        MeTooFactory(comment=comment, member=member)


@pytest.mark.django_db
def test_visible_leaves_out_hidden_and_deleted(mv):
    shown = CommentFactory(work=mv)
    CommentFactory(work=mv, is_public=False)
    CommentFactory(work=mv, is_removed=True)
    assert list(Comment.objects.visible()) == [shown]


@pytest.mark.django_db
def test_on_keeps_works_and_lists_threads_apart(mv, editorial_list):
    on_work = CommentFactory(work=mv)
    on_list = CommentFactory(editorial_list=editorial_list)
    assert list(Comment.objects.on(mv)) == [on_work]
    assert list(Comment.objects.on(editorial_list)) == [on_list]
    assert on_list.target == editorial_list


@pytest.mark.django_db
def test_moment_display_is_minutes_and_padded_seconds():
    assert CommentFactory(moment_seconds=187).moment_display == "3:07"
    assert CommentFactory(moment_seconds=None).moment_display == ""
