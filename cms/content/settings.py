"""Site settings edited in the admin: check a new site.yml, find what uses a key, save it.

site.yml is hand-written and commented, and PyYAML cannot keep comments. So a save rewrites
only the top-level blocks whose value changed (``hotline: …``, ``streets:`` and its lines) and
leaves every other line as it was; comments inside a rewritten block are not kept. The file is
written atomically and committed with the admin as author, like an entry save.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .contrast import AA, WHITE, contrast
from .fields import COLOR_RE
from .model import Entry
from .reader import read_site
from .repo import Repo
from .store import Content, write_atomic
from .writer import Conflict, dump, fields_of, save, version_of

SITE_FILE = "site.yml"
# Each vocabulary, the name an admin knows it by, and the entry fields that hold its keys.
VOCABULARIES = {
    "news_categories": ("新闻栏目", (("news", "category"),)),
    "activity_brands": ("活动品牌", (("activities", "brand"),)),
    "station_types": ("阵地类型", (("stations", "type"),)),
    "amenities": ("服务设施", (("stations", "amenities"),)),
    "access": ("开放对象", (("stations", "access"),)),
    "streets": ("街道", (("activities", "street"), ("stations", "street"))),
}
COLOURED = ("activity_brands", "station_types")  # the vocabularies site.yml gives colours
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class Move:
    """Entries of a vocabulary moving from one key to another (before ``old`` goes)."""

    vocabulary: str
    old: str
    new: str


def site_path(root: Path) -> Path:
    return Path(root) / SITE_FILE


def site_version(root: Path) -> str:
    """Return the version of site.yml as it is now (compare-and-swap on save)."""
    return version_of(site_path(root).read_bytes())


def users(content: Content, vocabulary: str, key: str) -> list[Entry]:
    """Return the entries (any status) whose fields hold ``key`` of ``vocabulary``."""
    found = []
    for kind, name in VOCABULARIES[vocabulary][1]:
        for entry in content.entries.get(kind, {}).values():
            value = getattr(entry, name, "")
            if value == key or (isinstance(value, list) and key in value):
                found.append(entry)
    return sorted({id(e): e for e in found}.values(), key=lambda e: (e.kind, e.slug))


def tally_rows(content: Content, vocabulary: str, key: str) -> dict[int, int]:
    """Return, per year, how many rows of the activity tally use a brand or street key."""
    column = {"activity_brands": "brand", "streets": "street"}.get(vocabulary)
    if column is None:
        return {}
    counts = {
        year: sum(1 for row in tally.rows if getattr(row, column) == key)
        for year, tally in content.tallies.items()
    }
    return {year: n for year, n in counts.items() if n}


# colours ---------------------------------------------------------------------------------------
def contrast_on_white(color: str) -> float:
    """Return the WCAG contrast ratio of ``#rrggbb`` text on a white background."""
    return contrast(color, WHITE)


