import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comments import services
from comments.models import Comment, Flag, MeToo
from tests.factories import CommentFactory, UserFactory, WorkFactory

pytestmark = pytest.mark.django_db


def post(author, target, body="정말 슬펐어요", **kwargs):
    comment, _ = services.comment_post(author=author, target=target, body=body, **kwargs)
    return comment


# --- posting and threading --------------------------------------------------------------


def test_replies_store_parent_root_and_depth(member, other, mv):
    top = post(member, mv)
    first = post(other, mv, parent=top)
    second = post(member, mv, parent=first)
    third = post(other, mv, parent=second)
    # Depth stops at Comment.MAX_DEPTH; the parent still says whom a reply answers.
    assert (top.depth, first.depth, second.depth, third.depth) == (0, 1, 2, 2)
    assert {first.root_id, second.root_id, third.root_id} == {top.pk}
    assert top.root_id is None
    assert third.parent == second


def test_comment_on_a_list(member, editorial_list):
    comment = post(member, editorial_list, body="This list wrecked me")
    assert comment.editorial_list == editorial_list and comment.work is None


def test_body_is_stored_cleaned(member, mv):
    comment = post(member, mv, body="  울었\u200b어요\r\n\r\n\r\n진짜  ")
    assert comment.body == "울었어요\n\n진짜"


@pytest.mark.parametrize("body", ["", "   ", "\u200b\u200b", "\n\n\u2060"])
def test_empty_bodies_are_refused_with_a_clear_message(member, mv, body):
    with pytest.raises(ValidationError) as excinfo:
        post(member, mv, body=body)
    assert excinfo.value.message_dict["body"] == ["Write something first: the comment is empty."]
    assert Comment.objects.count() == 0


def test_overlong_body_is_refused_with_its_length(member, mv, settings):
    settings.KCRY_COMMENT_MAX_LENGTH = 100
    post(member, mv, body="눈" * 100)  # exactly at the limit is fine
    with pytest.raises(ValidationError) as excinfo:
        post(member, mv, body="눈" * 101)
    assert "at most 100 characters; this one has 101" in excinfo.value.message_dict["body"][0]
    assert Comment.objects.count() == 1


def test_invisible_characters_do_not_count_towards_the_length(member, mv, settings):
    settings.KCRY_COMMENT_MAX_LENGTH = 10
    comment = post(member, mv, body="ㅠ" * 10 + "\u200b" * 50)
    assert comment.body == "ㅠ" * 10


def test_reply_to_another_threads_comment_is_refused(member, other, mv, film):
    elsewhere = post(other, film)
    with pytest.raises(ValidationError) as excinfo:
        post(member, mv, parent=elsewhere)
    assert excinfo.value.message_dict["parent"] == [
        "You can only reply to a comment in the same thread."
    ]


@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}])
def test_reply_to_hidden_or_deleted_comment_is_refused(member, mv, state):
    parent = CommentFactory(work=mv, **state)
    with pytest.raises(ValidationError) as excinfo:
        post(member, mv, parent=parent)
    assert "can no longer take replies" in excinfo.value.message_dict["parent"][0]
    assert Comment.objects.filter(parent=parent).count() == 0


def test_unpublished_work_takes_no_comments(member):
    with pytest.raises(ValidationError):
        post(member, WorkFactory(is_published=False))


# --- tear moments -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mv", "song", "film", "drama"])
def test_every_kind_of_work_takes_a_tear_moment(member, kind):
    # Films and dramas too: a moment an hour and more in (h:mm:ss).
    work = WorkFactory(kind=kind)
    assert post(member, work, moment_seconds=3787).moment_seconds == 3787


def test_tear_moment_on_a_list_is_refused(member, editorial_list):
    with pytest.raises(ValidationError):
        post(member, editorial_list, moment_seconds=60)


