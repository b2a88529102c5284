"""Cached page fragments: the parts of members' pages that are the same for everyone.

A fragment is rendered once and kept in the default cache under the versions of what it
shows (kcry_site.web.versions), the language and the `parts` that tell one rendering from
another (page number, filters, the content notes a member keeps folded). Any write that changes what
a fragment shows bumps one of its versions, so the next request renders it afresh: a
member sees their own rating or edit at once. The versions are read before the render, so
a write during the render leaves that copy behind under the old versions.

What is the member's own (their rating, their reaction, forms with a CSRF token) stays
outside the fragment.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kcry_site.web import versions


def fragment_key(name, scopes, parts):
    raw = "|".join([versions.current(*scopes), get_language() or "", *map(str, parts)])
    return f"kcry:fragment:{name}:" + hashlib.sha256(raw.encode()).hexdigest()


_MISSING = object()


def cached_data(name, scopes, parts, compute):
    """The value `compute()` returns (anything the cache can keep: HTML, lists, numbers),
    from the cache when the same versions, language and parts were computed before."""
    key = fragment_key(name, scopes, parts)
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, settings.KCRY_FRAGMENT_CACHE_SECONDS)
    return found


def cached_fragment(name, scopes, parts, render):
    """The HTML `render()` returns, kept as cached_data keeps a value."""
    return mark_safe(cached_data(name, scopes, parts, lambda: str(render())))


def cached_fragments(name, scopes, parts, render):
    """Several pieces of one page kept as one cache entry (one round trip): `render()`
    returns a list of HTML strings, and so does this."""
    pieces = cached_data(name, scopes, parts, lambda: [str(html) for html in render()])
    return [mark_safe(html) for html in pieces]


# Markup that depends only on the templates, the translations and the URLs, which change
# with a deploy (a new process): kept in this process's memory by (key, language, script
# prefix). No cache round trip, nothing lost when the shared cache is down.
IN_PROCESS = {}


@receiver(setting_changed)
def forget_in_process(**kwargs):
    IN_PROCESS.clear()


def kept_in_process(key, render):
    """What `render()` returns for `key` in the current language and script prefix,
    rendered once per process."""
    full_key = (key, get_language(), get_script_prefix())
    found = IN_PROCESS.get(full_key)
    if found is None:
        found = IN_PROCESS[full_key] = render()
    return found
