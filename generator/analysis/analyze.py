"""Per-article text analysis: words (jieba), keywords (TF-IDF) and a similarity sketch (MinHash).

This is the expensive per-article work of a build (jieba is ~3 ms per article), so it is done
once per article text and kept in the build cache, keyed by a hash of the text and of everything
that changes the result. Only new or edited articles are analysed, in parallel when there are many.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import importlib.metadata
import json
import math
import multiprocessing as mp
import os
import re
import struct
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator.base.cache import Cache, pack_extra
from generator.config import SiteConfig
from generator.errors import SiteError
from generator.content.model import Article, text_digest
from generator.analysis import dictionaries
from generator.analysis.cut import Cutter
from generator.text import first_sentence, plain_text
from generator.base.heap import worker_collects
from generator.base.workers import die_with_parent, run_in_background

_JIEBA_VERSION = importlib.metadata.version("jieba")  # without importing jieba (~0.2 s)


_dictionary_folder: list[Path | None] = [None]  # where the dictionaries are kept (see use_dictionary_folder)


def use_dictionary_folder(folder: Path | None) -> None:
    """Keep jieba's dictionaries, as the analysis uses them, in `folder` (the build cache's), so that
    the next process loads them instead of making them again (see dictionaries.py)."""
    _dictionary_folder[0] = folder


@dataclass(frozen=True, eq=False)  # (compared and hashed by identity: the caches below look it up cheaply)
class Vocabulary:
    """The site's own words, and their digest, which keys every analysis."""
    words: tuple[str, ...]
    digest: str

    @classmethod
    def of(cls, words: Iterable[str]) -> "Vocabulary":
        words = tuple(sorted(set(words)))
        return cls(words, hashlib.sha256("\n".join(words).encode()).hexdigest()[:16])


_vocabulary: list[Vocabulary] = [Vocabulary.of(())]  # the site's own words (see use_vocabulary)


def use_vocabulary(words: Iterable[str]) -> None:
    """Cut the site's own words (site_vocabulary: its counties, places and topics) as words, where
    jieba would cut 茌平区大数据 as 茌平 区大 数据 and a search for 茌平区 would miss it."""
    vocabulary = Vocabulary.of(words)
    if vocabulary.digest != _vocabulary[0].digest:
        _vocabulary[0] = vocabulary
        _search_grams.clear()  # (the dictionary 2- and 3-grams of words depend on the words known)


def site_vocabulary(config: SiteConfig) -> tuple[str, ...]:
    names = [n for c in config.counties for n in (c.name, *c.aliases, *c.places)] + [t.name for t in config.topics]
    return tuple(sorted({n for n in names if _HAN_WORD.fullmatch(n)}))


def vocabulary_digest() -> str:
    return _vocabulary[0].digest


@functools.lru_cache(maxsize=None)
def _jieba_words() -> dictionaries.Words:
    """jieba's words, loaded on first use: a build with nothing new to analyse never loads them."""
    return dictionaries.load_words(_dictionary_folder[0])


def _words() -> dictionaries.Words:
    """jieba's words and the site's."""
    return _words_with(_vocabulary[0])


@functools.lru_cache(maxsize=2)  # (each is a copy of jieba's dictionary)
def _words_with(vocabulary: Vocabulary) -> dictionaries.Words:
    return _jieba_words().with_words(vocabulary.words)


