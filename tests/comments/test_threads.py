"""Reading threads: nesting, sorting, pagination by top-level comment, visibility."""

from datetime import timedelta

import pytest
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.threads import comment_location, thread_page
from tests.factories import CommentFactory, UserFactory, comment_chain

pytestmark = pytest.mark.django_db


def flatten(nodes):
    """[(level, body, replying_to), …] in display order."""
    rows = []
    for node in nodes:
        rows.append((node.level, node.comment.body, node.replying_to))
        rows.extend(flatten(node.replies))
        rows.extend((f.level, f.comment.body, f.replying_to) for f in node.flat)
    return rows


def test_three_levels_nest_and_deeper_replies_flatten_with_a_mention(mv, member):
    top = CommentFactory(work=mv, body="top")
    one = CommentFactory(parent=top, body="one", author=UserFactory(username="a"))
    two = CommentFactory(parent=one, body="two", author=UserFactory(username="b"))
    three = CommentFactory(parent=two, body="three", author=UserFactory(username="c"))
    CommentFactory(parent=three, body="four")
    CommentFactory(parent=two, body="three-bis")
    CommentFactory(parent=one, body="two-bis")

    _, nodes = thread_page(target=mv, viewer=member)

    assert flatten(nodes) == [
        (0, "top", ""),
        (1, "one", ""),
        (2, "two", ""),
        (2, "three", "b"),  # flattened under the third level, replying to @b
        (2, "four", "c"),
        (2, "three-bis", "b"),
        (2, "two-bis", ""),
    ]
    assert nodes[0].replies[0].replies[0].flat[0].is_flat


def test_deleted_comment_with_replies_keeps_the_thread_shape(mv, member, other):
    top = CommentFactory(work=mv, author=member, body="top")
    reply = CommentFactory(parent=top, author=other, body="reply")
    services.comment_delete(comment=top, member=member)

    _, nodes = thread_page(target=mv, viewer=None)

    assert nodes[0].comment.is_removed and nodes[0].comment.body == ""
    assert nodes[0].replies[0].comment == reply


def test_hidden_comments_leave_a_placeholder_over_readable_replies(mv, moderator, member):
    shown = CommentFactory(work=mv, body="shown")
    hidden = CommentFactory(work=mv, body="hidden")
    CommentFactory(parent=hidden, body="under hidden")
    visible_reply = CommentFactory(parent=shown, body="fine reply")
    CommentFactory(parent=visible_reply, body="hidden reply", is_public=False)

    _, for_member = thread_page(target=mv, viewer=member)
    _, for_staff = thread_page(target=mv, viewer=moderator)
    services.comment_hide(comments=[hidden], moderator=moderator)
    _, after_hide = thread_page(target=mv, viewer=member)
    _, staff_after_hide = thread_page(target=mv, viewer=moderator)

    assert [body for _, body, _ in flatten(for_member)] == [
        "shown",
        "fine reply",
        "hidden",
        "under hidden",
    ]
    assert "hidden reply" in [body for _, body, _ in flatten(for_staff)]
    assert [body for _, body, _ in flatten(after_hide)] == [
        "shown",
        "fine reply",
        "hidden",
        "under hidden",
    ]
    placeholder = after_hide[1].comment
    assert placeholder.body == "hidden" and not placeholder.viewer_can_read
    assert "under hidden" in [body for _, body, _ in flatten(staff_after_hide)]


def make_three(mv):
    start = timezone.now() - timedelta(days=1)
    comments = []
    for minutes, body in [(0, "first"), (10, "second"), (20, "third")]:
        comment = CommentFactory(work=mv, body=body)
        Comment.objects.filter(pk=comment.pk).update(created=start + timedelta(minutes=minutes))
        comments.append(comment)
    return comments


def bodies(nodes):
    return [node.comment.body for node in nodes]


