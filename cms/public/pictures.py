"""Images on the public pages: <picture> elements over renditions, and share images.

Covers are drawn by templates (``picture`` global); images in bodies are rewritten after the
sanitiser by the ``pictures`` filter, which only ever emits attributes built here from our own
rendition names and the already-escaped alt and title values, so the body stays as safe as the
sanitiser left it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from ..content import Content, Entry, Station
from ..content.library import MediaInfo, media_info
from ..render import LinkError
from ..render.images import Picture, Rendition, Renditions
from ..render.qr import qr_svg
from .links import make_resolver

# The widths an image is shown at, for the browser to choose a rendition before layout: the
# article column is 46rem at most inside 1rem margins; cards are one, two or three a row.
ARTICLE_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
CARD_SIZES = "(min-width: 64rem) 23rem, (min-width: 40rem) calc(50vw - 1.5rem), calc(100vw - 2rem)"
# A station's photos: the entrance across the column, the others two a row.
PHOTO_SIZES = "(min-width: 48rem) 23rem, calc(50vw - 1.5rem)"
SHARE_COLOUR = "#b71c1c"  # the theme's union red

# nh3 serialises every attribute in double quotes with '"' escaped, so these patterns see the
# sanitised markup exactly; nothing else reaches them.
# html5ever leaves "<" and ">" unescaped inside attribute values, so values are matched whole.
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_LONE_IMG = re.compile(rf"<p>\s*({_IMG.pattern})\s*</p>")  # an image on a line of its own


@dataclass(frozen=True)
class ShareImage:
    """What a page offers to share: an Open Graph image and a square WeChat thumbnail."""

    image: Rendition
    thumbnail: Rendition


class Pictures:
    """The images of one SiteData's live entries, with their renditions made on first use."""

    def __init__(
        self,
        content: Content,
        live: dict[str, dict[str, Entry]],
        renditions: Renditions,
        known: dict | None = None,
    ):
        self.content = content
        self.live = live
        self.renditions = renditions
        self._pictures: dict[str, Picture | None] = {}
        self._shares: dict[str, ShareImage] = {}  # cover reference ("" for none) -> share image
        self.used: set[str] = set()  # rendition names handed out, for pruning the cache
        # Media reference -> (its file's size, mtime and inode, the digest of its bytes, its
        # renditions or None). The builder keeps it between builds, so a build reads only the
        # media files that changed: a site's photos can be gigabytes.
        self.known = known if known is not None else {}
        self.looked: set[str] = set()  # references looked up here (the rest can be forgotten)

    def _look(self, ref: str) -> tuple[str, Picture | None] | None:
        """Return the digest of a media file's bytes and its renditions (None if it is not an
        image), reading the file only if it changed since it was last looked at; None if there
        is no such file."""
        path = self.content.media_file(ref)
        if path is None:
            return None
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        hit = self.known.get(ref)
        if hit is None or hit[0] != stamp:
            data = path.read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            hit = self.known[ref] = (stamp, digest, self.renditions.plan(data))
        self.looked.add(ref)
        return hit[1], hit[2]

    def file_digest(self, ref: str) -> str:
        """Return a digest of a media file's bytes ("" if there is no such file)."""
        looked = self._look(ref)
        return looked[0] if looked else ""

    def forget_unseen(self) -> None:
        """Forget the media files no lookup asked for (deleted ones, or no longer used)."""
        for ref in set(self.known) - self.looked:
            del self.known[ref]

    def picture(self, ref: str) -> Picture | None:
        """Return the renditions of a media reference (``media/2021/a.jpg``); None if unusable."""
        ref = ref.lstrip("/")
        if ref not in self._pictures:
            looked = self._look(ref)
            found = looked[1] if looked else None
            if found is not None and not self.renditions.is_cached(found):
                data = self._read(ref)  # encodes what is missing (the file as it is now)
                found = self.renditions.picture(data) if data else None
            self._pictures[ref] = found
            if found:
                self.used.update(found.names)
        return self._pictures[ref]

    def missing(self, entries: list[tuple[Entry, tuple[str, ...]]]) -> list[str]:
        """Return the images of these (entry, body links) whose renditions are not all cached."""
        refs = {
            ref
            for entry, links in entries
            if links or getattr(entry, "cover", "") or getattr(entry, "photos", ())
            for ref in self.refs(entry, links)
        }
        return sorted(
            ref
            for ref in refs
            if ref not in self._pictures
            and (looked := self._look(ref)) is not None
            and looked[1] is not None
            and not self.renditions.is_cached(looked[1])
        )

    def key(self, ref: str) -> str:
        """Return what a page showing this image depends on: its renditions and description."""
        found = self.picture(ref) if ref else None
        if not found:
            return ""
        info = self.info(ref)
        if info == MediaInfo():
            return found.digest
        return f"{found.digest}|{info.alt}|{info.caption}|{info.focus}"

    def info(self, ref: str) -> MediaInfo:
        """Return the media library's description of an image (alt, caption, focal point)."""
        return media_info(self.content.root / "media", ref.lstrip("/"))

    def share(self, entry: Entry | None) -> ShareImage:
        """Return the share image of a page: its cover when large enough, else the default."""
        cover = getattr(entry, "cover", "").lstrip("/") if entry is not None else ""
        if cover not in self._shares:
            found = self.picture(cover) if cover else None
            if found and found.shareable:
                focus = self.info(cover).focus
                thumbnail = self.renditions.share_thumbnail(lambda: self._read(cover), found, focus)
                share = ShareImage(found.largest, thumbnail)
            else:
                share = ShareImage(*self.renditions.default_share(SHARE_COLOUR))
            self.used.update((share.image.name, share.thumbnail.name))
            self._shares[cover] = share
        return self._shares[cover]

    def body_refs(self, entry: Entry, links: tuple[str, ...]) -> list[str]:
        """Return the media references among a rendered body's links, in order."""
        if not links:
            return []
        resolve = make_resolver(self.content, self.live, entry.source)
        refs = []
        for link in links:
            try:
                path = resolve(link).partition("#")[0]
            except LinkError:
                continue
            if path.startswith("/media/") and path[1:] not in refs:
                refs.append(path[1:])
        return refs

    def names(self, entries: list[tuple[Entry, tuple[str, ...]]]) -> list[str]:
        """Return every rendition the pages of these (entry, body links) show, sorted."""
        for entry, links in entries:
            for ref in self.refs(entry, links):
                self.picture(ref)
            if entry.kind in ("news", "activities"):
                self.share(entry)
        self.share(None)
        return sorted(self.used)

    def refs(self, entry: Entry, links: tuple[str, ...]) -> list[str]:
        """Return the media references an entry's page shows: its cover or photos, then its
        body's."""
        cover = getattr(entry, "cover", "")
        photos = [ref.lstrip("/") for ref in getattr(entry, "photos", ())]
        return ([cover.lstrip("/")] if cover else []) + photos + self.body_refs(entry, links)

    def _read(self, ref: str) -> bytes:
        # Not kept: a site's media can be far larger than the memory a build should take.
        path = self.content.media_file(ref)
        return path.read_bytes() if path is not None else b""


