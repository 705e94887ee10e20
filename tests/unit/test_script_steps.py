"""folium's map script split into statements that can run one per task."""

from __future__ import annotations

import pytest

from cms.maps.mapview import script_steps


def test_statements_split_at_top_level_with_declarations_made_globals():
    script = (
        'var map_a = L.map(\n"map_a",\n{\ncenter: [1, 2],\n...{"zoom": 12,}\n}\n);\n'
        "L.control.scale().addTo(map_a);\n"
        'let layers = {"a; b": x, "c\\"}": [1, 2]};\n'
        "layers.addTo(map_a);;\n"
    )
    assert script_steps(script) == (
        'window.map_a = L.map(\n"map_a",\n{\ncenter: [1, 2],\n...{"zoom": 12,}\n}\n);',
        "L.control.scale().addTo(map_a);",
        'window.layers = {"a; b": x, "c\\"}": [1, 2]};',
        "layers.addTo(map_a);",
    )


@pytest.mark.parametrize(
    "script",
    ["var a = f(;", "var a = 1; b()", "var a = 1 / 2;", "// note\nvar a = 1;", "a(`x`);"],
)
def test_what_it_cannot_split_safely_is_refused(script):
    with pytest.raises(ValueError, match="folium script"):
        script_steps(script)
