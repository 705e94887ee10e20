"""Rich text pasted from the 公众号 editor, Word or a web page, turned into clean Markdown.

The clipboard's HTML is cleaned with lxml (comments, styles, scripts and Word's conditional
blocks go), its images are put in the media library like any upload — ``data:`` images always,
remote ones only when the admin is set to fetch them, with a timeout and the upload's size and
type checks — and html2text writes the Markdown: headings, lists, tables, bold, links, images.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import html2text
import lxml.etree
import lxml.html

from .library import remember_upload
from .media import MAX_BYTES, MediaError, store_upload

MAX_HTML = 5 * 1024 * 1024  # a long article with inline styles is well under this
MAX_IMAGES = 60
FETCH_TIMEOUT = 10  # seconds for each remote image
_DROPPED = (
    "script",
    "style",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "svg",
    "noscript",
)
MAX_HEADING = 40  # characters: a longer bold line is emphasis, not a heading
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")
_DATA_URI = re.compile(r"^data:(image/[a-z0-9.+-]+)?(;base64)?,(.*)$", re.I | re.S)


@dataclass
class Pasted:
    """The Markdown of a paste, the images stored from it, and what the editor should know."""

    markdown: str
    stored: list[str] = field(default_factory=list)  # media references, in order
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FetchPolicy:
    """Whether remote images are fetched, and whether hosts on this machine's networks count."""

    enabled: bool = False
    local: bool = False  # loopback and private addresses: for tests only, never in production
    timeout: float = FETCH_TIMEOUT


def paste_to_markdown(
    html: str, media_root: Path, now: dt.datetime, policy: FetchPolicy = FetchPolicy()
) -> Pasted:
    """Return the Markdown of pasted HTML, storing its images in the media library."""
    if len(html.encode("utf-8")) > MAX_HTML:
        raise MediaError(f"粘贴的内容超过 {MAX_HTML // (1024 * 1024)} MB，请分几次粘贴")
    result = Pasted("")
    try:
        tree = lxml.html.fromstring(html or "<p></p>")
    except (lxml.etree.ParserError, ValueError):
        result.markdown = ""
        return result
    _clean(tree)
    images = tree.xpath("//img")
    skipped_remote = 0
    for count, img in enumerate(images):
        source = (img.get("data-src") or img.get("src") or "").strip()
        for name in list(img.attrib):
            if name not in ("alt", "title"):
                del img.attrib[name]
        if count >= MAX_IMAGES:
            if count == MAX_IMAGES:
                result.warnings.append(f"一次最多导入 {MAX_IMAGES} 张图片，其余的请另行上传")
            img.drop_tree()
            continue
        ref, problem = _store(source, media_root, now, policy)
        if ref:
            result.stored.append(ref)
            img.set("src", "../" + ref)
        elif problem == "remote":
            skipped_remote += 1
            img.set("src", source)
        else:
            if problem:
                result.warnings.append(problem)
            img.drop_tree()
    if skipped_remote:
        result.warnings.append(
            f"{skipped_remote} 张网络图片没有下载，仍指向原网站（可能无法显示）："
            "请把图片另存后拖进正文，或请管理员开启“粘贴时下载网络图片”"
        )
    result.markdown = _markdown(lxml.html.tostring(tree, encoding="unicode"))
    return result


def _clean(tree: lxml.html.HtmlElement) -> None:
    _headings(tree)
    for comment in tree.xpath("//comment()"):  # Word's <!--[if gte mso 9]> blocks among them
        comment.drop_tree()
    for element in list(tree.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if ":" in tag:  # Word's o:p, v:shape…: keep their text
            element.drop_tag()
        elif tag.lower() in _DROPPED and element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str):
            for name in ("style", "class", "id", "lang"):
                element.attrib.pop(name, None)
    for paragraph in tree.xpath("//li/p | //td/p | //th/p"):  # the 公众号 editor wraps every item
        paragraph.tail = (
            (paragraph.tail or "") + " " if paragraph.getnext() is not None else paragraph.tail
        )
        paragraph.drop_tag()


def _headings(tree: lxml.html.HtmlElement) -> None:
    """Make headings of the short, all-bold, large paragraphs the 公众号 editor uses for them."""
    blocks = ".//p | .//section | .//div | .//h1 | .//h2 | .//h3 | .//h4 | .//ul | .//ol | .//table"
    for paragraph in tree.xpath(f"//p | //section[not({blocks})]"):
        text = paragraph.text_content().strip()
        if not text or len(text) > MAX_HEADING:
            continue
        plain = paragraph.xpath(
            ".//text()[normalize-space()][not(ancestor::strong or ancestor::b"
            " or ancestor::*[re:test(@style, 'font-weight:\\s*(bold|[6-9]00)')])]",
            namespaces={"re": "http://exslt.org/regular-expressions"},
        )
        styles = " ".join(e.get("style", "") for e in paragraph.iter() if isinstance(e.tag, str))
        sizes = [float(size) for size in _FONT_SIZE.findall(styles)]
        if plain or not sizes or max(sizes) < 17:
            continue
        paragraph.tag = "h2" if max(sizes) >= 20 else "h3"
    for bold in tree.xpath(
        "//*[self::h1 or self::h2 or self::h3 or self::h4]//*[self::strong or self::b]"
    ):
        bold.drop_tag()  # a heading is bold already: "## **标题**" would say it twice


