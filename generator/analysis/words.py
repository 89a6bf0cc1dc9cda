"""An article's words: jieba's cut with the site's own words added (its places and topics), the
character pairs of names jieba cuts one character at a time, the search mode's n-grams, and the
TF-IDF keywords. Must stay true: a word's form here is the term search-shards.js looks up, and the
same Lexicon cuts the same text the same way in every process.
"""

from __future__ import annotations

import hashlib
import heapq
import importlib.metadata
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator.analysis import dictionaries
from generator.analysis.cut import Cutter
from generator.config import SiteConfig

JIEBA_VERSION = importlib.metadata.version("jieba")  # without importing jieba (~0.2 s)
KEYWORDS = 25
TITLE_WEIGHT = 3
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,8}")
_TEXT_CHARS = re.compile(r"[^\W_]", re.UNICODE)
# Per distinct word, what the functions below decide about it; news reuses a vocabulary of some
# 100,000 words, so these are dict lookups instead of a regex, a lowercase and n-gram probes per word.
_word_forms: dict[str, str | None] = {}
_keyword_ok: dict[str, bool] = {}
_MEMO_LIMIT = 500_000  # words remembered before the tables start over (memory stays bounded)


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The site's own words, and their digest, which keys every analysis (and equality)."""
    words: tuple[str, ...]
    digest: str

    @classmethod
    def of(cls, words: Iterable[str]) -> "Vocabulary":
        words = tuple(sorted(set(words)))
        return cls(words, hashlib.sha256("\n".join(words).encode()).hexdigest()[:16])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)


def site_vocabulary(config: SiteConfig) -> tuple[str, ...]:
    """The words a site adds to jieba's: its counties, aliases, gazetteer places and topics."""
    names = [n for c in config.counties for n in (c.name, *c.aliases, *c.places)] + [t.name for t in config.topics]
    return tuple(sorted({n for n in names if _HAN_WORD.fullmatch(n)}))


@dataclass(frozen=True)
class Lexicon:
    """How a site's text is cut into words: jieba's dictionary with the site's own words added, where
    jieba alone cuts 茌平区大数据 as 茌平 区大 数据 and a search for 茌平区 would miss it.

    `folder` (the build cache's) keeps jieba's dictionaries as the analysis uses them, so that the next
    process loads them instead of making them again (see dictionaries.py). Nothing is loaded until
    used: a build with nothing new to analyse never loads them."""
    vocabulary: Vocabulary = Vocabulary.of(())
    folder: Path | None = field(default=None, compare=False)

    @classmethod
    def of(cls, words: Iterable[str] = (), folder: Path | None = None) -> "Lexicon":
        return cls(Vocabulary.of(words), folder)

    @classmethod
    def for_site(cls, config: SiteConfig) -> "Lexicon":
        return cls.of(site_vocabulary(config), config.path("cache"))

    def load(self) -> None:
        """Load what cutting and keywords need now, not on first use (a worker warming up)."""
        _cutting_for(self.vocabulary, self.folder)
        jieba_idf(self.folder)

    def cut_words(self, text: str) -> tuple[list[str], list[str]]:
        """jieba's words (lowercased, without spaces and punctuation), and the character pairs of every
        run of two or more characters it cuts one by one: a name jieba does not know (聊城 东 元 公司)
        is found by its pairs (东元), which a query of adjacent characters matches."""
        forms = _word_forms
        out: list[str] = []
        pairs: list[str] = []
        run = 0  # single characters cut in a row, just before this word
        for w in _cutting_for(self.vocabulary, self.folder).cutter.lcut(text):
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

    def search_words(self, words: list[str]) -> list[str]:
        """jieba's search mode from already cut words: long words also give their dictionary 2- and
        3-grams, so that both 聊城市 and 聊城 are terms."""
        cutting = _cutting_for(self.vocabulary, self.folder)
        out = []
        for w in words:
            if len(w) > 2:
                out.extend(_memo(cutting.grams, w, cutting.grams_of))
            out.append(w)
        return out

    def as_jieba_cut(self, words: list[str]) -> list[str]:
        """`words` with the site's own words cut as jieba alone cuts them: keywords, and the related
        articles found by them, stay jieba's (茌平区 and 茌平 share the keyword 茌平)."""
        parts = _cutting_for(self.vocabulary, self.folder).parts
        if not parts:
            return words
        out: list[str] = []
        for w in words:
            out.extend(parts.get(w, (w,)))
        return out

    def keywords(self, title_words: list[str], body_words: list[str], top: int = KEYWORDS) -> dict[str, float]:
        """The article's top TF-IDF words (jieba's IDF table; title words count three times), unit length."""
        idf, median, stop = jieba_idf(self.folder)
        ok = _keyword_ok
        tf: dict[str, float] = {}
        for weight, words in ((TITLE_WEIGHT, title_words), (1, body_words)):
            for w in words:
                allowed = ok.get(w)
                if allowed is None:
                    allowed = _memo(ok, w, lambda word: _counts_as_keyword(word, stop))
                if allowed:
                    tf[w] = tf.get(w, 0) + weight
        scored = heapq.nsmallest(top, ((-n * idf.get(w, median), w) for w, n in tf.items()))
        norm = math.sqrt(sum(s * s for s, _ in scored)) or 1.0
        return {w: round(-s / norm, 4) for s, w in scored}


