"""jieba's dictionaries as the analysis uses them, made once and kept beside the build cache.

A process that analyses text needs, of jieba, the log-probability of every entry of its prefix
dictionary (for the cut in segment.py) and its IDF table, median IDF and stop words (for keywords).
Made from jieba's own files that costs about a second: jieba's prefix dictionary read from its cache,
log-probabilities worked out for ~580,000 entries, idf.txt parsed. A new issue's build waits for it
in the worker that analyses the new articles, and a cold build pays it in every worker. Kept in one
marshal file in the cache folder, it loads in ~0.3-0.5 s. The file is known by jieba's version
and the size and modification time of the files it is made from; anything else (another version, a
damaged or foreign file, another Python) makes it again from jieba.
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

from .content import write_bytes_atomic

FILE = "jieba-dictionaries.marshal"
FORMAT = "1"
OLD_FILE = "jieba.cache"  # jieba's own cache file, which builds kept in the cache folder before this one


@dataclass(frozen=True)
class Dictionaries:
    # every entry of jieba's prefix dictionary -> its word's log-probability (log(freq) - log(total), as
    # jieba computes it), or None for a prefix that is not a word itself (jieba keeps those with freq 0)
    logp: dict[str, float | None]
    unknown: float  # the log-probability of a character that is no word (jieba's `or 1`)
    idf: dict[str, float]  # jieba.analyse's IDF table
    median_idf: float
    stop_words: frozenset[str]  # jieba.analyse's KeywordExtractor.STOP_WORDS

    def is_word(self, text: str) -> bool:
        """True if jieba's dictionary has `text` as a word (a frequency above 0)."""
        return self.logp.get(text) is not None


def load(folder: Path | None) -> Dictionaries:
    """The dictionaries from `folder`'s file if it is there and was made from the same jieba files;
    else made from jieba and written there (if `folder` is given and writable)."""
    head = _head()
    path = folder / FILE if folder is not None else None
    if path is not None:
        kept = _read(path, head)
        if kept is not None:
            return kept
    made = from_jieba()
    if path is not None:
        try:
            write_bytes_atomic(path, marshal.dumps((*head, made.logp, made.unknown, made.idf, made.median_idf,
                                                    sorted(made.stop_words))))
            (folder / OLD_FILE).unlink(missing_ok=True)
        except OSError:
            pass  # the cache is an optimisation: the next process makes them again
    return made


def from_jieba() -> Dictionaries:
    """Made from jieba's own files (jieba keeps its prefix dictionary in its own cache file, in the
    system's temporary folder)."""
    jieba = _jieba()
    jieba.dt.check_initialized()
    logp, unknown = log_probabilities(jieba.dt)
    idf, median = _idf_table(_jieba_folder() / "analyse" / "idf.txt")
    return Dictionaries(logp, unknown, idf, median, _stop_words(_jieba_folder() / "analyse" / "tfidf.py"))


def log_probabilities(tokenizer) -> tuple[dict[str, float | None], float]:
    """(entry -> log-probability or None, the unknown character's) of an initialised jieba Tokenizer."""
    log_total = math.log(tokenizer.total)
    logp = {w: (math.log(f) - log_total if f else None) for w, f in tokenizer.FREQ.items()}
    return logp, math.log(1) - log_total


def _idf_table(path: Path) -> tuple[dict[str, float], float]:
    idf: dict[str, float] = {}
    for line in path.read_bytes().decode("utf-8").splitlines():  # as jieba.analyse's IDFLoader reads it
        word, freq = line.strip().split(" ")
        idf[word] = float(freq)
    return idf, sorted(idf.values())[len(idf) // 2]


def _stop_words(source: Path) -> frozenset[str]:
    """KeywordExtractor.STOP_WORDS, read from jieba's source: importing jieba.analyse would also load its
    part-of-speech model, which costs ~0.6 s and is not used."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "STOP_WORDS" for t in node.targets)
                and isinstance(node.value, ast.Call) and node.value.args):
            return frozenset(ast.literal_eval(node.value.args[0]))
    from jieba.analyse import default_tfidf  # a jieba whose source looks different: the slow way
    return frozenset(default_tfidf.stop_words)


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter in build output
    return jieba


def _jieba_folder() -> Path:
    spec = importlib.util.find_spec("jieba")  # without importing jieba (~0.1 s)
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    return Path(spec.origin).parent


def _head() -> tuple:
    """What the file was made from: this format, jieba's version and the stats of its files, and the
    Python whose marshal wrote it."""
    folder = _jieba_folder()
    stats = []
    for name in ("dict.txt", "analyse/idf.txt", "analyse/tfidf.py"):
        st = (folder / name).stat()
        stats.append((name, st.st_size, st.st_mtime_ns))
    return FORMAT, importlib.metadata.version("jieba"), sys.version_info[:2], marshal.version, stats


def _read(path: Path, head: tuple) -> Dictionaries | None:
    try:
        data = marshal.loads(path.read_bytes())
        n = len(head)
        if tuple(data[:n]) != head:
            return None
        logp, unknown, idf, median, stop = data[n:]
        if not (isinstance(logp, dict) and isinstance(idf, dict) and isinstance(unknown, float)
                and isinstance(median, float) and isinstance(stop, list)):
            return None
        return Dictionaries(logp, unknown, idf, median, frozenset(stop))
    except Exception:  # missing, damaged, or written by something else: made again
        return None
