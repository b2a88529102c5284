"""Site-wide views: error handlers, media, the benchmark's bare view.

Error handlers give the site's one error answer (kcry_site.web.answers): JSON when the
Accept header prefers it, the error page otherwise.
"""

import logging
import re
import sys

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.static import serve

from kcry_site.web.answers import error_answer, json_answer, wants_json


def media(request, path):
    """Uploaded files from MEDIA_ROOT, read when each request comes (not at start-up)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def bare(request):
    """A fixed string: the benchmark's ceiling for a Django response.

    It reads who is asking, as every page does, so a member's request pays for its
    session and member row here too and a member's page is compared with what any page
    for them must cost. Routed only when KCRY_BENCH_VIEW is on (as `make bench` sets it)."""
    who = "member" if request.user.is_authenticated else "anyone"
    return HttpResponse(f"kcry {who}", content_type="text/plain")


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # Form fields beyond DATA_UPLOAD_MAX_MEMORY_SIZE: the same answer as a body beyond
        # KCRY_MAX_BODY_BYTES (kcry_site.limits), with the limit that was hit.
        response = too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    # Only BadRequest carries a message written for people; other 400s (e.g. a
    # SuspiciousOperation) keep their details out of the response.
    elif isinstance(exception, BadRequest) and exception.args:
        response = error_answer(request, 400, str(exception))
    else:
        response = error_answer(request, 400, _("The request could not be understood."))
    _log_client_error(request, response, exception)
    return response


def _log_client_error(request, response, exception):
    """One log line for a request the client got wrong (?page=abc, an oversized form).

    Django would log these with the exception's traceback, which says nothing about our
    code and buries real errors. The line goes to the logger Django uses (django.security.*
    for suspicious requests, django.request otherwise) at Django's level; the response is
    then marked as logged, which makes Django skip its own line.
    """
    if isinstance(exception, SuspiciousOperation):
        logger, level = logging.getLogger(f"django.security.{type(exception).__name__}"), "error"
    else:
        logger, level = logging.getLogger("django.request"), "warning"
    # Escaped as Django escapes them, so a newline in a path cannot forge a log line.
    parts = (response.reason_phrase, request.path, str(exception or ""))
    escaped = [part.encode("unicode_escape").decode("ascii") for part in parts]
    getattr(logger, level)(
        "%s: %s (%s)",
        *escaped,
        extra={"status_code": response.status_code, "request": request},
    )
    response._has_been_logged = True


def too_large(request, limit):
    """413 for a request body beyond `limit` bytes."""
    megabytes = f"{limit / 2**20:.1f}".removesuffix(".0")
    message = _("The request is too large: at most %(limit)s MB can be sent at once.") % {
        "limit": megabytes
    }
    return error_answer(request, 413, message)


def _names_code(message):
    """Whether a 404 message is one of Django's own, which name models and queries
    ("No Work matches the given query.", "쿼리 결과에 person가 없습니다."), not things."""
    detail_view = _("No %(verbose_name)s found matching the query")
    patterns = [
        r"No \S+ matches the given query\.",
        re.escape(detail_view).replace(re.escape("%(verbose_name)s"), ".+"),
    ]
    return any(re.fullmatch(pattern, message) for pattern in patterns)


def page_not_found(request, exception=None):
    # Our own Http404s say what is missing (e.g. "There is no page 9"); a URL that
    # matched no route carries a dict of tried patterns, and Django's shortcuts name
    # code objects: neither is for visitors.
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str) and not _names_code(args[0]):
        return error_answer(request, 404, args[0])
    return error_answer(request, 404, _("Nothing here: the page or item does not exist."))


def permission_denied(request, exception=None):
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str):
        return error_answer(request, 403, args[0])
    return error_answer(request, 403, _("You cannot do that."))


# Retry-After, in seconds, when the database cannot be reached: long enough for a
# restart or a failover, short enough that a member's retry finds it back.
DATABASE_RETRY_SECONDS = 5


def server_error(request):
    """The answer to an exception nothing else handled: 503 with Retry-After when the
    database could not be reached or answered with an operational failure (stopped,
    restarting, locked too long), 500 for anything else.

    Django calls this from inside its exception handler, so the exception being handled
    is the one that failed the request; Django logs it either way.
    """
    failure = sys.exc_info()[1]
    if isinstance(failure, (OperationalError, InterfaceError)):
        status = 503
        message = _("kcry cannot reach its database just now. Please try again in a few seconds.")
    else:
        status = 500
        message = _("Something went wrong on our side. Please try again.")
    if wants_json(request):
        response = json_answer({"error": message}, status=status)
    else:
        # No request context here: the failure may be the database that the
        # user and session context processors would query.
        response = HttpResponse(
            loader.render_to_string("500.html", {"message": message}), status=status
        )
    if status == 503:
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    return response
