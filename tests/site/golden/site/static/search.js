/* Search page: lunr.js over the index built by lunr.py (see generator/search/index.py), either one
 * lunr index (a small archive) or the same index in shards (search-shards.js), fetched per query.
 *
 * Query words are segmented like the documents were: greedy longest match against the index's own
 * vocabulary, with a prefix search for runs the index does not know. Whatever is typed is turned
 * into lunr query clauses programmatically, never parsed as lunr query syntax, so no input can
 * raise a query error. Words in quotes are a phrase: the results are checked against their printed
 * text (withPhrases). Results are built from DOM text nodes only: nothing from
 * the index or a fetched page is ever inserted as HTML.
 */
(function () {
  "use strict";

  if (typeof lunr === "undefined") return;

  // -- the index's pipeline functions, registered under the names lunr.py used --------------
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  function newsTrimmer(token) {
    token.update(function (s) { return s.replace(EDGES, ""); });
    return token.toString() ? token : undefined;
  }
  function newsStemmer(token) {
    return /^[a-z]+$/.test(token.toString()) ? lunr.stemmer(token) : token;
  }
  lunr.Pipeline.registerFunction(newsTrimmer, "newsTrimmer");
  lunr.Pipeline.registerFunction(newsStemmer, "newsStemmer");

  var root = document.querySelector("[data-search]");
  if (!root) return;

  var MAX_WORD = 8;       // longest vocabulary word tried when segmenting a query
  var MAX_TERMS = 24;     // a pasted page of text still makes a small query
  var PAGE = 20;          // results listed at first, and added by "more results"
  var SNIPPET = 80;       // characters of text around the first match
  var FACETS = [["county", "县市区"], ["topic", "专题"], ["paper", "报纸"], ["year", "年份"]];

  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("#search-status");
  var list = root.querySelector("[data-search-results]");
  var facetBox = root.querySelector("[data-search-facets]");
  var options = root.querySelector("[data-search-options]");  // order and range of dates
  var sortBox = root.querySelector("#sort"), fromBox = root.querySelector("#from"), toBox = root.querySelector("#to");
  var base = root.getAttribute("data-base");
  var engine = null;      // {prepare, has, starts, query, docs, facets, dates, span}: singleEngine, shardedEngine
  var state = { q: "", filters: {}, sort: "", from: "", to: "" };  // sort: "", "new" or "old"; from, to: YYYY-MM
  var limit = PAGE, timer = null, sequence = 0;

  // -- query words -----------------------------------------------------------------------------
  var HAN = /\p{Script=Han}/u;

  function segmentHan(run, out) {
    var i = 0, unknown = "";
    function flush() {
      if (!unknown) return;
      if (unknown.length === 1 && engine.has(unknown)) out.push({ term: unknown, prefix: false });
      else out.push({ term: unknown, prefix: true });
      unknown = "";
    }
    while (i < run.length) {
      var found = 0;
      for (var len = Math.min(MAX_WORD, run.length - i); len >= 2; len--) {
        if (engine.has(run.substr(i, len))) { found = len; break; }
      }
      if (found) { flush(); out.push({ term: run.substr(i, found), prefix: false }); i += found; }
      else { unknown += run.charAt(i); i += 1; }
    }
    flush();
  }

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function queryTerms(text) {
    var out = [];
    var chunks = normalise(text).split(/[^\p{L}\p{N}]+/u);
    chunks.forEach(function (chunk) {
      (chunk.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) || []).forEach(function (run) {
        if (HAN.test(run)) segmentHan(run, out);
        else out.push({ term: run, prefix: false });
      });
    });
    var seen = new Set();
    return out.filter(function (t) {
      var key = t.term + (t.prefix ? "*" : "");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).slice(0, MAX_TERMS);
  }

  function runQuery(terms, required) {
    return engine.query(function (q) {
      terms.forEach(function (t) {
        q.term(t.term, {
          presence: required ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL,
          wildcard: t.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
        });
      });
    });
  }

  // -- traditional characters: the query's simplified form, when it holds a character the index lacks
  var simplifiedUrl = root.getAttribute("data-simplified");  // the map's folder, "?v=" and its version
  var SIMPLIFIED_FILES = 16;  // index.py's SIMPLIFIED_FILES: part n maps the code points n modulo 16
  var simplifiedParts = new Map();  // part number -> promise of its Map traditional -> simplified

  function simplifiedPart(n) {
    if (!simplifiedParts.has(n)) {
      var url = simplifiedUrl.replace("?", n + ".txt?");
      simplifiedParts.set(n, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      }).then(function (pairs) {
        var map = new Map(), chars = Array.from(pairs);
        for (var i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
        return map;
      }));
    }
    return simplifiedParts.get(n);
  }

  /* Resolves to the text to search: `text` itself, or its simplified form if it holds Han characters
   * no indexed word starts with and the map changes them (load the vocabulary of `text` first). */
  function simplify(text) {
    var unknown = (normalise(text).match(/\p{Script=Han}/gu) || []).filter(function (c) { return !engine.starts(c); });
    if (!unknown.length || !simplifiedUrl) return Promise.resolve(text);
    var parts = new Set(unknown.map(function (c) { return c.codePointAt(0) % SIMPLIFIED_FILES; }));
    return Promise.all(Array.from(parts).map(simplifiedPart)).then(function (maps) {
      var simple = Array.from(text).map(function (c) {
        for (var i = 0; i < maps.length; i++) if (maps[i].has(c)) return maps[i].get(c);
        return c;
      }).join("");
      return simple === text ? text : engine.prepare(simple).then(function () { return simple; });
    }, function () { return text; });  // no map: search the text as typed
  }

  // -- pinyin offers: counties, topics, places and people whose pinyin or initials start with the query
  var pinyinUrl = root.getAttribute("data-pinyin");  // the offers' folder, "?v=" and its version
  var offerBox = root.querySelector("[data-search-offers]");
  var OFFERS = 8;
  var KIND_NAMES = { county: "县市区", topic: "专题", place: "地名", person: "人名" };
  var KIND_ORDER = ["county", "topic", "place", "person"];
  var pinyinEntries = null;  // promise of every entry [name, kind, url, pinyin, initials], fetched once

  /* Resolves to the offers for `text` if it is two or more Latin letters (spaces and ' ignored). */
  function offersFor(text) {
    var typed = normalise(text).replace(/[\s'’]+/g, "");
    if (!pinyinUrl || !/^[a-z]{2,}$/.test(typed)) return Promise.resolve([]);
    if (!pinyinEntries) {
      pinyinEntries = Promise.all(["names", "people"].map(function (file) {
        return fetch(pinyinUrl.replace("?", file + ".json?")).then(function (r) { return r.ok ? r.json() : []; });
      })).then(function (lists) { return lists[0].concat(lists[1]); });
    }
    return pinyinEntries.then(function (entries) {
      return entries.filter(function (e) { return e[3].startsWith(typed) || e[4].startsWith(typed); })
        .sort(function (a, b) {
          var exact = (b[3] === typed || b[4] === typed) - (a[3] === typed || a[4] === typed);
          return exact || KIND_ORDER.indexOf(a[1]) - KIND_ORDER.indexOf(b[1]) || a[3].length - b[3].length;
        }).slice(0, OFFERS);
    });
  }

  function renderOffers(offers) {
    offerBox.textContent = "";
    offerBox.hidden = !offers.length;
    offers.forEach(function (e) {
      var li = el("li"), a = el("a", null, e[0]);
      a.href = base + e[2];
      li.appendChild(a);
      li.appendChild(el("small", null, " " + (KIND_NAMES[e[1]] || "")));
      offerBox.appendChild(li);
    });
  }

  /* All words required; if nothing has them all, any of them. Resolves to {results, partial, phrases}:
   * the phrases' order is checked afterwards (withPhrases), so a pasted title with quotes in it
   * still finds its article. */
  function search(typed) {
    return engine.prepare(typed).then(function () { return simplify(typed); }).then(function (text) {
      var terms = queryTerms(text), phrases = phrasesOf(text);
      if (!terms.length) return { results: [], partial: false, phrases: [] };
      return runQuery(terms, true).then(function (results) {
        if (results.length || terms.length === 1) return { results: results, partial: false, phrases: phrases };
        return runQuery(terms, false).then(function (any) { return { results: any, partial: true, phrases: phrases }; });
      });
    });
  }

  // -- exact phrases: words in quotes ("…", “…”, 「…」, 『…』) must stand together, in that order --------
  var QUOTED = /"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|『([^』]*)』?/g;  // (an unclosed quote runs to the end)
  var PHRASE_CHECKS = 20;  // candidates whose printed text is fetched (an article page each) per round
  var pageTexts = new Map();  // url -> promise of {plain, shown}: an article's printed title and text

  function letters(text) {
    return normalise(text).replace(/[^\p{L}\p{N}]+/gu, "");
  }

  /* The phrases of a query that need their order checked (not one indexed word), as letters and
   * digits only (what a match compares). */
  function phrasesOf(text) {
    var out = [];
    (text.match(QUOTED) || []).forEach(function (quoted) {
      var p = letters(quoted), terms = queryTerms(p);
      var oneWord = terms.length === 1 && !terms[0].prefix;
      if (p && !oneWord && out.indexOf(p) < 0) out.push(p);
    });
    return out;
  }

  function pageText(url) {
    if (!pageTexts.has(url)) {
      pageTexts.set(url, fetch(base + url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var title = page.querySelector("article h1"), body = page.querySelector("article .body");
        var shown = (body ? body.textContent : "").replace(/\s+/g, " ").trim();
        return { plain: letters((title ? title.textContent : "") + shown), shown: shown };
      }));
    }
    return pageTexts.get(url);
  }

  /* The candidates (search's results, best first) whose printed text holds every phrase: checked in
   * order until `want` are found or PHRASE_CHECKS more were fetched. Resolves to {results, unchecked,
   * texts}: texts, the printed text of each kept result, for its snippet. */
  function withPhrases(candidates, phrases, want) {
    var kept = [], texts = new Map(), i = 0, fetched = 0;
    function round() {
      if (i >= candidates.length || kept.length >= want || fetched >= PHRASE_CHECKS) {
        return { results: kept, unchecked: candidates.length - i, texts: texts };
      }
      var batch = candidates.slice(i, i + 10);
      i += batch.length;
      return engine.docs(batch.map(function (r) { return r.ref; })).then(function (docs) {
        return Promise.all(docs.map(function (d) {
          if (!pageTexts.has(d.url)) fetched += 1;
          return pageText(d.url).catch(function () { return null; });
        }));
      }).then(function (pages) {
        batch.forEach(function (r, k) {
          var page = pages[k];
          if (page && phrases.every(function (p) { return page.plain.indexOf(p) >= 0; })) {
            kept.push(r);
            texts.set(r.ref, page.shown);
          }
        });
        return round();
      });
    }
    return Promise.resolve().then(round);
  }

  // -- the two engines ----------------------------------------------------------------------------
  function facetsOf(d) {
    return { county: d.county, topics: d.topics, paper: d.paper, year: d.date.slice(0, 4) };
  }

  /* One lunr index and every document's display data, loaded at once. */
  function singleEngine(index, docs) {
    var vocab = new Set(Object.keys(index.invertedIndex));
    var firsts = new Set();
    vocab.forEach(function (term) { firsts.add(String.fromCodePoint(term.codePointAt(0))); });
    function doc(ref) {
      var row = docs.docs[+ref], d = {};
      docs.fields.forEach(function (name, i) { d[name] = row[i]; });
      return d;
    }
    return {
      prepare: function () { return Promise.resolve(); },
      has: function (word) { return vocab.has(word); },
      starts: function (c) { return firsts.has(c); },
      query: function (fn) { return Promise.resolve(index.query(fn)); },
      docs: function (refs) { return Promise.resolve(refs.map(doc)); },
      facets: function (refs) { return Promise.resolve(refs.map(function (r) { return facetsOf(doc(r)); })); },
      dates: function (refs) { return Promise.resolve(refs.map(function (r) { return doc(r).date; })); },
      span: function (ref) { var date = doc(ref).date; return [date, date]; }
    };
  }

  /* The shards: the vocabulary for the query's characters is fetched before it is segmented. */
  function shardedEngine(index) {
    return {
      prepare: function (text) {
        var chars = new Set();
        (normalise(text).match(/[\p{L}\p{N}]/gu) || []).forEach(function (c) { chars.add(c); });
        return index.loadVocabulary(Array.from(chars));
      },
      has: function (word) { return index.has(word); },
      starts: function (c) { return index.starts(c); },
      query: function (fn) { return index.query(fn); },
      docs: function (refs) { return index.docs(refs); },
      facets: function (refs) { return index.facets(refs); },
      dates: function (refs) { return index.dates(refs); },
      span: function (ref) { return index.span(ref); }
    };
  }

  function loadEngine() {
    var indexUrl = root.getAttribute("data-index");
    if (root.getAttribute("data-mode") === "sharded") {
      var pipeline = new lunr.Pipeline();
      pipeline.add(newsStemmer);
      return NewsShardedIndex.load(indexUrl, pipeline).then(shardedEngine);
    }
    return Promise.all([indexUrl, root.getAttribute("data-docs")].map(function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    })).then(function (loaded) { return singleEngine(lunr.Index.load(loaded[0]), loaded[1]); });
  }

  // -- results ----------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function matchedWords(result) {
    return Object.keys(result.matchData.metadata).filter(function (w) { return w.length > 0; })
      .sort(function (a, b) { return b.length - a.length; });
  }

  /* A window of the text around the first of `focus` (default: the matched words), with every matched
   * word in <mark>. */
  function snippet(text, words, focus) {
    var lower = text.toLowerCase(), first = -1;
    (focus && focus.length ? focus : words).forEach(function (w) {
      var at = lower.indexOf(w);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = first > 20 ? first - 20 : 0;
    var part = text.substr(start, SNIPPET * 2);
    var p = el("p", "snippet");
    if (start > 0) p.appendChild(document.createTextNode("…"));
    var partLower = part.toLowerCase(), i = 0;
    while (i < part.length) {
      var hit = null;
      for (var k = 0; k < words.length; k++) {
        if (words[k] && partLower.startsWith(words[k], i)) { hit = words[k]; break; }
      }
      if (hit) { p.appendChild(el("mark", "", part.substr(i, hit.length))); i += hit.length; continue; }
      var next = i + 1;
      while (next < part.length && !words.some(function (w) { return w && partLower.startsWith(w, next); })) next++;
      p.appendChild(document.createTextNode(part.slice(i, next)));
      i = next;
    }
    if (start + part.length < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function facetValues(f, name) {
    if (name === "county") return f.county ? [f.county] : [];
    if (name === "topic") return f.topics;
    if (name === "paper") return [f.paper];
    return [f.year];
  }

  function passes(d) {
    return FACETS.every(function (f) {
      var want = state.filters[f[0]];
      return !want || facetValues(d, f[0]).indexOf(want) >= 0;
    });
  }

  /* A month typed or in the URL, as YYYY-MM ("" if it is none): "2024-5" and "2024年5月" too; a year
   * alone is its first month (`from`) or its last (`to`). */
  function month(text, last) {
    var m = /^\s*(\d{4})(?:\s*[-\/.年]\s*(\d{1,2})\s*月?)?\s*年?\s*$/.exec(text || "");
    if (!m) return "";
    var n = m[2] ? +m[2] : (last ? 12 : 1);
    return n >= 1 && n <= 12 ? m[1] + "-" + (n < 10 ? "0" : "") + n : "";
  }

  // Dates come in chunks that name their first and last date (engine.span): a date is fetched only
  // where a chunk's span leaves the answer open.
  var knownDates = new Map();  // ref -> YYYY-MM-DD

  function learnDates(refs) {
    var need = refs.filter(function (ref) { return !knownDates.has(ref); });
    if (!need.length) return Promise.resolve();
    return engine.dates(need).then(function (dates) {
      need.forEach(function (ref, i) { knownDates.set(ref, dates[i]); });
    });
  }

  function monthsIn(first, last) {  // "in", "out" or "open": where months first..last lie against the range
    var from = state.from || "0000-00", to = state.to || "9999-99";
    if (last < from || first > to) return "out";
    return first >= from && last <= to ? "in" : "open";
  }

  /* The results printed inside the range of months (all of them without a range). */
  function withinRange(results) {
    if (!state.from && !state.to) return Promise.resolve(results);
    function where(r) {
      var date = knownDates.get(r.ref), span = date ? [date, date] : engine.span(r.ref);
      return monthsIn(span[0].slice(0, 7), span[1].slice(0, 7));
    }
    var open = results.filter(function (r) { return where(r) === "open"; });
    return learnDates(open.map(function (r) { return r.ref; })).then(function () {
      return results.filter(function (r) { return where(r) === "in"; });
    });
  }

  /* The results in the chosen order, keeping relevance among those of one day. The first `want` are
   * certain: a result whose date is not fetched yet counts as the newest (oldest) its chunk's span
   * allows, and the dates of such results among the first `want` are fetched until none is left. */
  function inOrder(results, want) {
    if (!state.sort) return Promise.resolve(results);
    var newest = state.sort === "new";
    function arranged() {
      return results.map(function (r, i) {
        var date = knownDates.get(r.ref), span = date ? null : engine.span(r.ref);
        return { r: r, i: i, known: !!date, date: date || (newest ? span[1] : span[0]) };
      }).sort(function (a, b) {
        if (a.date !== b.date) return (a.date < b.date) === newest ? 1 : -1;
        return a.known === b.known ? a.i - b.i : (a.known ? 1 : -1);  // (a guess goes first: it is fetched)
      });
    }
    function settle() {
      var list = arranged(), unsure = list.slice(0, want).filter(function (x) { return !x.known; });
      if (!unsure.length) return list.map(function (x) { return x.r; });
      return learnDates(unsure.map(function (x) { return x.r.ref; })).then(settle);
    }
    return Promise.resolve().then(settle);
  }

  function renderFacets(all) {
    facetBox.textContent = "";
    var any = false;
    FACETS.forEach(function (f) {
      var counts = new Map();
      all.forEach(function (d) {
        facetValues(d, f[0]).forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
      });
      if (!counts.size) return;
      any = true;
      var group = el("div", "facet");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", f[1]);
      group.appendChild(el("span", "facet-label", f[1]));
      Array.from(counts.keys()).sort().forEach(function (value) {
        var on = state.filters[f[0]] === value;
        var b = el("button", "chip", value + " " + counts.get(value));
        b.type = "button";
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.addEventListener("click", function () {
          if (on) delete state.filters[f[0]]; else state.filters[f[0]] = value;
          update(true);
        });
        group.appendChild(b);
      });
      facetBox.appendChild(group);
    });
    facetBox.hidden = !any;
  }

  /* Display data is fetched for the listed results only; facets (drawn by renderFacets) count every result. */
  function render(found, docs, shownCount, phrases, texts) {
    list.textContent = "";
    found.forEach(function (r, i) {
      var d = docs[i];
      if (!d) return;
      var li = el("li", "result");
      var h = el("h2", "result-title");
      var a = el("a", "", d.title);
      a.href = base + d.url;
      h.appendChild(a);
      li.appendChild(h);
      var meta = [d.date, d.paper];
      if (d.county) meta.push(d.county);
      if (d.topics.length) meta.push(d.topics.join("、"));
      li.appendChild(el("p", "meta", meta.join(" · ")));
      // a phrase's result shows the printed text around the phrase, the phrase marked whole
      var text = (texts && texts.get(r.ref)) || d.text;
      li.appendChild(snippet(text, (phrases || []).concat(matchedWords(r)), phrases));
      list.appendChild(li);
    });
    if (shownCount > docs.length) {
      var li = el("li", "more");
      var more = el("button", "more-results", "显示更多结果");
      more.type = "button";
      more.addEventListener("click", function () { limit += PAGE; update(false, true); });
      li.appendChild(more);
      list.appendChild(li);
    }
  }

  function describe(count, partial, listed, unchecked) {
    if (!state.q.trim()) return "输入词语开始搜索。";
    if (unchecked) {
      return "已找到 " + count + " 篇含有引号中原文的文章" + (count > listed ? "，显示前 " + listed + " 篇" : "") +
        "；另有 " + unchecked + " 篇待查，可点“显示更多结果”。";
    }
    if (!count) return "没有找到与“" + state.q.trim() + "”相关的文章。";
    return "找到 " + count + " 篇" +
      (partial ? "（没有同时包含全部词语的文章，以下包含其中部分词语）" : "") +
      (count > listed ? "，显示前 " + listed + " 篇" : "") + "。";
  }

  /* data-search-state: "busy", then "shown" once the results are listed, then "done" once the facets
   * are counted too. Without a facet chosen, the results are listed before the facet data of every
   * result is fetched (in a big archive that is most of a common word's bytes). */
  function update(push, keepLimit) {
    var mine = ++sequence;
    if (!keepLimit) limit = PAGE;
    root.setAttribute("data-search-state", "busy");
    writeUrl(push);
    var found = { results: [], partial: false };
    // a facet chosen needs the facet data of every result before the list; an order by date or a range
    // of months needs only their dates (see withinRange and inOrder)
    var faceted = FACETS.some(function (f) { return state.filters[f[0]]; });
    function current() { return mine === sequence; }  // false once a newer query is under way

    function show(shown, facets) {
      var listed = shown.slice(0, limit);
      return engine.docs(listed.map(function (r) { return r.ref; })).then(function (docs) {
        if (!current()) return;
        render(listed, docs, shown.length + (found.unchecked ? 1 : 0), found.phrases, found.texts);
        if (facets) renderFacets(facets); else if (!keepLimit) facetBox.hidden = true;
        status.textContent = describe(shown.length, found.partial, listed.length, found.unchecked);
        root.setAttribute("data-search-state", facets ? "done" : "shown");
      });
    }

    function facetsOfAll(results) {
      return engine.facets(results.map(function (r) { return r.ref; }));
    }

    var offered = offersFor(state.q).catch(function () { return []; });
    search(state.q).catch(function () {
      return { results: [], partial: false, phrases: [] };
    }).then(function (result) {
      if (!result.phrases.length || !current()) return result;
      return withPhrases(result.results, result.phrases, limit).then(function (checked) {
        return { results: checked.results, partial: false, phrases: result.phrases, unchecked: checked.unchecked,
                 texts: checked.texts };
      });
    }).then(function (result) {
      return offered.then(function (offers) {
        if (current()) renderOffers(offers);
        return result;
      });
    }).then(function (result) {
      found = result;
      if (faceted) {
        return facetsOfAll(found.results).then(function (facets) {
          var at = new Map(found.results.map(function (r, i) { return [r.ref, i]; }));
          function facetsOfResult(r) { return facets[at.get(r.ref)]; }
          return withinRange(found.results).then(function (inside) {
            var kept = inside.filter(function (r) { return passes(facetsOfResult(r)); });
            return inOrder(kept, limit).then(function (ordered) {
              return show(ordered, inside.map(facetsOfResult));  // facets count the results in the range
            });
          });
        });
      }
      return withinRange(found.results).then(function (inside) {
        return inOrder(inside, limit).then(function (ordered) {
          return show(ordered, ordered.length ? null : []).then(function () {
            if (!current() || !inside.length) return;
            return facetsOfAll(inside).then(function (facets) {  // facets count the results in the range
              if (current()) renderFacets(facets);
            }, function () { /* the results stay listed, without facets */ }).then(function () {
              if (current()) root.setAttribute("data-search-state", "done");
            });
          });
        });
      });
    }).catch(function () {
      if (!current()) return;
      status.textContent = "搜索结果载入失败，请稍后重试。";
      root.setAttribute("data-search-state", "done");
    });
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (f) { if (state.filters[f[0]]) params.set(f[0], state.filters[f[0]]); });
    ["sort", "from", "to"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url !== location.pathname + location.search) {
      if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
    }
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.filters = {};
    FACETS.forEach(function (f) { if (params.get(f[0])) state.filters[f[0]] = params.get(f[0]); });
    input.value = state.q;
    state.sort = ["new", "old"].indexOf(params.get("sort")) >= 0 ? params.get("sort") : "";
    state.from = month(params.get("from"), false);
    state.to = month(params.get("to"), true);
    showOptions();
  }

  function showOptions() {
    if (!options) return;
    sortBox.value = state.sort;
    fromBox.value = state.from;
    toBox.value = state.to;
  }

  function readOptions() {
    if (!options) return;
    state.sort = ["new", "old"].indexOf(sortBox.value) >= 0 ? sortBox.value : "";
    state.from = month(fromBox.value, false);
    state.to = month(toBox.value, true);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value;
    state.filters = {};
    readOptions();
    update(true);
  });
  if (options) {
    options.hidden = false;  // (without this script they do nothing)
    [sortBox, fromBox, toBox].forEach(function (box) {
      box.addEventListener("change", function () {
        readOptions();
        if (engine) update(true, false);
      });
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      state.q = input.value;
      state.filters = {};
      update(false);
    }, 200);
  });
  window.addEventListener("popstate", function () { if (engine) { readUrl(); update(false); } });

  status.textContent = "正在载入索引…";
  loadEngine().then(function (loaded) {
    engine = loaded;
    readUrl();
    update(false);
    root.setAttribute("data-search-ready", "");
  }).catch(function () {
    status.textContent = "搜索索引载入失败，请稍后重试。";
  });
})();
