"""Forms read what a member typed; the domain rules live in comments.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.text import parse_moment

from .models import Flag


class CommentForm(forms.Form):
    # Emptiness and length are checked by the service after cleaning (so that text
    # made only of invisible characters counts as empty), hence required=False here.
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "cols": 60, "aria-describedby": "comment-body-help"}
        ),
    )
    spoiler = forms.BooleanField(
        label=_("Contains spoilers (the text stays folded until a reader opens it)"),
        required=False,
    )
    moment = forms.CharField(
        label=_("Tear moment (m:ss, or h:mm:ss in a film or drama)"),
        required=False,
        max_length=9,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "3:07", "size": 6, "autocomplete": "off"}
        ),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, allow_moment=True, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        if not allow_moment:
            del self.fields["moment"]

    def clean_moment(self):
        raw = self.cleaned_data.get("moment", "").strip()
        if not raw:
            return None
        try:
            return parse_moment(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Write the tear moment as m:ss or h:mm:ss, for example 3:07 or 1:02:30.")
            ) from None


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Details for the moderators (optional, required for “Something else”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
    )

    def __init__(self, *args, comment, **kwargs):
        kwargs.setdefault("auto_id", "flag-%s")
        super().__init__(*args, **kwargs)
        # Offer only the reasons that fit this comment, but let every known reason
        # through validation: the service refuses an unfitting one with a clear
        # message (a form opened before the author marked the comment a spoiler).
        reasons = self.fields["reason"]
        reasons.widget.choices = [(r.value, r.label) for r in Flag.reasons_for(comment)]
