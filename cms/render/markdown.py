"""Turn an entry's Markdown body into sanitised HTML, a table of contents and its links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

__all__ = ["BrokenLink", "LinkError", "Rendered", "phone_spans", "render_markdown"]

Resolver = Callable[[str], str]

_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = _HEADINGS | {
    "p", "ul", "ol", "li", "a", "img", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "figure", "figcaption",
    "del", "sup", "sub", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    **{tag: {"id"} for tag in _HEADINGS},
    **{tag: {"class"} for tag in ("code", "pre", "span", "div")},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan", "data-label"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with their content, not just unwrapped into text.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form",
    "template", "noscript", "textarea", "select", "title",
}  # fmt: skip
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Browsers drop these anywhere in a URL, so "java\tscript:" is still a scheme.
_URL_NOISE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Phone numbers readers should be able to tap: a landline with its area code (0755-28900000),
# a 400 number, a mobile, or a 123xx public service hotline (12351, 12345, 12333 …). Latin
# letters, digits, a decimal point, a slash or a colon next to it mean a longer number, a date,
# a price or part of an address; a unit after a hotline (元, 人, 年 …) means a quantity.
# Chinese characters may touch it: 请拨打12351。
PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z_.,/:#=&%+-])"
    r"(?:0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4}|1[3-9]\d{9}"
    r"|123\d\d(?!\s*[元人个名万次年月日号件家条项台辆所张份%‰]))"
    r"(?![.,:-]?\d|[0-9A-Za-z_/:-])"
)
_URL_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\u3000-\u303f\uff00-\uffef]+", re.IGNORECASE)
# Text inside these is already a link, or code to be shown as written.
_NO_PHONE_LINKS = {"a", "code", "pre"}


class LinkError(ValueError):
    """Raised by a resolver when a reference points at nothing publishable."""


@dataclass(frozen=True)
class Rendered:
    """The HTML of one body with what a page template and the link checker need."""

    html: str
    toc: list[tuple[int, str, str]]  # (level, anchor id, heading text) for h2..h4
    links: tuple[str, ...]  # internal references, in order of first appearance


@dataclass(frozen=True)
class BrokenLink:
    """An internal reference the resolver refused; line is 1-based in the body."""

    ref: str
    line: int
    reason: str


def is_internal(ref: str) -> bool:
    """Tell whether a reference points inside the site (no scheme, not "//", not "#")."""
    ref = _URL_NOISE.sub("", ref).strip().replace("\\", "/")
    return not (ref == "" or ref.startswith(("#", "//")) or _SCHEME.match(ref))


class _DemoteH1(Treeprocessor):
    """Rename h1 to h2: the page title is the page's only h1."""

    def run(self, root: Element) -> None:
        for el in root.iter("h1"):
            el.tag = "h2"


class _ResolveLinks(Treeprocessor):
    """Rewrite internal href/src through the resolver, collecting refs and failures."""

    def __init__(self, md: markdown.Markdown, resolve: Resolver | None) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.links: dict[str, str | LinkError] = {}  # ref -> public path or the error

    def run(self, root: Element) -> None:
        for el, attr in _url_attributes(root):
            # Autolinked e-mail addresses arrive entity-encoded; decode to see the real target.
            ref = html.unescape(el.get(attr, "").replace(AMP_SUBSTITUTE, "&"))
            if not is_internal(ref):
                continue
            if ref not in self.links:
                self.links[ref] = self._resolve(ref)
            target = self.links[ref]
            if isinstance(target, LinkError):
                del el.attrib[attr]
            else:
                el.set(attr, target)

    def _resolve(self, ref: str) -> str | LinkError:
        if self.resolve is None:
            return ref
        try:
            return self.resolve(ref)
        except LinkError as error:
            return error


