/* Opening hours and "open now", the same rules as cms/content/hours.py (tested against it).
   A line is "<days> <times>": "mon-fri 08:30-12:00,14:00-18:00", "sun closed",
   "mon-sun 00:00-24:00"; an end at or before the start runs past midnight (22:00-06:00);
   later lines override earlier ones for the days they name. Works in browsers and in Node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.YizhanHours = factory();
})(this, function () {
  'use strict';
  var DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  var CLOSING_SOON = 30;
  var RANGE = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
  var LABELS = { open: N_('营业中'), closing: N_('即将关闭'), closed: N_('已关闭') };
  var DAY_LABELS = [N_('周一'), N_('周二'), N_('周三'), N_('周四'), N_('周五'), N_('周六'),
    N_('周日')];
  var WEEKDAY = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

  /* The theme scripts' words in the page's language: #ui-messages holds the translations
     (made at build from the theme's catalogue); a message without one is shown as written.
     %(name)s placeholders are filled from ``values``. */
  var messages = null;
  function _(text, values) {
    if (messages === null) {
      var node = typeof document === 'object' ? document.getElementById('ui-messages') : null;
      try { messages = node ? JSON.parse(node.textContent) : {}; } catch (e) { messages = {}; }
    }
    var out = Object.prototype.hasOwnProperty.call(messages, text) ? messages[text] : text;
    if (!values) return out;
    return out.replace(/%\((\w+)\)s/g, function (m, key) { return values[key]; });
  }
  function N_(text) { return text; } // marks a word for the catalogue; translated when shown
  function label(state) { return _(LABELS[state]); }

  function parseDays(text) {
    var days = [];
    text.split(',').forEach(function (chunk) {
      var bits = chunk.split('-');
      var a = DAYS.indexOf(bits[0]);
      var b = bits.length > 1 ? DAYS.indexOf(bits[1]) : a;
      if (a < 0 || b < 0 || bits.length > 2) throw new Error(chunk + ' is not a day or day range');
      for (var i = 0; i <= (b - a + 7) % 7; i++) {
        if (days.indexOf((a + i) % 7) < 0) days.push((a + i) % 7);
      }
    });
    return days;
  }

  function parseLine(line) {
    var parts = String(line).trim().split(/\s+/);
    if (parts.length !== 2) throw new Error(line + " must be '<days> <times>'");
    var rule = { days: parseDays(parts[0]), ranges: [] };
    if (parts[1] === 'closed') return rule;
    parts[1].split(',').forEach(function (chunk) {
      var m = RANGE.exec(chunk);
      if (!m) throw new Error(chunk + ' is not a time range');
      var start = +m[1] * 60 + +m[2];
      var end = +m[3] * 60 + +m[4];
      if (start > 1440 || end > 1440 || start === 1440) throw new Error(chunk + ' is past 24:00');
      rule.ranges.push([start, start === 0 && end === 0 ? 1440 : end]);
    });
    return rule;
  }

  function parseHours(lines) {
    return lines.map(parseLine);
  }

  function weekTable(rules) {
    var table = [[], [], [], [], [], [], []];
    rules.forEach(function (rule) {
      rule.days.forEach(function (day) { table[day] = rule.ranges; });
    });
    return table;
  }

  function carry(table, day, depth) {
    if (depth >= 7) return 0;
    for (var i = 0; i < table[day].length; i++) {
      var r = table[day][i];
      if (r[0] === 0) return r[1] + (r[1] === 1440 ? carry(table, (day + 1) % 7, depth + 1) : 0);
    }
    return 0;
  }

  function minutesLeft(table, day, minute) {
    var i, r;
    for (i = 0; i < table[day].length; i++) {
      r = table[day][i];
      if (r[1] > r[0] && r[0] <= minute && minute < r[1]) {
        var left = r[1] - minute;
        return r[1] === 1440 ? left + carry(table, (day + 1) % 7, 0) : left;
      }
      if (r[1] <= r[0] && minute >= r[0]) return 1440 - minute + r[1];
    }
    var before = table[(day + 6) % 7];
    for (i = 0; i < before.length; i++) {
      r = before[i];
      if (r[1] <= r[0] && minute < r[1]) return r[1] - minute;
    }
    return null;
  }

  /* day: 0 = Monday; minute: minutes since local midnight. */
  function openState(rules, day, minute) {
    var left = minutesLeft(weekTable(rules), day, minute);
    if (left === null) return 'closed';
    return left <= CLOSING_SOON ? 'closing' : 'open';
  }

  /* Opening spans from the day before ``day`` to a week after, in minutes from ``day``'s
     midnight, merged where they touch (as _spans in hours.py). */
  function spans(table, day) {
    var all = [], merged = [];
    for (var offset = -1; offset < 8; offset++) {
      table[(day + offset + 7) % 7].forEach(function (r) {
        var stop = r[1] > r[0] ? r[1] : r[1] + 1440;
        all.push([offset * 1440 + r[0], offset * 1440 + stop]);
      });
    }
    all.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    all.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    });
    return merged;
  }

  /* When a station next closes (open now) or opens (closed): {opens, at} with ``at`` in
     minutes from today's midnight; null when it never changes (always open, never open). */
  function nextChange(rules, day, minute) {
    var list = spans(weekTable(rules), day);
    for (var i = 0; i < list.length; i++) {
      if (list[i][0] <= minute && minute < list[i][1]) {
        return list[i][1] - minute >= 7 * 1440 ? null : { opens: false, at: list[i][1] };
      }
      if (list[i][0] > minute) return { opens: true, at: list[i][0] };
    }
    return null;
  }

  function clock(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h < 10 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m;
  }

  /* The next change in words (营业至 21:00, 明天 08:30 开门), as describe_change in hours.py. */
  function changeText(change, isOpen, weekday) {
    if (!change) return isOpen ? _('24小时开放') : _('暂停开放');
    var days = Math.floor(change.at / 1440), time = clock(change.at % 1440);
    if (!change.opens && change.at % 1440 === 0 && days) { days -= 1; time = '24:00'; }
    var v = { time: time, day: _(DAY_LABELS[(weekday + days) % 7]) };
    if (!change.opens) {
      if (days === 0) return _('营业至 %(time)s', v);
      if (days === 1) return _('营业至明天 %(time)s', v);
      return _('营业至%(day)s %(time)s', v);
    }
    if (days === 0) return _('今天 %(time)s 开门', v);
    if (days === 1) return _('明天 %(time)s 开门', v);
    return _('%(day)s %(time)s 开门', v);
  }

  /* The state and the next change of ``lines`` at ``date``, in words. */
  function describeAt(lines, date, timeZone) {
    var t = localTime(date, timeZone), rules = parseHours(lines);
    var state = openState(rules, t.day, t.minute);
    return changeText(nextChange(rules, t.day, t.minute), state !== 'closed', t.day);
  }

  var formats = {};
  /* Zones that keep one offset from UTC all year, in minutes: their local time is plain
     arithmetic. Other zones need an Intl.DateTimeFormat, whose first use loads the time zone
     data: 15-80 ms here, a long task on a phone. China has kept UTC+8 all year since 1991. */
  var FIXED = { 'Asia/Shanghai': 480 };

  /* The weekday (0 = Monday) and minute of the day of an instant in a time zone. */
  function localTime(date, timeZone) {
    var zone = timeZone || 'Asia/Shanghai';
    if (FIXED.hasOwnProperty(zone)) {
      var local = new Date(date.getTime() + FIXED[zone] * 60000);
      return { day: (local.getUTCDay() + 6) % 7,
        minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
    }
    if (!formats[zone]) {
      formats[zone] = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
      });
    }
    var parts = {};
    formats[zone].formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return { day: WEEKDAY[parts.weekday], minute: (+parts.hour % 24) * 60 + +parts.minute };
  }

  var dateFormats = {};
  /* The local date of an instant in a time zone, as the number yyyymmdd. */
  function localDate(date, timeZone) {
    var zone = timeZone || 'Asia/Shanghai';
    if (FIXED.hasOwnProperty(zone)) {
      var local = new Date(date.getTime() + FIXED[zone] * 60000);
      return local.getUTCFullYear() * 10000 + (local.getUTCMonth() + 1) * 100 + local.getUTCDate();
    }
    if (!dateFormats[zone]) {
      dateFormats[zone] = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit'
      });
    }
    var parts = {};
    dateFormats[zone].formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return +parts.year * 10000 + +parts.month * 100 + +parts.day;
  }

  /* Whether information verified on ``iso`` (yyyy-mm-dd) is older than ``months`` at ``date``:
     a year after 2025-05-20 is 2026-05-20, still fresh; from 2026-05-21 on it is stale. A day
     the later month lacks becomes its last (a month after 01-31 is 02-28 or 02-29). */
  function isStale(iso, months, date, timeZone) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!p || !(months > 0)) return false;
    var month = +p[2] - 1 + months;
    var year = +p[1] + Math.floor(month / 12);
    month %= 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    var limit = year * 10000 + (month + 1) * 100 + Math.min(+p[3], last);
    return localDate(date, timeZone) > limit;
  }

  function stateAt(lines, date, timeZone) {
    var t = localTime(date, timeZone);
    return openState(parseHours(lines), t.day, t.minute);
  }

  return {
    parseLine: parseLine, parseHours: parseHours, openState: openState,
    localTime: localTime, stateAt: stateAt, LABELS: LABELS, label: label, t: _,
    nextChange: nextChange, changeText: changeText, describeAt: describeAt, isStale: isStale
  };
});
