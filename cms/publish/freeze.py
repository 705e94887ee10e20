"""Freeze the public app with Frozen-Flask: every address, or only those whose token changed.

Addresses come from the page kinds the public app declares (``cms.public.kinds``), never from
crawling, so a page that is skipped because it is unchanged still has its links accounted for.
Rendering is sharded over processes forked from the builder, which share the loaded content and
rendered bodies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_frozen import Freezer

from ..public.app import site_data
from ..public.assets import static_files
from ..public.data import SiteData
from ..public.kinds import Scope, kinds_of, other_addresses, sitemap_pages, undeclared
from ..public.shown import face
from .linkcheck import links_in
from .parallel import fork_shards
from .tokens import Tokens

# Below this many pages, forking workers costs more than it saves.
PARALLEL_FROM = 400

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Target:
    """One address to freeze and the token of what it shows (None: always render)."""

    key: str
    endpoint: str
    values: dict
    token: str | None


@dataclass
class Plan:
    """Every address of one build with its token, and what they were worked out from.

    Kept as columns, one item per address: the build cache brings the plan back in every
    fresh process, and 35,000 small objects would take longer to make again than the edit
    they serve. ``target(i)`` gives one address as a ``Target``.
    """

    keys: list[str]
    endpoints: list[str]
    values: list[dict]
    tokens: list[str | None]
    version: str  # code, theme and site.yml
    live: dict[str, list]  # kind -> live entries, in list order
    states: dict[str, str]  # activity slug -> state at the build's time
    reused: bool = False  # brought up to date from the builder's previous plan

    @classmethod
    def of(cls, targets: list[Target], version: str, live: dict, states: dict) -> Plan:
        return cls(
            [t.key for t in targets],
            [t.endpoint for t in targets],
            [t.values for t in targets],
            [t.token for t in targets],
            version,
            live,
            states,
        )

    def target(self, i: int) -> Target:
        return Target(self.keys[i], self.endpoints[i], self.values[i], self.tokens[i])


def plan(app: Flask, version: str = "", previous: Plan | None = None) -> Plan:
    """Return every address of the site, pages first, each with its token.

    With the ``previous`` plan of this builder, an edit that changes only what an entry's own
    pages show (its body, say) reuses that plan: the addresses are the same, and only the
    tokens of the edited entries' pages and of the site-wide files are worked out again.
    """
    data = site_data(app)
    reused = _reuse(app, data, version, previous) if previous is not None else None
    if reused is not None:
        return reused
    if rules := undeclared(app):
        # Its pages would be missing from the release, the sitemap and the link check.
        raise ValueError(f"URL rules without a page-kind declaration: {', '.join(rules)}")
    kinds = kinds_of(app)
    tokens = Tokens(data, kinds)
    addresses = [(e, v) for e, v, _ in sitemap_pages(kinds.values(), data)]
    addresses += list(other_addresses(kinds.values(), data))
    targets = [
        Target(_key(endpoint, values), endpoint, values, tokens.token(endpoint, values))
        for endpoint, values in addresses
    ]
    for name, file in static_files(app).items():
        raw = file if isinstance(file, bytes) else file.read_bytes()
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        targets.append(
            Target(_key("static", {"filename": name}), "static", {"filename": name}, digest)
        )
    return Plan.of(targets, version, _live(data), _states(data))


def _live(data: SiteData) -> dict[str, list]:
    return {"news": data.news, "activities": data.activities, "stations": data.stations,
            "pages": data.pages}  # fmt: skip


def _states(data: SiteData) -> dict[str, str]:
    return {a.slug: a.state(data.now) for a in data.activities}


def _reuse(app: Flask, data: SiteData, version: str, previous: Plan) -> Plan | None:
    """Return the previous plan brought up to date, or None when it cannot be reused.

    It can when the settings, the code, the clock's effect on activities and the list of live
    entries (in order) are the same, and every entry that changed is a news or an activity
    whose face (everything other pages show of it, ``shown.face``) is the same: then only the
    tokens of the pages declared with a scope other than FACES can have changed.
    """
    if version != previous.version or _states(data) != previous.states:
        return None
    live = _live(data)
    changed: set[tuple[str, str]] = set()
    for kind, entries in live.items():
        before = previous.live[kind]
        if len(entries) != len(before):
            return None
        for old, new in zip(before, entries, strict=True):
            if old is new:
                continue
            if old.slug != new.slug:
                return None
            old_face, new_face = face(old, data), face(new, data)
            if old_face is None or old_face != new_face:
                return None
            changed.add((kind, new.slug))
    kinds = kinds_of(app)
    tokens = Tokens(data, kinds)
    new_tokens = list(previous.tokens)
    for i, endpoint in enumerate(previous.endpoints):
        kind = kinds.get(endpoint)
        if kind is None or kind.scope is Scope.FACES:
            continue
        values = previous.values[i]
        if kind.scope is Scope.ENTRY and (kind.entry_kind, values.get("slug")) not in changed:
            continue
        new_tokens[i] = tokens.token(endpoint, values)
        if kind.scope is Scope.FILE and new_tokens[i] != previous.tokens[i]:
            return None  # a media file changed: its renditions are named anew
    return Plan(
        previous.keys,
        previous.endpoints,
        previous.values,
        new_tokens,
        version,
        live,
        previous.states,
        reused=True,
    )


def _key(endpoint: str, values: dict) -> str:
    return endpoint + "|" + "&".join(f"{k}={values[k]}" for k in sorted(values))


@dataclass
class Frozen:
    """What a freeze wrote: {target key: file}, and {link target: message} of its pages."""

    files: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    def add(self, other: Frozen) -> None:
        self.files.update(other.files)
        for target, message in other.links.items():
            self.links.setdefault(target, message)


def freeze(
    app: Flask,
    destination: Path,
    targets: list[Target],
    jobs: int = 1,
    progress: Progress | None = None,
) -> Frozen:
    """Render ``targets`` into ``destination``; collect the files and the links of new pages."""
    data = site_data(app)
    app.config.update(
        FREEZER_DESTINATION=str(Path(destination).absolute()),
        FREEZER_BASE_URL=data.site.base_url,
        FREEZER_REMOVE_EXTRA_FILES=False,  # each release starts empty
        FREEZER_REDIRECT_POLICY="error",
        # Feeds, and JSON schemas, are served with a more precise type than their extension says
        # (as deploy/nginx.conf and the site server give them; tests/build/test_site.py reads the
        # types over HTTP), which Frozen-Flask would warn of for every build.
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
    )
    jobs = max(1, min(jobs, len(targets) // (PARALLEL_FROM // 2) or 1))
    if jobs == 1:
        frozen = Frozen()
        for batch in _freeze_shard(app, destination, targets, progress):
            frozen.add(batch)
        return frozen
    return _freeze_parallel(app, destination, targets, jobs, progress)


class _Freezer(Freezer):
    """Frozen-Flask without its check that every endpoint got an address.

    A shard holds some endpoints only, and the page kinds (``plan`` refuses an undeclared URL
    rule) already list every address of the site. Silencing the warning instead would take
    ``warnings.catch_warnings``, which is not thread-safe, and the admin builds in a thread.
    """

    def _check_endpoints(self, seen_endpoints: set) -> None:
        del seen_endpoints  # every endpoint's addresses come from the page kinds


def _freeze_shard(
    app: Flask,
    destination: Path,
    targets: list[Target],
    progress: Progress | None = None,
    batch_size: int = 200,
) -> Iterator[Frozen]:
    """Freeze targets in order, yielding what was written every ``batch_size`` files."""
    freezer = _Freezer(
        app, with_static_files=False, with_no_argument_rules=False, log_url_for=False
    )
    prefix = urlsplit(site_data(app).site.base_url).path.rstrip("/")

    @freezer.register_generator
    def shard() -> Iterator[tuple[str, dict]]:
        for target in targets:
            yield target.endpoint, target.values

    batch = Frozen()
    pages = freezer.freeze_yield()
    for done, (target, page) in enumerate(zip(targets, pages, strict=True), 1):
        path = page.path.as_posix()
        batch.files[target.key] = path
        if path.endswith(".html"):
            # Checked here, in the worker, so parsing every page is spread over the cores.
            message = f"/{path}: broken link "
            for link, ref in links_in(destination, destination / path, prefix).items():
                batch.links.setdefault(link, message + ref)
        if progress:
            progress(done, len(targets), page.url)
        if len(batch.files) >= batch_size:
            yield batch
            batch = Frozen()
    yield batch


def _freeze_parallel(
    app: Flask, destination: Path, targets: list[Target], jobs: int, progress: Progress | None
) -> Frozen:
    """Freeze every jobs-th target here and the others in ``jobs - 1`` forked workers.

    The first target of each endpoint is frozen here before the fork: what its page loads on
    first use (compiled templates, locale data, the map library) is then loaded once and
    shared by the workers instead of loaded again, in memory of its own, by each of them.
    """
    firsts: dict[str, Target] = {}
    for target in targets:
        firsts.setdefault(target.endpoint, target)
    frozen = Frozen()
    for batch in _freeze_shard(app, destination, list(firsts.values())):
        frozen.add(batch)
    before = len(frozen.files)
    rest = [t for t in targets if firsts[t.endpoint] is not t]

    def shard(index: int) -> Iterator[Frozen]:
        return _freeze_shard(app, destination, rest[index::jobs])

    ours = [before]

    def here(batch: Frozen, theirs: list[Frozen]) -> None:
        ours[0] += len(batch.files)
        if progress:
            done = ours[0] + sum(len(b.files) for b in theirs)
            progress(done, len(targets), next(reversed(batch.files.values()), ""))

    for batch in fork_shards(shard, jobs, here):
        frozen.add(batch)
    return frozen
