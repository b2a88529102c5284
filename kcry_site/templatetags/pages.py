"""{% panel "votes/_work_rating.html" rating %}: render an app's partial with the data
its selector returned (pushed on the page's context). Formatting only: no queries."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, template_name, data):
    partial = context.template.engine.get_template(template_name)
    with context.push(data):
        return partial.render(context)
