"""Lighthouse on the demo site served by nginx with deploy/nginx.conf; figures go to README.md.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--keep DIR]

Builds the demo content, serves it with Debian's nginx on 127.0.0.1 (the shipped server block,
placeholders replaced as tests/browser/nginx.py does: gzip, caching and the CSP as in
production, a throwaway certificate) and runs Lighthouse 12.2.3 (bench/node_modules, ``npm ci``
in bench/) with Debian's Chromium, mobile profile, simulated throttling, map tiles blocked, on
the home page, an article and /stations/. Prints the four category scores per page (median of
``--runs``), the audits that cost points, and the home page's total transfer (gzip, as sent).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cms.publish.build import build  # noqa: E402
from tests.browser.nginx import nginx_serving  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LIGHTHOUSE = ROOT / "bench/node_modules/.bin/lighthouse"
# The same flags as bench/stations.py, plus the throwaway certificate.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-quic --no-first-run "
    "--ignore-certificate-errors"
)
PAGES = {"home": "/", "article": "/news/care-stations-network-2023/", "stations": "/stations/"}
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
HOME_BUDGET_KB = 60


def lighthouse(url: str) -> dict:
    """Run Lighthouse once (mobile, simulated throttling) and return its report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", "--output=json",
             f"--output-path={report.name}", "--blocked-url-patterns=*.openstreetmap.org*"],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
        )  # fmt: skip
        return json.loads(Path(report.name).read_text())


def lost_points(doc: dict) -> list[str]:
    """Name the scored audits that did not pass, by category."""
    out = []
    for key, category in doc["categories"].items():
        for ref in category["auditRefs"]:
            audit = doc["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                out.append(f"{key}: {ref['id']} ({audit['score']:.2f}) {audit['title']}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the built site here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: (cd bench && npm ci)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="yizhan-lighthouse-"))
    result = build(ROOT / "content", work / "site", now=NOW)
    print(f"built {result.pages} files in {result.seconds:.1f} s")
    with nginx_serving(work / "site") as served:
        for name, path in PAGES.items():
            docs = [lighthouse(served.url + path) for _ in range(args.runs)]
            scores = {
                key: statistics.median(doc["categories"][key]["score"] * 100 for doc in docs)
                for key in CATEGORIES
            }
            shown = ", ".join(
                f"{key} {scores[key]:.0f} (target ≥ {target})" for key, target in CATEGORIES.items()
            )
            runs = "; ".join(
                "/".join(f"{doc['categories'][key]['score'] * 100:.0f}" for key in CATEGORIES)
                + f" (TBT {doc['audits']['total-blocking-time']['numericValue']:.0f} ms)"
                for doc in docs
            )
            bench = statistics.median(doc["environment"]["benchmarkIndex"] for doc in docs)
            print(f"{name} {path}: {shown}\n  runs: {runs}; host benchmark index {bench:.0f}")
            audits = docs[len(docs) // 2]["audits"]
            print(
                "  "
                + ", ".join(
                    f"{key} {audits[key]['displayValue']}"
                    for key in (
                        "first-contentful-paint",
                        "largest-contentful-paint",
                        "total-blocking-time",
                        "cumulative-layout-shift",
                        "speed-index",
                    )
                )  # fmt: skip
            )
            for line in sorted({line for doc in docs for line in lost_points(doc)}):
                print(f"  lost: {line}")
            if name == "home":
                weights = [doc["audits"]["total-byte-weight"]["numericValue"] for doc in docs]
                kb = statistics.median(weights) / 1024
                print(f"  home page transfer: {kb:.1f} KB (target ≤ {HOME_BUDGET_KB} KB)")
                items = docs[0]["audits"]["total-byte-weight"]["details"]["items"]
                for item in items:
                    print(f"    {item['totalBytes'] / 1024:6.1f} KB  {item['url']}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
