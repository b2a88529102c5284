"""One rule, for every app, on when a write answers JSON instead of a page.

The site's own scripts ask with `Accept: application/json` (and mark the request with
X-Requested-With); a browser's form post prefers HTML and gets a redirect or a page.
"""

from django.http import JsonResponse


def wants_json(request):
    if request.headers.get("X-Requested-With"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def json_answer(data, status=200, **kwargs):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False}, **kwargs)
