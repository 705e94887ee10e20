"""Benchmark the station finder with 10,000 stations (fixed seed); figures go to README.md.

    .venv/bin/python bench/stations.py [--count 10000] [--keep DIR] [--lighthouse-runs 3]

Generates a content folder (demo site.yml and pages, N synthetic stations), builds it, serves
it on 127.0.0.1 (gzip level 6, as a web server would) and drives Debian's Chromium:
- transfer: every response /stations/ loads (tiles excluded: they are aborted), gzip level 6;
- near me: the ``yizhan:nearest`` performance measure (location fix → nearest 20 listed);
- ready: navigation start → finder ready (data parsed, markers clustered), unthrottled and
  with Lighthouse's mobile CPU slowdown (4×) and its mobile network (150 ms RTT, 1.6 Mbit/s);
- Lighthouse itself (bench/node_modules, ``npm ci`` in bench/), mobile profile, simulated
  throttling, tiles blocked: Time to Interactive, the Performance score and its metrics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from cms.publish.build import build  # noqa: E402
from cms.publish.serve import StaticSite  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
STREETS = {
    "pinghu": (22.680, 114.125), "buji": (22.605, 114.118), "jihua": (22.648, 114.080),
    "bantian": (22.638, 114.060), "nanwan": (22.605, 114.165), "henggang": (22.650, 114.215),
    "yuanshan": (22.660, 114.255), "longcheng": (22.725, 114.245), "longgang": (22.725, 114.275),
    "baolong": (22.710, 114.320), "pingdi": (22.770, 114.310),
}  # fmt: skip
LABELS = {"pinghu": "平湖", "buji": "布吉", "jihua": "吉华", "bantian": "坂田", "nanwan": "南湾",
          "henggang": "横岗", "yuanshan": "园山", "longcheng": "龙城", "longgang": "龙岗",
          "baolong": "宝龙", "pingdi": "坪地"}  # fmt: skip
TYPES = {"worker-home": "职工之家", "care-station": "爱心驿站", "mother-room": "爱心妈妈小屋",
         "legal-aid": "律师驻点", "culture-palace": "职工文化宫"}  # fmt: skip
AMENITIES = ["water", "food-heating", "charging", "battery-swap", "toilet", "rest", "aircon",
             "first-aid", "umbrella", "wifi", "reading", "legal", "haircut", "nursing"]  # fmt: skip
HOURS = [
    '["mon-sun 00:00-24:00"]',
    '["mon-fri 08:30-12:00,14:00-18:00", "sat-sun closed"]',
    '["mon-sun 22:00-06:00"]',
    '["mon-sat 09:00-21:00", "sun closed"]',
    '["tue-sun 09:00-17:30"]',
]
COMMUNITIES = [
    "岗头",
    "五和",
    "新围",
    "马安堂",
    "象角塘",
    "大芬",
    "丹竹头",
    "沙塘布",
    "六约",
    "四联",
    "荷坳",
    "保安",
    "西埔",
    "年丰",
]
MARK = "performance.getEntriesByName('%s')[0].startTime"
LIGHTHOUSE = ROOT / "bench/node_modules/.bin/lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-quic --no-first-run"
)
PACKED = ("text/", "application/javascript", "application/json", "application/geo+json",
          "image/svg+xml")  # fmt: skip
FIX = (22.7180, 114.2510)  # the reader's position (Longcheng)


def make_content(target: Path, count: int, seed: int = 20261125) -> None:
    """Copy the demo content and add synthetic stations until there are ``count``."""
    rng = random.Random(seed)
    shutil.copytree(ROOT / "content", target)
    folder = target / "stations"
    for i in range(count - len(list(folder.glob("*.md")))):
        street = rng.choice(list(STREETS))
        kind = rng.choices(list(TYPES), weights=[3, 6, 2, 1, 1])[0]
        lat0, lng0 = STREETS[street]
        lat, lng = lat0 + rng.gauss(0, 0.018), lng0 + rng.gauss(0, 0.018)
        amenities = sorted(rng.sample(AMENITIES, rng.randint(2, 8)), key=AMENITIES.index)
        name = f"{LABELS[street]}街道{rng.choice(COMMUNITIES)}社区{TYPES[kind]}{i % 97 + 1}号"
        (folder / f"{street}-{kind}-{i:05d}.md").write_text(
            f"---\nname: {name}\ntype: {kind}\nstreet: {street}\n"
            f"address: 深圳市龙岗区{LABELS[street]}街道某路{rng.randint(1, 300)}号\n"
            f"location: {{lat: {lat:.5f}, lng: {lng:.5f}}}\nhours: {rng.choice(HOURS)}\n"
            f"amenities: [{', '.join(amenities)}]\naccess: public\n"
            f'phone: "0755-{rng.randint(20000000, 29999999)}"\nverified_at: 2026-05-10\n'
            "status: published\n---\n服务站点。\n",
            encoding="utf-8",
        )


def gzipped(app):  # a WSGI middleware
    """Compress text responses as nginx's ``gzip on`` would (Lighthouse counts bytes sent)."""

    def wrapped(environ, start_response):
        seen: dict = {}

        def keep(status, headers, exc_info=None):
            seen.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(app(environ, keep))
        headers = [(k, v) for k, v in seen["headers"] if k.lower() != "content-length"]
        kind = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and kind.startswith(PACKED):
            body = gzip.compress(body, 6, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(seen["status"], headers)
        return [body]

    return wrapped


def lighthouse(url: str, runs: int) -> list[dict]:
    """Run Lighthouse (mobile, simulated throttling) ``runs`` times; return each run's figures."""
    out = []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--quiet",
                 "--only-categories=performance", "--output=json",
                 f"--output-path={report.name}", "--blocked-url-patterns=*.openstreetmap.org*"],
                env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
            )  # fmt: skip
            doc = json.loads(Path(report.name).read_text())
        audits = doc["audits"]
        marks = {
            item["name"]: item["startTime"]
            for item in audits["user-timings"].get("details", {}).get("items", [])
            if item.get("timingType") == "Mark"
        }
        out.append({
            "score": doc["categories"]["performance"]["score"] * 100,
            "tti": audits["interactive"]["numericValue"],
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "si": audits["speed-index"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "benchmark": doc["environment"]["benchmarkIndex"],
            "marks": marks,
        })  # fmt: skip
    return out


def measure(site: Path, runs: int, lighthouse_runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, gzipped(StaticSite(site)), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    out: dict = {key: [] for key in ("nearest_ms", "map_ms", "ready_ms", "map_mobile_ms",
                                      "ready_mobile_ms")}  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )

        def context():
            ctx = browser.new_context(
                viewport={"width": 390, "height": 844},
                geolocation={"latitude": FIX[0], "longitude": FIX[1]},
                permissions=["geolocation"],
            )
            ctx.route(lambda url: not url.startswith(base), lambda route: route.abort())
            return ctx

        # Transfer: the bodies of every local response, gzipped as a server would send them.
        ctx = context()
        page = ctx.new_page()
        sizes: dict[str, tuple[int, int]] = {}

        def record(response):
            if response.url.startswith(base):
                body = response.body()
                sizes[response.url[len(base) :]] = (len(body), len(gzip.compress(body, 6)))

        page.on("response", record)
        page.goto(base + "/stations/")
        page.wait_for_selector("#finder[data-ready]")
        page.wait_for_load_state("networkidle")
        out["transfer"] = dict(sorted(sizes.items()))
        ctx.close()

        for _ in range(runs):
            ctx = context()
            page = ctx.new_page()
            page.goto(base + "/stations/")
            page.wait_for_selector("#finder[data-ready]")
            out["map_ms"].append(page.evaluate(MARK % "yizhan:map"))
            out["ready_ms"].append(page.evaluate(MARK % "yizhan:ready"))
            page.get_by_role("button", name="附近的驿站").click()
            page.wait_for_selector("#results .result-distance")
            out["nearest_ms"].append(
                page.evaluate("performance.getEntriesByName('yizhan:nearest')[0].duration")
            )
            ctx.close()

        for _ in range(runs):
            ctx = context()
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
                 "uploadThroughput": 750e3 / 8},
            )  # fmt: skip
            page.goto(base + "/stations/")
            page.wait_for_selector("#finder[data-ready]", timeout=120000)
            out["map_mobile_ms"].append(page.evaluate(MARK % "yizhan:map"))
            out["ready_mobile_ms"].append(page.evaluate(MARK % "yizhan:ready"))
            ctx.close()
        browser.close()
    out["lighthouse"] = lighthouse(base + "/stations/", lighthouse_runs) if lighthouse_runs else []
    server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the generated content and site here")
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=3 if LIGHTHOUSE.exists() else 0,
        help="Lighthouse runs (0 to skip; needs 'npm ci' in bench/)",
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="yizhan-bench-"))
    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    make_content(content, args.count)
    started = time.perf_counter()
    result = build(content, work / "site", now=NOW)
    seconds = time.perf_counter() - started
    print(f"stations: {args.count}; build: {seconds:.1f} s, {result.pages} files")
    m = measure(work / "site", args.runs, args.lighthouse_runs)
    raw = sum(r for r, _ in m["transfer"].values())
    packed = sum(g for _, g in m["transfer"].values())
    for path, (r, g) in m["transfer"].items():
        print(f"  {path:60} {r / 1024:8.1f} KB {g / 1024:8.1f} KB gzip")
    print(f"/stations/ transfer: {raw / 1024:.0f} KB raw, {packed / 1024:.0f} KB gzip (target 250)")

    def show(name: str, values: list[float]) -> str:
        return f"median {statistics.median(values):.0f} ms, max {max(values):.0f} ms"

    print(f"nearest 20 after the fix: {show('n', m['nearest_ms'])} (target 50)")
    print(f"map interactive, no throttling: {show('a', m['map_ms'])}")
    print(f"finder ready (data + markers), no throttling: {show('r', m['ready_ms'])}")
    print(
        f"map interactive, 4x CPU + mobile network: {show('b', m['map_mobile_ms'])} (target 1500)"
    )
    print(f"finder ready, 4x CPU + mobile network: {show('m', m['ready_mobile_ms'])}")
    if m["lighthouse"]:
        runs = m["lighthouse"]

        def mid(key: str) -> float:
            return statistics.median(run[key] for run in runs)

        print(
            f"Lighthouse 12 mobile, {len(runs)} runs, medians: TTI {mid('tti'):.0f} ms "
            f"(target 1500), score {mid('score'):.0f}, FCP {mid('fcp'):.0f} ms, "
            f"LCP {mid('lcp'):.0f} ms, TBT {mid('tbt'):.0f} ms, SI {mid('si'):.0f} ms, "
            f"CLS {mid('cls'):.2f}; host benchmark index {mid('benchmark'):.0f}"
        )
        for run in runs:
            print(
                f"  TTI {run['tti']:.0f} ms, score {run['score']:.0f}, marks (observed, "
                f"unthrottled): {', '.join(f'{k} {v:.0f}' for k, v in run['marks'].items())}"
            )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
