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
    // The previews crop as the site does: cover cards by object-position, the share
    // thumbnail by the largest square centred on the point as far as the edges allow.
    Array.prototype.forEach.call(document.querySelectorAll(".focus-preview"), function (img) {
      img.style.objectPosition = img.dataset.crop === "focal"
        ? focal(img, (Number(x.value) || 0) / 100, (Number(y.value) || 0) / 100)
        : marker.style.left + " " + marker.style.top;
    });
  }

  function focal(img, fx, fy) {
    var w = img.naturalWidth, h = img.naturalHeight, ratio = img.clientWidth / img.clientHeight;
    if (!w || !h || !ratio) return "50% 50%";
    var cw = w / h > ratio ? h * ratio : w, ch = w / h > ratio ? h : w / ratio;
    var left = Math.min(Math.max(fx * w - cw / 2, 0), w - cw);
    var top = Math.min(Math.max(fy * h - ch / 2, 0), h - ch);
    return (w > cw ? left / (w - cw) * 100 : 50) + "% " + (h > ch ? top / (h - ch) * 100 : 50) + "%";
  }
  Array.prototype.forEach.call(document.querySelectorAll(".focus-preview"), function (img) {
    img.addEventListener("load", place);
  });

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
