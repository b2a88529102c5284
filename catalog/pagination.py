"""Strict pagination: a malformed page number is a client error, not page 1."""

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


def paginate(request, object_list, per_page):
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        raise BadRequest(f"page: '{raw[:20]}' is not a page number.") from None
    except EmptyPage:
        raise Http404(f"There is no page {raw} (last page: {paginator.num_pages}).") from None
