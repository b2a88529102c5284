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


class QueryChoiceField(forms.ChoiceField):
    """A choice in a query string; a wrong value gets a message listing every valid
    one, as typed in the URL and as the page calls it."""

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            choices = "; ".join(f"{key} – {label}" for key, label in self.choices if key != "")
            raise forms.ValidationError(
                _("there is no “%(value)s”; the choices are: %(choices)s."),
                code="invalid_choice",
                params={"value": str(value)[:40], "choices": choices},
            ) from None


def first_error(form) -> str:
    """One readable sentence naming the first bad parameter by its label."""
    name, errors = next(iter(form.errors.items()))
    field = form.fields.get(name)
    label = (field.label if field and field.label else name.replace("_", " ")).strip()
    return f"{str(label)[:1].upper()}{str(label)[1:]}: {errors[0]}"


def valid_query(form):
    """The bound query-string form, or a 400 naming the first bad parameter."""
    if not form.is_valid():
        raise BadRequest(first_error(form))
    return form
