/* The station finder: map markers, a list kept in step with the map, filters, "near me".
   Data: the compact JSON named in #finder-config (never one folium Marker per station).
   /stations/ runs Leaflet (preloaded by the page) once it has painted, and asks for the data
   once Leaflet is in, so that the two do not share a slow line; the home page's teaser asks for
   the data only when the reader taps "near me" (at 10,000 stations the data alone is over
   twice the home page's 60 KB).
   State lives in the URL hash (type, amenity, street, open, access) so a shared link shows the
   same view; the reader's position goes there only when they tap 分享此视图, rounded to 3
   decimals (about 100 m), so a link posted to a group does not say where its sender stands.
   The list puts first what the reader can use now (open, and open to everyone or to the
   access group they chose), nearest first; each other row says why it is not (its next
   opening, who it is for). The list, filters and near-me work even when map tiles do not load.
   The list is drawn first; the map follows in slices of a few milliseconds, with a marker
   only for what is around the view (grid squares when zoomed out, markercluster close up),
   so the page answers taps at once even on a slow phone (no long task). */
(function () {
  'use strict';
  var root = document.getElementById('finder');
  var configEl = document.getElementById('finder-config');
  // clusters.js only comes with a Leaflet map (not the home page's teaser), which uses it.
  if (!root || !configEl || !window.YizhanHours || !window.YizhanGeo) {
    return;
  }
  var H = window.YizhanHours;
  var G = window.YizhanGeo;
  var C = window.YizhanClusters;
  var _ = H.t;
  var config = JSON.parse(configEl.textContent);
  var teaser = root.dataset.mode === 'teaser';
  var PAGE = 20; // list items drawn at first and per "more" (a short first list draws at once)
  var NEAREST = teaser ? 3 : 20;

  var mapEl = root.querySelector('.folium-map');
  var map = null; // made by folium's statements once Leaflet is in (setUpMap)
  var cluster = null;
  var mapFailed = false;
  var form = document.getElementById('filter-form');
  var list = document.getElementById('results');
  var count = document.getElementById('result-count');
  var more = document.getElementById('more');
  var status = document.getElementById('finder-status');
  var picker = document.getElementById('street-picker');
  var nearButton = document.getElementById('near-me');
  var shareButton = document.getElementById('share-view');
  var travelBox = document.getElementById('travel');
  var placeBox = document.getElementById('place');
  var placeList = document.getElementById('place-suggestions');
  var places = null; // streets and communities with their spelling and centre, from the data
  var travel = G.travel();
  var wechat = G.inWeChat();

  var labels = {};
  ['types', 'streets', 'amenities', 'access'].forEach(function (name) {
    labels[name] = {};
    config[name].forEach(function (t) { labels[name][t.key] = t; });
  });
  var allTypes = config.types.map(function (t) { return t.key; });
  labels.bits = {}; // amenity → bit in a station's mask, once the data is in

  var state = { types: allTypes.slice(), amenities: [], street: '', open: false, access: '',
    near: null, shared: false, place: '' };
  var stations = [];
  var hours = [];
  var loaded = false; // the data is in: fetched, parsed and unpacked
  var shown = PAGE;
  var you = null;
  var syncingLayers = false;

  function setStatus(text) { if (status) status.textContent = text; }

  /* ---- URL hash ---- */
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var list = function (name) {
      return params.get(name) ? params.get(name).split(',').filter(Boolean) : [];
    };
    state.types = params.has('type') ? list('type').filter(function (k) {
      return allTypes.indexOf(k) >= 0;
    }) : allTypes.slice();
    state.amenities = list('amenity').filter(function (k) { return k in labels.amenities; });
    state.street = params.get('street') in labels.streets ? params.get('street') : '';
    state.access = params.get('access') in labels.access ? params.get('access') : '';
    state.open = params.get('open') === '1';
    var near = list('near').map(Number);
    state.near = near.length === 2 && isFinite(near[0]) && isFinite(near[1])
      ? [round3(near[0]), round3(near[1])] : null;
    state.shared = !!state.near; // a shared view keeps its (rounded) place in the address bar
    state.place = '';
  }

  function round3(value) { return Math.round(value * 1000) / 1000; }

  function writeHash() {
    var parts = [];
    if (state.near && state.shared) {
      parts.push('near=' + state.near[0].toFixed(3) + ',' + state.near[1].toFixed(3));
    }
    if (state.types.length !== allTypes.length) parts.push('type=' + state.types.join(','));
    if (state.amenities.length) parts.push('amenity=' + state.amenities.join(','));
    if (state.street) parts.push('street=' + state.street);
    if (state.open) parts.push('open=1');
    if (state.access) parts.push('access=' + state.access);
    var url = location.pathname + location.search + (parts.length ? '#' + parts.join('&') : '');
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(null, '', url);
    }
  }

  /* ---- form ⇄ state ---- */
  function stateToForm() {
    if (!form) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name === 'type') el.checked = state.types.indexOf(el.value) >= 0;
      if (el.name === 'amenity') el.checked = state.amenities.indexOf(el.value) >= 0;
      if (el.name === 'street') el.value = state.street;
      if (el.name === 'access') el.value = state.access;
      if (el.name === 'open') el.checked = state.open;
    });
    // Type chips and 营业中 are always in view; the panel opens for what it hides.
    var filtered = state.amenities.length || state.street || state.access;
    if (filtered) document.getElementById('filters').open = true;
  }

  function formToState() {
    var checked = function (name) {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name === name && el.checked;
      }).map(function (el) { return el.value; });
    };
    state.types = checked('type');
    state.amenities = checked('amenity');
    state.street = form.elements.street.value;
    state.access = form.elements.access.value;
    state.open = form.elements.open.checked;
  }

  /* ---- data ---- */
  function undelta(values) {
    var out = new Array(values.length), sum = 0;
    for (var i = 0; i < values.length; i++) { sum += values[i]; out[i] = sum / 1e6; }
    return out;
  }

  /* Unpack the stations, LOAD at a time in tasks of their own; resolves when all are. */
  var LOAD = 1000;
  function load(doc) {
    var c = doc.columns;
    hours = doc.hours.map(function (lines) {
      try { return H.parseHours(lines); } catch (e) { return []; }
    });
    var lat = undelta(c.lat), lng = undelta(c.lng);
    var mapLat = c.map_lat ? undelta(c.map_lat) : lat, mapLng = c.map_lng ? undelta(c.map_lng) : lng;
    var bits = {};
    doc.amenities.forEach(function (key, i) { bits[key] = 1 << i; });
    labels.bits = bits;
    places = doc.places || null;
    stations = new Array(doc.count);
    return new Promise(function (resolve) {
      var i = 0;
      next(function slice() {
        for (var end = Math.min(i + LOAD, doc.count); i < end; i++) {
          stations[i] = {
            slug: c.slug[i], name: c.name[i], type: doc.types[c.type[i]] || '',
            street: doc.streets[c.street[i]] || '', lat: lat[i], lng: lng[i],
            mapLat: mapLat[i], mapLng: mapLng[i], mask: c.amenities[i],
            access: doc.access[c.access[i]] || '', hours: c.hours[i],
            address: '', phone: '', verified: ''
          };
        }
        if (i < doc.count) next(slice);
        else { loaded = true; resolve(); }
      });
    });
  }

  var today = null; // the local weekday and minute the list was ranked at
  function openStates() {
    var t = today = H.localTime(new Date(), config.timezone);
    return hours.map(function (rules) { return H.openState(rules, t.day, t.minute); });
  }

  /* Open now and open to this reader: to everyone, or to the group they chose in the filter. */
  function usable(s) {
    return s.state !== 'closed' && (s.access === 'public' || s.access === state.access);
  }

  /* Why a station is not for everyone, in its row (nothing for a public one). */
  var ACCESS_WORDS = { employees: N_('仅限本单位职工'), women: N_('女职工专用') };
  function N_(text) { return text; }
  function accessNote(s) {
    if (s.access === 'public' || !s.access) return '';
    return ACCESS_WORDS[s.access] ? _(ACCESS_WORDS[s.access])
      : (labels.access[s.access] || { label: s.access }).label;
  }

  /* 营业至 21:00 / 明天 08:30 开门, at the time the list was ranked. */
  function nextText(s) {
    var rules = hours[s.hours] || [];
    return H.changeText(H.nextChange(rules, today.day, today.minute), s.state !== 'closed',
      today.day);
  }

  function matching(states) {
    var need = 0;
    state.amenities.forEach(function (k) { need |= labels.bits[k] || 0; });
    return stations.filter(function (s) {
      return state.types.indexOf(s.type) >= 0 &&
        (!state.street || s.street === state.street) &&
        (!state.access || s.access === state.access) &&
        (s.mask & need) === need &&
        (!state.open || states[s.hours] !== 'closed');
    });
  }

  /* ---- map ---- */
  var icons = {};
  function icon(type) {
    if (!icons[type]) {
      var t = labels.types[type] || { glyph: '站' };
      icons[type] = L.divIcon({ className: 'pin c-type-' + type, html: escapeHtml(t.glyph),
        iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14] });
    }
    return icons[type];
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }

  /* A marker is small: its popup is made when it opens, taps are heard once on the cluster.
     Markers are not keyboard stops (keyboard: false): the list beside the map is the map's text
     alternative, with every station, so a keyboard goes there instead of through dozens of
     overlapping pins (which also fail the touch-target spacing check). */
  function marker(s) {
    if (!s.marker) {
      s.marker = new L.Marker([s.mapLat, s.mapLng],
        { icon: icon(s.type), title: s.name, alt: s.name, keyboard: false });
      s.marker.station = s;
    }
    return s.marker;
  }

  function openPopup(s) {
    var m = marker(s);
    if (!m.getPopup()) m.bindPopup(function () { return popup(s); }, { maxWidth: 260 });
    m.openPopup();
  }

  function onMarker(e) {
    var s = e.layer && e.layer.station;
    if (!s) return;
    highlight(s.slug, true);
    if (!e.layer.getPopup()) openPopup(s); // once bound, Leaflet opens and closes it on taps
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function url(s) { return config.stations + encodeURIComponent(s.slug) + '/'; }

  function popup(s) {
    var box = el('div', 'popup');
    var title = el('a', 'popup-name', s.name);
    title.href = url(s);
    box.appendChild(title);
    box.appendChild(meta('p', 'popup-meta', s));
    box.appendChild(stateLine('p', 'popup-state', s));
    if (s.dist !== undefined && state.near) {
      box.appendChild(el('p', 'popup-distance', G.describe(s.dist, travel)));
    }
    if (s.address) box.appendChild(el('p', 'popup-address', s.address));
    box.appendChild(actions(s));
    return box;
  }

  /* The station's amenities: each an icon (a symbol of the page's sprite) and its name. */
  var SVG_NS = 'http://www.w3.org/2000/svg';
  function amenityList(s) {
    var box = null;
    config.amenities.forEach(function (a) {
      if (!(s.mask & (labels.bits[a.key] || 0))) return;
      box = box || el('span', 'result-amenities');
      var item = el('span', 'amenity');
      var svg = document.createElementNS(SVG_NS, 'svg');
      svg.setAttribute('class', 'icon');
      svg.setAttribute('aria-hidden', 'true');
      svg.setAttribute('focusable', 'false');
      var use = document.createElementNS(SVG_NS, 'use');
      use.setAttribute('href', '#amenity-' + a.key);
      svg.appendChild(use);
      item.appendChild(svg);
      item.appendChild(document.createTextNode(a.label));
      box.appendChild(item);
    });
    return box;
  }

  /* Today's state, the next change, and who the station is for when not everyone. */
  function stateLine(tag, className, s) {
    var line = el(tag, className);
    var st = s.state || 'closed';
    line.appendChild(el('span', 'result-state state-' + st, H.label(st)));
    if (today) line.appendChild(el('span', 'result-next', nextText(s)));
    var note = accessNote(s);
    if (note) line.appendChild(el('span', 'result-access', note));
    return line;
  }

  /* 电话 and 导航 (AMap, Baidu, Tencent) for the chosen way of travel; web links in WeChat. */
  function actions(s) {
    var box = el('div', 'result-actions');
    if (s.phone) {
      var tel = el('a', 'result-tel', _('电话'));
      tel.href = 'tel:' + s.phone.replace(/[^0-9+]/g, '');
      tel.setAttribute('aria-label', _('电话：%(name)s，%(phone)s', { name: s.name, phone: s.phone }));
      box.appendChild(tel);
    }
    G.navLinks(s.name, s.lat, s.lng, config.src, travel, !wechat).forEach(function (link) {
      var a = el('a', 'result-nav nav-' + link.provider, link.label);
      a.href = link.href;
      a.rel = 'nofollow';
      a.setAttribute('aria-label', _('用%(app)s导航到%(name)s', { app: link.label, name: s.name }));
      box.appendChild(a);
    });
    return box;
  }

  /* "type · street", the type's colour (as on its pins) in a swatch before it. */
  function meta(tag, className, s) {
    var node = el(tag, className);
    node.appendChild(el('span', 'swatch c-type-' + s.type));
    node.appendChild(document.createTextNode(typeLabel(s) + ' · ' + streetLabel(s)));
    return node;
  }

  function typeLabel(s) { return (labels.types[s.type] || { label: s.type }).label; }
  function streetLabel(s) { return (labels.streets[s.street] || { label: s.street }).label; }

  /* What the map shows of ``items`` (the filtered stations) depends on the zoom. Below DETAIL:
     grid clusters (clusters.js) for the view and a little around it, one pass over the
     stations and a few dozen markers, so 10,000 stations never make 10,000 Leaflet markers at
     load. From DETAIL up: markercluster, given only the stations around the view (a few
     hundred). Either way markers are added a slice at a time (about SLICE ms each, sized from
     the last one), and a newer job replaces an older one. Lighthouse models a phone as 4 times
     slower than the machine it watched: 6 ms there is 24 ms, under a 50 ms long task. */
  var DETAIL = 15;
  var CELL = 60; // a grid square, in pixels: markercluster's radius is 50
  var SLICE = 6;
  var work = null; // the markers still to add, and how far it got
  var wanted = [];
  var around = null; // the bounds whose stations markercluster was given
  var given = {}; // slug → marker, what markercluster holds
  var squares = {}; // key → marker, what the grid layer shows or is about to
  var grid = null;

  /* The list first: the map follows in a task of its own. */
  function drawMarkers(items) {
    wanted = items;
    around = null;
    work = null;
    clearSquares();
    next(drawView);
  }

  function drawView() {
    if (!root.dataset.listed) return; // the data is not in yet: start() draws
    if (!map || !cluster) {
      if (!mapEl || mapFailed) drawn(); // no map to wait for
      return; // mapReady() draws
    }
    if (map.getZoom() < DETAIL) {
      around = null;
      if (Object.keys(given).length) { cluster.clearLayers(); given = {}; }
      drawSquares();
      return;
    }
    clearSquares();
    var view = map.getBounds();
    if (around && around.contains(view)) return; // the job in hand covers it
    around = view.pad(0.5);
    var inside = [], keep = {}, gone = [];
    for (var i = 0; i < wanted.length; i++) {
      var s = wanted[i];
      if (!around.contains([s.mapLat, s.mapLng])) continue;
      keep[s.slug] = true;
      if (!given[s.slug]) inside.push(s);
    }
    Object.keys(given).forEach(function (slug) {
      if (!keep[slug]) { gone.push(given[slug]); delete given[slug]; }
    });
    if (gone.length) cluster.removeLayers(gone);
    addLater(inside, function (batch) {
      cluster.addLayers(batch.map(function (s) { return (given[s.slug] = marker(s)); }));
    });
  }

  /* Squares already on the map stay (panning keeps an open popup); others come and go. */
  function drawSquares() {
    var b = map.getBounds().pad(0.2);
    var cells = C.grid(wanted, map.getZoom(), CELL,
      [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]);
    var shown = {}, todo = [];
    cells.forEach(function (c) {
      var key = c.count === 1 ? c.first.slug : map.getZoom() + ':' + c.key + ':' + c.count;
      var layer = shown[key] = squares[key] || square(c);
      if (!grid.hasLayer(layer)) todo.push(layer);
    });
    Object.keys(squares).forEach(function (key) {
      if (!shown[key] && grid.hasLayer(squares[key])) grid.removeLayer(squares[key]);
    });
    squares = shown;
    addLater(todo, function (batch) { batch.forEach(function (m) { grid.addLayer(m); }); });
  }

  function clearSquares() {
    if (grid) grid.clearLayers();
    squares = {};
  }

  function square(c) {
    if (c.count === 1) return marker(c.first);
    var m = new L.Marker([c.lat, c.lng], { keyboard: false, icon: L.divIcon({
      html: '<div><span>' + c.count + '</span></div>',
      className: 'marker-cluster marker-cluster-' + C.size(c.count), iconSize: [40, 40]
    }) });
    m.bounds = L.latLngBounds([c.south, c.west], [c.north, c.east]);
    return m;
  }

  /* A tap on a square zooms to its stations, as on one of markercluster's clusters. */
  function onSquare(e) {
    if (e.layer.station) onMarker(e);
    else map.fitBounds(e.layer.bounds, { padding: [24, 24] });
  }

  /* Hand ``todo`` to ``add`` a slice at a time, each in a task of its own. */
  function addLater(todo, add) {
    var job = work = { todo: todo, at: 0, size: 10, add: add };
    next(function slice() {
      if (work !== job) return;
      var started = performance.now();
      addSome(job, job.size);
      var took = performance.now() - started;
      job.size = Math.max(10, Math.round(Math.min(1.5, SLICE / Math.max(took, 0.5)) * job.size));
      if (job.at < job.todo.length) next(slice);
      else finish();
    });
  }

  function addSome(job, count) {
    var end = Math.min(job.at + count, job.todo.length);
    job.add(job.todo.slice(job.at, end));
    job.at = end;
  }

  /* Add the rest of the job in hand now (a tap on the list waits for it, so no marker added
     later can fold the one just opened into a cluster). */
  function finish() {
    if (work) addSome(work, Infinity);
    work = null;
    drawn();
  }

  /* Run ``fn`` in a task of its own soon: a message, not setTimeout, which waits at least 4 ms
     once nested, but input and drawing still come in between. */
  var queue = [];
  var channel = new MessageChannel();
  channel.port1.onmessage = function () { queue.shift()(); };
  function next(fn) {
    queue.push(fn);
    channel.port2.postMessage(null);
  }

  /* The finder is ready once every marker of some view is on the map (tests and bench wait). */
  function drawn() {
    if (root.dataset.ready) return;
    root.dataset.ready = 'true';
    performance.mark('yizhan:ready');
  }

  function drawYou() {
    if (!map) return;
    if (you) { map.removeLayer(you); you = null; }
    if (!state.near) return;
    var p = config.crs === 'gcj02' ? G.wgs84ToGcj02(state.near[0], state.near[1]) : state.near;
    you = L.circleMarker(p, { radius: 9, className: 'you-are-here', weight: 3 }).addTo(map);
    you.bindTooltip(state.place || _('您的位置'));
  }

  /* ---- the home page's dot map (an SVG drawn at build): the reader and the nearest stations,
     placed with the linear projection the build used, whose numbers are on the svg ---- */
  var dotMap = document.getElementById('dot-map');
  var SVG = 'http://www.w3.org/2000/svg';

  function dot(className, p, r) {
    var c = document.createElementNS(SVG, 'circle');
    c.setAttribute('class', className);
    c.setAttribute('cx', p[0].toFixed(1));
    c.setAttribute('cy', p[1].toFixed(1));
    c.setAttribute('r', r);
    return c;
  }

  function markDotMap() {
    if (!dotMap) return;
    var old = dotMap.querySelector('.dot-map-marks');
    if (old) dotMap.removeChild(old);
    if (!state.near) return;
    var d = dotMap.dataset, box = dotMap.viewBox.baseVal;
    var lat0 = parseFloat(d.lat0), lng0 = parseFloat(d.lng0);
    var kx = parseFloat(d.kx), ky = parseFloat(d.ky);
    var at = function (lat, lng) { return [(lng - lng0) * kx, (lat0 - lat) * ky]; };
    var marks = document.createElementNS(SVG, 'g');
    marks.setAttribute('class', 'dot-map-marks');
    current.forEach(function (s) {
      var ring = dot('dot-map-near', at(s.lat, s.lng), 6);
      ring.dataset.slug = s.slug;
      marks.appendChild(ring);
    });
    var p = at(state.near[0], state.near[1]);
    if (p[0] >= 0 && p[0] <= box.width && p[1] >= 0 && p[1] <= box.height) {
      marks.appendChild(dot('dot-map-you', p, 5)); // outside the box: no marker
    }
    dotMap.appendChild(marks);
  }

  /* The first view fits every station the filters let through (site.yml's centre and zoom
     are only where the map starts); a view near the reader fits the nearest instead. */
  function firstView() {
    fit(state.near ? current : wanted);
  }

  function fit(items) {
    if (!map || !items.length) return;
    var points = items.map(function (s) { return [s.mapLat, s.mapLng]; });
    if (you) points.push(you.getLatLng());
    map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16, animate: false });
  }

  /* ---- list ---- */
  function item(s) {
    var li = el('li', 'result');
    li.dataset.slug = s.slug;
    var main = teaser ? el('a', 'result-main') : el('button', 'result-main');
    if (teaser) main.href = url(s); else main.type = 'button';
    main.appendChild(el('span', 'result-name', s.name));
    main.appendChild(meta('span', 'result-meta', s));
    main.appendChild(stateLine('span', 'result-line', s));
    if (state.near) main.appendChild(el('span', 'result-distance', G.describe(s.dist, travel)));
    if (s.address) main.appendChild(el('span', 'result-address', s.address));
    var have = amenityList(s);
    if (have) main.appendChild(have);
    if (H.isStale(s.verified, config.stale_months, new Date(), config.timezone)) {
      main.appendChild(el('span', 'result-stale', _('信息待核实（%(date)s 核实）', { date: s.verified })));
    }
    if (s.thumb) {
      main.appendChild(thumbnail(s.thumb));
      main.classList.add('has-photo');
    }
    li.appendChild(main);
    var bar = actions(s);
    if (!teaser) {
      var link = el('a', 'result-link', _('详情'));
      link.href = url(s);
      link.setAttribute('aria-label', _('%(name)s：详情', { name: s.name }));
      bar.appendChild(link);
      main.addEventListener('click', function () { show(s); });
    }
    li.appendChild(bar);
    return li;
  }

  /* The entrance photo, small, beside the row's words (decorative: the name says it all). */
  function thumbnail(urls) {
    var picture = document.createElement('picture');
    var source = document.createElement('source');
    source.type = 'image/webp';
    source.srcset = urls[0];
    var img = document.createElement('img');
    img.className = 'result-photo';
    img.src = urls[1];
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    picture.appendChild(source);
    picture.appendChild(img);
    return picture;
  }

  function show(s) {
    highlight(s.slug, false);
    if (!map || !cluster) return;
    mapEl.scrollIntoView({ block: 'nearest' });
    var at = L.latLng(s.mapLat, s.mapLng);
    if (map.getZoom() < DETAIL || !map.getBounds().contains(at)) {
      map.setView(at, Math.max(map.getZoom(), DETAIL), { animate: false }); // draws its markers
    }
    finish();
    var m = marker(s);
    if (!cluster.hasLayer(m)) cluster.addLayer(given[s.slug] = m);
    cluster.zoomToShowLayer(m, function () { openPopup(s); });
  }

  function highlight(slug, scroll) {
    if (!list) return;
    var items = list.querySelectorAll('.result');
    for (var i = 0; i < items.length; i++) {
      var on = items[i].dataset.slug === slug;
      items[i].classList.toggle('is-active', on);
      if (on && scroll) items[i].scrollIntoView({ block: 'nearest' });
    }
  }

  /* The ``limit`` nearest of ``items``, closest first: one pass, no sort of thousands. */
  function nearest(items, limit) {
    var best = [];
    if (limit <= 0) return best;
    var lat = state.near[0], lng = state.near[1];
    for (var i = 0; i < items.length; i++) {
      var s = items[i];
      s.dist = G.haversine(lat, lng, s.lat, s.lng);
      if (best.length === limit && s.dist >= best[limit - 1].dist) continue;
      var at = best.length;
      while (at > 0 && best[at - 1].dist > s.dist) at--;
      best.splice(at, 0, s);
      if (best.length > limit) best.pop();
    }
    return best;
  }

  /* The ``limit`` first of ``items`` as the reader wants them: the usable ones, then the
     others, each part nearest first when the reader's position is known. */
  function ranked(items, limit) {
    var first = [], rest = [];
    items.forEach(function (s) { (usable(s) ? first : rest).push(s); });
    if (!state.near) return first.concat(rest).slice(0, limit);
    var best = nearest(first, limit);
    return best.length < limit ? best.concat(nearest(rest, limit - best.length)) : best;
  }

  /* ---- addresses, phones and the dates last verified: a street's file at a time, for the
     rows on screen (at 10,000 stations they would be a third of the map data) ---- */
  var details = {}; // street key → 'loading' | true
  function needDetails(rows) {
    var ready = true;
    rows.forEach(function (s) {
      if (details[s.street] === true) return;
      ready = false;
      if (details[s.street] === 'loading' || !config.details) return;
      details[s.street] = 'loading';
      var key = s.street;
      fetch(config.details.replace('KEY', encodeURIComponent(key)), { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (doc) {
          stations.forEach(function (st) {
            if (st.street === key && doc[st.slug]) {
              st.address = doc[st.slug][0];
              st.phone = doc[st.slug][1];
              st.verified = doc[st.slug][2];
              st.thumb = doc[st.slug].length > 4 ? doc[st.slug].slice(3, 5) : null;
            }
          });
          details[key] = true;
          if (current.some(function (st) { return st.street === key; })) render();
        })
        .catch(function () { delete details[key]; });
    });
    if (list) list.dataset.details = ready ? 'ready' : 'loading';
  }

  var current = [];
  function render() {
    var states = openStates();
    var items = matching(states);
    items.forEach(function (s) { s.state = states[s.hours]; });
    var total = items.length;
    var limit = state.near ? NEAREST : (teaser ? 0 : shown);
    current = ranked(items, limit);
    var frag = document.createDocumentFragment();
    current.forEach(function (s) { frag.appendChild(item(s)); });
    if (list) { list.textContent = ''; list.appendChild(frag); }
    if (count) {
      var said = state.near
        ? _('符合条件的 %(total)s 个中，离您最近的 %(shown)s 个：', { total: total, shown: current.length })
        : total > current.length
          ? _('符合条件的共 %(total)s 个，先显示 %(shown)s 个。', { total: total, shown: current.length })
          : _('符合条件的共 %(total)s 个。', { total: total });
      if (count.textContent !== said) count.textContent = said; // a live region: say it once
    }
    if (more) more.hidden = state.near || total <= current.length;
    needDetails(current);
    return items;
  }

  var drawnKey = null;
  function filterKey() {
    return JSON.stringify([state.types, state.amenities, state.street, state.access, state.open]);
  }

  function refresh(fitTo) {
    var items = render();
    performance.mark('yizhan:listed');
    var key = filterKey();
    if (key !== drawnKey) { drawMarkers(items); drawnKey = key; }
    drawYou();
    markDotMap();
    syncLayers();
    if (fitTo === 'near') fit(current);
    if (fitTo === 'all') fit(items);
    writeHash();
  }

  /* ---- layer toggles on the map (one per type) stay in step with the type filter ---- */
  function syncLayers() {
    if (!map) return;
    syncingLayers = true;
    config.types.forEach(function (t) {
      var layer = window[t.layer];
      if (!layer) return;
      var on = state.types.indexOf(t.key) >= 0;
      if (on && !map.hasLayer(layer)) map.addLayer(layer);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
    });
    syncingLayers = false;
  }

  function onLayer(e) {
    if (syncingLayers) return;
    config.types.forEach(function (t) {
      if (window[t.layer] !== e.layer) return;
      var at = state.types.indexOf(t.key);
      if (e.type === 'overlayadd' && at < 0) state.types.push(t.key);
      if (e.type === 'overlayremove' && at >= 0) state.types.splice(at, 1);
    });
    stateToForm();
    refresh();
  }

  /* ---- near me ---- */
  function located(pos) {
    performance.mark('yizhan:fix');
    state.near = [+pos.coords.latitude.toFixed(5), +pos.coords.longitude.toFixed(5)];
    state.shared = false; // the precise position stays on this page, out of the address bar
    state.place = '';
    if (picker) picker.hidden = true;
    refresh('near');
    performance.measure('yizhan:nearest', 'yizhan:fix', 'yizhan:listed');
    setStatus(sortedNote());
    nearButton.disabled = false;
    if (shareButton) shareButton.hidden = false;
    reveal();
  }

  function sortedNote() {
    return _('营业中、对所有人开放的排在前面，各按距离排序；距离为直线距离。');
  }

  /* Bring the results into view (the map or the dot map above can fill a phone's screen):
     from the count on /stations/, from the status line that says how they are sorted on the
     home page. */
  function reveal() {
    var target = count || status || list;
    if (target && target.scrollIntoView) target.scrollIntoView({ block: 'start' });
  }

  /* 分享此视图: the view's address, with the position (if any) rounded to about 100 m. */
  function share() {
    if (state.near) {
      state.near = [round3(state.near[0]), round3(state.near[1])];
      state.shared = true;
    }
    writeHash();
    var said = state.near
      ? _('地址栏中的链接可以分享了；其中的位置已取整到约 100 米，不会暴露您的准确位置。')
      : _('地址栏中的链接可以分享了，打开它的人会看到同样的筛选。');
    setStatus(said);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(location.href).then(function () {
        setStatus(said + _('链接已复制。'));
      }, function () {});
    }
  }

  /* ---- find by place, without sharing a location: streets and communities by Chinese,
     pinyin or initials (bt → 坂田), stations by name or address; the list then measures
     from there ---- */
  var SUGGESTIONS = 8;
  var HAN = /[\u4e00-\u9fff]/;
  function placeMatches(text) {
    var q = text.trim().toLowerCase().replace(/\s+/g, '');
    var out = [];
    if (!q) return out;
    if (places) {
      for (var i = 0; i < places.name.length && out.length < SUGGESTIONS; i++) {
        var words = places.spelling[i].split(' ');
        if (places.name[i].indexOf(q) >= 0 || words[0].indexOf(q) === 0 || words[1].indexOf(q) === 0) {
          out.push({ label: places.name[i], lat: places.lat[i] / 1e6, lng: places.lng[i] / 1e6 });
        }
      }
    }
    if (!HAN.test(q)) return out;
    for (var j = 0; j < stations.length && out.length < SUGGESTIONS; j++) {
      var s = stations[j];
      if (s.name.indexOf(q) >= 0 || s.address.indexOf(q) >= 0) {
        out.push({ label: s.name, lat: s.lat, lng: s.lng });
      }
    }
    return out;
  }

  function suggestPlaces() {
    var found = placeMatches(placeBox.value);
    placeList.textContent = '';
    found.forEach(function (p) {
      var li = el('li');
      var b = el('button', 'chip place-option', p.label);
      b.type = 'button';
      b.addEventListener('click', function () { choosePlace(p); });
      li.appendChild(b);
      placeList.appendChild(li);
    });
  }

  function choosePlace(p) {
    state.near = [p.lat, p.lng];
    state.shared = false;
    state.place = p.label;
    placeBox.value = p.label;
    placeList.textContent = '';
    if (picker) picker.hidden = true;
    if (shareButton) shareButton.hidden = false;
    refresh('near');
    setStatus(_('已按离“%(place)s”的距离排序；营业中、对所有人开放的排在前面。', { place: p.label }));
    reveal();
  }

  /* 步行 / 骑行 / 驾车: times and navigation links follow; remembered on this device. */
  function setUpTravel() {
    if (!travelBox) return;
    Array.prototype.forEach.call(travelBox.querySelectorAll('input[name=travel]'), function (el) {
      el.checked = el.value === travel;
    });
    travelBox.addEventListener('change', function (e) {
      if (e.target.name !== 'travel') return;
      travel = e.target.value;
      G.setTravel(travel);
      if (loaded) render();
    });
  }

  function refused(err) {
    nearButton.disabled = false;
    var why = err && err.code === 1 ? _('您没有允许本页使用位置信息') : _('暂时无法获取您的位置');
    setStatus(_('%(why)s。可以选择所在街道，查看那里的驿站。', { why: why }));
    if (picker) picker.hidden = false;
    else if (teaser) setStatus(_('%(why)s。请点“查看全部服务阵地”，按街道查找。', { why: why }));
  }

  /* The teaser asks for the data along with the location, so one wait covers both. */
  function askLocation() {
    if (!navigator.geolocation) { refused(null); return; }
    nearButton.disabled = true;
    if (!loaded) loadData().catch(function () {}); // a fix that comes first waits for it
    setStatus(loaded ? _('正在获取您的位置…') : _('正在查找附近的驿站…'));
    navigator.geolocation.getCurrentPosition(function (pos) {
      withData(function () { located(pos); });
    }, refused, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  /* ---- wiring ---- */
  /* The view the URL names; a teaser's shared "near" link waits for the data it needs. */
  function restore() {
    readHash();
    stateToForm();
    if (shareButton) shareButton.hidden = !state.near;
    if (!state.near || loaded) { refresh(state.near ? 'near' : null); return; }
    setStatus(_('正在查找附近的驿站…'));
    withData(function () {
      refresh('near');
      setStatus(sortedNote());
    });
  }

  /* The list and the controls work from here; data-ready waits for the last marker (on the
     teaser, which has no map and waits for a tap to fetch the data, it comes at once). */
  function start() {
    restore();
    root.dataset.listed = 'true';
    if (map) firstView();
    nearButton.addEventListener('click', askLocation);
    if (shareButton) shareButton.addEventListener('click', share);
    if (placeBox && placeList) {
      placeBox.addEventListener('input', suggestPlaces);
      placeBox.addEventListener('keydown', function (e) {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        var first = placeMatches(placeBox.value)[0];
        if (first) choosePlace(first);
      });
    }
    if (form) {
      form.addEventListener('change', function () { formToState(); shown = PAGE; refresh(); });
      form.addEventListener('reset', function () {
        setTimeout(function () { formToState(); shown = PAGE; refresh(); }, 0);
      });
    }
    if (more) more.addEventListener('click', function () { shown += PAGE; render(); });
    if (picker) {
      picker.addEventListener('click', function (e) {
        var key = e.target.dataset && e.target.dataset.street;
        if (!key) return;
        state.street = key;
        state.near = null;
        stateToForm();
        refresh('all');
        setStatus(_('已显示%(street)s的驿站。', { street: labels.streets[key].label }));
        reveal();
      });
    }
    window.addEventListener('hashchange', restore);
    performance.mark('yizhan:finder'); // list drawn, controls answer; markers still coming
  }

  /* Each step in a task of its own, so none holds the page for long on a slow phone. */
  function soon(fn) {
    return function (value) {
      return new Promise(function (resolve, reject) {
        next(function () {
          try { resolve(fn(value)); } catch (e) { reject(e); }
        });
      });
    };
  }

  /* ---- the map, once the page has painted: Leaflet and its plugins (config.scripts, in
     order), then folium's statements (YizhanMapSteps in this file) one per task ---- */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.async = false; // run in the order asked: the plugins need Leaflet
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  function runSteps(steps) {
    return new Promise(function (resolve, reject) {
      var i = 0;
      next(function step() {
        try { steps[i++](); } catch (e) { reject(e); return; }
        if (i < steps.length) next(step);
        else resolve();
      });
    });
  }

  /* ``then`` runs once the libraries are in (or failed): the map data is asked for after
     them, so that on a slow line the two do not share it and the map pans sooner. */
  function setUpMap(then) {
    var libraries = Promise.all((config.scripts || []).map(loadScript));
    libraries.then(then, then);
    return libraries
      .then(function () { return runSteps(window.YizhanMapSteps || []); })
      .then(mapReady)
      .catch(function () {
        mapFailed = true; // the list, filters and near-me work without it
        if (root.dataset.listed) drawn();
      });
  }

  function mapReady() {
    map = window[mapEl.id];
    cluster = window['marker_cluster_' + mapEl.id.replace(/^map_/, '') + '_cluster'];
    grid = L.featureGroup().addTo(map);
    performance.mark('yizhan:map'); // folium's statements have run: the map pans and zooms
    map.on('overlayadd overlayremove', onLayer);
    cluster.on('click', onMarker);
    /* markercluster ignores a move made during its zoom animation (200 ms): the markers of the
       new view would stay hidden until the next move. Replay the move once it ends. */
    cluster.on('animationend', function () { map.fire('moveend'); });
    grid.on('click', onSquare);
    map.on('moveend', drawView);
    watchTiles();
    oneThumb();
    if (!root.dataset.listed) return; // start() draws the markers with the list
    drawYou();
    syncLayers();
    drawMarkers(wanted);
    firstView();
  }

  /* The map must not trap the page: on a touch screen one finger scrolls the page and two
     fingers move and zoom the map (Leaflet's pinch; without its drag handler the map's
     touch-action lets the browser pan the page); with a mouse the wheel scrolls the page and
     ctrl/⌘ + wheel zooms. */
  function oneThumb() {
    if (L.Browser.touch && L.Browser.mobile) map.dragging.disable();
    map.scrollWheelZoom.disable();
    mapEl.addEventListener('wheel', function (e) {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      map.setZoomAround(map.mouseEventToContainerPoint(e), map.getZoom() + (e.deltaY < 0 ? 1 : -1));
    }, { passive: false });
  }

  /* One line on the map when its tiles do not load (blocked, offline, a slow line in mainland
     China): the markers, the list and near-me work without them. Said once, and taken back
     when a tile does load. */
  function watchTiles() {
    var notice = null, loadedOne = false;
    function failed() {
      if (loadedOne || notice) return;
      notice = el('p', 'map-notice', _('地图底图加载失败；站点位置和下方列表仍然可用。'));
      notice.setAttribute('role', 'status');
      mapEl.parentNode.appendChild(notice);
    }
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on('tileload', function () {
        loadedOne = true;
        if (notice) notice.hidden = true;
      });
      layer.on('tileerror', failed);
    });
    /* Tiles asked for while folium's statements ran may have failed before anyone listened. */
    var tiles = mapEl.querySelectorAll('img.leaflet-tile');
    for (var i = 0; i < tiles.length; i++) {
      if (tiles[i].complete && tiles[i].naturalWidth > 0) loadedOne = true;
    }
    for (i = 0; i < tiles.length; i++) {
      if (tiles[i].complete && !tiles[i].naturalWidth) failed();
    }
  }

  /* Run ``fn`` once the first contentful paint is on the screen (the 'paint' timing entry:
     a frame drawn on the main thread reaches the screen later); at once in a hidden tab, which
     does not paint, and after a frame where the entry is not supported. */
  function afterPaint(fn) {
    var go = function () { go = function () {}; next(fn); };
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (document.visibilityState === 'hidden') { go(); return; }
    if (!types || types.indexOf('paint') < 0) {
      requestAnimationFrame(function () { go(); });
      return;
    }
    var observer = new PerformanceObserver(function (list) {
      if (!list.getEntriesByName('first-contentful-paint').length) return;
      observer.disconnect();
      go();
    });
    observer.observe({ type: 'paint', buffered: true });
    setTimeout(function () { go(); }, 3000); // never wait on a paint that does not come
  }

  /* Fetch, parse and unpack the data once; after a failure the next call tries again. */
  var loading = null;
  function loadData() {
    if (!loading) {
      loading = fetch(config.data, { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text();
        })
        .then(soon(JSON.parse))
        .then(soon(load));
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function failed() {
    if (nearButton) nearButton.disabled = false;
    setStatus(_('驿站数据加载失败，请稍后刷新重试，或按街道查看下方列表。'));
  }

  /* Run ``fn`` in a task of its own once the data is in (at once if it is). */
  function withData(fn) {
    if (loaded) { fn(); return; }
    loadData().then(soon(fn)).catch(failed);
  }

  setUpTravel();
  if (teaser) start();
  else {
    afterPaint(function () {
      var list = function () { loadData().then(soon(start)).catch(failed); };
      if (mapEl) setUpMap(list);
      else list();
    });
  }
})();