def _pictures() -> Pictures:
    return current_app.extensions["yizhan"].pictures


def rendition_url(name: str, absolute: bool = False) -> str:
    """Return the address of a rendition, with the site's base URL when ``absolute``."""
    if absolute:
        return current_app.extensions["yizhan"].site.url(f"/media/r/{name}")
    return url_for("public.rendition", name=name)


def picture_markup(
    found: Picture,
    alt: str,
    sizes: str,
    css_class: str = "",
    eager: bool = False,
    title: str = "",
) -> Markup:
    """Return a <picture> with WebP and fallback srcsets; alt and title must be escaped already."""

    def srcset(renditions: tuple[Rendition, ...]) -> str:
        return ", ".join(f"{rendition_url(r.name)} {r.width}w" for r in renditions)

    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    extra = (f' class="{css_class}"' if css_class else "") + (f' title="{title}"' if title else "")
    return Markup(  # noqa: S704 - built from our own names; alt and title arrive escaped
        f'<picture><source type="image/webp" srcset="{srcset(found.webp)}" sizes="{sizes}">'
        f'<img{extra} src="{rendition_url(found.src.name)}" srcset="{srcset(found.fallback)}"'
        f' sizes="{sizes}" width="{found.width}" height="{found.height}" alt="{alt}"'
        f' {loading} decoding="async"></picture>'
    )


