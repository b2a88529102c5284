"""Template tags that put comment threads on other apps' pages.

    {% load comments_tags %}
    {% comment_thread work %}        the thread of a Work or an EditorialList
    {% member_comments member %}     a member's recent comments (for member pages)
    {% comment_feed_links work %}    <link rel="alternate"> to a work's comment feeds (<head>)
    {{ comment.body|comment_html }}  escaped body with links and line breaks

The thread reads its sort and page from the query string (?csort=…&cpage=…) of the
page it is embedded in, keeping every other parameter of that page.
"""

import uuid

from django import template
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.http import urlencode

from catalog.models import Work

from ..feeds import work_feed_urls
from ..forms import CommentForm
from ..models import Comment
from ..text import render_body
from ..threads import thread_page
from ..views import allows_moment, thread_action_url

register = template.Library()


@register.filter
def comment_html(body):
    return render_body(body or "")


def _query(request, **params):
    query = request.GET.copy()
    for name in ("csort", "cpage"):
        query.pop(name, None)
    for name, value in params.items():
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}#comments" if encoded else "#comments"


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comment_thread(context, target):
    request = context["request"]
    user = request.user
    sort = request.GET.get("csort") or Comment.Sort.OLDEST
    page, nodes = thread_page(
        target=target, viewer=user, sort=sort, page_number=request.GET.get("cpage") or 1
    )
    sort = sort if sort in Comment.Sort.values else Comment.Sort.OLDEST
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
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
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


@register.inclusion_tag("comments/member_comments.html", takes_context=True)
def member_comments(context, member, limit=10):
    """A member's most recent readable comments, each linking to its thread.

    On their own page members also see their comments the moderators hid, marked so:
    that is how they learn of it. Nobody else sees those there.
    """
    viewer = getattr(context.get("request"), "user", None)
    own = viewer is not None and viewer.is_authenticated and viewer.pk == member.pk
    return {
        "member": member,
        "comments": list(Comment.objects.by_member(member, with_hidden=own)[:limit]),
    }


@register.inclusion_tag("comments/_feed_links.html")
def comment_feed_links(work):
    """Feed discovery links for a work page's <head>."""
    rss, atom = work_feed_urls(work)
    return {"work": work, "rss": rss, "atom": atom}
