"""Votes' formatting filters: {% load votes_tags %}. (No tag here reads the database.)"""

from django import template

from ..models import Tears

register = template.Library()


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
