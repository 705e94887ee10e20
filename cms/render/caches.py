"""What a builder keeps between the apps it makes: rendered bodies, related-news answers,
image renditions, what was learnt of media files and compiled templates.

The public app is made from content and a time; a builder hands it one ``Caches`` so that a
publish redoes only what changed. An app without one works alone (previews, tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .images import Renditions
from .markdown import BrokenLink, Rendered


@dataclass(slots=True)
class CachedBody:
    """One rendered body with what its links resolved to when it was rendered.

    ``outcomes`` maps each internal reference to its site path, or to ``"!" + reason`` when it
    did not resolve; ``checked_against`` is the digest of everything links could reach then
    (``SiteData.link_targets``): a body checked against the same digest needs no new check.
    """

    rendered: Rendered
    broken: list[BrokenLink]
    outcomes: dict[str, str]
    checked_against: str


class BodyCache:
    """Rendered bodies by key (a digest of the entry's file version and folder)."""

    def __init__(self) -> None:
        self.bodies: dict[bytes, CachedBody] = {}

    def __len__(self) -> int:
        return len(self.bodies)

    def get(self, key: bytes) -> CachedBody | None:
        return self.bodies.get(key)

    def put(self, key: bytes, body: CachedBody) -> None:
        self.bodies[key] = body

    def keep_only(self, used: set[bytes]) -> None:
        """Forget the bodies no live entry uses any more."""
        for key in set(self.bodies) - used:
            del self.bodies[key]


# {digest of the news order and tags: {slug: related slugs}}, see ``SiteData.related``.
RelatedMemo = dict[bytes, dict[str, list[str]]]


@dataclass
class Caches:
    """Everything a builder keeps for the apps it makes; each part may be left empty.

    ``remember_urls``: the app lives for one build, so it may make each address once.
    """

    bodies: BodyCache = field(default_factory=BodyCache)
    related: RelatedMemo = field(default_factory=dict)
    renditions: Renditions | None = None
    media: dict = field(default_factory=dict)  # see ``Pictures.known``
    templates: Path | None = None  # compiled Jinja templates, kept for the next process
    remember_urls: bool = False

    def keep_only(self, bodies: set[bytes], related: set[bytes]) -> None:
        """Forget the bodies and related-news answers the last build did not use."""
        self.bodies.keep_only(bodies)
        for key in set(self.related) - related:
            del self.related[key]
