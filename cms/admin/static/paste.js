/* Paste from the 公众号 editor, Word or a web page into the body: the server turns the HTML into
   Markdown and puts its images in the media library. Pasted screenshots are uploaded like
   dropped images. 导出为公众号格式 copies the body as HTML with inline styles. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var body = form && form.querySelector("#body");
  var tools = form && form.querySelector("[data-paste-url]");
  if (!body || !tools) return;
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var status = document.getElementById("paste-status");

  function say(text, bad) {
    if (!status) return;
    status.textContent = text;
    status.className = "small align-self-center ml-2 " + (bad ? "text-danger" : "text-success");
  }
  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" } })
      .then(function (r) { return r.json(); });
  }
  function insert(text) {
    var start = body.selectionStart, end = body.selectionEnd;
    body.setRangeText(text, start, end, "end");
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  body.addEventListener("paste", function (event) {
    var clip = event.clipboardData;
    if (!clip) return;
    var html = clip.getData("text/html");
    var files = Array.prototype.filter.call(clip.files || [], function (f) { return /^image\//.test(f.type); });
    if (!html && !files.length) return;  // plain text pastes as it is
    event.preventDefault();
    body.setAttribute("aria-busy", "true");
    say("正在转换粘贴的内容……");
    var data = new FormData();
    var url = tools.dataset.pasteUrl;
    if (html) {
      data.append("html", html);
    } else {
      url = form.dataset.uploadUrl;
      files.forEach(function (f) { data.append("files", f); });
    }
    post(url, data).then(function (d) {
      if (html) {
        insert(d.markdown || "");
        var count = (d.stored || []).length;
        var text = "已转换为 Markdown" + (count ? "，" + count + " 张图片已放入媒体库" : "");
        say(text + ((d.warnings || []).length ? "。注意：" + d.warnings.join("；") : ""), (d.warnings || []).length);
      } else {
        (d.stored || []).forEach(function (x) { insert("\n![](../" + x.ref + ")\n"); });
        (d.refused || []).forEach(function (x) { say("未上传 " + x.name + "：" + x.error, true); });
        if ((d.stored || []).length) say("图片已放入媒体库");
      }
    }).catch(function () {
      say("转换失败：请检查网络或登录状态后重试", true);
    }).finally(function () { body.removeAttribute("aria-busy"); });
  });

  var exporter = tools.querySelector("[data-wechat-url]");
  if (exporter) exporter.addEventListener("click", function () {
    var data = new FormData();
    data.append("kind", form.dataset.kind || "news");
    data.append("body", body.value);
    post(exporter.dataset.wechatUrl, data).then(function (d) {
      var done = function () {
        say("已复制为公众号格式，可直接粘贴到公众号编辑器" +
          ((d.broken || []).length ? "（有 " + d.broken.length + " 个链接无效）" : ""), (d.broken || []).length);
      };
      if (navigator.clipboard && window.ClipboardItem) {
        var item = new ClipboardItem({
          "text/html": new Blob([d.html], { type: "text/html" }),
          "text/plain": new Blob([body.value], { type: "text/plain" })
        });
        return navigator.clipboard.write([item]).then(done, function () { copyBySelection(d.html); done(); });
      }
      copyBySelection(d.html);
      done();
    }).catch(function () { say("导出失败：请检查网络或登录状态后重试", true); });
  });

  /* Where the clipboard API is missing (plain http, older browsers): select a rendered copy. */
  function copyBySelection(html) {
    var holder = document.createElement("div");
    holder.contentEditable = "true";
    holder.className = "wechat-copy";
    holder.innerHTML = html;  // our own sanitised HTML from the server
    document.body.appendChild(holder);
    var range = document.createRange();
    range.selectNodeContents(holder);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand("copy");
    selection.removeAllRanges();
    holder.remove();
  }
})();
