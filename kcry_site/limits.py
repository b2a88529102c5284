"""Request bodies larger than the site ever needs are refused before anything reads them.

Django only limits the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE); a
multipart upload of any size is streamed to a temporary file first, even by an anonymous
visitor on the log-in page. This middleware answers 413 from the Content-Length header
alone, so such a body is never parsed. The largest legitimate body is a poster upload
with the rest of the work's admin form: KCRY_MAX_BODY_BYTES leaves room for that.

A body sent without a Content-Length (chunked) is not read by Django under WSGI at all;
the proxy in front should cap request bodies as well (see the README).
"""

from django.conf import settings
from django.utils import translation

from .views import too_large


class BodySizeLimitMiddleware:
    """Answer 413 when Content-Length exceeds KCRY_MAX_BODY_BYTES.

    Place it before every middleware that may read the body (CSRF reads POST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.KCRY_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself reads no body when the header is not a number
        if length > limit:
            # Runs before LocaleMiddleware: answer in the visitor's language all the same.
            with translation.override(translation.get_language_from_request(request)):
                return too_large(request, limit)
        return self.get_response(request)
