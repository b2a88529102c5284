"""Give Django's bare 405 answers (from require_POST and friends) the site's error answer."""

from django.utils.translation import gettext as _

from .answers import error_answer


class ExplainMethodNotAllowed:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            allowed = response.get("Allow", "")
            if allowed == "POST":
                message = _("Only POST is allowed here: use the form on the page.")
            else:
                message = _("This address does not take %(method)s requests.") % {
                    "method": request.method
                }
            explained = error_answer(request, 405, message)
            explained["Allow"] = allowed
            return explained
        return response
