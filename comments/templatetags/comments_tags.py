"""Comment formatting for templates: {% load comments_tags %}. (No tag here reads the
database: threads reach pages through comments.selectors.)"""

from django import template
from django.utils.safestring import mark_safe

from ..actions import Actions, placeholder
from ..feeds import work_feed_urls
from ..text import render_body

register = template.Library()


@register.filter
def comment_html(body):
    """The escaped body with links and line breaks."""
    return render_body(body or "")


@register.inclusion_tag("comments/_feed_links.html")
def comment_feed_links(work):
    """Feed discovery links for a work page's <head>."""
    rss, atom = work_feed_urls(work)
    return {"work": work, "rss": rss, "atom": atom}


@register.simple_tag(takes_context=True)
def comment_actions(context, comment):
    """A comment's action strip for the viewer (comments.actions): its placeholder when
    the list is rendered to be shared (`action_slots` in the context), else the strip."""
    if context.get("action_slots"):
        return mark_safe(placeholder(comment))
    request = context.request
    actions = getattr(request, "_kcry_comment_actions", None)
    if actions is None:
        actions = Actions(request, context.get("here") or request.get_full_path(), set())
        request._kcry_comment_actions = actions
    return mark_safe(actions.comment(comment, marked=getattr(comment, "viewer_marked", False)))