def darker(color: str) -> str:
    """Return the same hue darkened just enough to reach AA contrast on white."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(100, -1, -1):
        candidate = "#" + "".join(f"{round(c * step / 100):02x}" for c in rgb)
        if contrast_on_white(candidate) >= AA:
            return candidate
    return "#000000"


def colour_problem(color: str) -> str:
    """Return what is wrong with a colour in Chinese ("" when it is fine)."""
    if not COLOR_RE.match(color):
        return f"颜色“{color}”应写成 # 加六位十六进制数，如 #b71c1c"
    ratio = contrast_on_white(color)
    if ratio < AA:
        return (
            f"颜色 {color} 在白底上的对比度只有 {int(ratio * 100) / 100:g}:1，文字看不清"
            f"（至少要 {AA}:1）；可改用深一些的 {darker(color)}"
        )
    return ""


# writing site.yml ------------------------------------------------------------------------------
def block(name: str, value: object) -> str:
    """Return the YAML of one top-level setting, in the style site.yml is written in."""
    if name in VOCABULARIES:
        lines = [f"{name}:"]
        for key, spec in value.items():  # type: ignore[attr-defined]
            lines.append(f"  {key}: {_flow(spec)}")
        return "\n".join(lines) + "\n"
    if name == "menu":
        return "menu:\n" + "".join(f"  - {_flow(item)}\n" for item in value)  # type: ignore[attr-defined]
    return yaml.safe_dump({name: value}, allow_unicode=True, width=1000)


def _flow(mapping: dict) -> str:
    text = yaml.safe_dump(mapping, allow_unicode=True, default_flow_style=True, width=1000)
    return text.strip()


def replace_blocks(text: str, blocks: dict[str, str]) -> str:
    """Put each block in place of the same top-level key's lines; append the new ones.

    A block runs from its key to the next top-level key, less the blank and comment lines just
    before that key (they belong to it).
    """
    lines = text.splitlines(keepends=True)
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
    spans: dict[str, tuple[int, int]] = {}
    for n, (start, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        spans[key] = (start, end)
    out = list(lines)
    for key, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):
        if key in blocks:
            out[start:end] = [blocks[key]]
    tail = "".join(out)
    for key, new in blocks.items():
        if key not in spans:
            tail = tail.rstrip("\n") + "\n" + ("\n" if "\n  " in new else "") + new
    return tail


def updated_text(text: str, data: dict) -> str:
    """Return site.yml's text with the settings in ``data`` that changed rewritten."""
    old = yaml.safe_load(text) or {}
    changed = {name: block(name, value) for name, value in data.items() if old.get(name) != value}
    return replace_blocks(text, changed) if changed else text


def check_text(root: Path, text: str) -> list[str]:
    """Return the problems the build would find in ``text`` as site.yml ([] when fine)."""
    # Beside site.yml, named like an atomic write's temp file: git and the admin pass it over.
    handle, name = tempfile.mkstemp(prefix=".site.yml.", suffix=".tmp", dir=root)
    probe = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    try:
        _, problems = read_site(probe)
    finally:
        probe.unlink(missing_ok=True)
    return [p.message for p in problems]


def write_site(
    root: Path, text: str, expected: str, author: str, author_name: str = "", action: str = "save"
) -> str:
    """Write site.yml if it is still at version ``expected`` and commit it; return the version.

    Raises Conflict (nothing written) when someone saved it since.
    """
    path = site_path(root)
    data = text.encode("utf-8")
    repo = Repo(root)
    repo.ensure()
    with repo.locked():
        current = path.read_bytes()
        if version_of(current) != expected:
            raise Conflict(current.decode("utf-8", "replace"), version_of(current))
        if current != data:
            write_atomic(path, data)
            repo.commit_file(SITE_FILE, author, author_name or author, action)
    return version_of(data)


def move_entries(content: Content, move: Move, author: str) -> list[Entry]:
    """Save each entry using ``move.old`` with ``move.new`` instead (one normal save each)."""
    moved = []
    for entry in users(content, move.vocabulary, move.old):
        fields = fields_of(entry)
        for kind, name in VOCABULARIES[move.vocabulary][1]:
            if kind != entry.kind:
                continue
            value = fields.get(name)
            if isinstance(value, list):
                fields[name] = list(dict.fromkeys(move.new if v == move.old else v for v in value))
            elif value == move.old:
                fields[name] = move.new
        text = dump(entry.kind, fields, entry.body)
        save(content.root, entry.kind, entry.slug, text, entry.version, author)
        moved.append(entry)
    return moved


def history(root: Path) -> list:
    """Return the commits that changed site.yml, newest first (repo.Commit objects)."""
    return Repo(root).log(SITE_FILE)


def revision_text(root: Path, commit: str) -> str | None:
    data = Repo(root).show(commit, SITE_FILE)
    return data.decode("utf-8", "replace") if data is not None else None
