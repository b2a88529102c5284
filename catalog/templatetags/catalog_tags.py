"""Catalog template helpers: {% load catalog_tags %}."""

from django import template

from catalog.models import Work

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as a full address on this site (for share tags)."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def poster_guarded(context, work):
    """Whether the viewing member keeps a note `work` carries folded, so that the work's
    card shows a warning in place of its poster. The member's guarded works are read
    once per request, and only when a card has a poster to hide."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not work.poster_thumb or user is None or not user.is_authenticated:
        return False
    guarded = getattr(request, "kcry_guarded_work_ids", None)
    if guarded is None:
        guarded = set(Work.objects.guarded_ids_for(user))
        request.kcry_guarded_work_ids = guarded
    return work.pk in guarded
