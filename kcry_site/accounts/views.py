"""Sign-up, the throttled password forms, profile settings and account deletion.

Log-in, log-out and the password reset pages are Django's own views (see urls.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView, PasswordChangeView, RedirectURLMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import CreateView

from kcry_site.web.answers import error_answer

from . import services
from .forms import PasswordConfirmForm, ProfileForm, SignUpForm, ThrottledPasswordChangeForm


class LoggedOutView(LogoutView):
    """Django's log-out, then a word on the page the member lands on."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # After the log-out flushed the session: the message goes with the new one.
        messages.success(request, _("You are logged out."))
        return response


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


class ThrottledPasswordChangeView(PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@login_required
def profile_settings(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your settings are saved."))
            return redirect("account-settings")
        return render(request, "accounts/settings.html", {"form": form}, status=400)
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def delete_account(request):
    form = PasswordConfirmForm(request.POST or None, request=request, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = request.user
        logout(request)
        services.member_delete(member=member)
        messages.success(
            request,
            _(
                "Your account was deleted, with your ratings, comments, reactions and "
                "diary. Take care."
            ),
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete_account.html", {"form": form}, status=status)


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token: the site's error answer, in the visitor's language."""
    message = _(
        "This form has expired or did not come from kcry. Go back, reload the page and try again."
    )
    return error_answer(request, 403, message)
