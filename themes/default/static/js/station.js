/* A station page: "open now" and the next change from the structured hours, the way of travel
   (shared with the finder, remembered on the device) in the navigation links, and app links
   outside WeChat. */
(function () {
  'use strict';
  var H = window.YizhanHours, G = window.YizhanGeo;
  var badge = document.getElementById('open-state');
  var next = document.getElementById('open-next');
  if (badge && H) {
    try {
      var lines = JSON.parse(badge.dataset.hours);
      var state = H.stateAt(lines, new Date(), badge.dataset.tz);
      badge.textContent = H.label(state);
      badge.className = 'badge open-state state-' + state;
      badge.hidden = false;
      if (next) {
        next.textContent = H.describeAt(lines, new Date(), badge.dataset.tz);
        next.hidden = false;
      }
    } catch (e) { /* unreadable hours: the table below still tells */ }
  }
  /* 信息待核实 beside the date, once it is older than site.yml's stale_after_months. */
  var stale = document.getElementById('stale-note');
  if (stale && H && badge) {
    stale.hidden = !H.isStale(stale.dataset.verified, +stale.dataset.months, new Date(),
      badge.dataset.tz);
  }
  var links = document.querySelectorAll('a[data-provider]');
  // WeChat's browser blocks app-opening links; everywhere else AMap may open its app.
  if (!G || !G.inWeChat()) {
    for (var i = 0; i < links.length; i++) {
      if (links[i].dataset.appHref) links[i].href = links[i].dataset.appHref;
    }
  }
  if (!G) return;

  /* Each provider's word for the way of travel, in place of the one the page was built with. */
  function follow(mode) {
    var words = G.MODES[mode];
    Array.prototype.forEach.call(links, function (a) {
      var word = words[a.dataset.provider];
      if (word) a.href = a.href.replace(/([?&](?:mode|type)=)[a-z]+/, '$1' + word);
    });
  }
  var chooser = document.getElementById('travel');
  var mode = G.travel();
  follow(mode);
  if (!chooser) return;
  Array.prototype.forEach.call(chooser.querySelectorAll('input[name=travel]'), function (el) {
    el.checked = el.value === mode;
  });
  chooser.addEventListener('change', function (e) {
    if (e.target.name !== 'travel') return;
    G.setTravel(e.target.value);
    follow(e.target.value);
  });
})();