def test_tear_moment_beyond_the_runtime_is_refused(member, settings):
    film = WorkFactory(kind="film", runtime_seconds=2 * 3600 + 5)
    assert post(member, film, moment_seconds=7205).moment_seconds == 7205
    with pytest.raises(ValidationError) as excinfo:
        post(member, film, moment_seconds=7206)
    assert excinfo.value.message_dict["moment"] == [
        "A tear moment must be between 0:00 and 2:00:05."
    ]


def test_without_a_runtime_moments_go_up_to_the_longest_expected(member, mv, settings):
    settings.KCRY_TEAR_MAX_SECONDS = 600
    assert post(member, mv, moment_seconds=600).moment_seconds == 600
    with pytest.raises(ValidationError):
        post(member, mv, moment_seconds=601)


# --- double submission and rate limit ---------------------------------------------------


def test_the_same_form_token_twice_stores_one_comment(member, mv):
    token = uuid.uuid4()
    first, created = services.comment_post(author=member, target=mv, body="once", token=token)
    again, created_again = services.comment_post(author=member, target=mv, body="once", token=token)
    assert created and not created_again
    assert again == first
    assert Comment.objects.count() == 1


def test_a_double_submission_does_not_use_up_the_rate(member, mv, settings):
    settings.KCRY_COMMENT_RATE = (1, 60)
    token = uuid.uuid4()
    for _ in range(3):
        services.comment_post(author=member, target=mv, body="once", token=token)
    assert Comment.objects.count() == 1


def test_posting_faster_than_the_rate_is_refused(member, other, mv, settings):
    settings.KCRY_COMMENT_RATE = (3, 60)
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(3):
            post(member, mv, body=f"comment {n}")
        with pytest.raises(services.RateLimited) as excinfo:
            post(member, mv, body="one too many")
        post(other, mv, body="someone else may still post")
    assert "at most 3 comments every 60 seconds" in excinfo.value.message
    assert 1 <= excinfo.value.retry_after <= 60
    assert Comment.objects.filter(author=member).count() == 3


def test_the_rate_allows_posting_again_after_the_window(member, mv, settings):
    settings.KCRY_COMMENT_RATE = (2, 60)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post(member, mv)
        post(member, mv)
        with pytest.raises(services.RateLimited):
            post(member, mv)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        post(member, mv)
    assert Comment.objects.count() == 3


# --- editing ----------------------------------------------------------------------------


def test_author_edits_within_the_window_and_it_shows_edited(member, mv, settings):
    settings.KCRY_COMMENT_EDIT_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = post(member, mv, body="first")
    with time_machine.travel(start + timedelta(minutes=14, seconds=59), tick=False):
        services.comment_edit(
            comment=comment, member=member, body="second", spoiler=True, moment_seconds=30
        )
    comment.refresh_from_db()
    assert (comment.body, comment.is_spoiler, comment.moment_seconds) == ("second", True, 30)
    assert comment.edited_at is not None


def test_editing_after_the_window_is_refused(member, mv, settings):
    settings.KCRY_COMMENT_EDIT_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = post(member, mv, body="first")
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            services.comment_edit(comment=comment, member=member, body="too late")
    assert "edited for 15 minutes after posting" in excinfo.value.messages[0]
    comment.refresh_from_db()
    assert comment.body == "first" and comment.edited_at is None


def test_saving_unchanged_text_does_not_mark_edited(member, mv):
    comment = post(member, mv, body="same")
    services.comment_edit(comment=comment, member=member, body="same")
    comment.refresh_from_db()
    assert comment.edited_at is None


def test_only_the_author_edits(member, other, mv):
    comment = post(member, mv)
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, member=other, body="mine now")


def test_an_edit_is_validated_like_a_post(member, film):
    comment = post(member, film)
    with pytest.raises(ValidationError) as excinfo:
        services.comment_edit(comment=comment, member=member, body="\u200b", moment_seconds=10**7)
    assert set(excinfo.value.message_dict) == {"body", "moment"}


