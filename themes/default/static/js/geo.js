/* Distances, travel times, navigation links and the WGS-84 → GCJ-02 shift, as in cms/geo and
   cms/maps (distance.py, coords.py, navigation.py). Works in browsers and in Node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.YizhanGeo = factory();
})(this, function () {
  'use strict';
  var R = 6371008.8; // mean Earth radius in metres, as distance.py
  var WALK = 4500 / 60; // metres per minute at 4.5 km/h
  var rad = Math.PI / 180;
  /* Ways of travel: metres per minute (straight-line distance, so kept modest: city riding
     with lights, city driving with traffic) and each navigation app's word for the mode. */
  var MODES = {
    walk: { speed: WALK, amap: 'walk', baidu: 'walking', tencent: 'walk' },
    ride: { speed: 12000 / 60, amap: 'ride', baidu: 'riding', tencent: 'bike' },
    drive: { speed: 25000 / 60, amap: 'car', baidu: 'driving', tencent: 'drive' }
  };
  var TRAVEL_KEY = 'yizhan-travel';
  var HERE = '\u6211\u7684\u4f4d\u7f6e'; // 我的位置: Baidu's word for the start, not ours to translate

  function haversine(lat1, lng1, lat2, lng2) {
    var dp = (lat2 - lat1) * rad;
    var dl = (lng2 - lng1) * rad;
    var h = Math.pow(Math.sin(dp / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* Words go through the finder's catalogue (hours.js) when the page has it. */
  function _(text, values) {
    var H = typeof YizhanHours === 'object' ? YizhanHours : null;
    if (H) return H.t(text, values);
    return text.replace(/%\((\w+)\)s/g, function (m, key) { return values[key]; });
  }

  function minutes(metres, mode) {
    return Math.max(1, Math.ceil(metres / (MODES[mode] || MODES.walk).speed));
  }

  function describe(metres, mode) {
    var d = metres < 1000
      ? _('%(n)s 米', { n: Math.round(metres) })
      : _('%(n)s 公里', { n: (metres / 1000).toFixed(1) });
    var v = { distance: d, minutes: minutes(metres, mode) };
    if (mode === 'ride') return _('%(distance)s · 骑行约 %(minutes)s 分钟', v);
    if (mode === 'drive') return _('%(distance)s · 驾车约 %(minutes)s 分钟', v);
    return _('%(distance)s · 步行约 %(minutes)s 分钟', v);
  }

  /* The way of travel the reader chose on this device (walking until they choose). */
  function travel() {
    try {
      var mode = window.localStorage.getItem(TRAVEL_KEY);
      return MODES.hasOwnProperty(mode) ? mode : 'walk';
    } catch (e) { return 'walk'; }
  }
  function setTravel(mode) {
    try { window.localStorage.setItem(TRAVEL_KEY, mode); } catch (e) { /* private mode */ }
  }

  function num(value) { return value.toFixed(6).replace(/\.?0+$/, ''); }
  function q(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  /* AMap, Baidu and Tencent links to a WGS-84 point for a way of travel, as navigation.py
     makes them: web URIs (they work inside WeChat); ``native`` asks AMap to open its app. */
  function navLinks(name, lat, lng, src, mode, native) {
    var m = MODES[mode] || MODES.walk;
    var g = wgs84ToGcj02(lat, lng);
    return [
      { provider: 'amap', label: _('高德地图'), href: 'https://uri.amap.com/navigation?to=' +
        num(lng) + ',' + num(lat) + ',' + q(name) + '&mode=' + m.amap +
        '&coordinate=wgs84&callnative=' + (native ? 1 : 0) + '&src=' + q(src) },
      { provider: 'baidu', label: _('百度地图'), href: 'https://api.map.baidu.com/direction?origin=' +
        q(HERE) + '&destination=latlng:' + num(lat) + ',' + num(lng) + '%7Cname:' + q(name) +
        '&mode=' + m.baidu + '&coord_type=wgs84&output=html&src=' + q(src) },
      { provider: 'tencent', label: _('腾讯地图'), href: 'https://apis.map.qq.com/uri/v1/routeplan?type=' +
        m.tencent + '&to=' + q(name) + '&tocoord=' + num(g[0]) + ',' + num(g[1]) +
        '&referer=' + q(src) }
    ];
  }

  /* Inside WeChat's browser app-opening links fail: web URIs there. */
  function inWeChat() {
    return typeof navigator === 'object' && /MicroMessenger/i.test(navigator.userAgent);
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
    haversine: haversine, minutes: minutes, describe: describe,
    wgs84ToGcj02: wgs84ToGcj02, travel: travel, setTravel: setTravel, navLinks: navLinks,
    inWeChat: inWeChat, MODES: MODES
  };
});
