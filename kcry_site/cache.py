"""Django's per-site cache, limited to anonymous visitors.

Anonymous pages are the same for everyone, so a short cache lets one render serve many
visitors. A member's pages show their own rating and comments, so a member never reads
from or writes to this cache: what they just did shows at once.
"""

from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware


def _is_member(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class UpdateAnonymousCacheMiddleware(UpdateCacheMiddleware):
    def _should_update_cache(self, request, response):
        if _is_member(request) or request.path.startswith("/admin/"):
            return False
        return super()._should_update_cache(request, response)


class FetchAnonymousCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if _is_member(request) or request.path.startswith("/admin/"):
            request._cache_update_cache = False
            return None
        return super().process_request(request)
