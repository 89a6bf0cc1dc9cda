"""Search segments: articles numbered oldest first and cut into segments like a log-structured merge
(sealed blocks of 32,768, open segments of whole 4,096s, 1,024s and 256s, and a tail cut into pieces
at issue starts), so a new issue rewrites only the small segments. Must stay true: a segment's
articles and their order never change once it is sealed or whole.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

from generator.analysis.record import Analysis, load_extras, release_extras
from generator.base.cache import Cache
from generator.search.codec import SHARDS_FORMAT, digest
from generator.search.terms import field_length

LEVELS = (32768, 4096, 1024, 256)  # sealed block size, then the sizes the open segments are made of
OPEN_LEVELS = ("large", "medium", "small")  # names of those open segments
TAIL_PIECE = 32  # the tail is cut into pieces of this many articles or more, at issue starts
SORTED_FIELD = "body"  # whole blocks of LEVELS[1] documents are numbered by this field's length


# -- segments -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    level: str  # "sealed", one of OPEN_LEVELS, or "tail"


def plan_segments(n: int, issue_starts: Sequence[int] = ()) -> list[Segment]:
    """Cut positions 0..n-1 into segments; stable while articles are appended.

    The tail (after the whole 256s) is cut into pieces at issue starts (the positions where a new
    date or paper begins, sorted), each piece TAIL_PIECE articles or more but the last: a new issue
    adds a piece of its own and leaves the pieces before it as they are."""
    out, start = [], 0
    sealed = LEVELS[0]
    while start + sealed <= n:
        out.append(Segment(start, start + sealed, "sealed"))
        start += sealed
    for size, level in zip(LEVELS[1:], OPEN_LEVELS):
        end = start + (n - start) // size * size
        if end > start:
            out.append(Segment(start, end, level))
            start = end
    while start < n:
        cut = bisect.bisect_left(issue_starts, start + TAIL_PIECE)
        end = min(issue_starts[cut], n) if cut < len(issue_starts) else n
        out.append(Segment(start, end, "tail"))
        start = end
    return out


def issue_starts(articles: list, since: int = 0) -> list[int]:
    """Positions from `since` on (oldest first) where an issue begins: a new date or a new paper."""
    return [i for i in range(since, len(articles)) if i == 0 or
            (articles[i].date, articles[i].paper) != (articles[i - 1].date, articles[i - 1].paper)]


def sorted_field_of(seg: Segment, fields: list[str]) -> int | None:
    """The field by whose length the segment's documents are ordered: the segments of whole blocks
    (sealed, and the open one of whole 4,096s; see segment_order); None for the others."""
    if seg.level in ("sealed", OPEN_LEVELS[0]) and SORTED_FIELD in fields:
        return fields.index(SORTED_FIELD)
    return None


# -- search refs ---------------------------------------------------------------------------------
def search_order(articles: list, segs: list[Segment], analyses: dict[str, Analysis], fields: list[str],
                 cache: Cache) -> list[int]:
    """The positions of the articles in search-ref order, segment after segment (see segment_order)."""
    return [p for seg in segs for p in segment_order(articles, seg, analyses, fields, cache)]


def segment_order(articles: list, seg: Segment, analyses: dict[str, Analysis], fields: list[str],
                  cache: Cache, release: bool = True) -> list[int]:
    """The positions of a segment's articles in search-ref order: the site's order (oldest first),
    except in a segment with a sorted field (the sealed ones and the open one of whole 4,096s),
    which is cut into blocks of LEVELS[1] articles, each ordered by its documents' length in that
    field (then by position). The lengths then run in order, so that field's length table is a few
    hundred runs (~4 KB gzip for 32,768 documents instead of ~45) and its postings leave their
    lengths to it: a third less postings text. Refs only name documents inside the search files
    (their result rows and facets follow the same order), and a block's order stays as it is
    while articles are appended. Words read from the cache to count lengths are let go again unless
    `release` is false (the caller then writes the segment's postings from them, and lets them go)."""
    if sorted_field_of(seg, fields) is None:
        return list(range(seg.start, seg.end))
    order: list[int] = []
    for start in range(seg.start, seg.end, LEVELS[1]):
        end = min(start + LEVELS[1], seg.end)
        lengths = block_lengths(articles[start:end], analyses, cache, release)
        order += sorted(range(start, end), key=lambda p: (lengths[p - start], p))
    return order


def block_lengths(block: list, analyses: dict[str, Analysis], cache: Cache, release: bool = True) -> list[int]:
    """The SORTED_FIELD length of each article of a block, from the build cache or from their words."""
    key = digest([SHARDS_FORMAT, SORTED_FIELD, [analyses[a.id].key for a in block]])
    found = cache.get_many("search_blocks", [key]).get(key)
    if isinstance(found, list) and len(found) == len(block):
        return found
    members = [analyses[a.id] for a in block]
    load_extras(members)
    lengths = [field_length(m.words[SORTED_FIELD]) for m in members]
    if release:
        release_extras(members)
    cache.put_many("search_blocks", {key: lengths})
    return lengths
