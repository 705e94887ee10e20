"""Front-end libraries copied from the theme's node_modules into static/vendor/ (no CDN).

The versions are pinned in themes/<theme>/package.json and package-lock.json; ``npm ci``
installs them and ``python -m cms.maps.vendor`` (run by scripts/setup.sh) copies the files the
site serves. folium asks for its libraries by name; ``ASSETS`` maps each name to the vendored
file, and ``NOT_LOADED`` lists folium's defaults that public pages never load.
"""

from __future__ import annotations

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


def sync(theme: str = "default") -> list[str]:
    """Copy changed library files from node_modules into static/vendor; return what changed."""
    folder = THEMES / theme
    modules = folder / "node_modules"
    changed = []
    for target, source in FILES.items():
        src, dst = modules / source, folder / "static" / target
        if not src.is_file():
            raise FileNotFoundError(f"{src} is missing: run 'npm ci' in {folder}")
        if dst.is_file() and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        changed.append(target)
    return changed


if __name__ == "__main__":
    try:
        sync(sys.argv[1] if len(sys.argv) > 1 else "default")
    except FileNotFoundError as exc:
        sys.exit(str(exc))
