"""{% panel "votes/_work_rating.html" rating %}: render an app's partial with the data
its selector returned (pushed on the page's context). Formatting only: no queries."""

from django import template

from kcry_site.web.fragments import kept_in_process

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, template_name, data):
    partial = context.template.engine.get_template(template_name)
    with context.push(data):
        return partial.render(context)


class SharedFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        return kept_in_process(("shared", self.name), lambda: self.nodelist.render(context))


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
