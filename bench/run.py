"""Benchmark publishing against Hugo and Pelican on the same synthetic corpus.

    python bench/run.py --entries 1000 [--runs 3] [--no-hugo] [--no-pelican]

Hugo and Pelican come from bench/requirements.txt, installed into bench/.venv on first use.
Every figure is the median of ``--runs`` runs; peak memory is the highest proportional set
size summed over the whole process tree (workers included).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from corpus import generate  # noqa: E402
from measure import run  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from cms.publish.build import Builder  # noqa: E402
from cms.publish.releases import Releases  # noqa: E402
from cms.publish.serve import StaticSite  # noqa: E402

PY = sys.executable
TOOLS = BENCH / ".venv"


def tools() -> Path:
    """Return bench/.venv/bin, creating it with Hugo and Pelican when missing."""
    if not (TOOLS / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "-q", "-r",
                        str(BENCH / "requirements.txt")], check=True)
    return TOOLS / "bin"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the poller asks hundreds of times
        pass


class Server:
    """The built site on 127.0.0.1, read the way a visitor would."""

    def __init__(self, site: Path):
        self.httpd = make_server("127.0.0.1", 0, StaticSite(site), threaded=True,
                                 request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, path: str, text: str, timeout: float = 120) -> float:
        """Poll until ``path`` contains ``text``; return the time it was first seen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    if text in response.read().decode("utf-8", "replace"):
                        return time.perf_counter()
            except OSError:
                pass
            time.sleep(0.02)
        raise TimeoutError(f"{path} never showed {text!r}")

    def close(self) -> None:
        self.httpd.shutdown()


def ours(corpus: Path, work: Path, runs: int, changes_only: bool = False) -> dict:
    def command(out: Path) -> list[str]:
        return [PY, str(ROOT / "build.py"), "build", "-q", "--content", str(corpus),
                "--output", str(out)]

    out = work / "yizhan" / "site"
    cold, cold_mem, index_mem, nochange, index = [], [], [], [], []
    if changes_only:  # the edits alone, on the site a previous run built (brought up to date)
        run(command(out))
    else:
        shutil.rmtree(work / "yizhan", ignore_errors=True)
    for number in range(0 if changes_only else runs):
        # Each cold build gets a new folder: the cache that the previous run's detached work
        # saves after its build has ended must not reach it (that build would not be cold).
        # The last one is the site the edits below (and a later --changes-only run) work on.
        last = number == runs - 1
        out = work / "yizhan" / ("site" if last else f"cold-{number}/site")
        cmd = command(out)
        result = run(cmd)
        # The search index is built after the site is live; the build reports its time apart.
        found = re.search(r"搜索索引 ([0-9.]+) 秒", result.output)
        index.append(float(found[1]) if found else 0.0)
        cold.append(result.seconds - index[-1])
        cold_mem.append(result.peak_build_mb)
        index_mem.append(result.peak_index_mb)
        nochange.append(run(cmd).seconds)
    cmd = command(out)
    files = sum(1 for _ in (out.resolve()).rglob("*") if _.is_file())
    server = Server(out)
    try:
        # Each change is made on a settled site: the previous publish's work after its switch
        # (saving the cache, the spare copy of the release, deleting retired releases) has
        # finished, as between edits.
        settle(out)
        edit_cli, edit_cli_indexed = [], []
        for i in range(runs):
            live, indexed = _edit_news(corpus, server, f"cli{i}", lambda: run(cmd))
            edit_cli.append(live)
            edit_cli_indexed.append(indexed)
            settle(out)
        station_cli = []
        for i in range(runs):
            station_cli.append(_new_station(corpus, server, f"c{i}", lambda: run(cmd)))
            settle(out)
        builder = Builder(corpus, out)
        builder.build()
        builder.wait()
        settle(out)
        edit_warm, edit_warm_indexed, station_warm = [], [], []
        for i in range(runs):
            live, indexed = _edit_news(corpus, server, f"warm{i}", builder.build)
            edit_warm.append(live)
            edit_warm_indexed.append(indexed)
            builder.wait()
            settle(out)
        for i in range(runs):
            station_warm.append(_new_station(corpus, server, f"w{i}", builder.build))
            builder.wait()
            settle(out)
    finally:
        server.close()
    return {
        "files": files,
        "cold": statistics.median(cold) if cold else None,
        "index": statistics.median(index) if index else None,
        "peak_mb": max(cold_mem) if cold_mem else None,  # the build, without Pagefind
        "index_peak_mb": max(index_mem) if index_mem else None,
        "nochange": statistics.median(nochange) if nochange else None,
        "edit_cli": statistics.median(edit_cli),
        "edit_cli_indexed": statistics.median(edit_cli_indexed),
        "edit_warm_indexed": statistics.median(edit_warm_indexed),
        "station_cli": statistics.median(station_cli),
        "edit_warm": statistics.median(edit_warm),
        "station_warm": statistics.median(station_warm),
    }