# --- deleting ---------------------------------------------------------------------------


def test_deleting_a_comment_without_replies_removes_it(member, mv):
    comment = post(member, mv)
    assert services.comment_delete(comment=comment, member=member) is False
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder(member, other, mv):
    top = post(member, mv, body="secret ending", spoiler=True)
    reply = post(other, mv, parent=top)
    assert services.comment_delete(comment=top, member=member) is True
    top.refresh_from_db()
    assert top.is_removed and top.body == "" and not top.is_spoiler
    assert Comment.objects.get(pk=reply.pk).parent_id == top.pk


def test_deleting_the_last_reply_also_clears_deleted_ancestors(member, other, mv):
    top = post(member, mv)
    middle = post(other, mv, parent=top)
    leaf = post(member, mv, parent=middle)
    services.comment_delete(comment=top, member=member)
    services.comment_delete(comment=middle, member=other)
    assert Comment.objects.filter(is_removed=True).count() == 2
    services.comment_delete(comment=leaf, member=member)
    assert not Comment.objects.exists()


def test_only_the_author_deletes(member, other, mv):
    comment = post(member, mv)
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, member=other)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_authors_may_delete_long_after_the_edit_window(member, mv):
    comment = post(member, mv)
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        services.comment_delete(comment=comment, member=member)
    assert not Comment.objects.exists()


# --- me too and the Wilson score --------------------------------------------------------


def test_wilson_lower_bound_examples():
    assert services.wilson_lower_bound(0, 0) == 0.0
    assert services.wilson_lower_bound(1, 1) == pytest.approx(0.2065, abs=1e-4)
    assert services.wilson_lower_bound(2, 2) == pytest.approx(0.3424, abs=1e-4)
    assert services.wilson_lower_bound(3, 4) == pytest.approx(0.3006, abs=1e-4)
    assert services.wilson_lower_bound(10, 10) == pytest.approx(0.7225, abs=1e-4)


def test_metoo_toggles_and_keeps_count_and_score(member, other, mv):
    comment = post(member, mv)
    assert services.metoo_toggle(member=other, comment=comment) == (True, 1)
    comment.refresh_from_db()
    assert comment.metoo_count == 1
    assert comment.wilson_score == pytest.approx(services.wilson_lower_bound(1, 1))
    assert services.metoo_toggle(member=other, comment=comment) == (False, 0)
    comment.refresh_from_db()
    assert (comment.metoo_count, comment.wilson_score) == (0, 0.0)
    assert not MeToo.objects.exists()


def test_metoo_with_an_explicit_mark_is_idempotent(member, other, mv):
    comment = post(member, mv)
    for _ in range(3):
        services.metoo_toggle(member=other, comment=comment, mark=True)
    comment.refresh_from_db()
    assert comment.metoo_count == 1
    services.metoo_toggle(member=other, comment=comment, mark=False)
    services.metoo_toggle(member=other, comment=comment, mark=False)
    comment.refresh_from_db()
    assert comment.metoo_count == 0


def test_no_metoo_on_your_own_or_a_removed_comment(member, other, mv):
    with pytest.raises(ValidationError):
        services.metoo_toggle(member=member, comment=post(member, mv))
    with pytest.raises(ValidationError):
        services.metoo_toggle(member=other, comment=CommentFactory(work=mv, is_public=False))


def test_open_flags_lower_the_score(member, mv):
    comment = post(member, mv)
    for voter in UserFactory.create_batch(3):
        services.metoo_toggle(member=voter, comment=comment)
    services.flag_create(member=UserFactory(), comment=comment, reason=Flag.Reason.SPAM)
    comment.refresh_from_db()
    assert (comment.metoo_count, comment.flag_count) == (3, 1)
    assert comment.wilson_score == pytest.approx(services.wilson_lower_bound(3, 4))


# --- flags ------------------------------------------------------------------------------


