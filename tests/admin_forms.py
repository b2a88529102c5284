"""Turn a rendered admin change form back into the POST data a browser would send."""


def _field_value(form, name):
    bound = form[name]
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return str(getattr(value, "pk", value))


def admin_form_data(response):
    """The main form and every inline formset of an admin change page, as POST data."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = _field_value(management, name)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            data[form.add_prefix(name)] = _field_value(form, name)
    # Browsers leave out unchecked boxes and empty selections; so do we.
    return {key: value for key, value in data.items() if value not in ("", [])}
