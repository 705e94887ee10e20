"""Page tokens: a digest of what a page shows (``PageKind.shows``). A page whose token is
unchanged since the live release need not be rendered again; an address whose kind is not
declared gets no token and is always rendered, which is slower but never wrong."""

from __future__ import annotations

import hashlib

from ..public.data import SiteData
from ..public.kinds import PageKind
from ..public.shown import Shown


class Tokens:
    """Compute page tokens for one SiteData; parts many pages share are computed once."""

    def __init__(self, data: SiteData, kinds: dict[str, PageKind]):
        self.kinds = kinds
        self.shown = Shown(data, kinds.values())

    def token(self, endpoint: str, values: dict) -> str | None:
        """Return the token of a page, or None when it must always be rendered."""
        kind = self.kinds.get(endpoint)
        if kind is None:
            return None
        parts = repr((endpoint, sorted(values.items()), kind.shows(self.shown, values)))
        return hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
