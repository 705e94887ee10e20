"""Open many pages in one Chromium context and report every sign of script execution.

Pages are loaded in batches as same-origin iframes of a harness page (answered by the test
server itself, with no script in it), and each frame is then asked what happened in it.
Evidence of execution:

- a dialog (``alert``/``confirm``/``prompt``) from any frame: the dialog handler counts it;
- ``window.__pwned`` set: the canary the hand-written vectors assign to;
- a ``securitypolicyviolation`` event: the server under test sends a report-only policy
  that forbids inline script, so an injected script or handler reports itself while it runs;
- a console error, a page error, an HTTP error status for the page itself, or a 5xx answer
  to any request the page made (both seen by the server, which is cheaper than having the
  browser report each of the many thousand responses to Python);
- an element with an injected ``on*`` attribute, or a link/source with a ``javascript:``,
  ``vbscript:`` or ``data:`` URL (what a click would run).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Report-only: nothing is blocked, so an injected script both runs (caught above) and reports.
POLICY = (
    "script-src 'self' 'report-sample'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)

INIT = """
window.__pwned = 0;
window.__violations = [];
window.__errors = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push([e.effectiveDirective, e.blockedURI, e.sample, e.sourceFile,
                            e.lineNumber].join(" "));
}, true);
window.addEventListener("error", (e) => { window.__errors.push(String(e.message)); });
"""

# Run in the harness page: reads every frame (all same-origin) in one call, in frame order;
# null for a frame whose document cannot be read (it navigated away to another origin).
INSPECT = """(allowed) => Array.from(document.querySelectorAll("iframe")).map((frame) => {
  const win = frame.contentWindow, doc = frame.contentDocument;
  if (!win || !doc) return null;
  const bad = [];
  const risky = /^(javascript|vbscript|data):/i;
  for (const el of doc.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      // As a browser reads a URL: C0 and spaces trimmed at the ends, tabs and newlines dropped.
      const value = attr.value.replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, "")
        .replace(/[\\t\\n\\r]/g, "");
      if (name.startsWith("on") && !allowed.some((code) => attr.value.startsWith(code))) {
        bad.push(`${el.tagName} ${name}=${attr.value.slice(0, 80)}`);
      }
      if (["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(name)
          && risky.test(value) && !/^data:image\\/(png|jpeg|gif|webp);/i.test(value)
          // Inert no-ops the libraries write themselves: Flask-Admin's dropdown toggles and
          // the Pagefind UI's search form on /search/.
          && !["javascript:void(0)", "javascript:void(0);"].includes(attr.value)) {
        bad.push(`${el.tagName} ${name}=${attr.value.slice(0, 80)}`);
      }
    }
  }
  return {pwned: win.__pwned || 0, violations: win.__violations || [],
          errors: win.__errors || [], bad: bad, url: win.location.href};
})"""

# True once every frame of the harness has loaded and no live preview is loading (the admin
# asks for a preview only while it is in view, and marks it aria-busy until it is filled).
SETTLED = """() => Array.from(document.querySelectorAll("iframe")).every((frame) => {
  const doc = frame.contentDocument;
  if (!doc) return true;  // gone to another origin: reported as a finding
  if (doc.readyState !== "complete") return false;
  const preview = doc.getElementById("live-preview");
  return !preview || preview.getAttribute("aria-busy") !== "true";
})"""

ASSETS = (".js", ".css", ".woff", ".woff2", ".ttf", ".svg", ".png", ".jpg", ".webp", ".gif")

# Handlers the admin's own templates write: Flask-Admin's list (its delete confirmation and
# dropdowns) and our confirmation before deleting. Matched as prefixes: a CSP report carries
# only the first 40 characters of the code.
OWN_HANDLERS = (
    "return false;",
    "return faHelpers.safeConfirm('你确定要删除这条记录",
    "return confirm('确定删除？删除后可在修改记录中恢复。')",
)


@dataclass
class Report:
    """What the pages showed, per URL; ``clean`` when nothing at all was seen."""

    pages: int = 0
    dialogs: list = field(default_factory=list)
    findings: dict = field(default_factory=dict)  # url -> [evidence]

    @property
    def clean(self) -> bool:
        return not self.dialogs and not self.findings

    def add(self, url: str, evidence: str) -> None:
        self.findings.setdefault(url, []).append(evidence)


class Harness:
    """Wrap a WSGI app: serve our own documents, add the report-only policy, cache assets.

    The documents (the harness pages and the forms the admin showed back) are answered here,
    in front of the app, so the browser needs no request interception (which would switch
    its cache off and make every page fetch every script again).
    """

    def __init__(self, app):  # WSGI
        self.app = app
        self.documents: dict[str, str] = {}  # path with query -> HTML
        self.url = ""
        self.statuses: dict[str, int] = {}  # address as requested -> last status answered
        self.failures: list[tuple[str, str]] = []  # (address, "HTTP 5xx (METHOD)")

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        address = environ.get("REQUEST_URI") or path
        method = environ.get("REQUEST_METHOD", "GET")
        query = environ.get("QUERY_STRING", "")
        body = self.documents.get(path + ("?" + query if query else ""))
        if path.endswith("/preview/"):
            # The live preview is a sandboxed frame without allow-scripts (test_findings checks
            # the attribute), so nothing in it can run; it shows the public page, which is
            # opened as built, and each stored entry's preview is fetched apart for its status.
            body = ""
        if body is not None:
            self.statuses[address] = 200
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Security-Policy-Report-Only", POLICY)])  # fmt: skip
            return [body.encode("utf-8")]

        def start(status, headers, exc_info=None):
            code = int(status.split(None, 1)[0])
            self.statuses[address] = code
            if code >= 500:  # a fetch (the live preview) or an asset failing counts too
                self.failures.append((address, f"HTTP {code} ({method})"))
            kept = [h for h in headers if h[0].lower() != "content-security-policy-report-only"]
            if path.endswith(ASSETS):  # the app's own scripts and styles: fetched once
                kept = [h for h in kept if h[0].lower() != "cache-control"]
                kept.append(("Cache-Control", "max-age=3600"))
            kept.append(("Content-Security-Policy-Report-Only", POLICY))
            return start_response(status, kept, exc_info)

        # Read the answer whole and close it here: werkzeug's server does not close a file it
        # was sending when the browser drops the connection (a batch reopened in halves drops
        # its loads), and the file left open fails the run as a ResourceWarning.
        answer = self.app(environ, start)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()


class Sentinel:
    """One browser context over one origin, with the handlers installed once."""

    def __init__(self, browser, server: Harness, cookies: list | None = None, batch: int = 64):
        self.origin = server.url
        self.bodies = server.documents
        self.batch = batch
        self.report = Report()
        self.context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        self.context.add_init_script(INIT)
        self.context.add_cookies(cookies or [])
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.report.add("pageerror", str(error)))
        self.page.on("console", self._console)
        self.server = server

    def _dialog(self, dialog) -> None:
        self.report.dialogs.append((dialog.page.url if dialog.page else "", dialog.message))
        dialog.dismiss()

    def _console(self, message) -> None:
        # Not evidence: a missing image, or the theme's own scripts held back in the admin's
        # live preview, which is a sandboxed srcdoc frame without allow-scripts.
        benign = ("Failed to load resource", "Blocked script execution in 'about:srcdoc'")
        if message.type == "error" and not message.text.startswith(benign):
            self.report.add("console", message.text[:200])

    def check(self, paths: list[str]) -> Report:
        """Open every path (relative to the origin) and record what happened."""
        for start in range(0, len(paths), self.batch):
            self._open(paths[start : start + self.batch], start)
        failures, self.server.failures[:] = list(self.server.failures), []
        for address, evidence in failures:
            self.report.add(address, evidence)
        return self.report

    def _open(self, paths: list[str], number: int) -> None:
        """Open a batch; one that does not settle in time is opened again in halves.

        On a busy machine 64 admin pages each fetching a preview can take minutes to settle;
        a single page that never settles still fails the run.
        """
        try:
            self._batch(paths, number, timeout=90_000 if len(paths) > 1 else 180_000)
        except PlaywrightTimeoutError:
            if len(paths) == 1:
                raise
            half = len(paths) // 2
            self._open(paths[:half], number)
            self._open(paths[half:], number + half)

    def _batch(self, paths: list[str], number: int, timeout: int) -> None:
        # Phone-sized frames, as most visitors see the site: a fifth of the layout work of
        # desktop-sized ones, and the same scripts run.
        frames = "".join(
            f'<iframe src="{html.escape(self.origin + p)}" width="360" height="240"></iframe>'
            for p in paths
        )
        harness = f"/__harness__/{number}"
        self.bodies[harness] = f"<!doctype html><title>harness</title>{frames}"
        try:
            self.page.goto(self.origin + harness, wait_until="load", timeout=timeout)
            # The edit pages ask for their live preview while they load; wait until every frame
            # has its answer (sooner than waiting for half a second of network silence).
            self.page.wait_for_function(SETTLED, timeout=timeout, polling=50)
        finally:
            del self.bodies[harness]
        seen_all = self.page.evaluate(INSPECT, list(OWN_HANDLERS))
        for path, seen in zip(paths, seen_all, strict=True):
            self.report.pages += 1
            status = self.server.statuses.get(path)
            if status is None or status >= 400:
                self.report.add(path, f"HTTP {status}")
            if seen is None or not seen["url"].startswith(self.origin + "/"):
                # A frame that navigated away (another origin, about:blank) is a finding.
                where = "another origin" if seen is None else seen["url"][:80]
                self.report.add(path, f"frame: navigated away to {where}")
                continue
            if seen["pwned"]:
                self.report.add(path, f"window.__pwned = {seen['pwned']}")
            for item in seen["violations"]:
                if not item.startswith(tuple(f"script-src-attr inline {c}" for c in OWN_HANDLERS)):
                    self.report.add(path, f"CSP: {item}")
            for item in seen["errors"]:
                self.report.add(path, f"error: {item}")
            for item in seen["bad"]:
                self.report.add(path, f"attribute: {item}")

    def close(self) -> None:
        self.context.close()
