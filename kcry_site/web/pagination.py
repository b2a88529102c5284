"""Strict pagination, one rule site-wide: a page number that is not one ("abc", 0, -1)
is a client error (400), a page past the last one is not found (404), both said in
people's words and never quietly turned into page 1."""

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def page_number(raw):
    """The page number `raw` (a query-string value) names, or a 400. Nothing is counted,
    so a page kept in the cache can be picked before its rows are read."""
    raw = str(raw).strip()
    try:
        number = int(raw) if raw.isascii() and raw.lstrip("-").isdigit() else 0
    except ValueError:  # more digits than Python reads
        number = 0
    if number < 1:
        raise BadRequest(
            _("There is no page “%(raw)s”: pages are numbered from 1.") % {"raw": raw[:20]}
        )
    return number


def strict_page(paginator, raw):
    """Page `raw` (a query-string value or a page number) of `paginator`, or a 400 or 404."""
    number = page_number(raw)
    if number > paginator.num_pages:
        raise Http404(
            _("There is no page %(number)s: the last page is %(last)s.")
            % {"number": str(raw).strip()[:20], "last": paginator.num_pages}
        )
    return paginator.page(number)


def requested_page(request, name="page"):
    """The page number the request asks for (1 when none), or a 400."""
    return page_number(request.GET.get(name, "1"))


def paginate(request, object_list, per_page, name="page"):
    return strict_page(Paginator(object_list, per_page), request.GET.get(name, "1"))