def test_a_member_flags_once(member, other, mv):
    comment = post(member, mv)
    services.flag_create(member=other, comment=comment, reason=Flag.Reason.ABUSE, text="rude")
    with pytest.raises(ValidationError) as excinfo:
        services.flag_create(member=other, comment=comment, reason=Flag.Reason.SPAM)
    assert "already flagged" in excinfo.value.messages[0]
    comment.refresh_from_db()
    assert comment.flag_count == 1


def test_flag_reason_must_be_known_and_other_needs_details(member, other, mv):
    comment = post(member, mv)
    with pytest.raises(ValidationError) as excinfo:
        services.flag_create(member=other, comment=comment, reason="because")
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.flag_create(member=other, comment=comment, reason=Flag.Reason.OTHER)
    assert "text" in excinfo.value.message_dict
    assert not Flag.objects.exists()


def test_no_flagging_your_own_comment(member, mv):
    with pytest.raises(ValidationError):
        services.flag_create(member=member, comment=post(member, mv), reason=Flag.Reason.SPAM)


def test_moderation_needs_the_permission(member, other, mv):
    comment = post(member, mv)
    staff_without_permission = UserFactory(is_staff=True)
    for action in (services.comment_hide, services.comment_restore, services.flags_dismiss):
        with pytest.raises(PermissionDenied):
            action(comments=[comment], moderator=staff_without_permission)
    comment.refresh_from_db()
    assert comment.is_public


def test_hide_then_restore_dismisses_the_open_flags(member, other, mv, moderator):
    comment = post(member, mv)
    services.metoo_toggle(member=moderator, comment=comment)
    services.flag_create(member=other, comment=comment, reason=Flag.Reason.SPOILER)
    assert services.comment_hide(comments=[comment], moderator=moderator) == 1
    comment.refresh_from_db()
    assert not comment.is_public and comment.moderated_by == moderator
    assert not Comment.objects.visible().exists()

    assert services.comment_restore(comments=Comment.objects.all(), moderator=moderator) == 1
    comment.refresh_from_db()
    assert comment.is_public and comment.flag_count == 0
    assert comment.wilson_score == pytest.approx(services.wilson_lower_bound(1, 1))
    assert not Flag.objects.open().exists()
    assert Flag.objects.get().dismissed_by == moderator


def test_dismissing_flags_keeps_the_comment_and_stops_new_flags_from_the_same_member(
    member, other, mv, moderator
):
    comment = post(member, mv)
    services.flag_create(member=other, comment=comment, reason=Flag.Reason.SPAM)
    assert services.flags_dismiss(comments=[comment], moderator=moderator) == 1
    comment.refresh_from_db()
    assert comment.is_public and comment.flag_count == 0
    with pytest.raises(ValidationError):
        services.flag_create(member=other, comment=comment, reason=Flag.Reason.SPAM)


def test_the_comment_rate_window_slides_across_the_minute_boundary(member, mv, settings):
    # Five just before a minute's edge and five just after: a fixed window let all ten in.
    settings.KCRY_COMMENT_RATE = (5, 60)
    boundary = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=2)
    with time_machine.travel(boundary - timedelta(seconds=0.75), tick=False):
        for n in range(5):
            post(member, mv, body=f"before {n}")
    with time_machine.travel(boundary + timedelta(seconds=0.75), tick=False):
        with pytest.raises(services.RateLimited):
            post(member, mv, body="after")
    assert Comment.objects.filter(author=member).count() == 5


def test_the_comment_rate_survives_a_cleared_cache(member, mv, settings):
    from django.core.cache import cache

    settings.KCRY_COMMENT_RATE = (2, 60)
    with time_machine.travel(timezone.now(), tick=False):
        post(member, mv)
        post(member, mv)
        cache.clear()  # eviction, or a restarted cache server
        with pytest.raises(services.RateLimited):
            post(member, mv)
