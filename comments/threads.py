"""Reading a thread: one page of top-level comments with their whole reply chains.

The number of SQL queries is fixed whatever the thread's size: count and fetch the
page of top-level comments, fetch every reply under them at once (through the
stored `root`), fetch the reader's own me-too marks in the thread, count the thread.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q

from catalog.models import Work

from .models import Comment, MeToo
from .services import can_edit
from .text import moment_url

# Replies nest this many levels below a top-level comment; deeper replies are
# listed flat at the last level with a "replying to @name" mention.
NESTED_LEVELS = 2


@dataclass
class Node:
    comment: Comment
    level: int
    replies: list = field(default_factory=list)
    # Only on the deepest nested level: deeper replies, flattened in reading order.
    flat: list = field(default_factory=list)
    # Set on flattened replies: whom they answer ("" when that comment was deleted).
    is_flat: bool = False
    replying_to: str = ""


def parse_sort(raw):
    return raw if raw in Comment.Sort.values else Comment.Sort.OLDEST


def thread_page(*, target, viewer, sort=Comment.Sort.OLDEST, page_number=1):
    """The page of `target`'s thread that `viewer` asked for.

    An unknown page number gives the first page and one past the end the last, as
    the thread sits inside another page whose own content must still show.
    """
    sort = parse_sort(sort)
    shown = Comment.objects.on(target).shown_to(viewer)
    top = shown.top_level().in_order(sort).select_related("author")
    page = Paginator(top, settings.KCRY_COMMENTS_PER_PAGE).get_page(page_number)
    roots = list(page.object_list)
    replies = []
    if roots:
        replies = list(
            shown.filter(root__in=[c.pk for c in roots])
            .select_related("author")
            .order_by("created", "pk")
        )
    marked = set()
    if viewer is not None and viewer.is_authenticated:
        marked = set(
            MeToo.objects.filter(
                member=viewer,
                **{f"comment__{k}": v for k, v in Comment.target_lookup(target).items()},
            ).values_list("comment_id", flat=True)
        )
    video_url = target.video_url if isinstance(target, Work) else ""
    for comment in [*roots, *replies]:
        _annotate(comment, viewer, marked, video_url)
    return page, _build_tree(roots, replies)


def _annotate(comment, viewer, marked, video_url):
    comment.viewer_marked = comment.pk in marked
    comment.viewer_is_author = viewer is not None and comment.author_id == viewer.pk
    comment.viewer_can_edit = can_edit(comment, viewer)
    comment.moment_href = (
        moment_url(video_url, comment.moment_seconds)
        if video_url and comment.moment_seconds is not None
        else ""
    )


def _build_tree(roots, replies):
    everything = {c.pk: c for c in [*roots, *replies]}
    children = {}
    for reply in replies:  # already in (created, pk) order
        if reply.parent_id in everything:  # a reply under a hidden comment goes with it
            children.setdefault(reply.parent_id, []).append(reply)
    # A deleted comment stays only while something readable hangs under it. Children
    # always have larger primary keys than their parents, so walk from the largest.
    alive = {}
    for pk in sorted(everything, reverse=True):
        comment = everything[pk]
        alive[pk] = not comment.is_removed or any(alive[c.pk] for c in children.get(pk, []))

    def kids(comment):
        return [c for c in children.get(comment.pk, []) if alive[c.pk]]

    def flatten(comment, out):
        for child in kids(comment):
            name = "" if comment.is_removed else comment.author.get_username()
            out.append(Node(child, NESTED_LEVELS, is_flat=True, replying_to=name))
            flatten(child, out)
        return out

    def node(comment, level):
        if level < NESTED_LEVELS:
            return Node(comment, level, replies=[node(c, level + 1) for c in kids(comment)])
        return Node(comment, level, flat=flatten(comment, []))

    return [node(root, 0) for root in roots if alive[root.pk]]


def _before(comment, sort):
    """Top-level comments that come before `comment` in `sort` order."""
    if sort == Comment.Sort.NEWEST:
        return Q(created__gt=comment.created) | Q(created=comment.created, pk__gt=comment.pk)
    if sort == Comment.Sort.METOO:
        same_score = Q(wilson_score=comment.wilson_score)
        same_count = same_score & Q(metoo_count=comment.metoo_count)
        return (
            Q(wilson_score__gt=comment.wilson_score)
            | (same_score & Q(metoo_count__gt=comment.metoo_count))
            | (same_count & Q(created__lt=comment.created))
            | (same_count & Q(created=comment.created, pk__lt=comment.pk))
        )
    return Q(created__lt=comment.created) | Q(created=comment.created, pk__lt=comment.pk)


def comment_location(comment, sort=Comment.Sort.OLDEST):
    """The thread page URL showing `comment`, with its anchor."""
    sort = parse_sort(sort)
    root = comment.root if comment.root_id else comment
    target = comment.target
    earlier = (
        Comment.objects.on(target)
        .filter(is_public=True)
        .top_level()
        .filter(_before(root, sort))
        .count()
    )
    page = earlier // settings.KCRY_COMMENTS_PER_PAGE + 1
    query = f"cpage={page}" + (f"&csort={sort}" if sort != Comment.Sort.OLDEST else "")
    return f"{target.get_absolute_url()}?{query}#{comment.anchor}"
