// Served as /search/pagefind.js: Pagefind's own module, with results that hold the reader's
// words as one phrase put first. Pagefind scores words, not phrases, so for 爱心驿站 a page
// saying 爱心 many times could outrank the pages about 爱心驿站; its UI cannot re-order, but
// it takes its module from the bundle path, which the search page points here.
import * as pagefind from "../pagefind/pagefind.js";

export * from "../pagefind/pagefind.js";

function phraseOf(term) {
  var words = (term || "").trim();
  // A quoted search is already exact; one Latin word or one CJK character is no phrase.
  if (!words || words.indexOf('"') !== -1 || words.length < 2) {
    return null;
  }
  return '"' + words + '"';
}

async function phraseFirst(term, options, found) {
  var phrase = phraseOf(term);
  if (!found || !found.results || !phrase) {
    return found;
  }
  var exact = await pagefind.search(phrase, options);
  if (!exact || !exact.results || !exact.results.length) {
    return found;
  }
  var ids = new Set(exact.results.map(function (result) { return result.id; }));
  var first = found.results.filter(function (result) { return ids.has(result.id); });
  var rest = found.results.filter(function (result) { return !ids.has(result.id); });
  return Object.assign({}, found, { results: first.concat(rest) });
}

export async function search(term, options) {
  return phraseFirst(term, options, await pagefind.search(term, options));
}

export async function debouncedSearch(term, options, timeout) {
  return phraseFirst(term, options, await pagefind.debouncedSearch(term, options, timeout));
}