def settle(site: Path, timeout: float = 120) -> None:
    """Wait until the last publish's work is done: the live release's spare copy is complete
    and the releases it retired are deleted (detached processes do both)."""
    releases = Releases(site)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = releases.current()
        # .trash is renamed .trash-<pid>-<ns> for the detached rm; an empty .trash is done.
        retiring = [t for t in releases.folder.glob(".trash*")
                    if t.name != ".trash" or any(t.iterdir())]
        if current is not None and releases.spare_for(current).is_dir() and not retiring:
            return
        time.sleep(0.05)
    raise SystemExit(f"the work after publishing {releases.current()} went on for {timeout:.0f} s")


def _edit_news(corpus: Path, server: Server, marker: str, rebuild) -> tuple[float, float]:
    """Append a paragraph to one news file; return the time until its page shows it on the
    server, and until the publish has finished (its search index updated)."""
    path = corpus / "news" / "news-000100.md"
    started = time.perf_counter()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n补充说明 {marker}。\n")
    # The page goes live before the search index is rebuilt: poll while the build goes on.
    finished: list[float] = []
    with _building(lambda: (rebuild(), finished.append(time.perf_counter()))):
        live = server.wait_for("/news/news-000100/", marker) - started
    return live, finished[0] - started


def _new_station(corpus: Path, server: Server, marker: str, rebuild) -> float:
    """Add one station; time until its page and the map data serve it."""
    slug = f"bench-new-{marker}"
    started = time.perf_counter()
    (corpus / "stations" / f"{slug}.md").write_text(
        f"---\nname: 新建驿站{marker}\ntype: care-station\nstreet: bantian\naddress: 深圳市龙岗区\n"
        "location: {lat: 22.63, lng: 114.06}\nhours: ['mon-sun 00:00-24:00']\n"
        "status: published\n---\n", encoding="utf-8")
    with _building(rebuild):
        server.wait_for(f"/stations/{slug}/", slug)
        return server.wait_for("/api/v1/stations.geojson", slug) - started


@contextlib.contextmanager
def _building(rebuild):
    """Run ``rebuild`` in a thread for the duration of the block; re-raise what it raised."""
    failed: list[BaseException] = []

    def work() -> None:
        try:
            rebuild()
        except BaseException as exc:  # handed to the caller
            failed.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]


# The two Hugo configurations compared: "hugo" calls .Related and builds taxonomies (as our
# related news and tag/category lists do); "hugo-minimal" has only articles, lists and RSS.
HUGO_SITES = {"hugo": "Hugo with .Related and taxonomies", "hugo-minimal": "minimal Hugo"}


def hugo(corpus: Path, work: Path, runs: int, variant: str = "hugo") -> dict:
    site = work / variant
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(BENCH / variant, site)
    (site / "content" / "news").mkdir(parents=True)
    for path in (corpus / "news").glob("*.md"):
        text = path.read_text(encoding="utf-8").replace("\ncategory: ", "\ncategories: ", 1)
        (site / "content" / "news" / path.name).write_text(text, encoding="utf-8")
    times, mem = [], []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        result = run([str(tools() / "hugo"), "--quiet", "--source", str(site)])
        times.append(result.seconds)
        mem.append(result.peak_mb)
    files = sum(1 for p in (site / "public").rglob("*") if p.is_file())
    return {"cold": statistics.median(times), "peak_mb": max(mem), "files": files}


