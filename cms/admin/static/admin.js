/* Yizhan admin: slug suggestion, live preview, media picker and uploads, opening hours,
   station map picker, publish progress. No framework; everything degrades to plain forms. */
(function () {
  "use strict";
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function debounce(fn, ms) { var t; return function () { clearTimeout(t); t = setTimeout(fn, ms); }; }
  /* Tell seen(true/false) as el comes within 200 px of the screen or leaves it; where the
     browser cannot tell, seen(true) at once. Server renders, Leaflet and tiles wait for it. */
  function watchView(el, seen) {
    if (!("IntersectionObserver" in window)) { seen(true); return; }
    new IntersectionObserver(function (entries) { seen(entries[entries.length - 1].isIntersecting); },
      { rootMargin: "200px" }).observe(el);
  }
  function post(url, body) {
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" } });
  }

  /* ---- entry form ---- */
  var form = $("#entry-form");
  if (form) {
    var slug = $('input[name="slug"][type="text"]', form);
    var title = $('#title', form) || $('#name', form);
    if (slug && title) {
      var touched = !!slug.value;
      slug.addEventListener("input", function () { touched = true; });
      title.addEventListener("input", debounce(function () {
        if (touched || !title.value.trim()) return;
        fetch(form.dataset.slugUrl + "?title=" + encodeURIComponent(title.value), { credentials: "same-origin" })
          .then(function (r) { return r.json(); }).then(function (d) { if (!touched) slug.value = d.slug; });
      }, 300));
    }

    /* The preview is rendered by the server, so it is asked for only while it can be seen
       (below the form on phones and tablets, it waits until the editor scrolls to it; edits
       made meanwhile are shown when it comes into view). aria-busy is set while it loads. */
    var frame = $("#live-preview");
    var inView = false, stale = true;
    var refresh = function () {
      if (!frame) return;
      if (!inView) { stale = true; return; }
      stale = false;
      frame.setAttribute("aria-busy", "true");
      post(form.dataset.previewUrl, new FormData(form)).then(function (r) { return r.text(); })
        .then(function (html) { frame.srcdoc = html; })
        .finally(function () { frame.removeAttribute("aria-busy"); });
    };
    form.addEventListener("input", debounce(refresh, 600));
    form.addEventListener("change", debounce(refresh, 600));
    if (frame) {
      frame.setAttribute("aria-busy", "true");
      watchView(frame, function (seen) {
        inView = seen;
        if (seen && stale) refresh();
        else if (!seen && stale) frame.removeAttribute("aria-busy");
      });
    }

    var body = $("#body", form);
    function insertAtCursor(text) {
      var start = body.selectionStart || body.value.length, end = body.selectionEnd || start;
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
      body.selectionStart = body.selectionEnd = start + text.length;
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function imageMarkdown(ref) { return "\n![](../" + ref + ")\n"; }
    function upload(files, done) {
      var data = new FormData();
      Array.prototype.forEach.call(files, function (f) { data.append("files", f); });
      return post(form.dataset.uploadUrl, data).then(function (r) { return r.json(); }).then(function (d) {
        (d.refused || []).forEach(function (x) { alert("未上传 " + x.name + "：" + x.error); });
        (d.stored || []).forEach(function (x) { done(x.ref); });
      });
    }
    var bodyUpload = $("[data-upload-into-body]", form);
    if (bodyUpload) bodyUpload.addEventListener("change", function () {
      upload(bodyUpload.files, function (ref) { insertAtCursor(imageMarkdown(ref)); });
      bodyUpload.value = "";
    });
    if (body) {
      body.addEventListener("dragover", function (e) { e.preventDefault(); body.classList.add("dragover"); });
      body.addEventListener("dragleave", function () { body.classList.remove("dragover"); });
      body.addEventListener("drop", function (e) {
        body.classList.remove("dragover");
        if (!e.dataTransfer || !e.dataTransfer.files.length) return;
        e.preventDefault();
        upload(e.dataTransfer.files, function (ref) { insertAtCursor(imageMarkdown(ref)); });
      });
    }

    /* media picker: choose a cover or insert an image */
    var picked = null;
    function openPicker(onPick) {
      picked = onPick;
      fetch(form.dataset.mediaUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (d) {
          var grid = $("#media-picker-grid");
          grid.innerHTML = "";
          if (!d.files.length) grid.textContent = "媒体库是空的，请先上传图片。";
          d.files.forEach(function (f) {
            var b = document.createElement("button");
            var name = f.label || f.ref;  // the name it was uploaded under, as the library shows it
            b.type = "button"; b.className = "media-pick"; b.title = name;
            var img = document.createElement("img"); img.src = f.url; img.alt = f.alt || name; img.loading = "lazy";
            var label = document.createElement("span"); label.className = "media-pick-label"; label.textContent = name;
            b.appendChild(img); b.appendChild(label);
            b.addEventListener("click", function () { if (picked) picked(f.ref); window.jQuery("#media-picker").modal("hide"); });
            grid.appendChild(b);
          });
          window.jQuery("#media-picker").modal("show");
        });
    }
    var cover = $("#cover", form);
    if (cover) {
      var pick = document.createElement("button");
      pick.type = "button"; pick.className = "btn btn-sm btn-outline-secondary mt-1"; pick.textContent = "从媒体库选择";
      pick.addEventListener("click", function () { openPicker(function (ref) { cover.value = ref; cover.dispatchEvent(new Event("change", { bubbles: true })); }); });
      var coverUpload = document.createElement("input");
      coverUpload.type = "file"; coverUpload.accept = "image/*"; coverUpload.className = "ml-2 small"; coverUpload.setAttribute("aria-label", "上传封面图");
      coverUpload.addEventListener("change", function () {
        upload(coverUpload.files, function (ref) { cover.value = ref; cover.dispatchEvent(new Event("change", { bubbles: true })); });
      });
      cover.parentNode.insertBefore(pick, cover.nextSibling);
      pick.parentNode.insertBefore(coverUpload, pick.nextSibling);
    }
    var insertImage = $("[data-insert-image]", form);
    if (insertImage) insertImage.addEventListener("click", function () { openPicker(function (ref) { insertAtCursor(imageMarkdown(ref)); }); });

    /* tags shown as chips under the comma-separated field */
    var tags = $("#tags", form);
    if (tags) {
      var chips = document.createElement("div"); chips.className = "tag-chips mt-1";
      var show = function () {
        chips.innerHTML = "";
        tags.value.split(/[、，,；;\s]+/).filter(Boolean).forEach(function (t) {
          var s = document.createElement("span"); s.className = "badge badge-info"; s.textContent = t; chips.appendChild(s);
        });
      };
      tags.parentNode.insertBefore(chips, tags.nextSibling);
      tags.addEventListener("input", show); show();
    }

    setupHours($("#hours", form));
    setupMap(form);
    setupAutosave(form);
    setupPickers(form);
  }

  /* ---- pickers that scale: a select with more than 15 options (所在阵地) gets a search box
     that finds an option by its Chinese name, its pinyin or its initials (坂田: bantian, bt).
     The spellings come with each option from the server (data-data); Tom Select is vendored
     and loaded only when such a list is on the page. ---- */
  function setupPickers(form) {
    var long = $$("select", form).filter(function (s) { return !s.multiple && s.options.length > 15; });
    if (!long.length || !form.dataset.pickerJs) return;
    var css = document.createElement("link"); css.rel = "stylesheet"; css.href = form.dataset.pickerCss;
    document.head.appendChild(css);
    var js = document.createElement("script"); js.src = form.dataset.pickerJs;
    js.onload = function () {
      long.forEach(function (select) {
        new window.TomSelect(select, {
          searchField: ["text", "pinyin", "initials"],
          maxOptions: null,
          allowEmptyOption: true,
          placeholder: "输入名称、拼音或首字母查找",
          render: {
            no_results: function (data, escape) { return '<div class="no-results">没有找到“' + escape(data.input) + "”</div>"; }
          }
        });
      });
    };
    document.head.appendChild(js);
  }

  /* ---- nothing typed is lost: the form is kept on the server as the editor's draft a few
     seconds after each change (never the entry's file), and leaving a changed form asks ---- */
  function setupAutosave(form) {
    var url = form.dataset.autosaveUrl;
    var changed = false, submitting = false, timer = null, kept = Date.now();
    var status = document.createElement("span");
    status.id = "autosave-status"; status.className = "small text-muted ml-2"; status.setAttribute("role", "status");
    var actions = $(".form-actions", form);
    if (actions) actions.appendChild(status);
    function keep() {
      timer = null;
      if (submitting || !url) return;
      kept = Date.now();
      var data = new FormData(form);
      post(url, data).then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
        .then(function (res) {
          if (submitting) return;
          status.textContent = res[0] ? "已自动保存草稿 " + res[1].saved : (res[1].error || "自动保存没有成功") + (res[1].kept ? "（草稿已留存）" : "");
          status.className = "small ml-2 " + (res[0] ? "text-muted" : "text-danger");
        })
        .catch(function () { status.textContent = "网络断开，暂未自动保存；内容还在本页。"; status.className = "small ml-2 text-danger"; });
    }
    function touched() {  /* 3 s after the last keystroke, and every 10 s of steady typing */
      changed = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(keep, Date.now() - kept > 10000 ? 0 : 3000);
    }
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("submit", function (e) {
      if (e.submitter && e.submitter.formTarget === "_blank") return;  // 按页面预览 stays here
      submitting = true; changed = false;
      if (timer) clearTimeout(timer);
    });
    window.addEventListener("beforeunload", function (e) {
      if (!changed || submitting) return;
      e.preventDefault();
      e.returnValue = "";
    });
  }

  /* ---- opening hours: rows of weekday checkboxes and time ranges, kept in the textarea ---- */
  function setupHours(area) {
    if (!area) return;
    var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], LABELS = "一二三四五六日";
    var box = document.createElement("div"); box.className = "hours-editor";
    area.parentNode.insertBefore(box, area);
    area.classList.add("d-none");
    function parse(line) {
      var parts = line.trim().split(/\s+/), days = {};
      (parts[0] || "").split(",").forEach(function (chunk) {
        var ab = chunk.split("-"), a = DAYS.indexOf(ab[0]), b = ab[1] ? DAYS.indexOf(ab[1]) : a;
        if (a < 0 || b < 0) return;
        for (var i = 0; i <= (b - a + 7) % 7; i++) days[DAYS[(a + i) % 7]] = true;
      });
      return { days: days, times: parts[1] || "" };
    }
    function daysText(days) {
      var idx = DAYS.map(function (d, i) { return days[d] ? i : -1; }).filter(function (i) { return i >= 0; });
      var out = [], start = null;
      idx.forEach(function (i, n) {
        if (start === null) start = i;
        if (idx[n + 1] !== i + 1) { out.push(start === i ? DAYS[i] : DAYS[start] + "-" + DAYS[i]); start = null; }
      });
      return out.join(",");
    }
    function write() {
      area.value = $$(".hours-row", box).map(function (row) {
        var days = {};
        $$("input[data-day]", row).forEach(function (c) { if (c.checked) days[c.dataset.day] = true; });
        var d = daysText(days); if (!d) return "";
        var closed = $("input[data-closed]", row).checked, allDay = $("input[data-allday]", row).checked;
        var times = closed ? "closed" : allDay ? "00:00-24:00" : $("input[data-times]", row).value.replace(/[，、\s]+/g, ",").replace(/[－—–~～]/g, "-");
        return times ? d + " " + times : "";
      }).filter(Boolean).join("\n");
    }
    function addRow(rule) {
      var row = document.createElement("div"); row.className = "hours-row border rounded p-2";
      var days = document.createElement("span"); days.className = "days";
      DAYS.forEach(function (d, i) {
        var l = document.createElement("label"), c = document.createElement("input");
        c.type = "checkbox"; c.dataset.day = d; c.checked = !!rule.days[d];
        l.appendChild(c); l.appendChild(document.createTextNode(" 周" + LABELS[i])); days.appendChild(l);
      });
      var times = document.createElement("input");
      times.className = "form-control form-control-sm"; times.style.maxWidth = "16rem"; times.dataset.times = "1";
      times.placeholder = "08:30-12:00,14:00-18:00"; times.setAttribute("aria-label", "开放时段");
      var allDay = document.createElement("label"), a = document.createElement("input"); a.type = "checkbox"; a.dataset.allday = "1";
      allDay.appendChild(a); allDay.appendChild(document.createTextNode(" 24小时"));
      var closed = document.createElement("label"), c2 = document.createElement("input"); c2.type = "checkbox"; c2.dataset.closed = "1";
      closed.appendChild(c2); closed.appendChild(document.createTextNode(" 休息"));
      a.checked = rule.times === "00:00-24:00"; c2.checked = rule.times === "closed";
      times.value = a.checked || c2.checked ? "" : rule.times;
      var remove = document.createElement("button"); remove.type = "button"; remove.className = "btn btn-sm btn-link text-danger"; remove.textContent = "删除这行";
      remove.addEventListener("click", function () { row.remove(); write(); });
      [days, times, allDay, closed, remove].forEach(function (el) { row.appendChild(el); });
      row.addEventListener("input", write); row.addEventListener("change", write);
      box.appendChild(row);
    }
    area.value.split("\n").filter(function (l) { return l.trim(); }).forEach(function (l) { addRow(parse(l)); });
    var add = document.createElement("button"); add.type = "button"; add.className = "btn btn-sm btn-outline-secondary"; add.textContent = "添加一行";
    add.addEventListener("click", function () { addRow({ days: {}, times: "" }); });
    box.parentNode.insertBefore(add, area);
    if (!area.value.trim()) addRow({ days: { mon: 1, tue: 1, wed: 1, thu: 1, fri: 1, sat: 1, sun: 1 }, times: "09:00-18:00" }), write();
  }

  /* ---- station map picker (Leaflet from the theme's vendored copy; no CDN) ---- */
  var PI = Math.PI, A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lat, lng) { return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) { var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)); r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3; r += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3; r += (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3; return r; }
  function tLng(x, y) { var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)); r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3; r += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3; r += (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3; return r; }
  function toGcj(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35), rad = lat / 180 * PI, m = 1 - EE * Math.sin(rad) * Math.sin(rad), s = Math.sqrt(m);
    return [lat + dLat * 180 / ((A * (1 - EE)) / (m * s) * PI), lng + dLng * 180 / (A / s * Math.cos(rad) * PI)];
  }
  function fromGcj(lat, lng) { var w = [lat, lng]; for (var i = 0; i < 6; i++) { var g = toGcj(w[0], w[1]); w = [w[0] - (g[0] - lat), w[1] - (g[1] - lng)]; } return w; }

  function setupMap(form) {
    var el = $("#map-picker"); if (!el) return;
    var lat = $("#lat", form), lng = $("#lng", form), gcj = el.dataset.tilesCrs === "gcj02";
    var shown = function (la, ln) { return gcj ? toGcj(la, ln) : [la, ln]; };
    var stored = function (la, ln) { return gcj ? fromGcj(la, ln) : [la, ln]; };
    function start() {
      var L = window.L;
      var has = lat.value && lng.value;
      var center = has ? shown(+lat.value, +lng.value) : shown(+el.dataset.lat, +el.dataset.lng);
      var map = L.map(el).setView(center, has ? 16 : +el.dataset.zoom);
      L.tileLayer(el.dataset.tilesUrl, { subdomains: el.dataset.tilesSub, maxZoom: 19 }).addTo(map);
      var marker = null;
      function place(la, ln, pan) {
        var p = shown(la, ln);
        if (!marker) {
          marker = L.marker(p, { draggable: true, title: "阵地位置", keyboard: true }).addTo(map);
          marker.on("dragend", function () { var q = marker.getLatLng(), w = stored(q.lat, q.lng); set(w[0], w[1]); });
        } else marker.setLatLng(p);
        if (pan) map.panTo(p);
      }
      function set(la, ln) {
        lat.value = la.toFixed(6); lng.value = ln.toFixed(6);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (has) place(+lat.value, +lng.value);
      map.on("click", function (e) { var w = stored(e.latlng.lat, e.latlng.lng); set(w[0], w[1]); place(w[0], w[1]); });
      [lat, lng].forEach(function (i) { i.addEventListener("input", function () { if (lat.value && lng.value) place(+lat.value, +lng.value, true); }); });
      el._place = function (la, ln) { set(la, ln); place(la, ln, true); };
    }
    function load() {
      var css = document.createElement("link"); css.rel = "stylesheet"; css.href = el.dataset.leafletCss; document.head.appendChild(css);
      var js = document.createElement("script"); js.src = el.dataset.leafletJs; js.onload = start;
      js.onerror = function () { el.innerHTML = '<p class="map-fallback">地图组件没有加载，请直接填写经纬度或粘贴坐标。</p>'; };
      document.head.appendChild(js);
    }
    /* The map and its tiles load once the picker is near the screen (on a phone it sits below
       the first fields); coordinates typed or pasted meanwhile are where it opens. */
    var loading = false;
    watchView(el, function (seen) { if (seen && !loading) { loading = true; load(); } });
    var button = $("#paste-convert"), result = $("#paste-result");
    if (button) button.addEventListener("click", function () {
      var text = $("#paste", form).value, crs = $("#paste_crs", form).value;
      fetch(form.dataset.coordsUrl + "?text=" + encodeURIComponent(text) + "&crs=" + crs, { credentials: "same-origin" })
        .then(function (r) { return r.json(); }).then(function (d) {
          if (d.error) { result.textContent = d.error; return; }
          if (el._place) el._place(d.lat, d.lng); else { lat.value = d.lat; lng.value = d.lng; }
          result.textContent = "已换算为 WGS-84：" + d.lat + ", " + d.lng;
          $("#paste", form).value = "";
        });
    });
  }

  /* ---- media library page: drag and drop several files ---- */
  var drop = $("#media-upload");
  if (drop) {
    ["dragover", "dragenter"].forEach(function (n) { drop.addEventListener(n, function (e) { e.preventDefault(); drop.classList.add("dragover"); }); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("dragover"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault(); drop.classList.remove("dragover");
      var data = new FormData();
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { data.append("files", f); });
      $("#upload-status").textContent = "正在上传…";
      post(drop.dataset.uploadUrl, data).then(function (r) { return r.json(); }).then(function (d) {
        var lines = (d.stored || []).map(function (x) { return "已上传：" + x.name; })
          .concat((d.refused || []).map(function (x) { return "未上传 " + x.name + "：" + x.error; }));
        $("#upload-status").textContent = lines.join("；");
        if ((d.stored || []).length) setTimeout(function () { location.reload(); }, 800);
      });
    });
  }

  /* ---- an entry just approved, changed or withdrawn: follow its publish, then reload ---- */
  var going = $("#entry-publishing");
  if (going) {
    var follow = function () {
      fetch(going.dataset.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (d) {
          var job = d.job;
          if (!job) return;
          var bar = $("#entry-publishing-progress");
          bar.value = job.total ? Math.round(100 * job.done / job.total) : 5;
          bar.textContent = bar.value + "%";
          if (job.state === "running") {
            $("#entry-publishing-state").textContent = "正在更新网站…" + (job.total ? "已生成 " + job.done + " / " + job.total + " 个文件" : "");
            setTimeout(follow, 400);
            return;
          }
          var held = job.warnings.filter(function (w) { return w.indexOf("有误") >= 0; });
          if (job.state === "succeeded" && !held.length) {
            location.replace(going.dataset.doneUrl);
          } else {
            going.className = "alert alert-warning";
            $("#entry-publishing-state").textContent = job.state === "succeeded"
              ? "网站已更新，但有条目有误，没有按新版本上线：" : "网站没有更新，线上保持原样：" + job.error;
            var list = $("#entry-publishing-problems");
            held.concat(job.problems).forEach(function (p) { var li = document.createElement("li"); li.textContent = p; list.appendChild(li); });
          }
        });
    };
    follow();
  }

  /* ---- publish: start, then poll the status until the job ends ---- */
  var pub = $("#publish");
  if (pub) {
    var show = function (job) {
      if (!job) return;
      var pct = job.total ? Math.round(100 * job.done / job.total) : (job.state === "running" ? 5 : 100);
      var bar = $("#publish-progress"); bar.style.width = pct + "%"; bar.setAttribute("aria-valuenow", pct);
      $("#publish-count").textContent = job.total ? "已生成 " + job.done + " / " + job.total + " 个文件" : "";
      $("#publish-log").textContent = job.log.join("\n");
      var state = $("#publish-state"), res = $("#publish-result"), probs = $("#publish-problems");
      res.innerHTML = ""; probs.innerHTML = "";
      if (job.state === "running") { state.textContent = "正在发布…"; $("#publish-button").disabled = true; return false; }
      $("#publish-button").disabled = false;
      if (job.state === "succeeded") {
        state.textContent = "发布成功：" + job.pages + " 个文件，用时 " + job.seconds + " 秒。";
        var a = document.createElement("a"); a.href = pub.dataset.entryUrl || pub.dataset.siteUrl; a.target = "_blank";
        a.className = "btn btn-outline-success"; a.textContent = pub.dataset.entryUrl ? "查看刚发布的页面" : "查看网站"; a.id = "publish-link";
        res.appendChild(a);
        job.warnings.forEach(function (w) { var li = document.createElement("li"); li.textContent = w; probs.appendChild(li); });
      } else {
        state.textContent = "发布失败，线上网站保持不变：" + job.error;
        job.problems.forEach(function (p) { var li = document.createElement("li"); li.textContent = p; probs.appendChild(li); });
      }
      return true;
    };
    var poll = function () {
      fetch(pub.dataset.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (d) { if (show(d.job) === false) setTimeout(poll, 400); });
    };
    $("#publish-form").addEventListener("submit", function (e) {
      e.preventDefault();
      post(pub.dataset.startUrl, new FormData(e.target)).then(function (r) { return r.json(); }).then(function (job) { show(job); poll(); });
    });
    poll();
  }
})();

// Flask-Admin's menus link to "#" (templates/admin/model/layout.html) or to javascript:void(0),
// which the admin's policy refuses: their clicks do not navigate.
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest('a.filter, a[href^="javascript:"]');
  if (a) e.preventDefault();
});

// A form or button with data-confirm asks before it is sent (no inline handler: the policy).
document.addEventListener("submit", function (e) {
  var text = e.target.dataset.confirm || (e.submitter && e.submitter.dataset.confirm);
  if (text && !window.confirm(text)) e.preventDefault();
});

// The list's 对选中的条目 menu (templates/admin/actions.html): Flask-Admin's own markup runs its
// actions from inline handlers, which the admin's Content-Security-Policy refuses.
document.addEventListener("click", function (e) {
  var item = e.target.closest && e.target.closest(".dropdown-item[data-action]");
  if (item && window.modelActions) {
    e.preventDefault();
    window.modelActions.execute(item.dataset.action);
  }
});
