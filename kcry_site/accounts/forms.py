"""Account forms. Every password check goes through `authenticate`, so the one log-in
throttle (django-axes, see throttle.py) counts it, whichever form it comes from."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import tasks
from .models import NOTIFICATION_KINDS, Delivery


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Only used to reset your password. Never shown to anyone."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]
        # Django's stock sentence reads stiffly (and its Korean particles come out as
        # "사용자 이름와/과"): say it in the site's voice.
        error_messages = {
            "username": {"unique": _("That username is taken. Please choose another.")}
        }


def password_is_right(request, member, password):
    """Check `member`'s password as a log-in attempt (counted by the throttle)."""
    return authenticate(request, username=member.get_username(), password=password) is not None


class ThrottledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.member, password):
            raise ValidationError(_("That is not your password."))
        return password


class ProfileForm(forms.ModelForm):
    """Profile, private diary, and how each kind of inbox entry reaches the member: on the
    site only, also by e-mail (at once or in a daily digest), or not at all."""

    class Meta:
        model = get_user_model()
        fields = ["display_name", "name_ko", "bio", "diary_is_private"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NOTIFICATION_KINDS:
            self.fields[f"notify_{kind}"] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=self.instance.notification_delivery(kind).value,
                # Left out of a post: the member's choice stays as it was.
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for kind, _label in NOTIFICATION_KINDS:
            if not cleaned.get(f"notify_{kind}"):
                cleaned[f"notify_{kind}"] = self.instance.notification_delivery(kind).value
        mailed = any(
            cleaned.get(f"notify_{kind}") in (Delivery.EMAIL, Delivery.DIGEST)
            for kind, _label in NOTIFICATION_KINDS
        )
        if mailed and not self.instance.email:
            raise ValidationError(
                _("Your account has no e-mail address, so nothing can be sent by e-mail."),
                code="no-email",
            )
        return cleaned

    def save(self, commit=True):
        for kind, _label in NOTIFICATION_KINDS:
            self.instance.set_notification_delivery(kind, self.cleaned_data[f"notify_{kind}"])
        return super().save(commit=commit)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail is rendered and sent by the task queue: only ids
    and strings are handed over, once the request's transaction (if any) commits."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        arguments = {
            "member_id": context["user"].pk,
            "to_email": to_email,
            "from_email": from_email,
            "uid": context["uid"],
            "token": context["token"],
            "domain": context["domain"],
            "site_name": context["site_name"],
            "protocol": context["protocol"],
            "language": translation.get_language(),
            "subject_template_name": subject_template_name,
            "email_template_name": email_template_name,
            "html_email_template_name": html_email_template_name,
        }
        transaction.on_commit(lambda: tasks.send_password_reset.delay(**arguments))
