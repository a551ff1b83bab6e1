"""``{% fragment "name" value … %}…{% endfragment %}``: a part of a page kept for everybody
who may see the same thing (portal/fragments.py explains the keys and their lifetime).

The key is the name, the values given, and the reader's visibility (``viewer_key``),
besides the data versions, the language and the time zone. Put inside only what is the
same for everyone with the same visibility: never the reader's own registration or name.
"""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.template.base import FilterExpression, Node, NodeList, Parser, Token

from portal import fragments, page_cache

register = template.Library()


class FragmentNode(Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        # Off (the test suite, the embedded default): not even the reader's roles are asked,
        # so a page with fragments runs the queries it ran without them.
        if request is None or fragments.seconds() <= 0:
            return self.nodelist.render(context)
        values = [variable.resolve(context) for variable in self.vary]
        key = fragments.key(str(self.name.resolve(context)), fragments.viewer_key(request.user), *values)
        if key is None:
            return self.nodelist.render(context)
        html = fragments.kept(key)
        if html is fragments.MISSING:
            # Rendered with the placeholder, so no reader's CSRF token is kept in the cache.
            with context.push(csrf_token=page_cache.csrf_placeholder()):
                html = self.nodelist.render(context)
            fragments.keep(key, html)
        marker = page_cache.csrf_placeholder()
        return html.replace(marker, get_token(request)) if marker in html else html


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name: {% fragment \"name\" value … %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])