@functools.lru_cache(maxsize=2)
def _vocabulary_parts(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Each word the site adds to jieba's, as jieba alone cuts it (茌平区: 茌平 区)."""
    jieba_words = _jieba_words()
    cutter = Cutter(jieba_words.logp, jieba_words.unknown)
    return {w: cutter.lcut(w) for w in vocabulary.words if not jieba_words.is_word(w)}


def as_jieba_cut(words: list[str]) -> list[str]:
    """`words` with the site's own words cut as jieba alone cuts them: keywords, and the related
    articles found by them, stay jieba's (茌平区 and 茌平 share the keyword 茌平)."""
    parts = _vocabulary_parts(_vocabulary[0])
    if not parts:
        return words
    out: list[str] = []
    for w in words:
        out.extend(parts.get(w, (w,)))
    return out


def _cutter() -> Cutter:
    return _cutter_with(_vocabulary[0])


@functools.lru_cache(maxsize=2)
def _cutter_with(vocabulary: Vocabulary) -> Cutter:
    words = _words_with(vocabulary)
    return Cutter(words.logp, words.unknown)


ANALYSIS_VERSION = "3"
KEYWORDS = 25
TITLE_WEIGHT = 3
SHINGLE = 4  # characters per shingle
SKETCH_BINS = 64
PARALLEL_FROM = 400  # articles to analyse before starting worker processes pays off
REST = "analysis_rest"  # the cache table of the parts of analyses few builds read
STORE_BATCH = 500  # new analyses written to the cache together
LEAD_CHARS = 640  # plain text kept with the small part of an analysis (search rows show 2 x 160)

_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,8}")
_TEXT_CHARS = re.compile(r"[^\W_]", re.UNICODE)
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


