/* A station page: "open now" from the structured hours, and app links outside WeChat. */
(function () {
  'use strict';
  var badge = document.getElementById('open-state');
  if (badge && window.YizhanHours) {
    try {
      var state = YizhanHours.stateAt(JSON.parse(badge.dataset.hours), new Date(), badge.dataset.tz);
      badge.textContent = YizhanHours.label(state);
      badge.className = 'badge open-state state-' + state;
      badge.hidden = false;
    } catch (e) { /* unreadable hours: the table below still tells */ }
  }
  // WeChat's browser blocks app-opening links; everywhere else AMap may open its app.
  if (!/MicroMessenger/i.test(navigator.userAgent)) {
    var links = document.querySelectorAll('a[data-app-href]');
    for (var i = 0; i < links.length; i++) links[i].href = links[i].dataset.appHref;
  }
})();
