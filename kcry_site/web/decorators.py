"""The write convention: `@require_POST` (Django's), then `@members_only(back=…)`."""

from functools import wraps

from django.utils.translation import gettext_lazy as _

from .answers import login_answer

DEFAULT_MESSAGE = _("Log in to do this; you will come back here.")


def members_only(*, back=None, message=DEFAULT_MESSAGE):
    """Anonymous visitors are sent to log in (or get a JSON 401) instead of the view.

    `back(request, **kwargs)` names the page to return to after logging in; a POST's own
    URL cannot be opened, so writes name the page their form is on. Without it the
    visitor comes back to the URL they asked for.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            back_url = back(request, **kwargs) if back else request.get_full_path()
            return login_answer(request, back_url, str(message))

        return wrapped

    return decorator
