"""Requests no page can use are refused before any view sees them.

Request bodies larger than the site ever needs are refused before anything reads them.

Django only limits the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE); a
multipart upload of any size is streamed to a temporary file first, even by an anonymous
visitor on the log-in page. This middleware answers 413 from the Content-Length header
alone, so such a body is never parsed. The largest legitimate body is a poster upload
with the rest of the work's admin form: KCRY_MAX_BODY_BYTES leaves room for that.

A body sent without a Content-Length (chunked) is not read by Django under WSGI at all;
the proxy in front should cap request bodies as well (see the README).

A null character in the path, the query string or a form field is refused too: nobody
types one, and PostgreSQL refuses it in a query, which made a 500 of any view that looks
a parameter up as it came (a username in the path, ?other=, ?q= on the API).
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.translation import gettext as _

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


class NullCharacterMiddleware:
    """400 for a null character in the path, a query parameter or a form field.

    Place it after BodySizeLimitMiddleware and before CsrfViewMiddleware: it parses the
    form fields of a POST, as CSRF would a moment later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        if "\x00" in request.path or any(map(_holds_null, fields)):
            raise BadRequest(_("The request contains a null character, which no page accepts."))
        return self.get_response(request)


def _holds_null(query_dict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )
