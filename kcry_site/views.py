"""Site-wide views: error handlers, media, the benchmark's bare view.

Error handlers give the site's one error answer (kcry_site.web.answers): JSON when the
Accept header prefers it, the error page otherwise.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.static import serve

from kcry_site.web.answers import error_answer, json_answer, wants_json


def media(request, path):
    """Uploaded files from MEDIA_ROOT, read when each request comes (not at start-up)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def bare(request):
    """A fixed string and nothing else: the benchmark's ceiling for a Django response.

    Routed only when KCRY_BENCH_VIEW is on (as `make bench` sets it)."""
    return HttpResponse("kcry", content_type="text/plain")


def bad_request(request, exception=None):
    # Only BadRequest carries a message written for people; other 400s (e.g. a
    # SuspiciousOperation) keep their details out of the response.
    if isinstance(exception, BadRequest) and exception.args:
        message = str(exception)
    else:
        message = _("The request could not be understood.")
    return error_answer(request, 400, message)


def page_not_found(request, exception=None):
    # Our own Http404s say what is missing (e.g. "There is no page 9"); a URL that
    # matched no route carries a dict of tried patterns, which is not for visitors.
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str):
        return error_answer(request, 404, args[0])
    return error_answer(request, 404, _("Nothing here: the page or item does not exist."))


def permission_denied(request, exception=None):
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str):
        return error_answer(request, 403, args[0])
    return error_answer(request, 403, _("You cannot do that."))


def server_error(request):
    message = _("Something went wrong on our side. Please try again.")
    if wants_json(request):
        return json_answer({"error": message}, status=500)
    # No request context here: the failure may be the database that the
    # user and session context processors would query.
    return HttpResponseServerError(loader.render_to_string("500.html", {"message": message}))