class _Unpacked:
    """A field kept in its packed cache form until first used, then unpacked (once). Most builds use
    the keywords and sketches of only the few articles they link anew; the rest stay packed. A field
    still in the undecoded part of a cache row (`RowRest`) has the row decoded first."""

    def __init__(self, unpack: Callable | None = None):
        self.unpack = unpack

    def __set_name__(self, owner, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError(self.slot)  # no default: the dataclass field stays required
        value = obj.__dict__[self.slot]
        if isinstance(value, RowRest):
            value.fill(obj)
            value = obj.__dict__[self.slot]
        if isinstance(value, Packed):
            value = obj.__dict__[self.slot] = self.unpack(value.data)
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class Packed:
    data: object  # as pack_keywords or pack_sketch made it


class RowRest:
    """The part of a cached analysis that builds seldom read (sketch, shingles, lead): JSON read from
    the cache and decoded on first use of any of them."""

    __slots__ = ("key", "load", "raw")

    def __init__(self, key: str, load: "Callable[[str], bytes] | None" = None, raw: bytes | None = None):
        self.key, self.load, self.raw = key, load, raw

    def fill(self, analysis: "Analysis") -> None:
        assert self.raw is not None or self.load is not None
        data = json.loads(self.raw if self.raw is not None else self.load(self.key))
        analysis.sketch, analysis.shingles, analysis.lead = Packed(data["sketch"]), data["shingles"], data["lead"]


@dataclass
class Analysis:
    key: str
    # word -> weight, unit length vector
    keywords: dict[str, float] = _Unpacked(lambda data: unpack_keywords(data))  # type: ignore[assignment]
    # one-permutation MinHash over shingles; -1 for an empty bin
    sketch: list[int] = _Unpacked(lambda data: unpack_sketch(data))  # type: ignore[assignment]
    shingles: int = _Unpacked()  # type: ignore[assignment]  # number of distinct shingles
    description: str  # the text's first sentence
    lead: str = _Unpacked()  # type: ignore[assignment]  # the plain text's start (all if shorter than LEAD_CHARS)
    # The big parts, read from the cache on first use (few builds need them for every article):
    # "words": search field -> words (jieba search mode) joined by spaces; "text": the plain text.
    _extra: dict | None = None
    _load_extra: Callable[[list[str]], dict[str, dict]] | None = field(default=None, repr=False, compare=False)

    @property
    def extra(self) -> dict:
        if self._extra is None:
            assert self._load_extra is not None
            self._extra = self._load_extra([self.key])[self.key]
        return self._extra

    @property
    def words(self) -> dict[str, str]:
        return self.extra["words"]

    @property
    def text(self) -> str:
        return self.lead if len(self.lead) < LEAD_CHARS else self.extra["text"]

    def text_start(self, chars: int) -> str:
        return self.lead[:chars] if chars <= LEAD_CHARS else self.text[:chars]

    # In the cache: what every build reads (packed keywords, description) is the row of the `analysis`
    # table, a JSON array; what few builds read (sketch, shingles, lead) is a JSON object in the
    # `analysis_rest` table, read and decoded on first use; the big part (words, text) is `extra`.
    # Rows written as one JSON object (or as both parts on two lines) are read too, and split once.

    def to_rows(self) -> tuple[bytes, bytes]:
        head = [pack_keywords(self.keywords), self.description]
        rest = {"sketch": pack_sketch(self.sketch), "shingles": self.shingles, "lead": self.lead}
        return _compact_json(head), _compact_json(rest)

    @classmethod
    def from_rows(cls, key: str, head: bytes, load_extra: Callable[[list[str]], dict[str, dict]] | None,
                  rest: "bytes | Callable[[str], bytes]") -> "Analysis":
        """From its row and its rest (or how to read the rest when needed)."""
        fields = _read_row(head)
        later = RowRest(key, raw=rest) if isinstance(rest, bytes) else RowRest(key, load=rest)
        return cls(key=key, keywords=Packed(fields[0]), sketch=later, shingles=later, description=fields[1],
                   lead=later, _load_extra=load_extra)


def is_old_row(row: bytes) -> bool:
    """A row written as one JSON object, or as both parts on two lines (split by analyse_all)."""
    return row[:1] == b"{" or b"\n" in row


def split_old_row(row: bytes) -> tuple[bytes, bytes]:
    if row[:1] != b"{":
        head, _, rest = row.partition(b"\n")
        return head, rest
    data = json.loads(row)  # (packed now if it was written before packing)
    return (_compact_json([pack_keywords(unpack_keywords(data["keywords"])), data["description"]]),
            _compact_json({"sketch": pack_sketch(unpack_sketch(data["sketch"])), "shingles": data["shingles"],
                           "lead": data["lead"]}))


def _compact_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


_DECODE = json.JSONDecoder().raw_decode


def _read_row(row: bytes) -> object:
    """A row written by _compact_json: json.loads less its checks of the encoding and of surrounding
    white space (none is written), which are half its time for 100,000 rows of ~450 bytes."""
    text = row.decode("utf-8")
    value, end = _DECODE(text)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


# Every build reads every article's keywords and sketch from the cache. As JSON numbers, 25 weights
# and 64 bins make a cache entry take 32 microseconds to decode; packed into strings, 12 (2 s less at
# 100,000 articles). Packing is exact or not done: a value it cannot carry keeps the plain JSON form,
# and both forms are read (so is a cache written before packing).

def pack_keywords(keywords: dict[str, float]) -> list[str] | dict[str, float]:
    """[words joined by spaces, weights joined by commas] (a float's repr reads back as the same
    float); the dict itself if a word is empty or has a space in it, or a weight is not finite."""
    words, weights = list(keywords), list(keywords.values())
    if any(not w or w != "".join(w.split()) for w in words) or not all(map(math.isfinite, weights)):
        return keywords
    return [" ".join(words), ",".join(map(repr, weights))]


def unpack_keywords(data: list[str] | dict[str, float]) -> dict[str, float]:
    if isinstance(data, dict):
        return data
    words, weights = data
    return dict(zip(words.split(" "), map(float, weights.split(",")))) if words else {}


def keywords_among(analysis: Analysis, wanted: set[str]) -> list[tuple[str, float]]:
    """The analysis's keywords that are in `wanted`, with their weights, in its order. A packed
    entry stays packed: only the weights of the words found are read."""
    data = analysis.__dict__["_keywords"]
    if isinstance(data, Packed) and not isinstance(data.data, dict):
        words, weights = data.data
        listed = words.split(" ") if words else []
        found = wanted.intersection(listed)  # (a scan of postings passes most articles: then none)
        if not found:
            return []
        values = weights.split(",")
        return [(word, float(values[n])) for n, word in sorted((listed.index(word), word) for word in found)]
    return [(word, weight) for word, weight in analysis.keywords.items() if word in wanted]


def pack_sketch(sketch: list[int]) -> str | list[int]:
    """The bins as little-endian 32-bit integers in hex; the list itself if one does not fit."""
    if any(not -2**31 <= x < 2**31 for x in sketch):
        return sketch
    return struct.pack(f"<{len(sketch)}i", *sketch).hex()


def unpack_sketch(data: str | list[int]) -> list[int]:
    if isinstance(data, list):
        return data
    raw = bytes.fromhex(data)
    return list(struct.unpack(f"<{len(raw) // 4}i", raw))


def load_extras(analyses: list[Analysis]) -> None:
    """Read the big parts of many analyses from the cache at once (before forking workers that use them)."""
    by_loader: dict[int, tuple] = {}
    for x in analyses:
        if x._extra is None and x._load_extra is not None:
            by_loader.setdefault(id(x._load_extra), (x._load_extra, []))[1].append(x)
    for load, items in by_loader.values():
        found = load([x.key for x in items])
        for x in items:
            x._extra = found[x.key]


def analysis_key(article: Article) -> str:
    """Changes whenever anything the analysis reads changes (text, or the analysis code). An article
    loaded from the cache brings its text's digest, so its body is not read for this."""
    digest = article.text_digest or text_digest(article)
    return hashlib.sha256(f"{ANALYSIS_VERSION}\0{_JIEBA_VERSION}\0{vocabulary_digest()}\0{digest}".encode()).hexdigest()


def analyse(article: Article, key: str | None = None) -> Analysis:
    text = plain_text(article.body)
    body_words, body_pairs = cut_words(text)
    title_words, title_pairs = cut_words(article.title)
    heads = " ".join(filter(None, (article.kicker, article.subtitle, article.column)))
    heads_words, heads_pairs = cut_words(heads)
    bins, shingles = minhash(text)
    return Analysis(
        key=key or analysis_key(article),
        keywords=keywords(as_jieba_cut(title_words), as_jieba_cut(body_words)),
        sketch=bins,
        shingles=shingles,
        description=first_sentence(text),
        lead=text[:LEAD_CHARS],
        _extra={"words": {
            "title": " ".join(search_words(title_words)),
            "heads": " ".join(search_words(heads_words)),
            "body": " ".join(search_words(body_words)),
            "people": " ".join(article.people),
            "pairs": " ".join(title_pairs + heads_pairs + body_pairs),
        }, "text": text},
    )


# -- words ----------------------------------------------------------------------

# Per distinct word, what the functions below decide about it; news reuses a vocabulary of some
# 100,000 words, so these are dict lookups instead of a regex, a lowercase and n-gram probes per word.
_word_forms: dict[str, str | None] = {}
_search_grams: dict[str, tuple[str, ...]] = {}
_keyword_ok: dict[str, bool] = {}
_MEMO_LIMIT = 500_000  # words remembered before the tables start over (memory stays bounded)


def _memo(table: dict, word: str, make: Callable):
    found = table.get(word, table)
    if found is table:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        found = table[word] = make(word)
    return found


def _word_form(word: str) -> str | None:
    return word.lower() if _WORDLIKE.search(word) else None


def segment(text: str) -> list[str]:
    """jieba's words, lowercased, without spaces and punctuation."""
    return cut_words(text)[0]


def cut_words(text: str) -> tuple[list[str], list[str]]:
    """jieba's words (as segment() gives them), and the character pairs of every run of two or more
    characters it cuts one by one: a name jieba does not know (聊城 东 元 公司) is found by its pairs
    (东元), which a query of adjacent characters matches."""
    forms = _word_forms
    out: list[str] = []
    pairs: list[str] = []
    run = 0  # single characters cut in a row, just before this word
    for w in _cutter().lcut(text):
        form = forms.get(w, forms)
        if form is forms:
            form = _memo(forms, w, _word_form)
        if form is not None:
            out.append(form)
        if len(w) == 1 and _HAN_CHAR.match(w):
            if run:
                pairs.append(out[-2] + w)
            run += 1
        else:
            run = 0
    return out, pairs


def _grams(word: str) -> tuple[str, ...]:
    if len(word) <= 2 or word.isascii():
        return ()
    is_word = _words().is_word
    grams = [word[i:i + 2] for i in range(len(word) - 1) if is_word(word[i:i + 2])]
    if len(word) > 3:
        grams.extend(word[i:i + 3] for i in range(len(word) - 2) if is_word(word[i:i + 3]))
    return tuple(grams)


def search_words(words: list[str]) -> list[str]:
    """jieba's search mode from already cut words: long words also give their dictionary 2- and 3-grams,
    so that both 聊城市 and 聊城 are terms."""
    out = []
    for w in words:
        if len(w) > 2:
            out.extend(_memo(_search_grams, w, _grams))
        out.append(w)
    return out


@functools.lru_cache(maxsize=None)
def jieba_idf() -> tuple[dict[str, float], float, frozenset[str]]:
    """jieba's IDF table, its median IDF and its stop words, as jieba.analyse's default TF-IDF
    extractor has them (loaded once)."""
    idf = dictionaries.load_idf(_dictionary_folder[0])
    return idf.table, idf.median, idf.stop_words


def _counts_as_keyword(word: str) -> bool:
    stop = jieba_idf()[2]
    return not (len(word) < 2 or word in stop or word.isdigit() or not _TEXT_CHARS.search(word))


def keywords(title_words: list[str], body_words: list[str], top: int = KEYWORDS) -> dict[str, float]:
    """The article's top TF-IDF words (jieba's IDF table; title words count three times), unit length."""
    idf, median, _ = jieba_idf()
    ok = _keyword_ok
    tf: dict[str, float] = {}
    for weight, words in ((TITLE_WEIGHT, title_words), (1, body_words)):
        for w in words:
            allowed = ok.get(w)
            if allowed is None:
                allowed = _memo(ok, w, _counts_as_keyword)
            if allowed:
                tf[w] = tf.get(w, 0) + weight
    scored = heapq.nsmallest(top, ((-n * idf.get(w, median), w) for w, n in tf.items()))
    norm = math.sqrt(sum(s * s for s, _ in scored)) or 1.0
    return {w: round(-s / norm, 4) for s, w in scored}


# -- similarity sketch ---------------------------------------------------------------

def minhash(text: str) -> tuple[list[int], int]:
    """One-permutation MinHash of the text's 4-character shingles (letters and digits only): a
    shingle's CRC-32 picks its bin (the low bits) and its value (the rest); a bin keeps its smallest."""
    chars = _NOT_TEXT.sub("", text).lower()
    shingles = {chars[i:i + SHINGLE] for i in range(max(len(chars) - SHINGLE + 1, 0))}
    bins = [-1] * SKETCH_BINS
    empty = SKETCH_BINS
    # in increasing order, the first hash of each bin is its smallest value
    for h in sorted(set(map(zlib.crc32, map(str.encode, shingles)))):
        b = h % SKETCH_BINS
        if bins[b] < 0:
            bins[b] = h // SKETCH_BINS
            empty -= 1
            if not empty:
                break
    return bins, len(shingles)


def similarity(a: Analysis, b: Analysis) -> float:
    """Estimated overlap of two texts' shingles: Jaccard, or containment of the shorter text in the
    longer when both are long enough for that to mean the same story shortened or extended."""
    both = [(x, y) for x, y in zip(a.sketch, b.sketch) if x >= 0 and y >= 0]
    if len(both) < 8:
        return 0.0
    jaccard = sum(x == y for x, y in both) / len(both)
    small, large = sorted((a.shingles, b.shingles))
    if small < 100:
        return jaccard
    shared = jaccard / (1 + jaccard) * (small + large)
    return max(jaccard, min(shared / small, 1.0))


# -- many articles, with the cache -------------------------------------------------------

def analyse_all(articles: list[Article], cache: Cache, workers: int | None = None,
                pool: "AnalysisWorker | None" = None) -> tuple[dict[str, Analysis], int]:
    """Analysis of every article (by id), from the cache where the text has not changed.

    New or edited articles are analysed in `pool` if given, else here (in parallel when many).
    Returns (analyses, number analysed now)."""
    keys = {a.id: analysis_key(a) for a in articles}
    found = cache.get_many("analysis", keys.values(), decode=False)  # one read of what was analysed before
    jobs = [(a, keys[a.id]) for a in articles if keys[a.id] not in found]

    def load_extra(keys: list[str]) -> dict[str, dict]:
        found = cache.get_extra("analysis", keys)
        if len(found) < len(set(keys)):
            raise SiteError(f"the build cache has lost an article's words; delete {cache.path} and build again")
        return found

    def load_rest(key: str) -> bytes:
        rest = cache.get_many(REST, [key], decode=False).get(key)
        if rest is None:
            raise SiteError(f"the build cache has lost an article's analysis; delete {cache.path} and build again")
        return rest

    fresh = FreshAnalyses(cache, load_extra, load_rest)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    pending = None
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        if pool is not None:
            pool.stop()  # it would only compete for a core with the workers started here
        cache_dir = str(cache.path.parent) if cache.path else None
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up,
                                 initargs=(os.getpid(), cache_dir, False, _vocabulary[0].words)) as executor:
            fresh.store(executor.map(_analyse_job, jobs, chunksize=64))
    elif pool is not None and jobs:
        pending = pool.map_async(jobs)  # the worker analyses the new articles while the rows are read
    else:
        fresh.store(_analyse_job(job) for job in jobs)
    made = analyses_of_rows(found, cache, load_extra, load_rest)
    if pending is not None:
        fresh.store(pending.get())
    lost = {keys[a.id]: a for a in articles if keys[a.id] not in made and keys[a.id] not in fresh.by_key}
    fresh.store(_analyse_job((a, k)) for k, a in lost.items())  # an entry the cache could not give back
    out = {}
    for a in articles:
        k = keys[a.id]
        out[a.id] = fresh.by_key[k] if k in fresh.by_key else made[k]
    return out, fresh.count


