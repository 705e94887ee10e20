"""What the sanitiser takes out of a body, counted, so the preview can tell the editor.

A pasted iframe or red text vanishes from the page without a word otherwise. The body's
Markdown is turned into HTML as for the page, then every element and attribute the sanitiser
would not keep is counted.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import markdown

from .markdown import _SCHEME, _URL_NOISE, ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

# Attributes Markdown itself writes that the sanitiser drops without anything being lost.
_HARMLESS = {"id", "class", "rel", "target", "align", "data-label"}


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found[f"tag:{tag}"] += 1
            return
        kept = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.found["style:color" if "color" in value.lower() else "style"] += 1
            elif name.startswith("on"):
                self.found["event"] += 1
            elif name in ("href", "src") and name in kept:
                scheme = _SCHEME.match(_URL_NOISE.sub("", value).strip())
                if scheme and scheme.group()[:-1].lower() not in URL_SCHEMES:
                    self.found["scheme"] += 1
            elif name not in kept and name not in _HARMLESS:
                self.found[f"attr:{name}"] += 1


def removed_by_sanitiser(text: str) -> Counter[str]:
    """Count what sanitising would remove from Markdown ``text``.

    Keys: ``tag:iframe``, ``style:color`` (a colour), ``style``, ``event`` (an on… handler),
    ``scheme`` (a javascript: link), ``attr:x``.
    """
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "attr_list", "sane_lists"])
    counter = _Counter()
    counter.feed(html)
    counter.close()
    return counter.found
