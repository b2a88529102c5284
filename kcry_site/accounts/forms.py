"""Account forms. Every password check goes through `authenticate`, so the one log-in
throttle (django-axes, see throttle.py) counts it, whichever form it comes from."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import NOTIFICATION_KINDS


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Only used to reset your password. Never shown to anyone."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]


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
    """Profile, private diary, and which inbox entries the member wants (one box a kind)."""

    class Meta:
        model = get_user_model()
        fields = ["display_name", "name_ko", "bio", "diary_is_private"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NOTIFICATION_KINDS:
            self.fields[f"notify_{kind}"] = forms.BooleanField(
                label=_("Inbox: %(kind)s") % {"kind": label},
                required=False,
                initial=self.instance.wants_notification(kind),
            )

    def save(self, commit=True):
        self.instance.notification_settings = {
            kind: self.cleaned_data[f"notify_{kind}"] for kind, _label in NOTIFICATION_KINDS
        }
        return super().save(commit=commit)
