"""Links between entries, checked where they are made so that one entry never blocks another.

A save is refused while the entry points at something missing, or (when it will be live) at
something not published; a withdrawal or a deletion first lists the live entries that point at
what goes, so that they can be withdrawn with it instead of breaking the next publish.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import html as lxml_html

from ..content import Activity, Content, Entry
from ..public.links import make_resolver
from ..public.urls import entry_path
from ..render.markdown import LinkError, is_internal, render_markdown

KIND_NAMES = {"news": "新闻", "activities": "活动", "stations": "服务阵地", "pages": "页面"}
_NOT_LIVE = re.compile(r"no published (?P<kind>\w+) entry '(?P<slug>[^']+)'")


@dataclass(frozen=True)
class Refusal:
    """One broken reference of a form: the field it is made in, and what to tell the editor."""

    field: str
    message: str


def refusals(
    content: Content, entry: Entry, fields: dict, body: str, now: dt.datetime
) -> list[Refusal]:
    """Return what the entry about to be saved points at that is missing or not published.

    Not published counts only when the entry itself will be live: a draft may link to a draft.
    """
    live = entry.status == "published"
    found: list[Refusal] = []
    station = fields.get("station") or ""
    if entry.kind == "activities" and station:
        target = content.get("stations", station)
        if target is None:
            found.append(Refusal("station", f"没有网址名为 {station} 的服务阵地"))
        elif live and target.status != "published":
            found.append(
                Refusal(
                    "station",
                    f"服务阵地《{target.title_text}》还没有发布：请先发布它，或改选其他服务阵地",
                )
            )
    cover = fields.get("cover") or ""
    if cover and content.media_file(cover) is None:
        found.append(Refusal("cover", f"媒体库里没有 {cover}"))
    missing = [ref for ref in fields.get("photos") or () if content.media_file(ref) is None]
    if missing:
        found.append(Refusal("photos", f"媒体库里没有 {'、'.join(missing)}"))
    found.extend(_body(content, entry, body, now, live))
    return found


def _body(content: Content, entry: Entry, body: str, now: dt.datetime, live: bool) -> list[Refusal]:
    """Check the body's links as the build will, including those written as raw HTML."""
    reachable = {
        kind: {
            slug: e
            for slug, e in bucket.items()
            if not live or e.is_live(now) or (kind, slug) == (entry.kind, entry.slug)
        }
        for kind, bucket in content.entries.items()
    }
    reachable.setdefault(entry.kind, {})[entry.slug] = entry
    resolve = make_resolver(content, reachable, entry.source)
    made: set[str] = set()

    def recording(ref: str) -> str:
        made.add(path := resolve(ref))
        return path

    rendered, broken = render_markdown(body, recording)
    found = [Refusal("body", _say(content, b.ref, b.line, b.reason)) for b in broken]
    # Raw HTML (<img src=x>) passes the Markdown link check; the built site's check would not.
    for ref in _raw_refs(rendered.html, made):
        try:
            resolve(ref)
        except LinkError as exc:
            found.append(Refusal("body", _say(content, ref, _line_of(body, ref), str(exc))))
    return found


def _raw_refs(html: str, made: set[str]) -> list[str]:
    if not html.strip():
        return []
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    refs = []
    for tag, attr in (("a", "href"), ("img", "src")):
        for element in tree.iter(tag):
            ref = element.get(attr)
            if ref and is_internal(ref) and ref not in made and ref not in refs:
                refs.append(ref)
    return refs


def _line_of(body: str, ref: str) -> int:
    for number, line in enumerate(body.splitlines(), 1):
        if ref in line:
            return number
    return 1


def _say(content: Content, ref: str, line: int, reason: str) -> str:
    """Say a broken link of the body in Chinese, with the title of what it points at."""
    where = f"正文第 {line} 行"
    found = _NOT_LIVE.search(reason)
    if found:
        target = content.get(found.group("kind"), found.group("slug"))
        kind = KIND_NAMES.get(found.group("kind"), "")
        if target is not None:
            return (
                f"{where}链接的{kind}《{target.title_text}》还没有发布：请先发布它，或删去这个链接"
            )
        return f"{where}链接的{kind} {found.group('slug')} 不存在（{ref}）"
    if "no such media file" in reason:
        return f"{where}的 {ref} 不在媒体库里：请从媒体库插入"
    if "no published page at this address" in reason:
        return f"{where}链接的网址 {ref} 在网站上没有页面"
    return f"{where}的链接 {ref} 无效：请用媒体库或“插入链接”生成，如 ../news/网址名.md"


def referrers(content: Content, target: Entry) -> list[Entry]:
    """Return the live entries that would break if ``target`` went: those that name it, and
    (since they would go too) those that name them, and so on."""
    going = {(target.kind, target.slug)}
    found: list[Entry] = []
    queue = [target]
    while queue:
        gone = queue.pop()
        for entry in _pointing_at(content, gone):
            if (entry.kind, entry.slug) not in going:
                going.add((entry.kind, entry.slug))
                found.append(entry)
                queue.append(entry)
    return found


def _pointing_at(content: Content, target: Entry) -> list[Entry]:
    """Return the published entries (live or scheduled) whose station or body names ``target``."""
    file_ref, page_ref = f"{target.kind}/{target.slug}.md", f"]({entry_path(target)}"
    out = []
    for bucket in content.entries.values():
        for entry in bucket.values():
            if entry.status != "published":
                continue
            at_station = isinstance(entry, Activity) and entry.station == target.slug
            in_body = file_ref in entry.body or page_ref in entry.body
            if (at_station and target.kind == "stations") or in_body:
                out.append(entry)
    return out
