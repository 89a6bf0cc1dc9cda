"""Cross-links between articles: related coverage, later coverage and the same story in other papers.

- related(A): up to N articles published up to A's date that share A's weighted keywords. It depends
  only on articles up to A's date, so adding a newer issue never changes an old article's list, and
  the list is cached under a hash of everything up to that date.
- later(A): the newer articles that list A as related (the reverse links); this block may change.
- same story: pairs whose texts overlap (MinHash estimate) above a threshold, within a few days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from .analyze import SKETCH_BINS, Analysis, similarity
from .cache import Cache
from .config import Links
from .model import Article

LINKS_VERSION = "1"
POSTINGS_SCANNED = 200  # most recent articles looked at per shared keyword
COUNTY_BONUS = 0.05
TOPIC_BONUS = 0.03
LATER_FROM_TOP = 2  # a newer article shows up as later coverage of its 2 closest older articles
BAND_ROWS = 3  # MinHash bins per LSH band
BUCKET_LIMIT = 100  # a band shared by more articles is boilerplate, not a story


@dataclass
class CrossLinks:
    related: dict[str, list[str]] = field(default_factory=dict)  # id -> ids, best first
    later: dict[str, list[str]] = field(default_factory=dict)
    same_story: dict[str, list[str]] = field(default_factory=dict)
    computed: int = 0  # related lists computed now (not from the cache)


def cross_links(articles: list[Article], analyses: dict[str, Analysis], options: Links, cache: Cache) -> CrossLinks:
    """articles: oldest first (the site model's order)."""
    links = CrossLinks()
    related_scores = related_lists(articles, analyses, options, cache, links)
    links.later = later_lists(articles, related_scores, options.related)
    links.same_story = same_story_pairs(articles, analyses, options)
    return links


# -- related ---------------------------------------------------------------------

def related_lists(articles, analyses, options: Links, cache: Cache, links: CrossLinks) -> dict[str, list]:
    """Related ids for every article, with their scores (for the reverse 'later' lists)."""
    keys = history_keys(articles, analyses, options)
    cached = cache.get_many("related", keys.values())
    order = {a.id: i for i, a in enumerate(articles)}
    postings: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        if a.kind == "notice":
            continue  # a notice is nobody's related coverage
        for word in analyses[a.id].keywords:
            postings[word].append(i)
    dates = [a.date for a in articles]
    out: dict[str, list] = {}
    fresh = {}
    for i, a in enumerate(articles):
        key = keys[a.id]
        if key in cached:
            out[a.id] = [(rid, score) for rid, score in cached[key] if rid in order]
            continue
        cutoff = bisect.bisect_right(dates, a.date)  # everything published up to a's date
        found = [] if a.kind == "notice" else score_related(i, articles, analyses, postings, cutoff, options)
        out[a.id] = fresh[key] = found
        links.computed += 1
    cache.put_many("related", fresh)
    links.related = {aid: [rid for rid, _ in items] for aid, items in out.items()}
    return out


def score_related(i: int, articles: list[Article], analyses: dict[str, Analysis], postings, cutoff: int,
                  options: Links) -> list:
    a = articles[i]
    mine = analyses[a.id].keywords
    scores: dict[int, float] = defaultdict(float)
    for word, weight in mine.items():
        items = postings[word]
        end = bisect.bisect_left(items, cutoff)
        for j in items[max(0, end - POSTINGS_SCANNED):end]:
            if j != i:
                scores[j] += weight * analyses[articles[j].id].keywords[word]
    ranked = []
    for j, score in scores.items():
        b = articles[j]
        if a.county and a.county == b.county:
            score += COUNTY_BONUS
        score += TOPIC_BONUS * len(set(a.topics) & set(b.topics))
        if score >= options.related_min_score:
            ranked.append((-round(score, 6), -j, b.id))
    ranked.sort()
    return [(bid, -neg) for neg, _, bid in ranked[:options.related]]


def history_keys(articles: list[Article], analyses: dict[str, Analysis], options: Links) -> dict[str, str]:
    """For each article, a hash of its own analysis and of every article published up to its date."""
    running = hashlib.sha256((LINKS_VERSION + json.dumps(options.__dict__, sort_keys=True)).encode())
    by_date: dict[dt.date, list[Article]] = defaultdict(list)
    for a in articles:
        by_date[a.date].append(a)
    keys = {}
    for date in sorted(by_date):
        for a in by_date[date]:
            running.update(f"{a.id}\0{analyses[a.id].key}\0{a.county}\0{','.join(a.topics)}\n".encode())
        through = running.hexdigest()
        for a in by_date[date]:
            keys[a.id] = hashlib.sha256(f"{through}:{a.id}".encode()).hexdigest()
    return keys


def later_lists(articles: list[Article], related: dict[str, list], limit: int) -> dict[str, list[str]]:
    """Newer articles that name an article among their closest related ones, best first.

    Only the top LATER_FROM_TOP links count, so a new issue of N articles changes at most
    N x LATER_FROM_TOP old pages."""
    dates = {a.id: a.date for a in articles}
    found: dict[str, list] = defaultdict(list)
    for newer_id, items in related.items():
        for older_id, score in items[:LATER_FROM_TOP]:
            if dates[older_id] < dates[newer_id]:
                found[older_id].append((-score, newer_id))
    return {aid: [nid for _, nid in sorted(items)[:limit]] for aid, items in found.items()}


# -- same story ------------------------------------------------------------------

def same_story_pairs(articles: list[Article], analyses: dict[str, Analysis], options: Links) -> dict[str, list[str]]:
    """Articles whose texts overlap above the threshold within `same_story_days`, in both directions.

    Candidates come from locality-sensitive hashing of the MinHash sketch (bands of BAND_ROWS bins), so
    the work grows with the number of articles, not with the number of pairs."""
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        sketch = analyses[a.id].sketch
        for band in range(SKETCH_BINS // BAND_ROWS):
            rows = tuple(sketch[band * BAND_ROWS:(band + 1) * BAND_ROWS])
            if min(rows) >= 0:
                buckets[(band, rows)].append(i)
    window = dt.timedelta(days=options.same_story_days)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > BUCKET_LIMIT:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if abs(articles[i].date - articles[j].date) <= window:
                    pairs.add((i, j))
    found: dict[str, list] = defaultdict(list)
    for i, j in sorted(pairs):
        a, b = articles[i], articles[j]
        score = similarity(analyses[a.id], analyses[b.id])
        if score >= options.same_story_similarity:
            found[a.id].append((b.date, b.paper, b.id))
            found[b.id].append((a.date, a.paper, a.id))
    return {aid: [bid for *_, bid in sorted(items)] for aid, items in found.items()}
