"""The terms a search file holds: how a field's words become lunr terms (as newsTrimmer and newsStemmer
make them in the browser), their counts and lengths, and the FNV-1a hash that picks a term's file
(the same hash in search-shards.js).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lunr.stemmer import porter_stemmer

EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # what newsTrimmer strips (search/index.py registers it)
ASCII_WORD = re.compile(r"[a-z]+")  # what newsStemmer stems


# -- terms, exactly as the lunr index's pipeline makes them (see index.py) ------------------------
@lru_cache(maxsize=200_000)
def index_term(word: str) -> str:
    """lunr.py's tokenizer (lowercase), newsTrimmer, then newsStemmer; '' if nothing is left."""
    term = EDGES.sub("", word.lower())
    if term and ASCII_WORD.fullmatch(term):
        term = porter_stemmer.stem(term)
    return term


def field_terms(words: str) -> list[str]:
    return [t for t in map(index_term, words.split()) if t]


PUNCTUATION_WORD = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")  # a word index_term makes nothing of


def field_length(words: str) -> int:
    """len(field_terms(words)), without making the terms: the words less those of punctuation only."""
    return len(words.split()) - len(PUNCTUATION_WORD.findall(words))


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-8; search.js computes the same."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


# Text of words that are all their own terms: Chinese characters and digits (index_term leaves them
# as they are: no case, no edges to trim, nothing to stem), one space between words.
OWN_TERMS = re.compile(r"[\u4e00-\u9fff0-9]+(?: [\u4e00-\u9fff0-9]+)*|")


def term_counts(words: str) -> dict[str, int]:
    """Counter(field_terms(words)), in the same order: a text of words that are all their own terms
    (most of a Chinese archive) is counted as it is, any other word by word, not at each occurrence."""
    counts = Counter(words.split())
    if OWN_TERMS.fullmatch(words):
        return counts
    terms: Counter = Counter()
    for word, tf in counts.items():
        term = index_term(word)
        if term:
            terms[term] += tf
    return terms
