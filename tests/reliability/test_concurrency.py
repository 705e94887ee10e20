"""Twenty editors saving at once through gunicorn: every save is stored or refused, none lost.

Every save is a commit in the content folder's git repository; the revisions checked here are
read back from it.

The admin runs as in production (``gunicorn -w 4 cms.admin.wsgi:app``) on 127.0.0.1; each client
is its own session with its own login and CSRF token, loading the edit form before every save
and posting the version it loaded, as a browser would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from lxml import html

from cms.admin.accounts import Accounts
from cms.content import load, writer
from cms.content.repo import EXTERNAL
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 20
SAVES = 30
SHARED = "plenary-2026"  # the news entry every client saves in the first round
PASSWORD = "correct horse battery staple"
TIMEOUT = 60  # seconds for one request; a queue of 20 clients on 4 workers stays far below
MARKER = re.compile(r"\[(?:same|own)-c\d\d-(?:s\d\d|new)\]")


class Gunicorn:
    """The admin under gunicorn with four workers, on a port the kernel picks."""

    def __init__(self, content: Path, instance: Path, output: Path, log: Path):
        env = {
            **os.environ,
            "YIZHAN_CONTENT": str(content),
            "YIZHAN_INSTANCE": str(instance),
            "YIZHAN_OUTPUT": str(output),
        }
        self.log = log
        command = [
            sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", "127.0.0.1:0",
            "--chdir", str(ROOT), "--no-control-socket", "--timeout", "120",
            "--error-logfile", str(log), "cms.admin.wsgi:app",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = self._wait_until_listening()

    def _wait_until_listening(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log_text()}"
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.log_text())
            if found:
                url = found.group(1)
                try:
                    if requests.get(f"{url}/admin/login/", timeout=10).status_code == 200:
                        return url
                except requests.ConnectionError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not answer within 30 s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Tally:
    """What the server answered, per client: markers of stored and refused saves, oddities."""

    stored: list[str] = field(default_factory=list)
    loaded: dict[str, str] = field(default_factory=dict)  # marker -> version the form carried
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)


class Editor:
    """One editor in their own browser session: logs in once, then loads and saves forms."""

    def __init__(self, url: str, number: int):
        self.url = url
        self.number = number
        self.session = requests.Session()
        self.tally = Tally()

    def login(self) -> None:
        page = self.session.get(f"{self.url}/admin/login/", timeout=TIMEOUT)
        data = {**_form_values(page.text), "name": "editor", "password": PASSWORD}
        response = self.session.post(
            f"{self.url}/admin/login/", data=data, allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 302, (response.status_code, response.text[:500])

    def create(self, slug: str, marker: str) -> None:
        page = self.session.get(f"{self.url}/admin/news/new/", timeout=TIMEOUT)
        data = _form_values(page.text, "entry-form")
        data.update(
            slug=slug,
            title=f"并发测试条目 {self.number:02d}",
            category="service",
            body=f"新建。{marker}\n",
            action="save",
        )
        response = self.session.post(
            f"{self.url}/admin/news/new/", data=data, allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 302, (response.status_code, response.text[:2000])

    def save_many(self, slug: str, prefix: str) -> None:
        for number in range(SAVES):
            self.save(slug, f"[{prefix}-c{self.number:02d}-s{number:02d}]")

    def save(self, slug: str, marker: str) -> None:
        """Load the edit form, replace the body with a text of our own, post it; record the end."""
        url = f"{self.url}/admin/news/edit/?id={slug}"
        try:
            page = self.session.get(url, timeout=TIMEOUT)
            self.tally.statuses[page.status_code] += 1
            if page.status_code != 200:
                self.tally.errors.append(f"GET {slug}: HTTP {page.status_code}")
                return
            data = _form_values(page.text, "entry-form")
            data.update(body=f"第 {self.number:02d} 位编辑的保存。{marker}\n", action="save")
            self.tally.loaded[marker] = data["version"]
            response = self.session.post(url, data=data, allow_redirects=False, timeout=TIMEOUT)
        except requests.RequestException as exc:
            self.tally.errors.append(f"{marker}: {exc!r}")
            return
        self.tally.statuses[response.status_code] += 1
        if response.status_code == 302:
            self.tally.stored.append(marker)
        elif response.status_code == 409:
            kept = html.fromstring(response.text).get_element_by_id("mine").text or ""
            if marker in kept:
                self.tally.refused.append(marker)
            else:
                self.tally.errors.append(f"{marker}: the conflict page lost the text")
        else:
            self.tally.errors.append(f"{marker}: HTTP {response.status_code} {response.text[:300]}")


def _form_values(page: str, form_id: str | None = None) -> dict:
    """Return what a browser would post from a form (textareas lose their leading newline)."""
    doc = html.fromstring(page)
    form = doc.get_element_by_id(form_id) if form_id else doc.forms[0]
    textareas = {t.name for t in form.iter("textarea")}
    data: dict = {}
    for name, value in form.form_values():
        if name in textareas:
            value = value.removeprefix("\r\n").removeprefix("\n")
        data.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


def _run(editors: list[Editor], work) -> None:  # work(editor) runs in a thread
    """Run ``work`` for every editor in its own thread, all starting at the same moment."""
    start = threading.Barrier(len(editors))
    failures: list[BaseException] = []

    def body(editor: Editor) -> None:
        try:
            start.wait()
            work(editor)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=body, args=(e,)) for e in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _revisions(content: Path, slug: str) -> list[tuple[str, str]]:
    """Return the marker and version of every admin save of a news entry, oldest first, as
    the content repository's commits hold them (the file as it was before is left out)."""
    revisions = []
    for revision in reversed(writer.history(content, "news", slug)):
        if revision.author == EXTERNAL:
            continue
        assert revision.author == "editor", revision
        text = writer.revision_text(content, "news", slug, revision.id)
        found = MARKER.findall(text or "")
        assert len(found) == 1, (revision, found)
        revisions.append((found[0], writer.version_of(text.encode("utf-8"))))
    return revisions