def analyses_of_rows(found: dict[str, bytes], cache: Cache, load_extra: Callable[[list[str]], dict[str, dict]],
                     load_rest: Callable[[str], bytes]) -> dict[str, "Analysis"]:
    """The analyses of rows read from the cache, by key; a row whose rest is missing is left out.

    Each row has its rest in REST (but rows of the old form, which hold it), as both are written and
    dropped together. If REST has fewer rows than that (a cache damaged, or cut short by a build that
    stopped between the two writes), the rows whose rest is missing are left out; else (~every build:
    two counts instead of reading 100,000 keys) their rests are taken as there, and read only if used
    (see load_rest)."""
    old = {k: split_old_row(row) for k, row in found.items() if is_old_row(row)}
    new_form = [k for k in found if k not in old] if old else list(found)
    if cache.rows(REST) < cache.rows("analysis") - len(old):
        new_form = list(cache.present(REST, new_form))
    else:
        cache.assume_present(REST, new_form)
    if old:  # rows from before the rest had its own table: split once, so later builds read less
        cache.replace_data("analysis", {k: head for k, (head, _) in old.items()})
        cache.put_many(REST, {k: rest for k, (_, rest) in old.items()})
    made = {k: Analysis.from_rows(k, found[k], load_extra, load_rest) for k in new_form}
    made.update((k, Analysis.from_rows(k, head, load_extra, rest)) for k, (head, rest) in old.items())
    return made


