"""folium's output kept as text while our maps render, and branca left as it is otherwise."""

from __future__ import annotations

import subprocess
import sys
import threading

import branca.element
import jinja2

from cms.content import load
from cms.maps.mapview import station_map, verbatim_output
from cms.maps.tiles import tiles_for
from tests.conftest import DATA, ROOT


def test_importing_mapview_leaves_branca_as_branca_defines_it():
    code = (
        "import branca.element, jinja2\n"
        "before = branca.element.Template\n"
        "import cms.maps.mapview\n"
        "assert before is jinja2.Template, before\n"
        "assert branca.element.Template is before, branca.element.Template\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_rendered_map_gives_branca_its_template_back():
    content = load(DATA / "content")
    station = next(iter(content.entries["stations"].values()))
    view = station_map(content.site, tiles_for(content.site.map), station)
    assert "L.marker(" in view.script
    assert branca.element.Template is jinja2.Template


def test_only_the_rendering_context_keeps_text_as_written():
    elsewhere: list[branca.element.Element] = []
    with verbatim_output():
        here = branca.element.Element("{{ 6 * 7 }}")
        worker = threading.Thread(
            target=lambda: elsewhere.append(branca.element.Element("{{ 6 * 7 }}"))
        )
        worker.start()
        worker.join()
    assert here.render() == "{{ 6 * 7 }}"
    assert elsewhere[0].render() == "42"
    assert branca.element.Element("{{ 6 * 7 }}").render() == "42"
