"""Form helpers shared by the apps' query-string forms."""

from django import forms
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _


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


def first_error(form) -> str:
    """One readable sentence naming the first bad parameter."""
    field, errors = next(iter(form.errors.items()))
    return f"{field}: {errors[0]}"


def valid_query(form):
    """The bound query-string form, or a 400 naming the first bad parameter."""
    if not form.is_valid():
        raise BadRequest(first_error(form))
    return form