def picture(
    ref: str, alt: str = "", sizes: str = ARTICLE_SIZES, css_class: str = "", eager: bool = False
) -> Markup:
    """Return the <picture> of a media reference, or a plain <img> when it has no renditions.

    The media library's alt text stands in for an empty ``alt``, and its focal point picks the
    part of a cropped cover (``card-cover``) that shows, through ``focus-x*``/``focus-y*`` classes.
    """
    info = _pictures().info(ref) if ref else MediaInfo()
    alt = alt or info.alt
    if info.focused and css_class:
        x, y = (round(f * 10) * 10 for f in info.focus)
        css_class += f" focus-x{x} focus-y{y}"
    found = _pictures().picture(ref)
    if found is None:
        src = url_for("public.media", ref=ref.lstrip("/").removeprefix("media/"))
        lazy = "" if eager else ' loading="lazy"'
        cls = f' class="{escape(css_class)}"' if css_class else ""
        return Markup(f'<img{cls} src="{escape(src)}" alt="{escape(alt)}"{lazy} decoding="async">')  # noqa: S704
    return picture_markup(found, str(escape(alt)), sizes, css_class, eager)


def pictures(html: str, eager_first: bool = False) -> Markup:
    """Turn the local images of a sanitised (and rooted) body into <picture> elements.

    Only the first image may be eager, and only when asked (a page without a cover, whose
    first image may be the largest thing on screen); the rest load lazily.
    """
    root = request.script_root
    state = {"eager": eager_first}

    def local(src: str) -> str:
        """Return the media reference an image's src names ("" for anything else)."""
        path = src[len(root) :] if root and src.startswith(root + "/") else src
        ok = path.startswith("/media/") and not path.startswith("/media/r/")
        return unquote(path[1:]) if ok else ""

    def figure(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(2)))
        ref = local(attributes.get("src", ""))
        caption = _pictures().info(ref).caption if ref else ""
        if not caption:
            return match.group(0)
        return f"<figure>{match.group(1)}<figcaption>{escape(caption)}</figcaption></figure>"

    def replace(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        ref = local(attributes.get("src", ""))
        found = _pictures().picture(ref) if ref else None
        if found is None:
            return match.group(0)
        eager, state["eager"] = state["eager"], False
        alt, title = attributes.get("alt", ""), attributes.get("title", "")
        alt = alt or str(escape(_pictures().info(ref).alt))
        return picture_markup(found, alt, ARTICLE_SIZES, "", eager, title)

    html = _LONE_IMG.sub(figure, str(html))
    return Markup(_IMG.sub(replace, html))  # noqa: S704 - see the module docstring


def thumbnails(pictures: Pictures, stations: Iterable[Station]) -> dict[str, tuple[str, str]]:
    """Return, by slug, the smallest WebP and JPEG renditions of each station's first photo
    (the entrance), for the finder's rows."""
    found = {}
    for station in stations:
        picture = pictures.picture(station.photos[0]) if station.photos else None
        if picture is not None:
            found[station.slug] = (
                rendition_url(picture.webp[0].name),
                rendition_url(picture.fallback[0].name),
            )
    return found


def share_image(entry: Entry | None = None) -> dict[str, object]:
    """Return the absolute URLs and sizes of a page's share image and WeChat thumbnail."""
    share = _pictures().share(entry)
    return {
        "url": rendition_url(share.image.name, absolute=True),
        "type": share.image.mime,
        "width": share.image.width,
        "height": share.image.height,
        "thumbnail": rendition_url(share.thumbnail.name),
        "thumbnail_size": share.thumbnail.width,
    }


def share_qr(url: str, title: str) -> Markup:
    """Return an SVG QR code of a page's address, titled for screen readers."""
    # A translated title arrives as Markup with its values escaped; qr_svg escapes it again.
    text = title.unescape() if isinstance(title, Markup) else title
    return Markup(qr_svg(url, text))  # noqa: S704 - qr_svg escapes the title


def register(app: Flask) -> None:
    """Install the picture and sharing helpers on a Flask app."""
    app.jinja_env.filters["pictures"] = pictures
    app.jinja_env.globals.update(
        picture=picture,
        share_image=share_image,
        share_qr=share_qr,
        CARD_SIZES=CARD_SIZES,
        PHOTO_SIZES=PHOTO_SIZES,
        ARTICLE_SIZES=ARTICLE_SIZES,
    )
