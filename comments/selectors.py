"""Comment reads for pages: a target's thread panel and a member's recent comments.

They return data (no HTML); the pages the site composes (kcry_site/pages) call them.
"""

import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from catalog.models import Work
from kcry_site.web import versions
from kcry_site.web.fragments import cached_fragment, cached_fragments

from .actions import Actions, slot_pks, split
from .feeds import work_feed_urls
from .forms import CommentForm
from .models import Comment
from .threads import parse_sort, shared_thread_page, viewer_marks


def allows_moment(target):
    return isinstance(target, Work)


def thread_action_url(target):
    kind = "work" if isinstance(target, Work) else "list"
    return reverse(f"comments:{kind}-post", args=[target.slug])


def _query(request, **params):
    query = request.GET.copy()
    for name in ("csort", "cpage"):
        query.pop(name, None)
    for name, value in params.items():
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}#comments" if encoded else "#comments"


@dataclass(frozen=True)
class ThreadPages:
    """Where a thread page stands: the figures its heading and pager show."""

    number: int  # this page
    num_pages: int
    count: int  # top-level comments shown, over all pages


def _shared_list(target, reader, sort, page_number):
    """The thread page as everyone who reads like `reader` sees it, kept as a fragment.

    A list of strings: the page's figures (JSON) and then the comment list split at its
    placeholders (comments.actions.split). Kept under the thread's version (every post,
    edit, deletion, "me too", flag and moderation bumps it: comments.services._touch),
    the language, staff or not (staff read hidden comments), the sort and the page, and
    the work's video address (its moments link to it)."""
    staff = reader is not None and reader.is_staff

    def render():
        page, nodes, _comments = shared_thread_page(
            target=target, reader=reader, sort=sort, page_number=page_number
        )
        figures = {
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "total": Comment.objects.on(target).visible().count(),
        }
        html = render_to_string(
            "comments/_thread_list.html", {"nodes": nodes, "action_slots": True}
        )
        return [json.dumps(figures), *split(html)]

    parts = [
        "staff" if staff else "all",
        sort,
        page_number,
        target.video_url if isinstance(target, Work) else "",
    ]
    figures, *pieces = cached_fragments(
        f"thread-{target._meta.model_name}", [versions.of(target)], parts, render
    )
    return json.loads(figures), pieces


# Stands for the form token in the kept blank comment form; each request puts its own in.
_TOKEN = "00000000-0000-4000-8000-000000000000"


def _blank_fields(allow_moment):
    """The fields of the thread's blank comment form, with a fresh form token.

    Rendering a form's widgets costs more than the rest of the thread: the blank form is
    the same for every member but for its token (comments.forms.CommentForm, one per
    form shown, so that a form sent twice stores one comment), so it is kept per
    language and swapped a new token."""
    max_length = settings.KCRY_COMMENT_MAX_LENGTH

    def render():
        form = CommentForm(initial={"token": _TOKEN}, allow_moment=allow_moment)
        context = {"form": form, "max_length": max_length}
        return render_to_string("comments/_fields.html", context)

    html = cached_fragment("comment-form", [], [allow_moment, max_length], render)
    return mark_safe(html.replace(_TOKEN, str(uuid.uuid4())))


def thread_panel(request, target):
    """The comment thread of a work or list, for the page it sits in.

    The thread reads its sort and page from the page's query string (?csort=…&cpage=…),
    keeping every other parameter of that page in its links.

    The comment list is shared by every viewer (staff apart) and kept as a fragment
    (_shared_list); this adds the viewer's own (comments.actions): one query for their
    "me too" marks among the comments shown, then one pass of string formatting. On a
    cached page that is the thread's only query.
    """
    user = request.user
    sort = parse_sort(request.GET.get("csort"))
    figures, pieces = _shared_list(
        target,
        user if user.is_authenticated else None,
        sort,
        str(request.GET.get("cpage") or 1),
    )
    here = request.get_full_path()
    marked = viewer_marks(user, slot_pks(pieces))
    pages = ThreadPages(figures["number"], figures["num_pages"], figures["count"])
    default = Comment.Sort.OLDEST
    sorts = [
        {
            "value": value,
            "label": label,
            "current": value == sort,
            "url": _query(request, csort="" if value == default else value),
        }
        for value, label in Comment.Sort.choices
    ]
    csort = "" if sort == default else sort
    return {
        "target": target,
        "pages": pages,
        "comments_html": mark_safe(Actions(request, here, marked).fill(pieces)),
        "total": figures["total"],
        "sorts": sorts,
        "previous_url": _query(request, csort=csort, cpage=pages.number - 1)
        if pages.number > 1
        else "",
        "next_url": _query(request, csort=csort, cpage=pages.number + 1)
        if pages.number < pages.num_pages
        else "",
        "here": here,
        "fields_html": _blank_fields(allows_moment(target)),
        "action": thread_action_url(target),
        "feed_urls": work_feed_urls(target) if isinstance(target, Work) else None,
        "max_length": settings.KCRY_COMMENT_MAX_LENGTH,
        "login_url": reverse(settings.LOGIN_URL)
        + "?"
        + urlencode({REDIRECT_FIELD_NAME: target.get_absolute_url() + "#comments"}),
    }


def member_comments(member, viewer, limit=10):
    """A member's most recent readable comments, each linking to its thread.

    On their own page members also see their comments the moderators hid, marked so:
    that is how they learn of it. Nobody else sees those there.
    """
    own = viewer is not None and viewer.is_authenticated and viewer.pk == member.pk
    comments = Comment.objects.by_member(member, with_hidden=own)[:limit]
    return {"member": member, "comments": list(comments)}
