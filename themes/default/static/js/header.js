// The header's two switches: the menu behind one button on phones, and the 大字 text size,
// remembered on this device.
(function () {
  var root = document.documentElement;
  var toggle = document.getElementById('menu-toggle');
  var nav = document.getElementById('site-nav');
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('open', open);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
        toggle.setAttribute('aria-expanded', 'false');
        nav.classList.remove('open');
        toggle.focus();
      }
    });
  }
  var size = document.getElementById('text-size');
  if (size) {
    size.hidden = false;
    size.setAttribute('aria-pressed', String(root.classList.contains('large-text')));
    size.addEventListener('click', function () {
      var large = !root.classList.contains('large-text');
      root.classList.toggle('large-text', large);
      size.setAttribute('aria-pressed', String(large));
      try {
        window.localStorage.setItem('yizhan-text', large ? 'large' : 'normal');
      } catch (e) {
        // Not remembered, but the switch still works on this page.
      }
    });
  }
})();
