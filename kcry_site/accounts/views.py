"""Sign-up, the throttled password forms, profile settings and account deletion.

Log-in, log-out and the password reset pages are Django's own views (see urls.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    LogoutView,
    PasswordChangeView,
    PasswordResetView,
    RedirectURLMixin,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView

from kcry_site.web.answers import error_answer, json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.ratelimit import RateLimited, hashed, hit, too_many_answer, wait_text

from . import services
from .forms import (
    PasswordConfirmForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignUpForm,
    ThrottledPasswordChangeForm,
)
from .throttle import client_address
from .usernames import LOOKALIKE_MESSAGE


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
        try:
            with transaction.atomic():
                # KCRY_RATE_SIGNUPS accounts per address; only accounts really made count.
                hit(f"signup:{client_address(self.request)}", *settings.KCRY_RATE_SIGNUPS)
                user = form.save()
        except RateLimited as error:
            message = _(
                "Too many accounts were made from your network recently. Please wait "
                "%(retry)s and try again."
            ) % {"retry": wait_text(error.retry_after)}
            return too_many_answer(self.request, error, message=message)
        except IntegrityError:
            # Someone took this name, or one that looks the same, a moment ago.
            form.add_error("username", LOOKALIKE_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        self.object = user
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        # With no page to go back to, a new member starts on the welcome page.
        return self.get_redirect_url() or reverse("welcome")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)


class BrakedPasswordResetView(PasswordResetView):
    """Django's password reset, braked per address (KCRY_RATE_RESET_ADDRESS) and per
    e-mail address asked for (KCRY_RATE_RESET_EMAIL). Past the per-e-mail allowance no
    mail goes out but the page is the usual "check your inbox" one, and both counts run
    whether an account has that address or not, so neither answer tells who is a member.
    The mail itself is written and sent by the task queue (QueuedPasswordResetForm)."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        try:
            hit(f"reset-address:{client_address(self.request)}", *settings.KCRY_RATE_RESET_ADDRESS)
        except RateLimited as error:
            message = _(
                "Too many password reset requests came from your network. Please wait "
                "%(retry)s and try again."
            ) % {"retry": wait_text(error.retry_after)}
            return too_many_answer(self.request, error, message=message)
        email = form.cleaned_data["email"].strip().casefold()
        try:
            hit(f"reset-email:{hashed(email)}", *settings.KCRY_RATE_RESET_EMAIL)
        except RateLimited:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


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


def _member_page(request, username):
    return reverse("member", args=[username])


FOLLOW_MESSAGE = gettext_lazy("Log in to follow members; you will come back here.")


def _follow(request, username, *, follow):
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    back = member.get_absolute_url()
    try:
        changed = services.follow_set(follower=request.user, followed=member, follow=follow)
    except ValidationError as error:
        return error_answer(request, 400, error.messages[0], back)
    name = member.get_username()
    if follow:
        note = _("You follow %(name)s now.") if changed else _("You already follow %(name)s.")
    else:
        note = _("You no longer follow %(name)s.") if changed else _("You did not follow %(name)s.")
    note %= {"name": name}
    if wants_json(request):
        return json_answer(
            {"member": name, "following": follow, "changed": changed, "message": note}
        )
    messages.success(request, note)
    return redirect(back)


@require_POST
@members_only(back=_member_page, message=FOLLOW_MESSAGE)
def follow(request, username):
    return _follow(request, username, follow=True)


@require_POST
@members_only(back=_member_page, message=FOLLOW_MESSAGE)
def unfollow(request, username):
    return _follow(request, username, follow=False)
