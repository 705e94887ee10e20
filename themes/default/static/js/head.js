// Runs before the page is drawn, so neither the collapsed menu nor the reader's 大字 choice
// appears a moment late: marks that scripts run, and applies the text size kept on the device.
(function () {
  var root = document.documentElement;
  root.classList.add('js');
  try {
    if (window.localStorage.getItem('yizhan-text') === 'large') root.classList.add('large-text');
  } catch (e) {
    // Storage may be refused (private mode, WeChat settings): the normal size stays.
  }
})();
