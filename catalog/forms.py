from django import forms

from .models import Work

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
