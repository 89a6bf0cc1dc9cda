"""Per-article text analysis: words, keywords and a similarity sketch, as a Lexicon cuts the text.

This is the expensive per-article work of a build, so it is done once per article text and kept in
the build cache, keyed by a hash of the text and of everything that changes the result (the
analysis code, jieba's version, the site's words). Only new or edited articles are analysed, in
worker processes when there are many. Must stay true: an analysis read from the cache equals a fresh one.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable

from generator.analysis.record import LEAD_CHARS, REST_TABLE, Analysis, is_old_row, split_old_row
from generator.analysis.sketch import minhash
from generator.analysis.words import JIEBA_VERSION, Lexicon
from generator.base.cache import Cache, pack_extra
from generator.base.heap import worker_collects
from generator.base.progress import Counter
from generator.base.workers import die_with_parent, run_in_background
from generator.content.model import Article, text_digest
from generator.errors import SiteError
from generator.text import first_sentence, plain_text

ANALYSIS_VERSION = "3"
PARALLEL_FROM = 400  # articles to analyse before starting worker processes pays off
STORE_BATCH = 500  # new analyses written to the cache together
# Every build reads every article's keywords and sketch from the cache. As JSON numbers, 25 weights
# and 64 bins make a cache entry take 32 microseconds to decode; packed into strings, 12 (2 s less at
# 100,000 articles). Packing is exact or not done: a value it cannot carry keeps the plain JSON form,
# and both forms are read (so is a cache written before packing).


def analysis_key(article: Article, lexicon: Lexicon) -> str:
    """Changes whenever anything the analysis reads changes (text, the site's words, or the analysis
    code). An article loaded from the cache brings its text's digest, so its body is not read for this."""
    digest = article.text_digest or text_digest(article)
    words = lexicon.vocabulary.digest
    return hashlib.sha256(f"{ANALYSIS_VERSION}\0{JIEBA_VERSION}\0{words}\0{digest}".encode()).hexdigest()


def analyse(article: Article, lexicon: Lexicon, key: str | None = None) -> Analysis:
    text = plain_text(article.body)
    body_words, body_pairs = lexicon.cut_words(text)
    title_words, title_pairs = lexicon.cut_words(article.title)
    heads = " ".join(filter(None, (article.kicker, article.subtitle, article.column)))
    heads_words, heads_pairs = lexicon.cut_words(heads)
    bins, shingles = minhash(text)
    return Analysis(
        key=key or analysis_key(article, lexicon),
        keywords=lexicon.keywords(lexicon.as_jieba_cut(title_words), lexicon.as_jieba_cut(body_words)),
        sketch=bins,
        shingles=shingles,
        description=first_sentence(text),
        lead=text[:LEAD_CHARS],
        _extra={"words": {
            "title": " ".join(lexicon.search_words(title_words)),
            "heads": " ".join(lexicon.search_words(heads_words)),
            "body": " ".join(lexicon.search_words(body_words)),
            "people": " ".join(article.people),
            "pairs": " ".join(title_pairs + heads_pairs + body_pairs),
        }, "text": text},
    )


# -- many articles, with the cache -------------------------------------------------------

def analyse_all(articles: list[Article], cache: Cache, lexicon: Lexicon, workers: int | None = None,
                pool: "AnalysisWorker | None" = None, counter: Counter | None = None
                ) -> tuple[dict[str, Analysis], int]:
    """Analysis of every article (by id) as `lexicon` cuts it, from the cache where the text has not changed.

    New or edited articles are analysed in `pool` if given, else here (in parallel when many);
    `counter` counts them as they are done. Returns (analyses, number analysed now)."""
    counter = counter or Counter()
    keys = {a.id: analysis_key(a, lexicon) for a in articles}
    found = cache.get_many("analysis", keys.values(), decode=False)  # one read of what was analysed before
    jobs = [(a, keys[a.id]) for a in articles if keys[a.id] not in found]
    counter.expect(len(jobs))

    def load_extra(keys: list[str]) -> dict[str, dict]:
        found = cache.get_extra("analysis", keys)
        if len(found) < len(set(keys)):
            raise SiteError(f"the build cache has lost an article's words; delete {cache.path} and build again")
        return found

    def load_rest(key: str) -> bytes:
        rest = cache.get_many(REST_TABLE, [key], decode=False).get(key)
        if rest is None:
            raise SiteError(f"the build cache has lost an article's analysis; delete {cache.path} and build again")
        return rest

    fresh = FreshAnalyses(cache, load_extra, load_rest)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    pending = None
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        if pool is not None:
            pool.stop()  # it would only compete for a core with the workers started here
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up,
                                 initargs=(os.getpid(), lexicon)) as executor:
            fresh.store(counter.counting(executor.map(functools.partial(_analyse_job, lexicon), jobs, chunksize=64)))
    elif pool is not None and jobs:
        pending = pool.map_async(jobs)  # the worker analyses the new articles while the rows are read
    else:
        fresh.store(counter.counting(_analyse_job(lexicon, job) for job in jobs))
    made = analyses_of_rows(found, cache, load_extra, load_rest)
    if pending is not None:
        fresh.store(counter.counting(pending.get()))
    lost = {keys[a.id]: a for a in articles if keys[a.id] not in made and keys[a.id] not in fresh.by_key}
    fresh.store(counter.counting(_analyse_job(lexicon, (a, k)) for k, a in lost.items()))  # an entry the cache could not give back
    out = {}
    for a in articles:
        k = keys[a.id]
        out[a.id] = fresh.by_key[k] if k in fresh.by_key else made[k]
    return out, fresh.count


