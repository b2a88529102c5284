"""{% panel "votes/_work_rating.html" rating %}: render an app's partial with the data
its selector returned (pushed on the page's context). Formatting only: no queries."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, template_name, data):
    partial = context.template.engine.get_template(template_name)
    with context.push(data):
        return partial.render(context)


# Shared markup by (name, language, script prefix): it depends only on the URLs and the
# translations, which change with a deploy (a new process), so it is kept in this
# process's memory: no cache round trip, nothing lost when the shared cache is down.
SHARED = {}


@receiver(setting_changed)
def forget_shared(**kwargs):
    SHARED.clear()


class SharedFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        key = (self.name, get_language(), get_script_prefix())
        html = SHARED.get(key)
        if html is None:
            html = SHARED[key] = self.nodelist.render(context)
        return html


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment "name" %}…{% endshared_fragment %}: markup that is the same for
    every request in the same language (links, labels), rendered once per process and
    language. Nothing per-request or per-member (the path, a CSRF token, the query, the
    member's name) may be inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("shared_fragment takes one name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(bits[1].strip("\"'"), nodelist)
