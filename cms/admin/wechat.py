"""An article as the 公众号 editor takes it: HTML with every style inline, images at full URLs.

The 公众号 editor keeps inline ``style`` attributes and drops stylesheets and classes, so each
element of the sanitised body gets its look written on it. Image and link addresses become the
public site's absolute URLs, from which the 公众号 editor copies the images itself.
"""

from __future__ import annotations

import lxml.html

from ..content import Content
from ..public.links import make_resolver
from ..render import render_markdown

STYLES = {
    "h2": "font-size:18px;font-weight:bold;color:#b71c1c;border-left:4px solid #b71c1c;"
    "padding-left:8px;margin:24px 0 12px;line-height:1.5;",
    "h3": "font-size:17px;font-weight:bold;color:#333;margin:20px 0 10px;line-height:1.5;",
    "h4": "font-size:16px;font-weight:bold;color:#333;margin:16px 0 8px;",
    "p": "margin:0 0 16px;text-align:justify;",
    "img": "display:block;max-width:100%;height:auto;margin:12px auto;",
    "figure": "margin:0 0 16px;",
    "figcaption": "font-size:13px;color:#888;text-align:center;margin-top:4px;",
    "blockquote": "margin:0 0 16px;padding:8px 12px;border-left:3px solid #ddd;color:#666;"
    "background:#f7f7f7;",
    "ul": "margin:0 0 16px;padding-left:2em;",
    "ol": "margin:0 0 16px;padding-left:2em;",
    "li": "margin:0 0 6px;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;",
    "th": "border:1px solid #ddd;padding:6px 8px;background:#f5f5f5;font-weight:bold;",
    "td": "border:1px solid #ddd;padding:6px 8px;",
    "a": "color:#576b95;text-decoration:none;",
    "strong": "font-weight:bold;",
    "hr": "border:0;border-top:1px solid #ddd;margin:24px 0;",
}
WRAPPER = "font-size:16px;line-height:1.75;color:#333;letter-spacing:0.5px;"


def wechat_html(content: Content, kind: str, body: str) -> tuple[str, list[str]]:
    """Return the body as 公众号-ready HTML and the links that could not be resolved."""
    base = content.site.base_url.rstrip("/")
    resolve = make_resolver(content, content.entries, f"{kind}/_.md", base)
    rendered, broken = render_markdown(body, resolve)
    tree = lxml.html.fragment_fromstring(rendered.html or "<p></p>", create_parent="section")
    tree.set("style", WRAPPER)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("class", "id"):
            element.attrib.pop(name, None)
        if element.tag in STYLES:
            element.set("style", STYLES[element.tag])
        if element.tag == "img":
            for name in ("loading", "decoding", "srcset", "sizes"):
                element.attrib.pop(name, None)
    return lxml.html.tostring(tree, encoding="unicode"), [b.reason for b in broken]
