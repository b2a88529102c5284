from django import forms

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
            raise forms.ValidationError("A decade is a year ending in 0, such as 2010.")


class WorkFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Work.Kind.choices], required=False)
    decade = DecadeField(required=False, min_value=1900, max_value=2090)

    def filter(self, works):
        if self.cleaned_data.get("kind"):
            works = works.of_kind(self.cleaned_data["kind"])
        if self.cleaned_data.get("decade") is not None:
            works = works.of_decade(self.cleaned_data["decade"])
        return works


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY_LENGTH, strip=True)


def first_error(form) -> str:
    """One readable sentence naming the first bad parameter."""
    field, errors = next(iter(form.errors.items()))
    return f"{field}: {errors[0]}"


class SuggestionForm(forms.ModelForm):
    video_url = forms.URLField(
        label="Video URL",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Optional: the official video, if there is one.",
    )
    field_order = ["kind", "title", "title_ko", "artist_or_director", "year", "video_url"]

    class Meta:
        model = Suggestion
        # video_url is declared above (to set its scheme) and placed by field_order.
        fields = ["kind", "title", "title_ko", "artist_or_director", "year", "reason"]
        labels = {
            "kind": "Kind",
            "title": "Title",
            "title_ko": "Korean title",
            "artist_or_director": "Artist or director",
            "year": "Year",
            "reason": "Why it makes people cry",
        }
        help_texts = {
            "title_ko": "Optional, in Hangul.",
            "year": "Optional: the year it came out.",
            "reason": "A few sentences for staff, without spoilers if you can.",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}


class NotePreferencesForm(forms.Form):
    notes = forms.ModelMultipleChoiceField(
        label="Notes I never want unfolded",
        queryset=ContentNote.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
