/* A lunr index in shards (written by generator/search/shards.py), queried like lunr.Index.
 *
 * query(fn) takes the same function lunr.Index.prototype.query takes (clauses with fields, boost,
 * presence, wildcards and edit distance, built on a lunr.Query) and returns, through a promise,
 * what lunr.js would return: [{ref, score, matchData: {metadata}}], best first. Before scoring it
 * fetches only the files the query needs: the vocabulary lists for the characters its terms start
 * with (all of them for a leading wildcard or an edit distance), then each matching term's postings
 * file in every segment. Term weights are lunr's BM25, computed here from the postings' term
 * frequency and field length with the manifest's document count and average field lengths, the
 * same arithmetic lunr.py's builder does. The scoring loop below follows lunr.Index.prototype.query
 * step by step, using lunr's own Query, Pipeline, TokenSet and Set. A term found in a quarter or more
 * of a big segment's documents leaves its field lengths to the segment's length table for that
 * field, fetched once for all such terms of a query. In a segment whose documents are numbered by
 * body length ("sortedBy" in the manifest), every body posting does, and that table is run-length
 * coded.
 *
 * Nothing from the files is ever evaluated or inserted as HTML; terms are looked up in Maps.
 */
(function (global) {
  "use strict";

  var K1 = 1.2, B = 0.75;  // lunr's BM25 defaults, as in lunr.py's Builder
  // The layout of the files this code reads (codec.py's SHARDS_FORMAT): a site built by another
  // version of the generator, with this file from an older theme, fails to load instead of finding less.
  var FORMAT = "shards-12";

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* A field's postings of one term, as codec.py's encode_field writes them: a header digit
   * ((length digits - 1) * 2 + has-tfs, or DENSE_HEADER + has-tfs when the lengths are in the
   * segment's length table), the number of documents, their gaps, then (if present) their tfs, as
   * variable-length numbers (5 bits a digit; digits 32-63 mean "more follows"), then (unless dense)
   * their field lengths in fixed base-64 digits. Appends [ref, tf, length] to out; returns how many.
   * Dense postings take their lengths from column (the term's own, decoded) or table (the
   * segment's decoded length table, by position in the segment). */
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charAt(d)] = d;
  var MAX_LENGTH_DIGITS = 5, DENSE_HEADER = 2 * MAX_LENGTH_DIGITS;

  function isDense(text) {
    return typeof text === "string" && (VALUE[text.charAt(0)] | 0) >= DENSE_HEADER;
  }

  /* How many documents a field's postings text lists (the number after its header). */
  function postingsCount(text) {
    return numbers(text, 1).next();
  }

  /* A segment's length table for one field (codec.py's encode_lengths): each of its `count`
   * documents' field length in fixed base-64 digits; the width is the text's length over count. */
  function decodeLengths(text, count) {
    var width = typeof text === "string" && count > 0 ? text.length / count : 0;
    if (!(width >= 1 && width <= MAX_LENGTH_DIGITS && Math.floor(width) === width)) {
      throw new Error("a length table that does not fit its " + count + " documents");
    }
    var table = new Array(count);
    for (var k = 0, i = 0; k < count; k++) {
      var value = 0;
      for (var n = 0; n < width; n++) value = value * 64 + (VALUE[text.charAt(i++)] | 0);
      table[k] = value;
    }
    return table;
  }

  /* A reader of variable-length numbers (5 bits a digit; digits 32-63 mean "more follows") in
   * text from position at: next() returns the next number, at is where the reader stands. */
  function numbers(text, at) {
    return {
      text: text, at: at,
      next: function () {
        var value = 0, digit;
        do {
          digit = VALUE[this.text.charAt(this.at++)] | 0;
          value = value * 32 + (digit & 31);
        } while (digit >= 32 && this.at < this.text.length);
        return value;
      }
    };
  }

  /* The run-length table of a segment's sorted field (codec.py's encode_runs): pairs of
   * variable-length numbers, the change from the previous run's length (zigzag: even up, odd
   * down) and how many documents have that length, in document order. */
  function decodeRuns(text, count) {
    var table = [], length = 0, read = numbers(typeof text === "string" ? text : "", 0);
    while (read.at < read.text.length && table.length < count) {
      var change = read.next(), run = read.next();
      length += change % 2 ? -(change + 1) / 2 : change / 2;
      if (length < 0 || run < 1 || table.length + run > count) break;
      for (var k = 0; k < run; k++) table.push(length);
    }
    if (table.length !== count || read.at !== read.text.length) {
      throw new Error("a run-length table that does not fit its " + count + " documents");
    }
    return table;
  }

  function decodeField(text, start, out, table, column) {
    var header = VALUE[text.charAt(0)] | 0, dense = header >= DENSE_HEADER,
        width = (header >> 1) + 1, withTfs = header & 1;
    if (dense && !table && !column) throw new Error("dense postings without their lengths");
    var read = numbers(text, 1);
    var count = Math.min(read.next(), text.length), first = out.length, position = start, k, n;
    for (k = 0; k < count; k++) {
      position += read.next();
      out.push([position, 1, 0]);
    }
    if (withTfs) for (k = 0; k < count; k++) out[first + k][1] = read.next();
    var i = read.at;
    if (dense) {
      for (k = 0; k < count; k++) {
        out[first + k][2] = (column ? column[k] : table[out[first + k][0] - start]) | 0;
      }
      return count;
    }
    for (k = 0; k < count; k++) {
      for (n = 0; n < width; n++) out[first + k][2] = out[first + k][2] * 64 + (VALUE[text.charAt(i++)] | 0);
    }
    return count;
  }

  function toMap(object) {
    var map = new Map();
    Object.keys(object).forEach(function (k) { map.set(k, object[k]); });
    return map;
  }

  function ShardedIndex(manifest, baseUrl, version, pipeline) {
    this.manifest = manifest;
    this.base = baseUrl;      // the search/ folder, ending in "/"
    this.version = version;   // appended to chunk URLs, whose names are positions, not content
    this.pipeline = pipeline;
    this.fields = manifest.fields.map(function (f) { return f[0]; });
    this.boosts = manifest.fields.map(function (f) { return f[1]; });
    var n = manifest.documents;
    this.averages = manifest.fieldLengths.map(function (total) { return total / n; });
    this.files = new Map();   // url -> promise of parsed JSON
    this.tables = new Map();  // length table url -> promise of its numbers
    this.vocab = new Set();   // every term of the loaded vocabulary lists
    this.firsts = new Set();  // the characters they start with
    this.loadedVocab = new Set();
  }

  ShardedIndex.prototype.fetchJson = function (url) {
    if (!this.files.has(url)) {
      this.files.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      }));
    }
    return this.files.get(url);
  };

  /* Load the vocabulary lists holding words that start with these characters (null: all lists). */
  ShardedIndex.prototype.loadVocabulary = function (chars) {
    var self = this, wanted = [];
    this.manifest.segments.forEach(function (seg) {
      var buckets = [];
      if (chars === null) {
        for (var b = 0; b < seg.vocabBuckets; b++) buckets.push(b);
      } else {
        chars.forEach(function (c) { buckets.push(fnv1a(c) & (seg.vocabBuckets - 1)); });
      }
      buckets.forEach(function (b) {
        var url = self.base + "v/" + seg.vocab + "-" + b + ".json";
        if (self.loadedVocab.has(url)) return;
        self.loadedVocab.add(url);
        wanted.push(self.fetchJson(url).then(function (terms) {
          terms.forEach(function (t) {
            if (typeof t !== "string" || !t) return;
            self.vocab.add(t);
            self.firsts.add(String.fromCodePoint(t.codePointAt(0)));
          });
        }));
      });
    });
    return Promise.all(wanted);
  };

  ShardedIndex.prototype.has = function (term) { return this.vocab.has(term); };

  /* Whether a loaded vocabulary list has a term starting with character c (load c's lists first). */
  ShardedIndex.prototype.starts = function (c) { return this.firsts.has(c); };

  /* A segment's length table for field number f, decoded once. */
  ShardedIndex.prototype.lengthTable = function (seg, f) {
    var url = this.base + "l/" + seg.postings + "-" + f + ".json";
    if (!this.tables.has(url)) {
      this.tables.set(url, this.fetchJson(url).then(function (text) {
        return f === seg.sortedBy ? decodeRuns(text, seg.count) : decodeLengths(text, seg.count);
      }));
    }
    return this.tables.get(url);
  };

  /* A term's entry in a segment: {postings: per field text or 0, columns: the URL of its length
   * columns}. A common term's entry in its bucket file is a number n: its postings are in the file
   * <bucket>-<n>, its dense fields' lengths in <bucket>-<n>-lengths. The terms a segment lists as
   * "common" are in its file -common instead of a bucket; a segment that lists its terms with
   * files of their own ("own") is read without their bucket file. */
  ShardedIndex.prototype.entry = function (seg, term) {
    var self = this;
    if (Array.isArray(seg.common) && seg.common.indexOf(term) >= 0) {  // a tail piece's common word: its common file
      var common = this.base + "s/" + seg.postings + "-common.json";
      return this.fetchJson(common).then(function (file) {
        if (!(file instanceof Map)) self.files.set(common, Promise.resolve(file = toMap(file)));
        return { postings: file.get(term), columns: null };
      });
    }
    var bucket = fnv1a(term) & (seg.buckets - 1), name = this.base + "s/" + seg.postings + "-" + bucket;
    var listed = Array.isArray(seg.own) ? seg.own.indexOf(term) : -1;
    if (listed >= 0) {  // a file of its own, numbered in its bucket in the list's order: no bucket file
      var n = 0;
      for (var k = 0; k < listed; k++) if ((fnv1a(seg.own[k]) & (seg.buckets - 1)) === bucket) n++;
      return this.fetchJson(name + "-" + n + ".json").then(function (own) {
        return { postings: own, columns: name + "-" + n + "-lengths.json" };
      });
    }
    var url = name + ".json";
    return this.fetchJson(url).then(function (file) {
      if (!(file instanceof Map)) self.files.set(url, Promise.resolve(file = toMap(file)));
      var entry = file.get(term);
      if (typeof entry === "number" && entry >= 0 && Math.floor(entry) === entry) {
        return self.fetchJson(name + "-" + entry + ".json").then(function (own) {
          return { postings: own, columns: name + "-" + entry + "-lengths.json" };
        });
      }
      return { postings: entry, columns: null };
    });
  };

  /* Where each entry's dense fields get their lengths: per entry and field, [table] or [null,
   * column]. Per field, the segment's table when the entries' dense postings outnumber its
   * documents (one file instead of several), else each term's own column; always the table for
   * the field the segment's documents are sorted by (a small run-length table, and no columns). */
  ShardedIndex.prototype.lengthsFor = function (seg, entries) {
    var self = this, wanted = [], sources = entries.map(function () { return []; });
    for (var f = 0; f < this.fields.length; f++) {
      var dense = [], postings = 0;
      entries.forEach(function (e, t) {
        var text = Array.isArray(e.postings) ? e.postings[f] : null;
        if (isDense(text)) { dense.push(t); postings += postingsCount(text); }
      });
      if (!dense.length) continue;
      if (postings >= seg.count || f === seg.sortedBy) {
        wanted.push(this.lengthTable(seg, f).then(function (f, dense, table) {
          dense.forEach(function (t) { sources[t][f] = [table]; });
        }.bind(null, f, dense)));
      } else {
        dense.forEach(function (f, t) {
          var e = entries[t];
          if (!e.columns) throw new Error("dense postings without their lengths");
          wanted.push(self.fetchJson(e.columns).then(function (columns) {
            sources[t][f] = [null, decodeLengths(columns[f], postingsCount(e.postings[f]))];
          }));
        }.bind(null, f));
      }
    }
    return Promise.all(wanted).then(function () { return sources; });
  };

  /* Per term, the postings over all segments: {df, fields: per field [[ref, tf, length]...]}. */
  ShardedIndex.prototype.loadPostings = function (terms) {
    var self = this, fieldCount = this.fields.length, segments = this.manifest.segments;
    return Promise.all(segments.map(function (seg) {
      return Promise.all(terms.map(function (term) { return self.entry(seg, term); })).then(function (entries) {
        return self.lengthsFor(seg, entries).then(function (sources) {
          return { entries: entries, sources: sources };
        });
      });
    })).then(function (parts) {
      return terms.map(function (term, t) {
        var fields = [], df = 0;
        for (var f = 0; f < fieldCount; f++) fields.push([]);
        parts.forEach(function (part, s) {
          var postings = part.entries[t].postings, source = part.sources[t];
          if (!Array.isArray(postings)) return;
          for (var f = 0; f < fieldCount; f++) {
            var text = postings[f];
            if (typeof text !== "string" || !text) continue;
            var lengths = source[f] || [];
            df += decodeField(text, segments[s].start, fields[f], lengths[0], lengths[1]);
          }
        });
        return { df: df, fields: fields };
      });
    });
  };

  ShardedIndex.prototype.weight = function (idf, f, tf, length) {
    var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / this.averages[f])) + tf);
    score *= this.boosts[f];
    return Math.round(score * 1000) / 1000;
  };

  /* lunr.Index.prototype.query over the shards. */
  ShardedIndex.prototype.query = function (fn) {
    var self = this, query = new lunr.Query(this.fields);
    fn.call(query, query);

    // 1. terms through the search pipeline, and the vocabulary they need
    var plans = query.clauses.map(function (clause) {
      var terms = clause.usePipeline ? self.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      return { clause: clause, terms: terms };
    });
    var chars = new Set(), everything = false;
    plans.forEach(function (p) {
      p.terms.forEach(function (term) {
        if (p.clause.editDistance || term.charAt(0) === "*") everything = true;
        else if (term) chars.add(Array.from(term)[0]);
      });
    });

    // the loaded vocabulary as lunr token sets, one per first character ("" for every word)
    var tokenSets = new Map();
    function vocabularyStartingWith(c) {
      if (!tokenSets.has(c)) {
        var words = [];
        self.vocab.forEach(function (w) { if (!c || w.charAt(0) === c) words.push(w); });
        tokenSets.set(c, words.length ? lunr.TokenSet.fromArray(words.sort()) : null);
      }
      return tokenSets.get(c);
    }

    return this.loadVocabulary(everything ? null : Array.from(chars)).then(function () {
      // 2. expand each term against the vocabulary, as lunr intersects token sets
      var lists = new Map();
      plans.forEach(function (p) {
        p.expanded = p.terms.map(function (term) {
          var vocabulary = vocabularyStartingWith(everything ? "" : term.charAt(0));
          if (!vocabulary) return [];
          var clause = Object.assign({}, p.clause, { term: term });
          return vocabulary.intersect(lunr.TokenSet.fromClause(clause)).toArray();
        });
        p.expanded.forEach(function (terms) { terms.forEach(function (t) { lists.set(t, null); }); });
      });
      var terms = Array.from(lists.keys());
      return self.loadPostings(terms).then(function (loaded) {
        terms.forEach(function (t, i) { lists.set(t, loaded[i]); });
        return self.score(plans, lists);
      });
    });
  };

  /* The scoring part of lunr.Index.prototype.query, with field vectors made from postings. */
  ShardedIndex.prototype.score = function (plans, postings) {
    var self = this, fields = this.fields, n = this.manifest.documents;
    var matchingFields = new Map(), queryVectors = {}, termFieldCache = new Set(),
        requiredMatches = {}, prohibitedMatches = {}, fieldVectors = new Map(), idfs = new Map();
    fields.forEach(function (f) { queryVectors[f] = new Map(); });

    function idf(term) {
      if (!idfs.has(term)) {
        var df = postings.get(term).df;
        idfs.set(term, Math.log(1 + Math.abs((n - df + 0.5) / (df + 0.5))));
      }
      return idfs.get(term);
    }

    plans.forEach(function (p) {
      var clause = p.clause, clauseMatches = lunr.Set.empty;
      for (var m = 0; m < p.terms.length; m++) {
        var expandedTerms = p.expanded[m];
        if (expandedTerms.length === 0 && clause.presence === lunr.Query.presence.REQUIRED) {
          clause.fields.forEach(function (field) { requiredMatches[field] = lunr.Set.empty; });
          break;
        }
        expandedTerms.forEach(function (term) {
          var posting = postings.get(term);
          clause.fields.forEach(function (field) {
            var f = fields.indexOf(field);
            if (f < 0) return;
            var docs = posting.fields[f], termField = term + "/" + field;
            var refs = docs.map(function (d) { return String(d[0]); });
            var matching = new lunr.Set(refs);
            if (clause.presence === lunr.Query.presence.REQUIRED) {
              clauseMatches = clauseMatches.union(matching);
              if (requiredMatches[field] === undefined) requiredMatches[field] = lunr.Set.complete;
            }
            if (clause.presence === lunr.Query.presence.PROHIBITED) {
              if (prohibitedMatches[field] === undefined) prohibitedMatches[field] = lunr.Set.empty;
              prohibitedMatches[field] = prohibitedMatches[field].union(matching);
              return;
            }
            var vector = queryVectors[field];
            vector.set(term, (vector.get(term) || 0) + clause.boost);
            if (termFieldCache.has(termField)) return;
            var w = idf(term);
            docs.forEach(function (d) {
              var fieldRef = field + "/" + d[0];
              var match = matchingFields.get(fieldRef);
              if (!match) {
                match = { ref: String(d[0]), field: field, metadata: {} };
                matchingFields.set(fieldRef, match);
              }
              match.metadata[term] = match.metadata[term] || {};
              match.metadata[term][field] = {};
              if (!fieldVectors.has(fieldRef)) fieldVectors.set(fieldRef, new Map());
              fieldVectors.get(fieldRef).set(term, self.weight(w, f, d[1], d[2]));
            });
            termFieldCache.add(termField);
          });
        });
      }
      if (clause.presence === lunr.Query.presence.REQUIRED) {
        clause.fields.forEach(function (field) {
          requiredMatches[field] = requiredMatches[field].intersect(clauseMatches);
        });
      }
    });

    var allRequired = lunr.Set.complete, allProhibited = lunr.Set.empty;
    fields.forEach(function (field) {
      if (requiredMatches[field]) allRequired = allRequired.intersect(requiredMatches[field]);
      if (prohibitedMatches[field]) allProhibited = allProhibited.union(prohibitedMatches[field]);
    });

    var magnitudes = {};
    fields.forEach(function (field) {
      var sum = 0;
      queryVectors[field].forEach(function (v) { sum += v * v; });
      magnitudes[field] = Math.sqrt(sum);
    });

    var results = [], matches = new Map();
    matchingFields.forEach(function (match, fieldRef) {
      if (!allRequired.contains(match.ref) || allProhibited.contains(match.ref)) return;
      var dot = 0, docVector = fieldVectors.get(fieldRef);
      queryVectors[match.field].forEach(function (boost, term) {
        if (docVector.has(term)) dot += boost * docVector.get(term);
      });
      var score = dot / magnitudes[match.field] || 0;
      var found = matches.get(match.ref);
      if (found) {
        found.score += score;
        Object.keys(match.metadata).forEach(function (term) {
          found.matchData.metadata[term] = Object.assign(found.matchData.metadata[term] || {}, match.metadata[term]);
        });
      } else {
        found = { ref: match.ref, score: score, matchData: { metadata: Object.assign({}, match.metadata) } };
        matches.set(match.ref, found);
        results.push(found);
      }
    });
    return results.sort(function (a, b) { return b.score - a.score; });
  };

  /* pick(chunk, index in the chunk) for each ref, the chunks (of `size` documents) fetched once each. */
  ShardedIndex.prototype.rows = function (kind, size, refs, pick) {
    var self = this, chunks = new Map();
    refs.forEach(function (ref) { chunks.set(Math.floor(+ref / size), null); });
    var keys = Array.from(chunks.keys());
    return Promise.all(keys.map(function (k) {
      return self.fetchJson(self.base + kind + "/" + k + ".json?v=" + self.version);
    })).then(function (loaded) {
      keys.forEach(function (k, i) { chunks.set(k, loaded[i]); });
      return refs.map(function (ref) { return pick(chunks.get(Math.floor(+ref / size)), +ref % size); });
    });
  };

  ShardedIndex.prototype.docs = function (refs) {
    var fieldsOfDoc = this.manifest.docFields;
    return this.rows("d", this.manifest.docChunk, refs, function (chunk, i) {
      var row = chunk[i], d = {};
      fieldsOfDoc.forEach(function (name, n) { d[name] = row[n]; });
      return d;
    });
  };

  /* A facet chunk (codec.py's facet_chunk): per facet a column of fixed-width base-64 numbers,
   * one per document; the width is the column's length over the chunk's rows. */
  function columnValue(chunk, name, i) {
    var text = chunk[name], width = text.length / chunk.rows, value = 0;
    for (var k = i * width; k < (i + 1) * width; k++) value = value * 64 + (VALUE[text.charAt(k)] | 0);
    return value;
  }

  /* The date `day` days after the date `from` (YYYY-MM-DD), as YYYY-MM-DD. */
  function isoDay(from, day) {
    var p = from.split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2] + day)).toISOString().slice(0, 10);
  }

  /* The date of each ref (YYYY-MM-DD), from the date chunks, which only ordering by date and ranges read. */
  ShardedIndex.prototype.dates = function (refs) {
    return this.rows("t", this.manifest.metaChunk, refs, function (chunk, i) {
      return isoDay(chunk.dayFrom, columnValue(chunk, "day", i));
    });
  };

  /* The first and last date of the chunk holding a ref: [from, to], YYYY-MM-DD. */
  ShardedIndex.prototype.span = function (ref) {
    return this.manifest.dateSpans[Math.floor(+ref / this.manifest.metaChunk)];
  };

  /* {county, topics, paper, year} per ref, for facets. */
  ShardedIndex.prototype.facets = function (refs) {
    var m = this.manifest;
    return this.rows("m", m.metaChunk, refs, function (chunk, i) {
      var county = columnValue(chunk, "county", i), topics = [];
      var digits = chunk.topics.length / chunk.rows;
      for (var k = 0; k < digits; k++) {
        var bits = VALUE[chunk.topics.charAt(i * digits + k)] | 0;
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) topics.push(m.topics[k * 6 + b]);
      }
      return {
        county: county > 0 ? m.counties[county - 1] : "",
        paper: m.papers[columnValue(chunk, "paper", i)],
        topics: topics,
        year: String(chunk.yearFrom + columnValue(chunk, "year", i))
      };
    });
  };

  ShardedIndex.load = function (manifestUrl, pipeline) {
    var url = new URL(manifestUrl, document.baseURI);
    var version = url.searchParams.get("v") || "";
    var base = url.pathname.replace(/[^\/]*$/, "");
    return fetch(url.href).then(function (r) {
      if (!r.ok) throw new Error(manifestUrl + ": " + r.status);
      return r.json();
    }).then(function (manifest) {
      if (!manifest || manifest.format !== FORMAT) {
        throw new Error(manifestUrl + ": search files of format " + (manifest && manifest.format) + ", this code reads " + FORMAT);
      }
      return new ShardedIndex(manifest, base, version, pipeline);
    });
  };

  ShardedIndex.fnv1a = fnv1a;
  ShardedIndex.decodeField = decodeField;
  ShardedIndex.decodeLengths = decodeLengths;
  ShardedIndex.decodeRuns = decodeRuns;
  ShardedIndex.postingsCount = postingsCount;
  global.NewsShardedIndex = ShardedIndex;
})(window);
