/* Distances, walking times and the WGS-84 → GCJ-02 shift, as in cms/maps (distance.py,
   coords.py). Works in browsers and in Node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.YizhanGeo = factory();
})(this, function () {
  'use strict';
  var R = 6371008.8; // mean Earth radius in metres, as distance.py
  var WALK = 4500 / 60; // metres per minute at 4.5 km/h
  var rad = Math.PI / 180;

  function haversine(lat1, lng1, lat2, lng2) {
    var dp = (lat2 - lat1) * rad;
    var dl = (lng2 - lng1) * rad;
    var h = Math.pow(Math.sin(dp / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function walkingMinutes(metres) {
    return Math.max(1, Math.ceil(metres / WALK));
  }

  /* Words go through the finder's catalogue (hours.js) when the page has it. */
  function _(text, values) {
    var H = typeof YizhanHours === 'object' ? YizhanHours : null;
    if (H) return H.t(text, values);
    return text.replace(/%\((\w+)\)s/g, function (m, key) { return values[key]; });
  }

  function describe(metres) {
    var d = metres < 1000
      ? _('%(n)s 米', { n: Math.round(metres) })
      : _('%(n)s 公里', { n: (metres / 1000).toFixed(1) });
    return _('%(distance)s · 步行约 %(minutes)s 分钟', { distance: d, minutes: walkingMinutes(metres) });
  }

  /* Only used for the reader's own position on GCJ-02 tiles; stations are shifted at build. */
  function inChinaBox(lat, lng) {
    return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }
  function dLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function dLng(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function wgs84ToGcj02(lat, lng) {
    if (!inChinaBox(lat, lng)) return [lat, lng];
    var a = 6378245.0, ee = 0.00669342162296594323;
    var la = dLat(lng - 105, lat - 35), ln = dLng(lng - 105, lat - 35);
    var magic = 1 - ee * Math.pow(Math.sin(lat * rad), 2);
    var sq = Math.sqrt(magic);
    la = (la * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    ln = (ln * 180) / (a / sq * Math.cos(lat * rad) * Math.PI);
    return [lat + la, lng + ln];
  }

  return {
    haversine: haversine, walkingMinutes: walkingMinutes, describe: describe,
    wgs84ToGcj02: wgs84ToGcj02
  };
});
