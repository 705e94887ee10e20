"""Front-end libraries copied from the theme's node_modules into static/vendor/ (no CDN).

The versions are pinned in themes/<theme>/package.json and package-lock.json; ``npm ci``
installs them and ``python -m cms.maps.vendor`` (run by scripts/setup.sh) copies the files the
site serves. folium asks for its libraries by name; ``ASSETS`` maps each name to the vendored
file, and ``NOT_LOADED`` lists folium's defaults that public pages never load. The map pages'
stylesheets are also joined into one file, ``BUNDLE``, which each build makes in memory from the
theme's files as they are (``bundle_css``), never writing it into the theme.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import sys
from pathlib import Path

THEMES = Path(__file__).resolve().parents[2] / "themes"

# vendored path (under static/) → source under node_modules/
FILES = {
    "vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "vendor/leaflet/LICENSE.txt": "leaflet/LICENSE",
    "vendor/leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "vendor/leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "vendor/leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "vendor/leaflet.markercluster/leaflet.markercluster.js": (
        "leaflet.markercluster/dist/leaflet.markercluster.js"
    ),
    "vendor/leaflet.markercluster/MarkerCluster.css": (
        "leaflet.markercluster/dist/MarkerCluster.css"
    ),
    "vendor/leaflet.markercluster/MarkerCluster.Default.css": (
        "leaflet.markercluster/dist/MarkerCluster.Default.css"
    ),
    "vendor/leaflet.markercluster/MIT-LICENCE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
}

# folium resource name → vendored path under static/
ASSETS = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
}
NOT_LOADED = {
    "jquery",
    "bootstrap",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers",
    "awesome_markers_css",
    "awesome_markers_font_css",
    "awesome_rotate_css",
}


# The map pages' one stylesheet (under static/, made from these, in this order): a phone on a
# slow network waits for every stylesheet in the head before it paints anything, and each file
# is a request of its own (on HTTP/1.1 a connection of its own) that the scripts wait behind.
BUNDLE = "vendor/maps.css"
BUNDLED = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "css/map.css",
    "css/station.css",  # a station page's photos and 纠错 form (the map pages load this bundle)
)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _rebased(text: str, part: str) -> str:
    """Return stylesheet ``part``'s text with its relative ``url()``s relative to BUNDLE."""
    here = posixpath.dirname(BUNDLE)

    def moved(match: re.Match) -> str:
        ref = match[2]
        if ref.startswith(("/", "#", "data:", "http:", "https:")):
            return match[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(part), ref))
        return f"url({match[1]}{posixpath.relpath(target, here)}{match[1]})"

    return _URL.sub(moved, text)


def bundle_css(static: Path) -> bytes:
    """Return the parts of BUNDLE joined, each under a comment naming it."""
    out = []
    for part in BUNDLED:
        text = (static / part).read_text(encoding="utf-8")
        out.append(f"/*! {part} */\n" + _rebased(text, part).rstrip() + "\n")  # kept minified
    return "".join(out).encode()


def vendor_path(name: str) -> str | None:
    """Return the static path serving folium's resource ``name``, or None when it is skipped."""
    if name in ASSETS:
        return ASSETS[name]
    if name in NOT_LOADED:
        return None
    raise LookupError(f"folium wants {name!r}, which is not vendored: add it to cms/maps/vendor.py")


def missing(theme: str = "default") -> list[str]:
    """Return vendored files that are not in the theme's static folder yet."""
    static = THEMES / theme / "static"
    return [path for path in FILES if not (static / path).is_file()]


def copy_changed(files: dict[str, str], folder: Path) -> list[str]:
    """Copy ``files`` (static path -> node_modules path) of a folder with a package.json from
    its node_modules into its static folder where they differ; return what changed."""
    changed = []
    for target, source in files.items():
        src, dst = folder / "node_modules" / source, folder / "static" / target
        if not src.is_file():
            raise FileNotFoundError(f"{src} is missing: run 'npm ci' in {folder}")
        if dst.is_file() and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        changed.append(target)
    return changed


def sync(theme: str = "default") -> list[str]:
    """Copy changed library files from node_modules into static/vendor; return what changed."""
    folder = THEMES / theme
    changed = copy_changed(FILES, folder)
    # The bundle is made in memory by each build (cms/public/app.py); a copy written here by an
    # older version would only be stale.
    (folder / "static" / BUNDLE).unlink(missing_ok=True)
    return changed


if __name__ == "__main__":
    try:
        sync(sys.argv[1] if len(sys.argv) > 1 else "default")
    except FileNotFoundError as exc:
        sys.exit(str(exc))
