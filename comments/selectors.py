"""Comment reads for pages: a target's thread panel and a member's recent comments.

They return data (no HTML); the pages the site composes (kcry_site/pages) call them.
"""

import uuid

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.http import urlencode

from catalog.models import Work

from .feeds import work_feed_urls
from .forms import CommentForm
from .models import Comment
from .threads import parse_sort, thread_page


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


def thread_panel(request, target):
    """The comment thread of a work or list, for the page it sits in.

    The thread reads its sort and page from the page's query string (?csort=…&cpage=…),
    keeping every other parameter of that page in its links.
    """
    user = request.user
    sort = parse_sort(request.GET.get("csort"))
    page, nodes = thread_page(
        target=target, viewer=user, sort=sort, page_number=request.GET.get("cpage") or 1
    )
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
        "page_obj": page,
        "nodes": nodes,
        "total": Comment.objects.on(target).visible().count(),
        "sorts": sorts,
        "previous_url": _query(request, csort=csort, cpage=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _query(request, csort=csort, cpage=page.next_page_number())
        if page.has_next()
        else "",
        "here": request.get_full_path(),
        "form": CommentForm(initial={"token": uuid.uuid4()}, allow_moment=allows_moment(target)),
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
