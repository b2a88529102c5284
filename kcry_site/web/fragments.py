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
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kcry_site.web import versions


def fragment_key(name, scopes, parts):
    raw = "|".join([versions.current(*scopes), get_language() or "", *map(str, parts)])
    return f"kcry:fragment:{name}:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(name, scopes, parts, render):
    """The HTML `render()` returns, from the cache when the same versions, language and
    parts were rendered before."""
    key = fragment_key(name, scopes, parts)
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, settings.KCRY_FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)


def cached_fragments(name, scopes, parts, render):
    """Like cached_fragment for several pieces of one page kept as one cache entry (one
    round trip): `render()` returns a list of HTML strings, and so does this."""
    key = fragment_key(name, scopes, parts)
    pieces = cache.get(key)
    if pieces is None:
        pieces = [str(html) for html in render()]
        cache.set(key, pieces, settings.KCRY_FRAGMENT_CACHE_SECONDS)
    return [mark_safe(html) for html in pieces]


_MISSING = object()


def cached_data(name, scopes, parts, compute):
    """The value `compute()` returns (anything the cache can keep: lists, numbers), from
    the cache when the same versions, language and parts were computed before. For the
    small reads around fragments (a page's filter choices), so a hit reads nothing."""
    key = fragment_key(name, scopes, parts)
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, settings.KCRY_FRAGMENT_CACHE_SECONDS)
    return found