# -- what is loaded, once per process ------------------------------------------------------------
# jieba's dictionaries are the same for every site, and a vocabulary's cutter is the same for every
# Lexicon of that vocabulary: they are remembered here, so that a process (a test run, a worker that
# warmed up) loads them once. They hold derived data only, never a setting.

_jieba: dict[str, object] = {}


def _jieba_words(folder: Path | None) -> dictionaries.Words:
    if "words" not in _jieba:
        _jieba["words"] = dictionaries.load_words(folder)
    return _jieba["words"]  # type: ignore[return-value]


def jieba_idf(folder: Path | None = None) -> tuple[dict[str, float], float, frozenset[str]]:
    """jieba's IDF table, its median IDF and its stop words, as jieba.analyse's default TF-IDF
    extractor has them (loaded once; `folder` keeps a copy for the next process)."""
    if "idf" not in _jieba:
        idf = dictionaries.load_idf(folder)
        _jieba["idf"] = (idf.table, idf.median, idf.stop_words)
    return _jieba["idf"]  # type: ignore[return-value]


class _Cutting:
    """jieba's words with a vocabulary's added: the cutter, how jieba alone cuts each added word, and
    the search n-grams of the words seen so far."""

    def __init__(self, jieba_words: dictionaries.Words, vocabulary: Vocabulary):
        words = jieba_words.with_words(vocabulary.words)
        self.is_word = words.is_word
        self.cutter = Cutter(words.logp, words.unknown)
        alone = Cutter(jieba_words.logp, jieba_words.unknown)
        self.parts = {w: alone.lcut(w) for w in vocabulary.words if not jieba_words.is_word(w)}
        self.grams: dict[str, tuple[str, ...]] = {}

    def grams_of(self, word: str) -> tuple[str, ...]:
        if len(word) <= 2 or word.isascii():
            return ()
        is_word = self.is_word
        grams = [word[i:i + 2] for i in range(len(word) - 1) if is_word(word[i:i + 2])]
        if len(word) > 3:
            grams.extend(word[i:i + 3] for i in range(len(word) - 2) if is_word(word[i:i + 3]))
        return tuple(grams)


_cuttings: dict[Vocabulary, _Cutting] = {}
_CUTTINGS_KEPT = 2  # (each is a copy of jieba's dictionary)


def _cutting_for(vocabulary: Vocabulary, folder: Path | None) -> _Cutting:
    found = _cuttings.get(vocabulary)
    if found is None:
        if len(_cuttings) >= _CUTTINGS_KEPT:
            del _cuttings[next(iter(_cuttings))]
        found = _cuttings[vocabulary] = _Cutting(_jieba_words(folder), vocabulary)
    return found


def _memo(table: dict, word: str, make: Callable):
    found = table.get(word, table)
    if found is table:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        found = table[word] = make(word)
    return found


def _word_form(word: str) -> str | None:
    return word.lower() if _WORDLIKE.search(word) else None


def _counts_as_keyword(word: str, stop: frozenset[str]) -> bool:
    return not (len(word) < 2 or word in stop or word.isdigit() or not _TEXT_CHARS.search(word))