class _LinkPhones(Treeprocessor):
    """Wrap the phone numbers of the text in tel: links, so a reader on a phone can tap them."""

    def run(self, root: Element) -> None:
        self._walk(root)

    def _walk(self, el: Element) -> None:
        if el.tag in _NO_PHONE_LINKS:
            return
        children = list(el)
        if el.text:
            links, el.text = _phone_links(el.text)
            for offset, link in enumerate(links):
                el.insert(offset, link)
        for child in children:
            self._walk(child)
            if child.tail:
                links, child.tail = _phone_links(child.tail)
                at = list(el).index(child) + 1
                for offset, link in enumerate(links):
                    el.insert(at + offset, link)


class _LabelCells(Treeprocessor):
    """Give each body cell its column's heading, which a phone shows when rows become cards."""

    def run(self, root: Element) -> None:
        for table in root.iter("table"):
            head = table.find("thead/tr")
            if head is None:
                continue
            labels = ["".join(th.itertext()).strip() for th in head]
            for row in table.iterfind("tbody/tr"):
                for label, cell in zip(labels, row, strict=False):
                    if label:
                        cell.set("data-label", label)


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each phone number in text, outside web addresses."""
    urls = [m.span() for m in _URL_TEXT.finditer(text)]
    return [
        m.span()
        for m in PHONE_RE.finditer(text)
        if not any(start <= m.start() < end for start, end in urls)
    ]


def _phone_links(text: str) -> tuple[list[Element], str]:
    """Split text into what stays before the first number and tel: links with their tails."""
    spans = phone_spans(text)
    if not spans:
        return [], text
    links: list[Element] = []
    for index, (start, end) in enumerate(spans):
        number = text[start:end]
        link = Element("a", {"href": "tel:" + re.sub(r"\D", "", number)})
        link.text = number
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        link.tail = text[end:following]
        links.append(link)
    return links, text[: spans[0][0]]


def _url_attributes(root: Element) -> Iterator[tuple[Element, str]]:
    for el in root.iter():
        if el.tag == "a" and el.get("href") is not None:
            yield el, "href"
        elif el.tag == "img" and el.get("src") is not None:
            yield el, "src"


def _line_of(text: str, ref: str) -> int:
    """Return the first 1-based line containing ref, or 1 when it was written differently."""
    for number, line in enumerate(text.splitlines(), start=1):
        if ref in line:
            return number
    return 1


def _flatten_toc(tokens: list[dict]) -> Iterator[tuple[int, str, str]]:
    for token in tokens:
        yield token["level"], token["id"], html.unescape(token["name"])
        yield from _flatten_toc(token["children"])


def render_markdown(
    text: str, resolve: Resolver | None = None
) -> tuple[Rendered, list[BrokenLink]]:
    """Render a Markdown body to sanitised HTML, resolving internal links with resolve."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "attr_list", "sane_lists"],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
            "tables": {"use_align_attribute": True},
        },
    )
    # After attr_list (8), before toc (5) assigns ids and levels.
    md.treeprocessors.register(_DemoteH1(md), "demote_h1", 7)
    # After unescape (0), so backslash escapes in URLs are already undone.
    links = _ResolveLinks(md, resolve)
    md.treeprocessors.register(links, "resolve_links", -10)
    # After inline (20) has made the text's own links, so numbers inside them are left alone.
    md.treeprocessors.register(_LinkPhones(md), "link_phones", 6)
    md.treeprocessors.register(_LabelCells(md), "label_cells", 4)
    body = md.convert(text)
    clean = nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Character references such as &#1; decode to control characters that XML (feeds, the
    # API's lxml pass) refuses. Replaced, not dropped: "java&#1;script:" must not become a scheme.
    clean = _CONTROL.sub("\ufffd", clean)
    broken = [
        BrokenLink(ref, _line_of(text, ref), str(target))
        for ref, target in links.links.items()
        if isinstance(target, LinkError)
    ]
    toc = list(_flatten_toc(md.toc_tokens))
    return Rendered(html=clean, toc=toc, links=tuple(links.links)), broken
