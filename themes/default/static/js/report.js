/* 纠错 on a station page: the form posts to the admin's endpoint with fetch and says the answer
   in place. Without scripts it posts as a plain form and the endpoint answers with a page.
   When the endpoint cannot be reached, the form says so and offers the hotline. */
(function () {
  'use strict';
  var form = document.getElementById('report-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById('report-status');
  var unavailable = document.getElementById('report-unavailable');
  var button = form.querySelector('button[type=submit]');

  function _(text) {
    var H = typeof YizhanHours === 'object' ? YizhanHours : null;
    return H ? H.t(text, {}) : text;
  }

  function say(text, failed) {
    status.textContent = text;
    status.className = 'report-status' + (failed ? ' report-failed' : '');
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    unavailable.hidden = true;
    say(_('正在提交……'), false);
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: 'application/json' },
      credentials: 'omit',
    }).then(function (response) {
      return response.json().then(function (answer) {
        say(answer.message, !answer.ok);
        if (answer.ok) {
          form.reset();
        }
        button.disabled = false;
      });
    }).catch(function () {
      say('', true);
      unavailable.hidden = false;
      button.disabled = false;
    });
  });
})();
