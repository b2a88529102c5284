"""One way to answer, for every app: JSON when the request's Accept header prefers it
(as the site's scripts ask), an HTML page otherwise.

API views under /api/ are JSON resources and always answer JSON (see catalog.api).
"""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render


def wants_json(request):
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def json_answer(data, status=200, **kwargs):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False}, **kwargs)


def error_answer(request, status, message, back_url=None):
    """The site's one error answer: `{"error": message}` or the error page."""
    if wants_json(request):
        return json_answer({"error": message}, status=status)
    context = {"status": status, "message": message, "back_url": back_url}
    return render(request, "error.html", context, status=status)


def login_answer(request, back_url, message):
    """An anonymous visitor tried a members-only action: a JSON 401 naming the log-in
    page, or a redirect there that brings them back to `back_url`."""
    login_redirect = redirect_to_login(back_url)
    if wants_json(request):
        return json_answer({"error": message, "login_url": login_redirect["Location"]}, status=401)
    from django.contrib import messages

    messages.info(request, message)
    return login_redirect
