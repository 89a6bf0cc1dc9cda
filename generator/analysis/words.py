"""An article's words: jieba's cut with the site's own words added (its places and topics), the
character pairs of names jieba cuts one character at a time, the search mode's n-grams, and the
TF-IDF keywords. Must stay true: a word's form here is the term search-shards.js looks up.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import importlib.metadata
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from generator.analysis import dictionaries
from generator.analysis.cut import Cutter
from generator.config import SiteConfig

JIEBA_VERSION = importlib.metadata.version("jieba")  # without importing jieba (~0.2 s)


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


def current_vocabulary() -> Vocabulary:
    """The site's words this process cuts with (see use_vocabulary)."""
    return _vocabulary[0]


def load_dictionaries() -> None:
    """Load what cutting and keywords need now, not on first use (a worker warming up)."""
    _cutter()
    jieba_idf()


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


KEYWORDS = 25
TITLE_WEIGHT = 3
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,8}")
_TEXT_CHARS = re.compile(r"[^\W_]", re.UNICODE)
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


def cut_words(text: str) -> tuple[list[str], list[str]]:
    """jieba's words (lowercased, without spaces and punctuation), and the character pairs of every run of two or more
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
