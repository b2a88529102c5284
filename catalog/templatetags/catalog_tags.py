"""Catalog template helpers: {% load catalog_tags %}."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as a full address on this site (for share tags)."""
    return context["request"].build_absolute_uri(path)
