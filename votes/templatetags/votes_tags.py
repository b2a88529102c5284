"""Votes' parts on other apps' pages: {% load votes_tags %} then one tag each."""

from django import template
from django.urls import reverse

from .. import panels
from ..models import Tears

register = template.Library()


@register.inclusion_tag("votes/_work_rating.html", takes_context=True)
def work_rating(context, work):
    """Score, count, 0-5 histogram and the member's own rating form for a work page."""
    return panels.rating_panel(context["request"], work)


@register.inclusion_tag("votes/_list_community.html", takes_context=True)
def list_community(context, editorial_list):
    """Editors' rank beside the community's, and the list reactions, for a list page."""
    return panels.list_community(context["request"], editorial_list)


@register.simple_tag
def work_card_path(work):
    """The work's share card (figures, poster, both titles): its OpenGraph image."""
    return reverse("votes:work-card", args=[work.slug])


@register.filter
def tears_label(value):
    """4 → "Crying"."""
    try:
        return Tears(int(value)).label
    except (TypeError, ValueError):
        return ""


@register.filter
def tissues(value):
    """A row of tissue marks for a 0-5 rating, for sighted readers (text stays beside it)."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return ""
    return "●" * value + "○" * (5 - value)