def pelican(corpus: Path, work: Path, runs: int) -> dict:
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    for path in (corpus / "news").glob("*.md"):
        front, _, body = path.read_text(encoding="utf-8").removeprefix("---\n").partition("\n---\n")
        meta = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line)
        header = (f"Title: {meta['title']}\nDate: {meta['date'][:16].replace('T', ' ')}\n"
                  f"Category: {meta['category']}\nTags: {meta['tags'].strip('[]')}\n"
                  f"Summary: {meta['summary']}\nSlug: {path.stem}\n\n")
        (site / "content" / path.name).write_text(header + body, encoding="utf-8")
    times, mem = [], []
    for _ in range(runs):
        shutil.rmtree(site / "output", ignore_errors=True)
        result = run([str(tools() / "pelican"), str(site / "content"), "-o", str(site / "output"),
                      "-s", str(BENCH / "pelican" / "pelicanconf.py"), "-q"])
        times.append(result.seconds)
        mem.append(result.peak_mb)
    files = sum(1 for p in (site / "output").rglob("*") if p.is_file())
    return {"cold": statistics.median(times), "peak_mb": max(mem), "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    parser.add_argument("--changes-only", action="store_true",
                        help="measure only edit/new station → live, on the site already built "
                             "in --work (no cold builds, no Hugo or Pelican)")
    args = parser.parse_args()
    work = args.work / str(args.entries)
    corpus = work / "content"
    generate(corpus, args.entries)
    print(f"corpus: {args.entries} news, {args.entries // 7} activities, "
          f"{args.entries // 5} stations; {os.cpu_count()} cores; median of {args.runs} runs",
          flush=True)
    results = {"entries": args.entries, "runs": args.runs,
               "yizhan": ours(corpus, work, args.runs, args.changes_only)}
    if args.changes_only:
        report(results)
        return
    if not args.no_hugo:
        for variant in HUGO_SITES:
            results[variant] = hugo(corpus, work, args.runs, variant)
    if not args.no_pelican:
        results["pelican"] = pelican(corpus, work, args.runs)
    report(results)
    (work / "results.json").write_text(json.dumps(results, indent=2) + "\n")


def report(r: dict) -> None:
    y = r["yizhan"]
    print(f"\nYizhan ({y['files']} files)")
    rows = [("cold full build (without the index)", y["cold"]),
            ("search index, after going live", y.get("index", 0.0)),
            ("no-change rebuild", y["nochange"]),
            ("one edit → live (CLI process)", y["edit_cli"]),
            ("one edit → search index updated (CLI)", y.get("edit_cli_indexed")),
            ("one edit → live (warm builder)", y["edit_warm"]),
            ("one edit → search index updated (warm)", y.get("edit_warm_indexed")),
            ("new station → live (CLI process)", y["station_cli"]),
            ("new station → live (warm builder)", y["station_warm"])]
    for name, seconds in rows:
        if seconds is None:
            continue
        ratios = [f"{seconds / r[v]['cold']:.2f}× {label}" for v, label in HUGO_SITES.items()
                  if v in r]
        print(f"  {name:<40} {seconds:8.2f} s  " + "; ".join(ratios))
    if y["peak_mb"] is not None:
        print(f"  {'peak memory, build':<36} {y['peak_mb']:8.0f} MB")
        print(f"  {'peak memory, search index (Pagefind)':<36} {y['index_peak_mb']:8.0f} MB")
    names = {**HUGO_SITES, "pelican": "Pelican"}
    for tool, label in names.items():
        if tool in r and y["cold"] is not None:
            t = r[tool]
            print(f"{label} ({t['files']} files): cold {t['cold']:.2f} s, "
                  f"peak {t['peak_mb']:.0f} MB; ours is {y['cold'] / t['cold']:.2f}× its time")


if __name__ == "__main__":
    main()
