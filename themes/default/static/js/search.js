/* The search page: Pagefind's UI over the index the build writes to /pagefind/.
   Everything it needs comes from data attributes on #search (where the index lives under
   a sub-path, the UI strings through the theme's catalogue), so the page has no inline
   script. A query in ?q= (the header's search box) is run at once, and each new query is
   put back in the address, so a search can be shared as a link. */
(function () {
  "use strict";

  function query() {
    return new URLSearchParams(window.location.search).get("q") || "";
  }

  function remember(term) {
    var url = new URL(window.location.href);
    if (term) {
      url.searchParams.set("q", term);
    } else {
      url.searchParams.delete("q");
    }
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    return term;
  }

  function start() {
    var box = document.getElementById("search");
    if (!box || typeof window.PagefindUI !== "function") {
      return;
    }
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: box.dataset.bundle,
      baseUrl: box.dataset.base,
      showImages: false,
      showSubResults: true,
      translations: JSON.parse(box.dataset.strings || "{}"),
      processTerm: remember,
      processResult: describeStation
    });
    label(box);
    var term = query();
    var header = document.getElementById("site-search-q");
    if (header) {
      header.value = term;
    }
    if (term) {
      whenFiltersLoaded(box.dataset.bundle, function () {
        ui.triggerSearch(term);
      });
    }
  }

  /* Pagefind's box carries only a title; give it a visible label of its own (WCAG 1.3.1). */
  function label(box) {
    var input = box.querySelector(".pagefind-ui__search-input");
    if (!input) {
      window.requestAnimationFrame(function () { label(box); });
      return;
    }
    input.id = "search-input";
    var text = document.createElement("label");
    text.className = "search-label";
    text.htmlFor = "search-input";
    text.textContent = box.dataset.label || input.getAttribute("placeholder") || "";
    box.insertBefore(text, box.firstChild);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /* A station's result says what kind of station it is and where, before the excerpt: the
     page marks both (data-pagefind-meta), and a reader looking for the nearest one needs them. */
  function describeStation(result) {
    var meta = result.meta || {};
    if (meta.address) {
      var line = [meta.type, meta.address].filter(Boolean).map(escapeHtml).join(" · ");
      result.excerpt = '<span class="result-place">' + line + "</span> " + (result.excerpt || "");
    }
    return result;
  }

  /* Pagefind counts only the filters whose lists it has loaded, and the UI loads them all
     alongside its first search, not before it: a search run at once, from ?q=, could finish
     first and show a filter panel missing a group (or lose one the reader had just opened
     when the lists arrive). So load every filter list first, into the same Pagefind instance
     the UI imports (one module per URL), then search. Without module import, search anyway. */
  function whenFiltersLoaded(bundle, then) {
    var loaded;
    try {
      loaded = import(new URL((bundle || "/pagefind/") + "pagefind.js", window.location.href).href)
        .then(function (pagefind) {
          return pagefind.filters();
        });
    } catch (error) {
      loaded = Promise.reject(error);
    }
    loaded.then(then, then);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
