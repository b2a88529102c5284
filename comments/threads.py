"""Reading a thread: one page of top-level comments, each with its first replies.

The number of SQL queries is fixed whatever the thread's size or shape: count and
fetch the page of top-level comments, fetch at most KCRY_COMMENT_REPLIES_SHOWN
replies under each of them (one windowed query through the stored `root`), fetch
the reader's own me-too marks in the thread. The rest of a big reply tree is on its
top-level comment's own replies page (replies_page), oldest first and paginated.

Nothing here recurses along a reply chain: a chain thousands of replies long costs
time in proportion to what is shown, and never reaches Python's recursion limit.

A hidden or deleted comment stays in the thread as a placeholder while a reply under
it is readable, so moderating one comment never takes other people's replies away.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from catalog.models import Work
from catalog.text import moment_url
from kcry_site.web.pagination import strict_page

from .models import Comment, MeToo, can_read, readable_q
from .services import can_edit

# Replies nest this many levels below a top-level comment; deeper replies are
# listed flat at the last level with a "replying to @name" mention.
NESTED_LEVELS = Comment.MAX_DEPTH


@dataclass
class Node:
    comment: Comment
    level: int
    replies: list = field(default_factory=list)
    # Only on the deepest nested level: deeper replies, flattened in reading order.
    flat: list = field(default_factory=list)
    # Set on flattened replies: the comment they answer.
    is_flat: bool = False
    answers: Comment | None = None
    # Only on top-level comments: readable replies left for the replies page, and the
    # page of it where the first of them is.
    more: int = 0
    more_page: int = 1

    @property
    def replying_to(self):
        """Whom a flattened reply answers; "" when that comment's text is not shown."""
        if self.answers is None or not self.answers.viewer_can_read:
            return ""
        return self.answers.author.get_username()


def parse_sort(raw):
    return raw if raw in Comment.Sort.values else Comment.Sort.OLDEST


def thread_page(*, target, viewer, sort=Comment.Sort.OLDEST, page_number=1):
    """The page of `target`'s thread that `viewer` asked for.

    `page_number` is the page's ?cpage=, under the site's one rule: not a page number
    is a 400, past the last page a 404 (kcry_site.web.pagination.strict_page).
    """
    page, nodes, comments = shared_thread_page(
        target=target, reader=viewer, sort=sort, page_number=page_number
    )
    marked = viewer_marks(viewer, [comment.pk for comment in comments])
    for comment in comments:
        _annotate_viewer(comment, viewer, marked)
    return page, nodes


def shared_thread_page(*, target, reader, sort=Comment.Sort.OLDEST, page_number=1):
    """The page of the thread as everyone who reads like `reader` sees it (staff or not:
    nothing of the reader's own), and every comment on it: (page, nodes, comments).

    What is the same for all members and visitors (staff apart) can be rendered once
    and kept (comments.selectors.thread_panel); thread_page adds the viewer's own."""
    sort = parse_sort(sort)
    top = Comment.objects.on(target).top_level_shown_to(reader)
    top = top.in_order(sort).select_related("author")
    page = strict_page(Paginator(top, settings.KCRY_COMMENTS_PER_PAGE), page_number)
    roots = list(page.object_list)
    replies = _first_replies(roots, reader) if roots else []
    video_url = target.video_url if isinstance(target, Work) else ""
    comments = [*roots, *replies]
    for comment in comments:
        _annotate_shared(comment, reader, video_url)
    nodes = _build_tree(roots, replies)
    _count_the_rest(nodes, replies)
    return page, nodes, comments


def viewer_marks(viewer, comment_pks):
    """The pks among `comment_pks` that `viewer` marked "me too" (one query, none for a
    visitor or no comments)."""
    if viewer is None or not viewer.is_authenticated or not comment_pks:
        return set()
    return set(
        MeToo.objects.filter(member=viewer, comment__in=comment_pks).values_list(
            "comment_id", flat=True
        )
    )


def _first_replies(roots, viewer):
    """The first KCRY_COMMENT_REPLIES_SHOWN replies under each of `roots`, oldest first.

    Hidden and deleted ones too: they may have to stand as placeholders. A reply's
    primary key is always larger than its parent's, so the first replies by key hold
    every ancestor of each one taken: each can be placed in its tree. Each also
    carries `readable_total`, how many replies under its root `viewer` may read.
    """
    per_root = {"partition_by": F("root")}
    return list(
        Comment.objects.filter(root__in=[root.pk for root in roots])
        .annotate(
            position=Window(RowNumber(), order_by=F("pk").asc(), **per_root),
            readable_total=Window(Count("pk", filter=readable_q(viewer)), **per_root),
        )
        .filter(position__lte=settings.KCRY_COMMENT_REPLIES_SHOWN)
        .select_related("author")
        .order_by("pk")
    )


def _count_the_rest(nodes, replies):
    """Tell each top-level node how many readable replies its replies page adds."""
    totals = {reply.root_id: reply.readable_total for reply in replies}
    shown = Counter(reply.root_id for reply in replies if reply.viewer_can_read)
    per_page = settings.KCRY_COMMENT_REPLIES_SHOWN
    for node in nodes:
        root_pk = node.comment.pk
        node.more = totals.get(root_pk, 0) - shown[root_pk]
        # The replies page lists the readable replies oldest first, so the first one
        # left out here is number shown[root_pk] (from 0) there.
        node.more_page = shown[root_pk] // per_page + 1