def test_sort_oldest_and_newest(mv):
    make_three(mv)
    assert bodies(thread_page(target=mv, viewer=None, sort="oldest")[1]) == [
        "first",
        "second",
        "third",
    ]
    assert bodies(thread_page(target=mv, viewer=None, sort="newest")[1]) == [
        "third",
        "second",
        "first",
    ]


def test_unknown_sort_falls_back_to_oldest(mv):
    make_three(mv)
    assert bodies(thread_page(target=mv, viewer=None, sort="'; DROP")[1])[0] == "first"


def test_sort_by_metoo_uses_the_wilson_lower_bound_not_the_raw_count(mv):
    first, second, third = make_three(mv)
    # first: 3 marks but 1 open flag -> Wilson(3 of 4) = 0.30
    for voter in UserFactory.create_batch(3):
        services.metoo_toggle(member=voter, comment=first)
    services.flag_create(member=UserFactory(), comment=first, reason="off_topic")
    # second: 2 marks, no flags -> Wilson(2 of 2) = 0.34
    for voter in UserFactory.create_batch(2):
        services.metoo_toggle(member=voter, comment=second)
    # third: 1 mark -> Wilson(1 of 1) = 0.21
    services.metoo_toggle(member=UserFactory(), comment=third)

    _, nodes = thread_page(target=mv, viewer=None, sort="metoo")

    assert bodies(nodes) == ["second", "first", "third"]
    assert [n.comment.metoo_count for n in nodes] == [2, 3, 1]  # not the raw count order


def test_pagination_is_by_top_level_comment_and_keeps_chains_whole(mv, settings):
    settings.KCRY_COMMENTS_PER_PAGE = 2
    tops = [CommentFactory(work=mv, body=f"top {n}") for n in range(5)]
    chain = comment_chain(tops[2], 6)  # a long chain under the third top-level comment
    CommentFactory(parent=tops[3], body="reply to top 3")

    page, nodes = thread_page(target=mv, viewer=None, page_number=2)

    assert page.paginator.num_pages == 3
    assert bodies(nodes) == ["top 2", "top 3"]
    shown = [body for _, body, _ in flatten(nodes)]
    assert [c.body for c in chain] == [
        b for b in shown if b not in {"top 2", "top 3", "reply to top 3"}
    ]
    assert shown[-1] == "reply to top 3"


def test_out_of_range_and_bad_pages_are_404_and_400(mv, settings):
    # The site's one rule for page numbers (it used to give the last and first page).
    settings.KCRY_COMMENTS_PER_PAGE = 2
    for n in range(3):
        CommentFactory(work=mv, body=f"top {n}")
    assert thread_page(target=mv, viewer=None, page_number=2)[0].number == 2
    with pytest.raises(Http404):
        thread_page(target=mv, viewer=None, page_number=99)
    with pytest.raises(BadRequest):
        thread_page(target=mv, viewer=None, page_number="x")


def test_location_points_to_the_page_holding_the_root(mv, settings):
    settings.KCRY_COMMENTS_PER_PAGE = 2
    tops = [CommentFactory(work=mv) for _ in range(5)]
    deep = comment_chain(tops[4], 3)[-1]
    assert comment_location(deep) == f"{mv.get_absolute_url()}?cpage=3#c-{deep.pk}"
    assert comment_location(tops[0], "newest") == (
        f"{mv.get_absolute_url()}?cpage=3&csort=newest#c-{tops[0].pk}"
    )


def test_viewer_state_marks_own_and_metooed_comments(mv, member, other):
    mine = CommentFactory(work=mv, author=member)
    theirs = CommentFactory(work=mv, author=other)
    services.metoo_toggle(member=member, comment=theirs)

    _, nodes = thread_page(target=mv, viewer=member)

    by_pk = {node.comment.pk: node.comment for node in nodes}
    assert by_pk[mine.pk].viewer_is_author and by_pk[mine.pk].viewer_can_edit
    assert by_pk[theirs.pk].viewer_marked and not by_pk[theirs.pk].viewer_can_edit
