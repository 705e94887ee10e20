"""Page kinds are declared once: routes, the freeze list, the sitemap and tokens follow.

The last tests add a page kind the site does not have, ``/stations/amenity/<key>/``, in this
file only: one declaration below and one template (tests/data/templates/stations_amenity.html).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.etree
import lxml.html
from flask import Blueprint, abort, render_template

from cms.public.app import create_app, site_data
from cms.public.data import SiteData
from cms.public.kinds import PageBlueprint, Scope, groups, kinds_of, undeclared
from cms.public.shown import Shown, full
from cms.publish.freeze import freeze, plan
from tests.conftest import DATA, NOW

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates"


def test_every_url_rule_of_the_public_app_is_a_declared_page_kind():
    app = create_app(DATA / "content", now=NOW)
    assert undeclared(app) == []
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert set(kinds_of(app)) == endpoints and "public.news_detail" in endpoints


def test_a_route_added_without_a_declaration_is_found():
    app = create_app(DATA / "content", now=NOW)
    plain = Blueprint("plain", __name__)
    plain.add_url_rule("/plain/", "plain", lambda: "plain")
    app.register_blueprint(plain)
    assert undeclared(app) == ["/plain/"]


def test_every_declared_kind_has_addresses_in_the_demo_build(demo_site):
    """The demo content has a page of every kind, so byte-for-byte tests cover them all."""
    app = create_app(Path(__file__).resolve().parents[2] / "content", now=NOW)
    planned = plan(app)
    missing = set(kinds_of(app)) - set(planned.endpoints)
    assert missing == set()


def test_declaring_entry_scope_needs_the_entry_kind():
    bp = PageBlueprint("odd", __name__)
    try:
        bp.page(
            "/odd/<slug>/", addresses=groups(lambda d: {}), shows=Shown.nothing, scope=Scope.ENTRY
        )
    except ValueError as exc:
        assert "entry_kind" in str(exc)
    else:
        raise AssertionError("an ENTRY page kind without its entry kind was accepted")


# -- a new page kind, made only here ------------------------------------------------------------


def by_amenity(data: SiteData) -> dict[str, list]:
    found: dict[str, list] = {}
    for station in data.stations:
        for key in station.amenities:
            found.setdefault(key, []).append(station)
    return found


amenity = PageBlueprint("amenity", __name__, template_folder=str(TEMPLATES))


@amenity.page(
    "/stations/amenity/<key>/",
    addresses=groups(by_amenity),
    shows=lambda shown, v: [full(s) for s in by_amenity(shown.data)[v["key"]]],
    sitemap=True,
)
def stations_amenity(key: str):
    data = site_data_of_request()
    stations = by_amenity(data).get(key) or abort(404)
    term = data.site.amenities[key]
    return render_template("stations_amenity.html", heading=term.label, stations=stations)


def site_data_of_request() -> SiteData:
    from flask import current_app

    return site_data(current_app)


def app_with_amenity_pages(content: Path):
    app = create_app(content, now=NOW)
    app.register_blueprint(amenity)
    return app


def test_a_new_page_kind_is_routed_frozen_mapped_and_tokenised(tmp_path):
    app = app_with_amenity_pages(DATA / "content")
    assert undeclared(app) == []
    planned = plan(app)
    keys = [
        v["key"]
        for e, v in zip(planned.endpoints, planned.values, strict=True)
        if e == "amenity.stations_amenity"
    ]
    assert "water" in keys and keys == sorted(keys)
    site = tmp_path / "site"
    frozen = freeze(app, site, [planned.target(i) for i in range(len(planned.keys))])
    page = lxml.html.parse(str(site / "stations" / "amenity" / "water" / "index.html"))
    names = page.xpath("//ul[@class='amenity-stations']/li/a/text()")
    data = site_data(app)
    assert names == [s.name for s in by_amenity(data)["water"]]
    assert names  # the test data has stations with drinking water
    sitemap = lxml.etree.parse(str(site / "sitemap.xml"))
    locs = sitemap.xpath("//*[local-name()='loc']/text()")
    assert any(loc.endswith("/stations/amenity/water/") for loc in locs)
    # The new page's links are checked like every other page's.
    assert not [m for m in frozen.links.values() if "/stations/amenity/" in m]


def test_a_new_page_kind_is_rendered_again_when_what_it_shows_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DATA / "content", content)
    before = plan(app_with_amenity_pages(content))
    station = content / "stations" / "bantian-care-01.md"
    text = station.read_text(encoding="utf-8")
    station.write_text(text.replace("name: ", "name: 改名的", 1), encoding="utf-8")
    after = plan(app_with_amenity_pages(content))

    def tokens(planned) -> dict:
        return {
            k: t
            for k, e, t in zip(planned.keys, planned.endpoints, planned.tokens, strict=True)
            if e == "amenity.stations_amenity"
        }

    old, new = tokens(before), tokens(after)
    data = site_data(app_with_amenity_pages(content))
    shows = {
        f"amenity.stations_amenity|key={key}"
        for key, items in by_amenity(data).items()
        if any(s.slug == "bantian-care-01" for s in items)
    }
    changed = {key for key in old if old[key] != new[key]}
    assert changed == shows and shows
