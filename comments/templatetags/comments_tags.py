"""Comment formatting for templates: {% load comments_tags %}. (No tag here reads the
database: threads reach pages through comments.selectors.)"""

from django import template

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
