/* Show the parts of a page that only work with JavaScript (maps, near-me, filters).
   Loaded first among the deferred scripts, so maps are visible before Leaflet sizes them. */
(function () {
  'use strict';
  var parts = document.querySelectorAll('[data-needs-js]');
  for (var i = 0; i < parts.length; i++) parts[i].hidden = false;
})();
