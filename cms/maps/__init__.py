"""Maps: folium map views, tile layers, compact map data, the dot map, icons, navigation links.

Coordinates and distances are cms.geo's; the vendored Leaflet files are set up by ``vendor``.
"""