def _store(source: str, media_root: Path, now: dt.datetime, policy: FetchPolicy) -> tuple[str, str]:
    """Return (media reference, "") for a stored image, or ("", why not)."""
    if not source:
        return "", ""
    try:
        if source.lower().startswith("data:"):
            data, name = _data_uri(source), "粘贴的图片"
        elif source.lower().startswith(("http://", "https://", "//")):
            if not policy.enabled:
                return "", "remote"
            url = "https:" + source if source.startswith("//") else source
            data, name = fetch_image(url, policy), Path(urlsplit(url).path).name or "网络图片"
        else:  # file:///C:/Users/…/clip_image001.png from Word: not reachable from here
            return "", "Word 文档里的图片无法随文字粘贴：请在 Word 中另存图片后拖进正文"
        ref = store_upload(media_root, name, data, now)
    except MediaError as exc:
        return "", f"有一张图片没有导入（{exc}）"
    remember_upload(media_root, ref, name)
    return ref, ""


def _data_uri(source: str) -> bytes:
    match = _DATA_URI.match(source)
    if not match or not match.group(1):
        raise MediaError("不是图片")
    payload = match.group(3)
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise MediaError(f"图片超过 {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return (
            base64.b64decode(payload, validate=False)
            if match.group(2)
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError):
        raise MediaError("图片数据已损坏") from None


def fetch_image(url: str, policy: FetchPolicy, opener: Callable = urllib.request.urlopen) -> bytes:
    """Download one remote image within the size cap and timeout; raise MediaError in Chinese."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaError("地址不是网页图片")
    _check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), policy)
    request = urllib.request.Request(
        url, headers={"User-Agent": "Yizhan-paste/1", "Accept": "image/*"}
    )
    try:
        with opener(request, timeout=policy.timeout) as response:
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if not kind.startswith("image/"):
                raise MediaError(f"对方返回的不是图片（{kind or '未知类型'}）")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise MediaError(f"图片超过 {MAX_BYTES // (1024 * 1024)} MB")
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError | socket.timeout):
            raise MediaError(f"下载超时（{policy.timeout:g} 秒）") from None
        raise MediaError(f"下载失败：{reason}") from None
    if len(data) > MAX_BYTES:
        raise MediaError(f"图片超过 {MAX_BYTES // (1024 * 1024)} MB")
    return data


def _check_host(host: str, port: int, policy: FetchPolicy) -> None:
    """Refuse addresses inside this machine's networks unless the policy allows them."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except OSError:
        raise MediaError(f"找不到主机 {host}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
            raise MediaError(f"不能从 {host} 下载")
        if (ip.is_loopback or ip.is_private or ip.is_reserved) and not policy.local:
            raise MediaError(f"不能从内部网络地址 {host} 下载")


# One paragraph, one line (Chinese has no spaces to wrap at); tables as pipe tables; "-" lists.
_HTML2TEXT = {
    "body_width": 0,
    "unicode_snob": True,
    "bypass_tables": False,
    "pad_tables": True,
    "ul_item_mark": "-",
    "emphasis_mark": "*",
    "strong_mark": "**",
    "inline_links": True,
    "wrap_links": False,
    "wrap_list_items": False,
    "protect_links": False,
}
_LIST_ITEM = re.compile(r"^( +)([-*+]|\d+\.) ", re.M)


def _indent(match: re.Match[str]) -> str:
    """Re-indent a list item: html2text nests by 2 spaces, Python-Markdown by 4."""
    level = max(0, len(match.group(1)) // 2 - 1)
    return " " * (4 * level) + match.group(2) + " "


def _markdown(html: str) -> str:
    converter = html2text.HTML2Text()
    for name, value in _HTML2TEXT.items():
        setattr(converter, name, value)
    text = converter.handle(html)
    # html2text spaces "**坂田街道** ，" for Latin words; Chinese runs on without a space.
    text = re.sub(r"(\*\*|\*) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])", r"\1", text)
    text = _LIST_ITEM.sub(_indent, text)
    text = re.sub(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)+\n", "\n\n", text)  # empty <p><br></p>
    return text.strip() + "\n"
