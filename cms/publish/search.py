"""The search index: Pagefind reads a finished release and writes its ``/pagefind/`` bundle.

Pagefind's extended binary (from the ``pagefind[extended]`` package on PyPI) segments Chinese
into words at index time, so 爱心驿站 typed without spaces finds pages about 爱心驿站. The
templates say what to index: ``data-pagefind-body`` on the main content of detail pages (so
lists, the home page and posters are left out) and ``data-pagefind-filter`` for kind and news
category. The index is built from the files alone, after freezing, so it is the same whether
a page was rendered this time or hard-linked from the previous release.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

FOLDER = "pagefind"
# Files of the bundle that pages link to; the link check knows they come after freezing.
UI_FILES = (f"{FOLDER}/pagefind-ui.js", f"{FOLDER}/pagefind-ui.css")


class SearchIndexError(RuntimeError):
    """Raised when Pagefind is missing or fails; the message says why."""


@dataclass(frozen=True)
class Indexed:
    """What one indexing run did."""

    seconds: float


def binary() -> Path:
    """Return the Pagefind executable the ``pagefind`` package finds (extended first)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError(
            "Pagefind is not installed: pip install -r requirements.txt (pagefind[extended])"
        )
    return Path(found)


def write_index(site: Path, output: Path) -> Indexed:
    """Index the HTML files under ``site`` into ``output`` (a folder that must not exist yet)."""
    started = time.perf_counter()
    command = [str(binary()), "--site", str(site), "--output-path", str(output), "--silent"]
    # Pagefind also reads pagefind.yml/toml/json from its working directory: run it where
    # there is none, so a stray file cannot change what the site's index holds.
    done = subprocess.run(
        command, cwd=output.parent, capture_output=True, text=True, check=False, timeout=3600
    )
    if done.returncode != 0 or not all(
        (output / name.partition("/")[2]).is_file() for name in UI_FILES
    ):
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail or ["no output"]))
    return Indexed(time.perf_counter() - started)


def carry(previous: Path | None, release: Path) -> None:
    """Hard-link the previous release's index into a new one, so search works from the switch.

    The carried index is a build behind until ``replace`` puts the fresh one in its place.
    """
    source = previous / FOLDER if previous else None
    if source is None or not source.is_dir():
        return
    if _same_index(source, release / FOLDER):
        return  # a spare copy of the previous release brought its index along
    remove(release / FOLDER)
    for folder, _, names in os.walk(source):
        target = release / FOLDER / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, target / name)


def files(release: Path) -> list[str]:
    """Return the index's files in a release, relative to it (for a spare copy to link)."""
    found = []
    for folder, _, names in os.walk(release / FOLDER):
        relative = Path(folder).relative_to(release).as_posix()
        found += [f"{relative}/{name}" for name in names]
    return found


def _same_index(source: Path, copy: Path) -> bool:
    """Whether ``copy`` holds the very index of ``source`` (hard links: the same inodes)."""
    try:
        return all(
            os.stat(source / name.partition("/")[2]).st_ino
            == os.stat(copy / name.partition("/")[2]).st_ino
            for name in UI_FILES
        )
    except OSError:
        return False


def replace(release: Path, fresh: Path, discard) -> None:  # Callable[[Path], None]
    """Put ``fresh`` at ``release/pagefind``; the index it replaces goes to ``discard``.

    Two renames: a reader between them finds no index for a few microseconds, never a mix.
    """
    live = release / FOLDER
    if live.exists():
        old = fresh.with_name(fresh.name + ".old")
        os.rename(live, old)
        os.rename(fresh, live)
        discard(old)
    else:
        os.rename(fresh, live)


def remove(path: Path) -> None:
    """Delete a folder left by an indexing run that did not finish."""
    shutil.rmtree(path, ignore_errors=True)
