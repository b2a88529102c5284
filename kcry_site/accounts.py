"""Member accounts on top of django.contrib.auth: sign-up, throttled log-in, CSRF failures.

Log-in throttling is a small cache-based limit rather than a library: after
KCRY_LOGIN_MAX_FAILURES failed attempts for one username from one address, that pair
is refused (HTTP 429) for KCRY_LOGIN_LOCKOUT_SECONDS without the password being checked.
Keying on the pair means an attacker elsewhere cannot lock a member out. The counter
lives in the default cache, so a deployment with several processes needs a shared cache
(CACHE_URL=redis://…); the local-memory default is right for one process.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView

from catalog.http import wants_json


def client_address(request):
    """The visitor's address: REMOTE_ADDR, or behind KCRY_TRUSTED_PROXIES proxies the
    X-Forwarded-For entry the outermost trusted proxy added."""
    hops = settings.KCRY_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _failure_key(username, address):
    digest = hashlib.sha256(f"{username.casefold()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": gettext_lazy(
            "Too many failed log-ins for this account from your address. "
            "Please wait %(minutes)d minutes, or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else ""
        key = _failure_key(username, address)
        if cache.get(key, 0) >= settings.KCRY_LOGIN_MAX_FAILURES:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.KCRY_LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            timeout = settings.KCRY_LOGIN_LOCKOUT_SECONDS
            if not cache.add(key, 1, timeout=timeout):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, timeout=timeout)
            raise
        cache.delete(key)
        return cleaned


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", code="throttled"):
            response.status_code = 429
        return response


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text=gettext_lazy("Only used to reset your password. Never shown to anyone."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]


class SignUpView(RedirectURLMixin, CreateView):
    """Create an account, log it in, and go back to the page the visitor came from."""

    form_class = SignUpForm
    template_name = "registration/signup.html"
    next_page = settings.LOGIN_REDIRECT_URL

    def form_valid(self, form):
        user = form.save()
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        self.object = user
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.get_redirect_url() or self.get_default_redirect_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token: a JSON 403 for scripts, a plain page for people."""
    message = _(
        "This form has expired or did not come from kcry. Go back, reload the page and try again."
    )
    if wants_json(request):
        return JsonResponse({"error": message}, status=403)
    return render(request, "error.html", {"status": 403, "message": message}, status=403)
