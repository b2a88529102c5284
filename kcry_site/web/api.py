"""The JSON API's shape: GET only, pages of `count`, `next`, `previous`, `results`, and
errors as JSON (an API resource has no HTML form, whatever the Accept header says)."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from .answers import json_answer
from .pagination import paginate


def json_get(view):
    """A GET-only JSON view; `view` returns the data, client errors answer JSON."""

    # Exempt from CSRF: nothing here writes, and a stray POST should get the JSON 405
    # below rather than the HTML CSRF failure page.
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_answer(
                {"error": f"Method {request.method} is not allowed here; use GET."}, status=405
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return json_answer(view(request, *args, **kwargs))
        except BadRequest as error:
            return json_answer({"error": str(error)}, status=400)
        except Http404 as error:
            return json_answer({"error": str(error) or "Not found."}, status=404)

    return wrapper


def page_answer(request, queryset, to_json, per_page=None):
    """One page of `queryset` as JSON; `to_json(item, position)` with 1-based positions."""
    page = paginate(request, queryset, per_page or settings.KCRY_API_PAGE_SIZE)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [
            to_json(item, position)
            for position, item in enumerate(page.object_list, start=page.start_index())
        ],
    }
