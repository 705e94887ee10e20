/* Grid clusters for the station finder's wider zooms: stations counted per square of the map
   (``cell`` pixels across at that zoom), so a city of 10,000 stations is drawn as a hundred
   numbers after one pass over plain objects, with no Leaflet marker per station.
   Squares are fixed to the map's pixel grid, so panning keeps the ones already drawn.
   Works in browsers and in Node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.YizhanClusters = factory();
})(this, function () {
  'use strict';
  var TILE = 256;
  var MAX_LAT = 85.0511287798; // the edge of Web Mercator, as Leaflet's SphericalMercator
  var ROW = TILE * (1 << 19); // a row's pixels at zoom 19: square keys are unique and exact

  /* A point's position in pixels at ``zoom``, as Leaflet's map.project (EPSG:3857). */
  function project(lat, lng, zoom) {
    var scale = TILE * Math.pow(2, zoom);
    var s = Math.sin(Math.max(Math.min(lat, MAX_LAT), -MAX_LAT) * Math.PI / 180);
    return [scale * (lng + 180) / 360, scale * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))];
  }

  /* Count ``points`` (objects with ``mapLat`` and ``mapLng``, where they are drawn) per square
     at ``zoom``; only those inside ``box`` ([south, west, north, east]) when one is given.
     Each cluster: its square's key, the count, the mean position, the bounds of its points and
     its first point (the station itself when it is alone). */
  function grid(points, zoom, cell, box) {
    var found = new Map();
    var out = [];
    for (var i = 0; i < points.length; i++) {
      var p = points[i];
      var lat = p.mapLat, lng = p.mapLng;
      if (box && (lat < box[0] || lng < box[1] || lat > box[2] || lng > box[3])) continue;
      var xy = project(lat, lng, zoom);
      var key = Math.floor(xy[1] / cell) * ROW + Math.floor(xy[0] / cell);
      var c = found.get(key);
      if (!c) {
        c = { key: key, count: 0, lat: 0, lng: 0, south: lat, west: lng, north: lat, east: lng,
          first: p };
        found.set(key, c);
        out.push(c);
      }
      c.count++;
      c.lat += lat;
      c.lng += lng;
      if (lat < c.south) c.south = lat;
      if (lat > c.north) c.north = lat;
      if (lng < c.west) c.west = lng;
      if (lng > c.east) c.east = lng;
    }
    for (var j = 0; j < out.length; j++) {
      out[j].lat /= out[j].count;
      out[j].lng /= out[j].count;
    }
    return out;
  }

  /* markercluster's size classes, so both kinds of cluster look alike. */
  function size(count) {
    return count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
  }

  return { project: project, grid: grid, size: size };
});