def analyses_of_rows(found: dict[str, bytes], cache: Cache, load_extra: Callable[[list[str]], dict[str, dict]],
                     load_rest: Callable[[str], bytes]) -> dict[str, "Analysis"]:
    """The analyses of rows read from the cache, by key; a row whose rest is missing is left out.

    Each row has its rest in REST_TABLE (but rows of the old form, which hold it), as both are written and
    dropped together. If REST_TABLE has fewer rows than that (a cache damaged, or cut short by a build that
    stopped between the two writes), the rows whose rest is missing are left out; else (~every build:
    two counts instead of reading 100,000 keys) their rests are taken as there, and read only if used
    (see load_rest)."""
    old = {k: split_old_row(row) for k, row in found.items() if is_old_row(row)}
    new_form = [k for k in found if k not in old] if old else list(found)
    if cache.rows(REST_TABLE) < cache.rows("analysis") - len(old):
        new_form = list(cache.present(REST_TABLE, new_form))
    else:
        cache.assume_present(REST_TABLE, new_form)
    if old:  # rows from before the rest had its own table: split once, so later builds read less
        cache.replace_data("analysis", {k: head for k, (head, _) in old.items()})
        cache.put_many(REST_TABLE, {k: rest for k, (_, rest) in old.items()})
    made = {k: Analysis.from_rows(k, found[k], load_extra, load_rest) for k in new_form}
    made.update((k, Analysis.from_rows(k, head, load_extra, rest)) for k, (head, rest) in old.items())
    return made


class FreshAnalyses:
    """New analyses, stored in the cache as they come (STORE_BATCH at a time) and kept in the form a
    later build reads them in: packed, their big parts (words, text) and their rest read again only
    if used, so that a cold build's memory does not grow with every article's words and text. They
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
        self.cache.put_many(REST_TABLE, {k: rest for k, _, rest, _ in batch})
        for k, head, _, _ in batch:
            self.by_key[k] = Analysis.from_rows(k, head, self.load_extra, self.load_rest)
        self.count += len(batch)


def _analyse_job(lexicon: Lexicon, job: tuple[Article, str]) -> tuple[str, bytes, bytes, bytes]:
    """An article analysed, as the rows the cache stores: (key, head, rest, packed extra)."""
    article, key = job
    x = analyse(article, lexicon, key)
    head, rest = x.to_rows()
    return key, head, rest, pack_extra(x.extra)


class AnalysisWorker:
    """A worker process that loads jieba's dictionaries in the background while the build reads the
    content, then analyses the few new articles of an incremental build (many go to one worker per
    core instead). The dictionaries are kept in the build's cache folder (see dictionaries.py), so CI
    that keeps `.cache/` loads them instead of making them again."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.pool = None
        if "fork" in mp.get_all_start_methods():
            # In the background: the build's process reads the cache meanwhile, and waits for this
            # worker only once that is done.
            self.pool = mp.get_context("fork").Pool(
                1, initializer=_warm_up, initargs=(os.getpid(), lexicon, True))

    def map(self, jobs: list[tuple[Article, str]]) -> list[tuple[str, bytes, bytes, bytes]]:
        return self.map_async(jobs).get()

    def map_async(self, jobs: list[tuple[Article, str]]):
        """Start analysing; the result's get() returns the analyses' rows in order (see _analyse_job)."""
        job = functools.partial(_analyse_job, self.lexicon)
        if self.pool is None:  # no fork here, or stopped: analysed on get()
            return _Deferred(lambda: [job(j) for j in jobs])
        return self.pool.map_async(job, jobs, chunksize=16)

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


class _Deferred:
    def __init__(self, produce: Callable[[], list]):
        self.get = produce


def _warm_up(parent: int, lexicon: Lexicon, background: bool = False) -> None:
    die_with_parent(parent)
    if background:
        run_in_background()
    worker_collects()
    lexicon.load()
