from django import forms
from django.utils.translation import gettext_lazy as _

from kcry_site.web.forms import DecadeField, QueryChoiceField

from . import text
from .models import ContentNote, Suggestion, Work

MAX_QUERY_LENGTH = 100


class WorkFilterForm(forms.Form):
    kind = QueryChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Work.Kind.choices], required=False
    )
    decade = DecadeField(label=_("Decade"), required=False, min_value=1900, max_value=2090)

    def filter(self, rows):
        """Filter works, or anything with the same of_kind/of_decade methods (votes'
        per-work figures)."""
        if self.cleaned_data.get("kind"):
            rows = rows.of_kind(self.cleaned_data["kind"])
        if self.cleaned_data.get("decade") is not None:
            rows = rows.of_decade(self.cleaned_data["decade"])
        return rows


class WorkQueryForm(WorkFilterForm):
    """The API's work list: the filters, and a search."""

    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, strip=True)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)


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

    # The shape of each field is checked here, once; catalog.services.suggestion_submit
    # checks what needs the database (already in the catalog, already suggested, limits).
    def clean_title(self):
        return self._with_letters("title", _("Give the title in letters or digits."))

    def clean_artist_or_director(self):
        return self._with_letters(
            "artist_or_director", _("Name the artist or director in letters or digits.")
        )

    def _with_letters(self, name, message):
        value = self.cleaned_data.get(name, "")
        if not text.compact(value):
            raise forms.ValidationError(message, code="no_letters")
        return value


class NotePreferencesForm(forms.Form):
    notes = forms.ModelMultipleChoiceField(
        label=_("Notes I never want unfolded"),
        queryset=ContentNote.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