def _assert_no_lost_update(revisions: list[tuple[str, str]], loaded: dict, base: str) -> None:
    """Check each stored save was made on the version the save before it left behind."""
    for marker, version in revisions:
        assert loaded.get(marker, base) == base, f"{marker} overwrote a version it never loaded"
        base = version


def _final_marker(content: Path, slug: str) -> str:
    return MARKER.findall((content / "news" / f"{slug}.md").read_text(encoding="utf-8"))[0]


@pytest.mark.slow
def test_twenty_editors_under_gunicorn_lose_no_save(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(DATA / "content", content)
    original = writer.version_of((content / "news" / f"{SHARED}.md").read_bytes())
    instance = tmp_path / "instance"
    Accounts(instance / "admin.sqlite3").add("editor", "editor", PASSWORD)
    server = Gunicorn(content, instance, tmp_path / "site", tmp_path / "gunicorn.log")
    started = time.monotonic()
    try:
        editors = [Editor(server.url, number) for number in range(CLIENTS)]
        _run(editors, Editor.login)

        # Round 1: everyone saves the same entry; most saves must be refused, none lost.
        _run(editors, lambda e: e.save_many(SHARED, "same"))
        same = [e.tally for e in editors]
        for editor in editors:
            editor.tally = Tally()

        # Round 2: one entry each, created through the admin; no save may be refused.
        slugs = {e.number: f"concurrency-{e.number:02d}" for e in editors}
        _run(editors, lambda e: e.create(slugs[e.number], f"[own-c{e.number:02d}-new]"))
        _run(editors, lambda e: e.save_many(slugs[e.number], "own"))
        own = [e.tally for e in editors]
    finally:
        elapsed = time.monotonic() - started
        server.stop()
    log = server.log_text()

    errors = [error for tally in same + own for error in tally.errors]
    assert errors == [], errors[:10]
    assert not re.search(r"Traceback|\[ERROR\]|\[CRITICAL\]", log), log[-5000:]
    statuses = sum((t.statuses for t in same + own), Counter())
    assert set(statuses) <= {200, 302, 409}, statuses

    # Round 1: the revisions hold exactly the stored texts, once each; the rest were refused.
    stored = [m for t in same for m in t.stored]
    refused = [m for t in same for m in t.refused]
    assert len(stored) + len(refused) == CLIENTS * SAVES
    assert stored, "no save to the shared entry got through"
    revisions = _revisions(content, SHARED)
    assert Counter(m for m, _ in revisions) == Counter(stored)
    loaded = {m: v for t in same for m, v in t.loaded.items()}
    _assert_no_lost_update(revisions, loaded, original)
    assert _final_marker(content, SHARED) == revisions[-1][0]

    # Round 2: every save stored, each entry's history is its creation plus its own saves.
    assert [len(t.refused) for t in own] == [0] * CLIENTS
    for number, tally in enumerate(own):
        slug = slugs[number]
        assert len(tally.stored) == SAVES
        revisions = _revisions(content, slug)
        assert [m for m, _ in revisions] == [f"[own-c{number:02d}-new]", *tally.stored]
        _assert_no_lost_update(revisions, tally.loaded, "")
        assert _final_marker(content, slug) == tally.stored[-1]

    # Nothing half-written: every file parses and validates, no temp file is left behind.
    loaded = load(content)
    assert loaded.problems == []
    assert set(loaded.entries["news"]) >= {SHARED, *slugs.values()}
    assert list(content.rglob("*.tmp")) == []
    # Every save is committed and the repository is sound.
    git = ["git", "-C", str(content)]
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True).stdout == b""
    assert subprocess.run([*git, "fsck", "--no-progress"], capture_output=True).returncode == 0

    print(
        f"\nconcurrency: {CLIENTS} clients x {SAVES} saves x 2 rounds under gunicorn -w 4: "
        f"same entry {len(stored) + len(refused)} attempts, {len(stored)} stored, "
        f"{len(refused)} refused (409, text kept); own entries {CLIENTS * SAVES} attempts, "
        f"{sum(len(t.stored) for t in own)} stored, 0 refused; {elapsed:.1f} s"
    )
