"""The anonymous page cache: whole pages for visitors who are not signed in.

Anonymous pages are the same for everyone, so one render serves many visitors. A member's
pages show their own rating and comments, so a member never reads from or writes to this
cache. Built on Django's public cache helpers (get_cache_key, learn_cache_key), so the key
still follows the visitor's language and the response's Vary headers, with two changes:

- the key prefix holds the versions of what the page shows (kcry_site.web.versions), so a
  write reaches every visitor on the next request;
- the query string is cut to the parameters kcry's pages read, in sorted order, so
  `?x=1` or a reordered query is served from the same copy (and the page itself answers
  the same: the view sees the same cut query).
"""

import re

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.utils.cache import get_cache_key, get_max_age, has_vary_header, learn_cache_key

from kcry_site.web import versions

# Every query parameter an anonymous GET page reads. Any other is dropped before the view.
QUERY_PARAMETERS = frozenset(
    {
        "page",
        "kind",
        "decade",
        "year",
        "order",
        "min_ratings",
        "q",
        "csort",
        "cpage",
        "next",
        "other",
        "before",
    }
)

PREFIX_ATTRIBUTE = "kcry_page_cache_prefix"

_SCOPED = re.compile(r"^/(works|lists)/([^/]+)/")


def page_scopes(path):
    """The versions a page at `path` is stored under."""
    match = _SCOPED.match(path)
    if match:
        scope = versions.work if match.group(1) == "works" else versions.editorial_list
        return (versions.SITE, scope(match.group(2)))
    if path.startswith(("/u/", "/comments/")):
        return (versions.SITE, versions.PEOPLE)
    return (versions.SITE,)


def normalise_query(request):
    """Keep only the known parameters, keys in sorted order (values in their order)."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    kept = QueryDict(mutable=True)
    for name in sorted(request.GET):
        if name in QUERY_PARAMETERS:
            kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != raw:
        request.META["QUERY_STRING"] = query
        kept._mutable = False
        request.GET = kept


def _is_member(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _cache():
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


class FetchAnonymousCacheMiddleware:
    """Near the end of the list (after authentication): serve an anonymous GET from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = self.process_request(request)
        return answer if answer is not None else self.get_response(request)

    def process_request(self, request):
        if (
            not settings.CACHE_MIDDLEWARE_SECONDS
            or request.method not in ("GET", "HEAD")
            or request.path_info.startswith("/admin/")
            or _is_member(request)
        ):
            return None
        normalise_query(request)
        scopes = page_scopes(request.path_info)
        prefix = f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}.{versions.current(*scopes)}"
        # Read before the view runs: a write during the render leaves this copy behind.
        setattr(request, PREFIX_ATTRIBUTE, prefix)
        cache = _cache()
        key = get_cache_key(request, prefix, "GET", cache=cache)
        response = cache.get(key) if key else None
        if response is None and request.method == "HEAD":
            key = get_cache_key(request, prefix, "HEAD", cache=cache)
            response = cache.get(key) if key else None
        if response is not None:
            setattr(request, PREFIX_ATTRIBUTE, None)  # served: nothing to store
        return response


class UpdateAnonymousCacheMiddleware:
    """Near the start of the list (so its response phase runs last): store the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefix = getattr(request, PREFIX_ATTRIBUTE, None)
        if prefix is None or _is_member(request):  # a visitor who has just signed in
            return response
        if response.streaming or response.status_code != 200:
            return response
        # A response that sets a cookie for a cookieless visitor is that visitor's own.
        if not request.COOKIES and response.cookies and has_vary_header(response, "Cookie"):
            return response
        if "private" in response.get("Cache-Control", ()):
            return response
        timeout = get_max_age(response)
        if timeout is None:
            timeout = settings.CACHE_MIDDLEWARE_SECONDS
        if not timeout:
            return response
        cache = _cache()
        key = learn_cache_key(request, response, timeout, prefix, cache=cache)
        if callable(getattr(response, "render", None)):
            response.add_post_render_callback(lambda done: cache.set(key, done, timeout))
        else:
            cache.set(key, response, timeout)
        return response