class FreshAnalyses:
    """New analyses, stored in the cache as they come (STORE_BATCH at a time) and kept in the form a
    later build reads them in: packed, their big parts (words, text) and their rest read again only
    if used. A cold build of 100,000 articles otherwise held every article's words and text until the
    last was analysed (peak 3.9 GB; 2.4 GB so, and 3.1 GB if the small parts stayed unpacked). They
    come as rows ready to store (see _analyse_job): the workers encode them, and this process, which
    also feeds the workers and takes in their results, only writes them."""

    def __init__(self, cache: Cache, load_extra: Callable[[list[str]], dict[str, dict]],
                 load_rest: Callable[[str], bytes]):
        self.cache, self.load_extra, self.load_rest = cache, load_extra, load_rest
        self.by_key: dict[str, Analysis] = {}
        self.count = 0  # analyses made (two articles of the same text make two)

    def store(self, rows: Iterable[tuple[str, bytes, bytes, bytes]]) -> None:
        batch: list[tuple[str, bytes, bytes, bytes]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == STORE_BATCH:
                self._write(batch)
                batch = []
        self._write(batch)

    def _write(self, batch: list[tuple[str, bytes, bytes, bytes]]) -> None:
        if not batch:
            return
        self.cache.put_many("analysis", {k: head for k, head, _, _ in batch},
                            packed_extras={k: extra for k, _, _, extra in batch})
        self.cache.put_many(REST, {k: rest for k, _, rest, _ in batch})
        for k, head, _, _ in batch:
            self.by_key[k] = Analysis.from_rows(k, head, self.load_extra, self.load_rest)
        self.count += len(batch)


def release_extras(analyses: list[Analysis]) -> None:
    """Forget big parts read with load_extras (they can be read again)."""
    for x in analyses:
        if x._load_extra is not None:
            x._extra = None


def _analyse_job(job: tuple[Article, str]) -> tuple[str, bytes, bytes, bytes]:
    """An article analysed, as the rows the cache stores: (key, head, rest, packed extra)."""
    article, key = job
    x = analyse(article, key)
    head, rest = x.to_rows()
    return key, head, rest, pack_extra(x.extra)


class AnalysisWorker:
    """A worker process that loads jieba's dictionaries in the background while the build reads the
    content, then analyses the few new articles of an incremental build (many go to one worker per
    core instead). The dictionaries are kept in the build's cache folder (see dictionaries.py), so CI
    that keeps `.cache/` loads them instead of making them again."""

    def __init__(self, cache_dir: Path | None = None, vocabulary: tuple[str, ...] = ()):
        self.pool = None
        if "fork" in mp.get_all_start_methods():
            # In the background: the build's process reads the cache meanwhile, and waits for this
            # worker only once that is done.
            self.pool = mp.get_context("fork").Pool(
                1, initializer=_warm_up, initargs=(os.getpid(), str(cache_dir) if cache_dir else None, True, vocabulary))

    def map(self, jobs: list[tuple[Article, str]]) -> list[tuple[str, bytes, bytes, bytes]]:
        return self.map_async(jobs).get()

    def map_async(self, jobs: list[tuple[Article, str]]):
        """Start analysing; the result's get() returns the analyses' rows in order (see _analyse_job)."""
        if self.pool is None:  # no fork here, or stopped: analysed on get()
            return _Later(lambda: [_analyse_job(job) for job in jobs])
        return self.pool.map_async(_analyse_job, jobs, chunksize=16)

    def __enter__(self) -> "AnalysisWorker":
        return self

    def stop(self) -> None:
        """Stop the worker (the build forks other workers later, and wants no helper threads then)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()


class _Later:
    def __init__(self, produce: Callable[[], list]):
        self.get = produce


def _warm_up(parent: int, cache_dir: str | None, background: bool = False, vocabulary: tuple[str, ...] = ()) -> None:
    die_with_parent(parent)
    if background:
        run_in_background()
    worker_collects()
    if cache_dir:
        use_dictionary_folder(Path(cache_dir))
    use_vocabulary(vocabulary)
    _cutter()
    jieba_idf()
