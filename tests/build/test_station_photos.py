"""Station photos in the built demo: on the station page (the entrance first, captioned) and
as the finder rows' thumbnails, through the image renditions."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from cms.content import load
from tests.conftest import DEMO


def test_the_station_page_shows_its_photos_entrance_first(demo_site):
    station = load(DEMO).entries["stations"]["bantian-care-02"]
    assert len(station.photos) == 2
    page = lxml_html.fromstring((demo_site / "stations/bantian-care-02/index.html").read_bytes())
    figures = page.xpath("//ul[@class='station-photos']/li/figure")
    assert [f.xpath(".//img")[0].get("alt") for f in figures] == [
        f"{station.name}：入口",
        f"{station.name}：照片 2",
    ]
    assert figures[0].xpath("string(figcaption)") == "入口"
    for figure in figures:  # renditions, each a file of the site
        img = figure.xpath(".//img")[0]
        assert img.get("src").startswith("/media/r/")
        assert (demo_site / img.get("src").lstrip("/")).is_file()
        webp = figure.xpath(".//source[@type='image/webp']")[0].get("srcset")
        assert all((demo_site / part.split()[0].lstrip("/")).is_file() for part in webp.split(", "))


def test_finder_rows_get_the_entrance_photos_thumbnail(demo_site):
    stations = load(DEMO).entries["stations"]
    details = json.loads((demo_site / "stations/details/bantian.json").read_text("utf-8"))
    for slug, row in details.items():
        if stations[slug].photos:
            webp, jpeg = row[3:]
            assert webp.endswith("-480.webp") and jpeg.endswith("-480.jpg")
            assert (demo_site / webp.lstrip("/")).is_file() and (
                demo_site / jpeg.lstrip("/")
            ).is_file()
        else:
            assert len(row) == 3  # address, phone, the day last verified
    assert len(details["bantian-care-02"]) == 5
