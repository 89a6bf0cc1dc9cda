"""jieba's dictionaries as the analysis uses them, made once and kept beside the build cache.

The analysis needs the log-probability of every entry of jieba's prefix dictionary (for the cut in
cut.py) and its IDF table, median IDF and stop words (for keywords and ingest's topics). They are
kept in two marshal files in the cache folder, each known by jieba's version and the size and time of
the files it is made from; anything else (another version, a damaged or foreign file, another Python)
makes them again from jieba's own files.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import logging
import marshal
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.base.files import write_bytes_atomic

WORDS_FILE = "jieba-words.marshal"
IDF_FILE = "jieba-idf.marshal"
FORMAT = "1"
# How often a site's own word is taken to occur in jieba's corpus of ~60 million: often enough that a
# place is cut as one word in any company ('茌平区大数据' is 茌平区 大 数据, not 茌平 区大 数据).
ADDED_FREQ = 1000
# What builds kept in the cache folder before these files: jieba's own cache file, and (one commit
# long) both parts in one file. Removed whenever either file is looked for there.
OLD_FILES = ("jieba.cache", "jieba-dictionaries.marshal")


@dataclass(frozen=True)
class Words:
    # every entry of jieba's prefix dictionary -> its word's log-probability (log(freq) - log(total), as
    # jieba computes it), or None for a prefix that is not a word itself (jieba keeps those with freq 0)
    logp: dict[str, float | None]
    unknown: float  # the log-probability of a character that is no word (jieba's `or 1`)

    def is_word(self, text: str) -> bool:
        """True if jieba's dictionary has `text` as a word (a frequency above 0)."""
        return self.logp.get(text) is not None

    def with_words(self, words: tuple[str, ...], freq: int = ADDED_FREQ) -> "Words":
        """These words added (those jieba lacks), each `freq` times as common as an unknown character,
        with their prefixes: a new Words, this one unchanged."""
        added = [w for w in words if not self.is_word(w)]
        if not added:
            return self
        logp = dict(self.logp)
        for w in added:
            for end in range(1, len(w)):
                logp.setdefault(w[:end], None)
            logp[w] = math.log(freq) + self.unknown  # (unknown is log(1 / total))
        return Words(logp, self.unknown)


@dataclass(frozen=True)
class Idf:
    table: dict[str, float]  # jieba.analyse's IDF table
    median: float
    stop_words: frozenset[str]  # jieba.analyse's KeywordExtractor.STOP_WORDS


def load_words(folder: Path | None) -> Words:
    """jieba's words from `folder`'s file if it is there and was made from the same jieba files; else
    made from jieba and written there (if `folder` is given and writable)."""
    return _load(folder, WORDS_FILE, words_from_jieba, lambda w: [w.logp, w.unknown],
                 lambda logp, unknown: Words(logp, unknown) if isinstance(logp, dict) and isinstance(unknown, float)
                 else None)


def load_idf(folder: Path | None) -> Idf:
    """jieba.analyse's IDF table, median and stop words, as load_words keeps the words."""
    return _load(folder, IDF_FILE, idf_from_jieba, lambda i: [i.table, i.median, sorted(i.stop_words)],
                 lambda table, median, stop: Idf(table, median, frozenset(stop))
                 if isinstance(table, dict) and isinstance(median, float) and isinstance(stop, list) else None)


def words_from_jieba() -> Words:
    """Made from jieba's dictionary (jieba keeps its prefix dictionary in its own cache file, in the
    system's temporary folder)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter in build output
    jieba.dt.check_initialized()
    return Words(*log_probabilities(jieba.dt))


def log_probabilities(tokenizer) -> tuple[dict[str, float | None], float]:
    """(entry -> log-probability or None, the unknown character's) of an initialised jieba Tokenizer."""
    log_total = math.log(tokenizer.total)
    logp = {w: (math.log(f) - log_total if f else None) for w, f in tokenizer.FREQ.items()}
    return logp, math.log(1) - log_total


def idf_from_jieba() -> Idf:
    """Read from jieba's files as jieba.analyse's IDFLoader reads them, without importing jieba.analyse
    (which also loads its part-of-speech model: ~0.6 s, not used)."""
    folder = _jieba_folder() / "analyse"
    table: dict[str, float] = {}
    for line in (folder / "idf.txt").read_bytes().decode("utf-8").splitlines():
        word, freq = line.strip().split(" ")
        table[word] = float(freq)
    return Idf(table, sorted(table.values())[len(table) // 2], _stop_words(folder / "tfidf.py"))


def _stop_words(source: Path) -> frozenset[str]:
    """KeywordExtractor.STOP_WORDS, read from jieba's source."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "STOP_WORDS" for t in node.targets)
                and isinstance(node.value, ast.Call) and node.value.args):
            return frozenset(ast.literal_eval(node.value.args[0]))
    from jieba.analyse import default_tfidf  # a jieba whose source looks different: the slow way
    return frozenset(default_tfidf.stop_words)


def _load(folder: Path | None, name: str, make: Callable, pack: Callable, unpack: Callable):
    head = _head()
    path = folder / name if folder is not None else None
    if path is not None:
        _remove_old_files(path.parent)
        kept = _read(path, head, unpack)
        if kept is not None:
            return kept
    made = make()
    if path is not None:
        try:
            write_bytes_atomic(path, marshal.dumps((*head, *pack(made))))
        except OSError:
            pass  # the cache is an optimisation: the next process makes them again
    return made


def _remove_old_files(folder: Path) -> None:
    for old in OLD_FILES:
        try:
            (folder / old).unlink(missing_ok=True)
        except OSError:
            pass  # (a folder that cannot be written: nothing is written there either)


def _jieba_folder() -> Path:
    spec = importlib.util.find_spec("jieba")  # without importing jieba (~0.1 s)
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    return Path(spec.origin).parent


def _head() -> tuple:
    """What the files are made from: this format, jieba's version and the stats of its files, and the
    Python whose marshal wrote them."""
    folder = _jieba_folder()
    stats = []
    for name in ("dict.txt", "analyse/idf.txt", "analyse/tfidf.py"):
        st = (folder / name).stat()
        stats.append((name, st.st_size, st.st_mtime_ns))
    return FORMAT, importlib.metadata.version("jieba"), sys.version_info[:2], marshal.version, stats


def _read(path: Path, head: tuple, unpack: Callable):
    try:
        data = marshal.loads(path.read_bytes())
        if tuple(data[:len(head)]) != head:
            return None
        return unpack(*data[len(head):])
    except Exception:  # missing, damaged, or written by something else: made again
        return None