def _annotate_shared(comment, reader, video_url):
    """What a comment shows everyone who reads like `reader` (staff or not)."""
    comment.viewer_can_read = can_read(comment, reader)
    comment.moment_href = (
        moment_url(video_url, comment.moment_seconds)
        if video_url and comment.moment_seconds is not None
        else ""
    )


def _annotate_viewer(comment, viewer, marked):
    """The viewer's own: their me-too mark, their authorship and edit window."""
    comment.viewer_marked = comment.pk in marked
    comment.viewer_is_author = viewer is not None and comment.author_id == viewer.pk
    comment.viewer_can_edit = can_edit(comment, viewer)


def _annotate(comment, viewer, marked, video_url):
    _annotate_shared(comment, viewer, video_url)
    _annotate_viewer(comment, viewer, marked)


def _build_tree(roots, replies):
    everything = {c.pk: c for c in [*roots, *replies]}
    children = {}
    for reply in replies:  # already in primary key order, which is reading order
        children.setdefault(reply.parent_id, []).append(reply)
    # A reply the viewer cannot read stays (as a placeholder) only while something
    # readable hangs under it. Children always have larger primary keys than their
    # parents, so one walk from the largest settles each comment after its replies.
    alive = {}
    for pk in sorted(everything, reverse=True):
        comment = everything[pk]
        alive[pk] = comment.viewer_can_read or any(alive[c.pk] for c in children.get(pk, []))

    def kids(comment):
        return [c for c in children.get(comment.pk, []) if alive[c.pk]]

    def flatten(comment):
        """All replies under `comment`, depth first in reading order.

        An explicit stack instead of recursion: a chain may be any length.
        """
        out = []
        stack = list(reversed(kids(comment)))
        while stack:
            reply = stack.pop()
            answers = everything[reply.parent_id]
            out.append(Node(reply, NESTED_LEVELS, is_flat=True, answers=answers))
            stack.extend(reversed(kids(reply)))
        return out

    def node(comment, level):  # recursion bounded by NESTED_LEVELS
        if level < NESTED_LEVELS:
            return Node(comment, level, replies=[node(c, level + 1) for c in kids(comment)])
        return Node(comment, level, flat=flatten(comment))

    # Every root stays: the query took only those with something to show, even if
    # their readable replies are all past the ones fetched here.
    return [node(root, 0) for root in roots]


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


def replies_page(*, top, viewer, page_number=1):
    """One page of the replies under top-level comment `top`, for its replies page.

    Flat and oldest first, each reply saying whom it answers, KCRY_COMMENT_REPLIES_SHOWN
    a page: the same few queries whatever the tree's size or depth. Returns the page
    and the Nodes of `top` and of the page's replies.
    """
    replies = (
        Comment.objects.filter(root=top)
        .readable_by(viewer)
        .select_related("author", "parent__author")
        .order_by("pk")
    )
    page = Paginator(replies, settings.KCRY_COMMENT_REPLIES_SHOWN).get_page(page_number)
    shown = list(page.object_list)
    marked = viewer_marks(viewer, [top.pk, *(reply.pk for reply in shown)])
    video_url = top.work.video_url if top.work_id else ""
    for comment in [top, *shown]:
        _annotate(comment, viewer, marked, video_url)
    for reply in shown:
        reply.parent.viewer_can_read = can_read(reply.parent, viewer)
    flat = [Node(reply, NESTED_LEVELS, is_flat=True, answers=reply.parent) for reply in shown]
    return page, Node(top, 0), flat


def comment_location(comment, sort=Comment.Sort.OLDEST, viewer=None):
    """The URL of the page showing `comment` to `viewer`, with its anchor.

    A reply past the first KCRY_COMMENT_REPLIES_SHOWN under its top-level comment is
    on that comment's replies page; anything else is on the thread page holding its
    top-level comment.
    """
    per_page = settings.KCRY_COMMENT_REPLIES_SHOWN
    if comment.root_id:
        # Its place among all replies decides the page, as _first_replies takes them;
        # its place among the readable ones the replies page, as replies_page lists them.
        earlier = Comment.objects.filter(root_id=comment.root_id, pk__lt=comment.pk)
        if earlier.count() >= per_page:
            page = earlier.readable_by(viewer).count() // per_page + 1
            url = reverse("comments:replies", args=[comment.root_id])
            return f"{url}?page={page}#{comment.anchor}"
    sort = parse_sort(sort)
    root = comment.root if comment.root_id else comment
    target = comment.target
    earlier = (
        Comment.objects.on(target).top_level_shown_to(viewer).filter(_before(root, sort)).count()
    )
    page = earlier // settings.KCRY_COMMENTS_PER_PAGE + 1
    query = f"cpage={page}" + (f"&csort={sort}" if sort != Comment.Sort.OLDEST else "")
    return f"{target.get_absolute_url()}?{query}#{comment.anchor}"
