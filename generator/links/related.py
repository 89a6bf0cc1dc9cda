"""Cross-links between articles: related coverage, later coverage and the same story in other papers.

- related(A): up to N articles published up to A's date that share A's weighted keywords. It depends
  only on articles up to A's date, so adding a newer issue never changes an old article's list; an
  edit changes those of the articles that share a word with the edited one soon after it (the lists
  are kept in the build cache with what they were worked out from: see lists_to_score).
- later(A): the newer articles that list A as related (the reverse links); this block may change.
- same story: pairs whose texts overlap (MinHash estimate) above a threshold, within a few days.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import json
import marshal
from collections import defaultdict
from dataclasses import dataclass, field

from generator.analysis.sketch import SKETCH_BINS, similarity

from generator.analysis.record import Analysis, keywords_among
from generator.base.cache import Cache
from generator.config import Links
from generator.content.model import Article
from generator.base.progress import Counter
from generator.base.workers import fork_map, fork_workers

LINKS_VERSION = "1"
POSTINGS_SCANNED = 200  # most recent articles looked at per shared keyword
COUNTY_BONUS = 0.05
TOPIC_BONUS = 0.03
LATER_FROM_TOP = 2  # a newer article shows up as later coverage of its 2 closest older articles
BAND_ROWS = 3  # MinHash bins per LSH band
BUCKET_LIMIT = 100  # a band shared by more articles is boilerplate, not a story
PARALLEL_FROM = 2000  # related lists to compute before worker processes pay off
MANY_CHANGES = 200  # more changes than this, one of them older than the newest: every list from it on again
FEW_LISTS = 10  # related lists to work out for fewer than 1/FEW_LISTS of the articles: postings of their words only


@dataclass(frozen=True)
class CrossLinks:
    related: dict[str, list[str]] = field(default_factory=dict)  # id -> ids, best first
    later: dict[str, list[str]] = field(default_factory=dict)
    same_story: dict[str, list[str]] = field(default_factory=dict)
    computed: int = 0  # related lists computed now (not from the cache)


def cross_links(articles: list[Article], analyses: dict[str, Analysis], options: Links, cache: Cache,
                counter: Counter | None = None) -> CrossLinks:
    """articles: oldest first (the site model's order). `counter` counts the related lists worked out."""
    related = related_lists(articles, analyses, options, cache, counter)
    return CrossLinks(related={aid: [rid for rid, _ in found] for aid, found in related.scored.items()},
                      later=later_lists(articles, related.scored, options.related, options.later_min_score),
                      same_story=same_story_pairs(articles, analyses, options, cache),
                      computed=related.computed)


# -- related ---------------------------------------------------------------------

# The related lists are kept in the build cache as one entry: the state of every article they were
# worked out from (its analysis, county, topics, whether it is a notice, its date, paper and page) and
# every list. A build compares that state with the articles it has and works out again only the lists
# an edit, addition or removal can have changed (see lists_to_score); it keeps every other one.
STATE_TABLE = "related_state"
STATE_KEY = "lists"
STATE_FORMAT = "3"  # 2: lists as lists of (id, score); 3: paper and page in the state


@dataclass(frozen=True)
class RelatedLists:
    scored: dict[str, list]  # id -> [(related id, score)], best first (the scores make the 'later' lists)
    computed: int  # lists worked out now (the others came from the cache)


def related_lists(articles, analyses, options: Links, cache: Cache, counter: Counter | None = None) -> RelatedLists:
    """Related ids for every article, with their scores, from the cache where nothing they read changed."""
    signature = f"{STATE_FORMAT}\0{LINKS_VERSION}\0{POSTINGS_SCANNED}\0{COUNTY_BONUS}\0{TOPIC_BONUS}\0" + \
        json.dumps(options.__dict__, sort_keys=True)
    states = [article_state(a, analyses[a.id]) for a in articles]
    ordinals = [a.date.toordinal() for a in articles]
    previous = read_state(cache, signature)
    todo, out = lists_to_score(articles, analyses, states, ordinals, previous, cache)
    few = todo if len(todo) * FEW_LISTS < len(articles) else None  # a new issue: postings of its words only
    counter = counter or Counter()
    counter.expect(len(todo))
    scored = score_many(RelatedIndex(articles, analyses, options, few), todo, counter) if todo else []
    for i, found in zip(todo, scored):
        out[articles[i].id] = found
    ids = [a.id for a in articles]
    if todo or previous is None or previous[:3] != (ids, ordinals, states):  # (else kept as it is)
        cache.put_many(STATE_TABLE, {STATE_KEY: marshal.dumps(
            (signature, ids, ordinals, states, [out[aid] for aid in ids]))})
    cache.forget_table("related")  # lists kept one per article, before the state entry
    return RelatedLists({aid: out[aid] for aid in ids}, len(todo))


def article_state(article: Article, analysis: Analysis) -> str:
    """What scoring reads of an article besides its date: its analysis (by key), county, topics,
    whether it is a notice (nobody's related coverage, with none of its own), and its place among the
    articles of its date (paper and page: equal scores rank the later article first)."""
    notice = "notice" if article.kind == "notice" else ""
    return f"{analysis.key}\0{article.county}\0{','.join(article.topics)}\0{notice}\0{article.paper}\0{article.page}"


def analysis_key_of(state: str) -> str:
    return state.split("\0", 1)[0]


def read_state(cache: Cache, signature: str) -> tuple | None:
    """(ids, dates as ordinals, states, lists of (id, score)) of the build that wrote them, if that build had
    the same options and scoring; None if there is none or it cannot be read."""
    data = cache.get_many(STATE_TABLE, [STATE_KEY], decode=False).get(STATE_KEY)
    try:
        head, ids, dates, states, lists = marshal.loads(data)
        if head != signature or not len(ids) == len(dates) == len(states) == len(lists):
            return None
    except Exception:  # none, damaged or of another form: every list is worked out again
        return None
    return ids, dates, states, lists


def lists_to_score(articles: list[Article], analyses: dict[str, Analysis], states: list[str], ordinals: list[int],
                   previous: tuple | None, cache: Cache) -> tuple[list[int], dict[str, list]]:
    """Positions of the articles whose related list must be worked out, and the others' lists (by id),
    kept from the previous build.

    An article's list reads only articles published up to its date, and of those only the ones that
    share one of its keywords and are among the last POSTINGS_SCANNED articles with that word before
    its date ends. So an article X added, removed or changed in its state (a moved one is removed from
    its old date and added on its new one) can change the list of X itself and of the articles A, on or
    after X's date, that have a word X has (or had) with X within that window of A's, before or after
    the change. Counting the postings of the word between the end of X's date and the end of A's in
    the current articles undercounts those between X and A by at most the number of changes (each adds
    or removes one), so A is taken while that count is below POSTINGS_SCANNED plus the number of
    changes: a few more lists than needed, none fewer."""
    if previous is None:
        return list(range(len(articles))), {}
    ids, dates, old_states, lists = previous
    where = {aid: k for k, aid in enumerate(ids)}
    keep = where.copy()
    changed: list[tuple[int, str | None, int | None]] = []  # (date ordinal, its previous state, position now)
    for i, a in enumerate(articles):
        k = where.pop(a.id, None)
        if k is None:
            changed.append((ordinals[i], None, i))
        elif dates[k] != ordinals[i]:  # moved: gone from one date, come on another
            changed.extend([(dates[k], old_states[k], None), (ordinals[i], None, i)])
        elif old_states[k] != states[i]:
            changed.append((dates[k], old_states[k], i))
    changed.extend((dates[k], old_states[k], None) for k in where.values())  # removed
    todo = {i for *_, i in changed if i is not None}
    if changed:
        todo |= later_dependents(articles, analyses, ordinals, changed, cache)
    kept = {a.id: lists[keep[a.id]] for i, a in enumerate(articles) if i not in todo}
    return sorted(todo), kept


def later_dependents(articles: list[Article], analyses: dict[str, Analysis], ordinals: list[int],
                     changed: list[tuple[int, str | None, int | None]], cache: Cache) -> set[int]:
    """The articles (positions) whose lists the changes can have changed, besides the changed ones."""
    first = bisect.bisect_left(ordinals, min(day for day, *_ in changed))
    present = {i for *_, i in changed if i is not None}
    if all(i in present for i in range(first, len(articles))):
        return set()  # every article from the earliest change on is new or changed: a new issue
    if len(changed) > MANY_CHANGES:  # (a re-classification, say) their windows reach far: all of them
        return set(range(first, len(articles)))
    old_words = previous_keywords({analysis_key_of(state) for _, state, _ in changed if state is not None}, cache)
    if old_words is None:  # a previous analysis is gone: every list from the earliest change on
        return set(range(first, len(articles)))
    words_of = []  # (date ordinal, words the article has or had)
    for day, state, i in changed:
        words = set(analyses[articles[i].id].keywords) if i is not None else set()
        if state is not None:
            words |= old_words[analysis_key_of(state)]
        words_of.append((day, words))
    wanted = set().union(*(words for _, words in words_of))
    postings: dict[str, list[int]] = defaultdict(list)  # every scored article's, for the words wanted
    for j in range(first, len(articles)):
        if articles[j].kind != "notice":
            for word, _ in keywords_among(analyses[articles[j].id], wanted):
                postings[word].append(j)
    reach = POSTINGS_SCANNED + len(changed)
    found: set[int] = set()
    for day, words in words_of:
        start, end = bisect.bisect_left(ordinals, day), bisect.bisect_right(ordinals, day)
        for word in words:
            ids = postings.get(word, [])
            before = bisect.bisect_left(ids, end)
            for n in range(bisect.bisect_left(ids, start), len(ids)):
                j = ids[n]
                if bisect.bisect_left(ids, bisect.bisect_right(ordinals, ordinals[j])) - before >= reach:
                    break
                found.add(j)
    return found


def previous_keywords(keys: set[str], cache: Cache) -> dict[str, set[str]] | None:
    """The keywords of analyses by key (those the previous build used are still in the cache), or None
    if one cannot be read."""
    rows = cache.peek("analysis", keys) if keys else {}
    try:
        if len(rows) < len(keys):
            return None
        return {key: set(Analysis.from_rows(key, row, None, b"{}").keywords) for key, row in rows.items()}
    except Exception:  # a row of an older form, or damaged
        return None


class RelatedIndex:
    """Keyword postings of every article (oldest first), with what the scoring needs in flat lists.

    With `only` (article positions), just the postings that scoring those articles reads: those of
    their words, back to the POSTINGS_SCANNED-th before the earliest of them that has the word. The
    other articles' keywords stay packed (only the weights of the words wanted are read)."""

    def __init__(self, articles: list[Article], analyses: dict[str, Analysis], options: Links,
                 only: list[int] | None = None):
        self.options = options
        self.ids = [a.id for a in articles]
        self.dates = [a.date for a in articles]
        self.analyses = [analyses[a.id] for a in articles]
        counties: dict[str, int] = {}
        topics: dict[str, int] = {}
        masks: dict[tuple[str, ...], int] = {}  # (few combinations of topics: each worked out once)
        self.county = [counties.setdefault(a.county, len(counties) + 1) if a.county else 0 for a in articles]
        self.topics = []
        for a in articles:
            mask = masks.get(key := tuple(a.topics))
            if mask is None:
                mask = masks[key] = sum(1 << topics.setdefault(t, len(topics)) for t in set(key))
            self.topics.append(mask)
        self.scored = {i for i, a in enumerate(articles) if a.kind != "notice"}  # a notice is nobody's related
        self.postings: dict[str, tuple[list[int], list[float]]] = {}
        if only is None:
            for i in sorted(self.scored):
                for word, weight in self.analyses[i].keywords.items():
                    ids, weights = self.postings.setdefault(word, ([], []))
                    ids.append(i)
                    weights.append(weight)
        else:
            self._postings_for(only)

    def _postings_for(self, only: list[int]) -> None:
        """The postings scoring `only` reads, gathered from the newest article back."""
        earliest: dict[str, int] = {}  # word -> the earliest cutoff of the articles to score that have it
        for i in only:
            if i in self.scored:
                cutoff = self._cutoff(i)
                for word in self.analyses[i].keywords:
                    earliest[word] = min(earliest.get(word, cutoff), cutoff)
        wanted = set(earliest)
        before = dict.fromkeys(earliest, 0)  # postings found before the word's earliest cutoff
        for j in range(len(self.ids) - 1, -1, -1):
            if not wanted:
                break
            if j not in self.scored:
                continue
            for word, weight in keywords_among(self.analyses[j], wanted):
                ids, weights = self.postings.setdefault(word, ([], []))
                ids.append(j)
                weights.append(weight)
                if j < earliest[word]:
                    before[word] += 1
                    if before[word] == POSTINGS_SCANNED:
                        wanted.discard(word)  # every window scored reaches no further back
        for ids, weights in self.postings.values():
            ids.reverse()
            weights.reverse()

    def _cutoff(self, i: int) -> int:
        return bisect.bisect_right(self.dates, self.dates[i])  # everything published up to i's date

    def score(self, i: int) -> list:
        """Up to `related` articles published up to article i's date, best first, with their scores."""
        if i not in self.scored:
            return []  # a notice has no related coverage
        cutoff = self._cutoff(i)
        scores: dict[int, float] = {}
        get = scores.get
        for word, weight in self.analyses[i].keywords.items():
            ids, weights = self.postings[word]
            end = bisect.bisect_left(ids, cutoff)
            start = max(0, end - POSTINGS_SCANNED)
            for j, w in zip(ids[start:end], weights[start:end]):
                scores[j] = get(j, 0.0) + weight * w
        scores.pop(i, None)
        county, topics = self.county[i], self.topics[i]
        most_bonus = (COUNTY_BONUS if county else 0.0) + TOPIC_BONUS * topics.bit_count()
        floor = self.options.related_min_score - most_bonus
        if len(scores) > self.options.related:  # only a candidate within reach of the top N needs its bonus
            floor = max(floor, heapq.nlargest(self.options.related, scores.values())[-1] - most_bonus - 1e-5)
        ranked = []
        for j, score in scores.items():
            if score < floor:
                continue
            if county and county == self.county[j]:
                score += COUNTY_BONUS
            score += TOPIC_BONUS * (topics & self.topics[j]).bit_count()
            if score >= self.options.related_min_score:
                ranked.append((-round(score, 6), -j))
        ranked.sort()
        return [(self.ids[-negj], -neg) for neg, negj in ranked[:self.options.related]]


def score_many(index: RelatedIndex, todo: list[int], counter: Counter | None = None) -> list[list]:
    """index.score(i) for each i, on every core when there are many (forked workers share the index)."""
    counter = counter or Counter()
    workers = fork_workers(len(todo), PARALLEL_FROM)
    if not workers:
        return [index.score(i) for i in counter.counting(todo)]
    return fork_map(RelatedIndex.score, index, todo, workers, chunksize=256, counter=counter)


def later_lists(articles: list[Article], related: dict[str, list], limit: int,
                min_score: float) -> dict[str, list[str]]:
    """Newer articles that name an article among their closest related ones, best first.

    Later coverage says a newer article follows the story up, so it takes more than related
    coverage: a score of at least `min_score` (shared names, places and terms, not just a topic).
    Only the top LATER_FROM_TOP links count, so a new issue of N articles changes at most
    N x LATER_FROM_TOP old pages, and only as many as it has follow-ups."""
    dates = {a.id: a.date for a in articles}
    found: dict[str, list] = defaultdict(list)
    for newer_id, items in related.items():
        for older_id, score in items[:LATER_FROM_TOP]:
            if score >= min_score and dates[older_id] < dates[newer_id]:
                found[older_id].append((-score, newer_id))
    return {aid: [nid for _, nid in sorted(items)[:limit]] for aid, items in found.items()}


# -- same story ------------------------------------------------------------------

def same_story_pairs(articles: list[Article], analyses: dict[str, Analysis], options: Links,
                     cache: Cache | None = None) -> dict[str, list[str]]:
    """Articles whose texts overlap above the threshold within `same_story_days`, in both directions.

    Candidates come from locality-sensitive hashing of the MinHash sketch (bands of BAND_ROWS bins), so
    the work grows with the number of articles, not with the number of pairs. The pairs whose newer
    article is of date D depend only on the articles of the `same_story_days` up to D (a band shared
    by more than BUCKET_LIMIT of them is boilerplate, not a story), so they are cached under a hash of
    those articles, and a new issue looks only at the days it could pair with."""
    by_date: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        by_date[a.date.toordinal()].append(i)
    dates = sorted(by_date)
    keys = window_keys(dates, by_date, articles, analyses, options)
    known = cache.get_many("same_story", keys.values()) if cache is not None else {}
    todo = [d for d in dates if keys[d] not in known]
    fresh = {keys[d]: pairs for d, pairs in window_pairs(todo, dates, by_date, articles, analyses, options).items()}
    if cache is not None:
        cache.put_many("same_story", fresh)
    found: dict[str, list] = defaultdict(list)
    by_id = {a.id: a for a in articles}
    for d in dates:
        for older, newer in known[keys[d]] if keys[d] in known else fresh[keys[d]]:
            a, b = by_id[older], by_id[newer]
            found[a.id].append((b.date, b.paper, b.id))
            found[b.id].append((a.date, a.paper, a.id))
    return {aid: [bid for *_, bid in sorted(items)] for aid, items in found.items()}


def window_keys(dates: list[int], by_date: dict[int, list[int]], articles: list[Article],
                analyses: dict[str, Analysis], options: Links) -> dict[int, str]:
    """Per date, a hash of the articles (and their texts' analyses) of the window that ends on it."""
    head = (f"{LINKS_VERSION}\0{SKETCH_BINS}\0{BAND_ROWS}\0{BUCKET_LIMIT}\0{options.same_story_similarity}\0"
            f"{options.same_story_days}\0")
    day = {d: hashlib.sha256("".join(f"{articles[i].id}\0{analyses[articles[i].id].key}\n" for i in by_date[d])
                             .encode()).hexdigest() for d in dates}
    keys = {}
    first = 0
    for n, d in enumerate(dates):
        while dates[first] < d - options.same_story_days:
            first += 1
        keys[d] = hashlib.sha256(f"{head}{d}:{','.join(day[x] for x in dates[first:n + 1])}".encode()).hexdigest()
    return keys


def window_pairs(todo: list[int], dates: list[int], by_date: dict[int, list[int]], articles: list[Article],
                 analyses: dict[str, Analysis], options: Links) -> dict[int, list[list[str]]]:
    """For each date in todo (ascending): the same-story pairs [older id, newer id] whose newer article
    is of that date. The LSH buckets slide along the dates, holding the articles of the window only."""
    days_apart = options.same_story_days
    bands = SKETCH_BINS // BAND_ROWS
    buckets: dict[tuple, list[int]] = defaultdict(list)
    inside: list[int] = []  # dates whose articles are in the buckets, oldest first
    band_keys: dict[int, list[tuple]] = {}
    position = {d: n for n, d in enumerate(dates)}

    def add(d: int) -> None:
        inside.append(d)
        for i in by_date[d]:
            sketch = analyses[articles[i].id].sketch
            rows_of = zip(*(sketch[r:bands * BAND_ROWS:BAND_ROWS] for r in range(BAND_ROWS)))
            band_keys[i] = [(band, rows) for band, rows in enumerate(rows_of) if -1 not in rows]  # -1: empty bin
            for key in band_keys[i]:
                buckets[key].append(i)

    def drop_before(limit: int) -> None:
        while inside and inside[0] < limit:
            for i in by_date[inside.pop(0)]:
                for key in band_keys.pop(i):
                    members = buckets[key]
                    members.remove(i)  # the oldest member: first in the list
                    if not members:
                        del buckets[key]

    out: dict[int, list[list[str]]] = {}
    for d in todo:
        drop_before(d - days_apart)
        n = position[d]
        start = position[inside[-1]] + 1 if inside else n
        while not inside and start > 0 and dates[start - 1] >= d - days_apart:
            start -= 1  # a new window: the days before d that it covers
        for x in dates[start:n + 1]:
            add(x)
        pairs: set[tuple[int, int]] = set()
        for j in by_date[d]:
            for key in band_keys[j]:
                members = buckets[key]
                if len(members) <= BUCKET_LIMIT:
                    pairs.update((i, j) for i in members if i < j)
        out[d] = [[articles[i].id, articles[j].id] for i, j in sorted(pairs)
                  if similarity(analyses[articles[i].id], analyses[articles[j].id]) >= options.same_story_similarity]
    return out
