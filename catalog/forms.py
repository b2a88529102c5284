from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContentNote, Suggestion, Work

MAX_QUERY_LENGTH = 100


class DecadeField(forms.IntegerField):
    """Accepts "2010" or "2010s"; the value must start a decade."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("s")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value % 10:
            raise forms.ValidationError(_("A decade is a year ending in 0, such as 2010."))


class WorkFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", _("All kinds")), *Work.Kind.choices], required=False)
    decade = DecadeField(required=False, min_value=1900, max_value=2090)

    def filter(self, works):
        if self.cleaned_data.get("kind"):
            works = works.of_kind(self.cleaned_data["kind"])
        if self.cleaned_data.get("decade") is not None:
            works = works.of_decade(self.cleaned_data["decade"])
        return works


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)


def first_error(form) -> str:
    """One readable sentence naming the first bad parameter."""
    field, errors = next(iter(form.errors.items()))
    return f"{field}: {errors[0]}"


class SuggestionForm(forms.ModelForm):
    video_url = forms.URLField(
        label=_("Video URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Optional: the official video, if there is one."),
    )
    field_order = ["kind", "title", "title_ko", "artist_or_director", "year", "video_url"]

    class Meta:
        model = Suggestion
        # video_url is declared above (to set its scheme) and placed by field_order.
        fields = ["kind", "title", "title_ko", "artist_or_director", "year", "reason"]
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "title_ko": _("Korean title"),
            "artist_or_director": _("Artist or director"),
            "year": _("Year"),
            "reason": _("Why it makes people cry"),
        }
        help_texts = {
            "title_ko": _("Optional, in Hangul."),
            "year": _("Optional: the year it came out."),
            "reason": _("A few sentences for staff, without spoilers if you can."),
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}


class NotePreferencesForm(forms.Form):
    notes = forms.ModelMultipleChoiceField(
        label=_("Notes I never want unfolded"),
        queryset=ContentNote.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
