// The media library's focal point: a click on the image sets the two percentage fields, and a
// marker shows where the point is. Without JavaScript the fields are typed in directly.
(function () {
  'use strict';
  var image = document.getElementById('focus-image');
  var marker = document.getElementById('focus-marker');
  var x = document.getElementById('focus_x');
  var y = document.getElementById('focus_y');
  if (!image || !marker || !x || !y) return;

  function place() {
    marker.style.left = (Number(x.value) || 0) + '%';
    marker.style.top = (Number(y.value) || 0) + '%';
    marker.hidden = false;
  }

  image.addEventListener('click', function (event) {
    var box = image.getBoundingClientRect();
    var fx = Math.round(((event.clientX - box.left) / box.width) * 100);
    var fy = Math.round(((event.clientY - box.top) / box.height) * 100);
    x.value = Math.min(100, Math.max(0, fx));
    y.value = Math.min(100, Math.max(0, fy));
    place();
  });
  x.addEventListener('input', place);
  y.addEventListener('input', place);
  place();
})();
