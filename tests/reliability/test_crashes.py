"""kill -9 at random moments: readers never see a missing or half-written page, nothing is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cms.content import load, writer
from cms.publish.build import build
from cms.publish.releases import PARTIAL, Releases
from cms.publish.serve import StaticSite
from tests.build.indexed import index_part, outside_index
from tests.build.test_incremental import tree
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 50
PATHS = ["/", "/news/", "/news/plenary-2026/", "/feed.xml", "/stations/", "/about/"]


class Poller:
    """Reads pages of the live site over HTTP as fast as it can, recording anything wrong."""

    def __init__(self, site: Path):
        self.server = make_server("127.0.0.1", 0, StaticSite(site), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.stop = threading.Event()
        self.requests = 0
        self.failures: list[str] = []
        self.threads = [
            threading.Thread(target=self.server.serve_forever, daemon=True),
            threading.Thread(target=self._poll, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def _poll(self) -> None:
        while not self.stop.is_set():
            for path in PATHS:
                try:
                    with urllib.request.urlopen(self.url + path, timeout=10) as response:
                        body = response.read()
                except urllib.error.HTTPError as exc:
                    self.failures.append(f"{path}: HTTP {exc.code}")
                    continue
                except OSError as exc:
                    self.failures.append(f"{path}: {exc}")
                    continue
                self.requests += 1
                complete = (
                    body.rstrip().endswith(b"</html>")
                    if path.endswith("/")
                    else (body.rstrip().endswith(b"</feed>"))
                )
                if not complete:
                    self.failures.append(f"{path}: partial body of {len(body)} bytes")

    def close(self) -> None:
        self.stop.set()
        self.threads[1].join()
        self.server.shutdown()


@pytest.mark.slow
def test_killing_builds_never_breaks_the_live_site(content_copy, tmp_path):
    live = tmp_path / "out" / "site"
    build(content_copy, live, now=NOW)
    expected = tree(live)
    rng = random.Random(7)
    poller = Poller(live)
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "-q",
        "--jobs",
        "1",
        "--content",
        str(content_copy),
        "--output",
        str(live),
        "--now",
        NOW.isoformat(),
    ]
    killed = finished = 0
    news = content_copy / "news" / "plenary-2026.md"
    try:
        for trial in range(TRIALS):
            with open(news, "a", encoding="utf-8") as handle:
                handle.write(f"\n第 {trial} 次修改。\n")
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.2, 1.6))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                killed += 1
            process.wait()
            now_live = tree(live)
            if now_live != expected:
                # The build switched before it died (or finished): the new site must be whole,
                # exactly what a full build of the same content gives.
                fresh = tmp_path / f"fresh{trial}" / "site"
                build(content_copy, fresh, now=NOW, full=True, jobs=1)
                whole = tree(fresh)
                assert outside_index(now_live) == outside_index(whole), (
                    f"trial {trial}: a half-built site went live"
                )
                # The search index follows the switch: the release's own, or (killed in
                # between) the whole index it carried from the release before.
                assert index_part(now_live) in (index_part(whole), index_part(expected))
                expected = now_live
                finished += 1
    finally:
        poller.close()
    assert poller.failures == [], poller.failures[:10]
    assert poller.requests > 100
    assert killed >= TRIALS // 3, (killed, finished)
    # The next build removes what killed builds left behind.
    result = build(content_copy, live, now=NOW)
    assert b"49 \xe6\xac\xa1" in (result.release / "news/plenary-2026/index.html").read_bytes()
    leftovers = [p.name for p in Releases(live).folder.iterdir() if p.name.endswith(PARTIAL)]
    assert leftovers == []


SAVER = """
import sys
from pathlib import Path
from cms.content import writer
root, n = Path(sys.argv[1]), 0
while True:
    path = root / "pages" / "about.md"
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\\n---\\n")
    body = f"第{n}版。\\n" + ("正文内容。" * 20000) + f"\\n第{n}版完。\\n"
    writer.save(root, "pages", "about", head + "\\n---\\n" + body, writer.version_of(
        path.read_bytes()), "saver")
    n += 1
"""


@pytest.mark.slow
def test_killing_a_save_leaves_the_old_or_the_new_file(content_copy):
    rng = random.Random(11)
    path = content_copy / "pages" / "about.md"
    for trial in range(20):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(content_copy)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.4, 1.2))
        process.kill()
        process.wait()
        text = path.read_text(encoding="utf-8")
        body = text.partition("\n---\n")[2]
        first = body.split("\n", 1)[0]
        assert body.endswith(f"{first[:-1]}完。\n") or "正文内容" not in body, f"trial {trial}"
    # A killed save may leave its temp file; the next save of the entry removes it.
    writer.save(
        content_copy,
        "pages",
        "about",
        path.read_text(encoding="utf-8") + "\n末尾。\n",
        writer.version_of(path.read_bytes()),
        "editor",
    )
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "temp file left"
    assert load(content_copy).problems == []
