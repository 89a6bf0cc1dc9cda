"""Sharded search for large archives: lunr's ranking, downloaded one query's worth at a time.

Writes search/manifest.json and the files it names: per segment (segments.py) the postings in
bucket files by term hash (postings.py), the vocabulary lists, the length tables, then the result
rows and facet chunks by search ref; all encoded by codec.py. Files are named by a hash of their
inputs, so an unchanged segment keeps its files and browsers their cached copies. Must stay true:
search-shards.js reads every file written here (SHARDS_FORMAT names the layout), and a browser's
scores equal lunr.py's. The design and its numbers: docs/architecture.md, "Search files".
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Callable

from generator.analysis.record import Analysis, load_extras, release_extras
from generator.base.cache import Cache
from generator.base.output import Output
from generator.content.site import SiteModel
from generator.search import postings, segments
from generator.search.codec import (
    SHARDS_FORMAT,
    columns_file,
    common_file,
    date_chunk,
    digest,
    encode_lengths,
    encode_runs,
    facet_chunk,
    json_bytes,
    lengths_file,
    postings_file,
)
from generator.search.postings import (
    BLOCK_TABLES,
    block_postings,
    block_tables_key,
    blocks_of,
    bucket_files,
    dense_from,
    files_for,
    segment_postings,
)
from generator.search.segments import (
    Segment,
    issue_starts,
    plan_segments,
    segment_order,
    sorted_field_of,
)
from generator.search.terms import fnv1a

MAX_FILES = {"tail": 32, "small": 512, "medium": 512}  # open segments rewritten often stay in fewer files
# A tail piece's files hold fewer postings, or a query would pay for every piece's other terms; not
# much fewer, since the 256s segment's rebuild removes every piece's files (the more pieces' files,
# the more files that rebuild changes).
PER_FILE = {"tail": 1000}
# A tail piece's words found in half its documents or more (the words of nearly every query of common
# words) go to one file of the piece's own, which the manifest lists, instead of ~1,000 postings of
# other words each: "我们 发展 工作" fetches one ~2 KB file a piece instead of three of ~4 KB.
COMMON_SHARE = {"tail": 0.5, "small": 0.5, "medium": 0.5}
COMMON_MIN = 8  # postings; in a piece smaller than 16 articles a word needs this many
# In the open segments of whole 1,024s and 256s such words get files of their own (if they have fewer
# than OWN_FILE_FROM postings) and the manifest lists every term with a file of its own ("own"), so a
# query fetches those files directly instead of first a bucket file of ~1,800 postings (7-10 KB gzip)
# to find their number.
COMMON_FILE_LEVELS = ("tail",)
TERMS_PER_VOCAB_FILE = 256  # a query fetches one list per character and segment: small lists
DOCS_PER_CHUNK = 1  # a results page fetches the rows it lists, ~0.5 KB gzip each
META_PER_CHUNK = 1024
FACETS_VERSION = "4"  # bump when facet_chunk makes other data of the same articles


@dataclass
class SegmentFiles:
    name: str  # content-derived; the files are s/<name>-<bucket>.json
    buckets: int
    totals: list[int]
    terms: list[str]  # every term of the segment, sorted
    tables: list[int]  # the fields with a length table, l/<name>-<field number>.json
    sorted_by: int | None = None  # the field whose table is run-length coded (see segment_order)
    common: list[str] = field(default_factory=list)  # the terms of its common file (see COMMON_SHARE)
    own: list[str] | None = None  # the terms with files of their own, if the manifest lists them


def segment_name(seg: Segment, level_articles: list, analyses: dict[str, Analysis], fields: list[str]) -> str:
    """The name of a segment's files: a digest of what they hold (the same texts in the same order,
    indexed the same way, make the same files, whatever the segment's position)."""
    keys = [analyses[a.id].key for a in level_articles]
    per_file = PER_FILE.get(seg.level, postings.POSTINGS_PER_FILE)
    return digest([SHARDS_FORMAT, per_file, postings.OWN_FILE_FROM, MAX_FILES.get(seg.level), dense_from(len(keys)),
                    sorted_field_of(seg, fields), COMMON_SHARE.get(seg.level), COMMON_MIN,
                    seg.level in COMMON_FILE_LEVELS, fields, keys])[:16]


def write_segment(seg: Segment, level_articles: list, analyses: dict[str, Analysis], fields: list[str],
                  output: Output, cache: Cache, name: str | None = None) -> SegmentFiles:
    """The segment's postings files (`name`: its segment_name, if known), reused as a whole when the
    same articles were indexed before."""
    cap = MAX_FILES.get(seg.level)
    per_file = PER_FILE.get(seg.level, postings.POSTINGS_PER_FILE)
    name = name or segment_name(seg, level_articles, analyses, fields)
    dense = dense_from(len(level_articles))
    sorted_by = sorted_field_of(seg, fields)
    share = COMMON_SHARE.get(seg.level)
    common_from = max(COMMON_MIN, math.ceil(share * len(level_articles))) if share else None
    listed = common_from is not None and seg.level not in COMMON_FILE_LEVELS
    own_from = min(postings.OWN_FILE_FROM, common_from) if listed else None
    known = cache.get_many("search_segments", [name]).get(name)
    reused: set[str] = set()  # files of the previous site kept as they are (the same name: the same bytes)
    members = [analyses[a.id] for a in level_articles]
    if known:
        paths = segment_paths(name, known["buckets"], known["own"], known["tables"], bool(known.get("common")))
        reused = {p for p in paths if output.reuse(p, name, "search")}
        if len(reused) == len(paths):
            if sorted_by is not None:  # its blocks' tables stay for the next rebuild
                cache.present(BLOCK_TABLES, [block_tables_key(fields, block) for block in blocks_of(members)])
            return SegmentFiles(name, known["buckets"], known["totals"], known["terms"], known["tables"], sorted_by,
                                known.get("common", []), known.get("listed"))
    if sorted_by is not None:
        by_term, lengths = block_postings(fields, members, cache)
    else:
        load_extras(members)  # their words, in one read of the cache
        by_term, lengths = segment_postings(fields, members)
    count = sum(len(lists[0]) for entry in by_term.values() for lists in entry if lists != 0)
    buckets = files_for(count, per_file, cap)
    terms = sorted(by_term)
    common: dict[str, list] = {}
    split, own, dense_fields = bucket_files(by_term, terms, buckets, dense, sorted_by,
                                            None if listed else common_from, common, own_from)
    own_terms = sorted(t for part in split for t, entry in part.items() if isinstance(entry, int)) if listed else None
    files: dict[str, object] = {}
    if common:
        files["search/" + common_file(name)] = common
    for b, part in enumerate(split):
        files["search/" + postings_file(name, b)] = part
        for k, (encoded, columns) in enumerate(own[b]):
            files["search/" + postings_file(name, b, k)] = encoded
            if columns is not None:
                files["search/" + columns_file(name, b, k)] = columns
    tables = sorted(dense_fields | ({sorted_by} if sorted_by is not None else set()))
    for f in tables:
        table = encode_runs(lengths[f]) if f == sorted_by else encode_lengths(lengths[f])
        files["search/" + lengths_file(name, f)] = table
    for path, data in files.items():
        if path not in reused:  # a file missing from the previous site is written again
            output.write(path, json_bytes(data), kind="search", fingerprint=name)
    release_extras(members)  # a segment's words are needed once: memory stays bounded by the biggest
    totals = [sum(column) for column in lengths]
    own_files = [[b, len(entries), [k for k, (_, columns) in enumerate(entries) if columns is not None]]
                 for b, entries in enumerate(own) if entries]
    cache.put_many("search_segments", {name: {"buckets": buckets, "totals": totals, "terms": terms,
                                              "tables": tables, "own": own_files, "common": sorted(common),
                                              "listed": own_terms}})
    return SegmentFiles(name, buckets, totals, terms, tables, sorted_by, sorted(common), own_terms)


def segment_paths(name: str, buckets: int, own: list, tables: list[int], common: bool = False) -> list[str]:
    """Every file of a segment below the site: bucket files, common terms' files ([bucket, how
    many, which have length columns] in `own`), length tables, and the common file if it has one."""
    common_paths = ["search/" + common_file(name)] if common else []
    own_files = {b: (n, with_columns) for b, n, with_columns in own}
    paths = []
    for b in range(buckets):
        paths.append("search/" + postings_file(name, b))
        n, with_columns = own_files.get(b, (0, []))
        paths += ["search/" + postings_file(name, b, k) for k in range(n)]
        paths += ["search/" + columns_file(name, b, k) for k in with_columns]
    return paths + ["search/" + lengths_file(name, f) for f in tables] + common_paths


def write_vocabulary(terms: list[str], output: Output, written: set[str]) -> tuple[str, int]:
    """Terms first seen in a segment, split by a hash of their first character. Files are named by
    their content: a segment whose list is one written already in this build (no new terms, say)
    names those files too (`written`: the names written so far)."""
    buckets = files_for(len(terms), TERMS_PER_VOCAB_FILE)
    name = digest([SHARDS_FORMAT, buckets, terms])[:16]
    if name in written:
        return name, buckets
    written.add(name)
    split: list[list[str]] = [[] for _ in range(buckets)]
    for term in terms:
        split[fnv1a(term[0]) & (buckets - 1)].append(term)
    for b, part in enumerate(split):
        output.write_cached(f"search/v/{name}-{b}.json", name, lambda part=part: json_bytes(part), kind="search")
    return name, buckets


# -- results and facets --------------------------------------------------------------------------
def write_row_chunks(prefix: str, rows: list[tuple[str, Callable[[], list]]], per_chunk: int, output: Output) -> int:
    """Rows given as (fingerprint, how to make the row), written per_chunk to a file; a file whose
    rows' fingerprints are those of the previous build is kept without its rows being made."""
    chunks = math.ceil(len(rows) / per_chunk)
    for k in range(chunks):
        part = rows[k * per_chunk:(k + 1) * per_chunk]
        fingerprint = part[0][0] if len(part) == 1 else digest([f for f, _ in part])
        output.write_cached(f"search/{prefix}/{k}.json", fingerprint,
                            lambda part=part: json_bytes([make() for _, make in part]), kind="search")
    return chunks


def write_facet_chunks(articles: list, counties: list[str], topics: list[str], papers: list[str],
                       output: Output) -> list[list[str]]:
    """The facet chunks (m/) and date chunks (t/) of the articles, in search-ref order; returns each
    chunk's first and last date (a reader orders by date fetching the dates of the newest chunks
    only). A chunk of articles loaded from files is known by their source keys, which stand for
    everything of an article a chunk holds (its front matter, and site.yaml's papers, counties and
    topics), so a chunk the previous build wrote is kept without being made (0.2 s a build at 100,000
    articles); any other chunk is known by its bytes."""
    head = f"facets {FACETS_VERSION}\0{digest([counties, topics, papers])}\0"
    spans = []
    for k in range(math.ceil(len(articles) / META_PER_CHUNK)):
        part = articles[k * META_PER_CHUNK:(k + 1) * META_PER_CHUNK]
        spans.append([min(a.date for a in part).isoformat(), max(a.date for a in part).isoformat()])
        for kind, make in (("m", lambda part=part: json_bytes(facet_chunk(part, counties, topics, papers))),
                           ("t", lambda part=part: json_bytes(date_chunk(part)))):
            rel = f"search/{kind}/{k}.json"
            if all(a.source_key for a in part):
                inputs = f"{head}{kind}\0" + "\0".join(a.source_key for a in part)
                output.write_cached(rel, hashlib.sha256(inputs.encode()).hexdigest(), make, kind="search")
            else:
                output.write(rel, make(), kind="search")
    return spans


# -- the whole index -------------------------------------------------------------------------------
def write_sharded_index(site: SiteModel, analyses: dict[str, Analysis], fields: list[tuple[str, int]],
                        docs: dict, output: Output, cache: Cache) -> dict:
    """Write every shard and return the manifest (written by the caller)."""
    names = [name for name, _ in fields]
    seen: set[str] = set()
    described = []
    totals = [0] * len(names)
    n = len(site.articles)
    tail_from = n - n % segments.LEVELS[-1]  # only the tail (after the whole 256s) is cut at issue starts
    written: dict[str, SegmentFiles] = {}  # a segment that repeats another's texts shares its files
    vocabularies: set[str] = set()
    order: list[int] = []
    for seg in plan_segments(n, issue_starts(site.articles, tail_from)):
        # numbered segment by segment: words read to count a new block's lengths serve its postings too
        positions = segment_order(site.articles, seg, analyses, names, cache, release=False)
        order += positions
        level_articles = [site.articles[p] for p in positions]
        name = segment_name(seg, level_articles, analyses, names)
        if name not in written:
            written[name] = write_segment(seg, level_articles, analyses, names, output, cache, name)
        if sorted_field_of(seg, names) is not None:  # words its block lengths read, if its files were reused
            release_extras([analyses[a.id] for a in level_articles])
        files = written[name]
        new_terms = [t for t in files.terms if t not in seen]
        seen.update(new_terms)
        vocab_name, vocab_buckets = write_vocabulary(new_terms, output, vocabularies)
        totals = [a + b for a, b in zip(totals, files.totals)]
        described.append({"start": seg.start, "count": seg.end - seg.start, "postings": files.name,
                          "buckets": files.buckets, "lengths": files.tables,
                          "vocab": vocab_name, "vocabBuckets": vocab_buckets})
        if files.sorted_by is not None:
            described[-1]["sortedBy"] = files.sorted_by
        if files.common:
            described[-1]["common"] = files.common
        if files.own is not None:
            described[-1]["own"] = files.own
    counties = [c.name for c in site.config.counties]
    topics = [t.name for t in site.config.topics]
    papers = [p.slug for p in site.config.papers]
    doc_chunks = write_row_chunks("d", [docs["rows"][p] for p in order], DOCS_PER_CHUNK, output)
    spans = write_facet_chunks([site.articles[p] for p in order], counties, topics, papers, output)
    return {
        "format": "shards-" + SHARDS_FORMAT,
        "documents": len(site.articles),
        "fields": [[name, boost] for name, boost in fields],
        "fieldLengths": totals,
        "segments": described,
        "docFields": docs["fields"],
        "docChunk": DOCS_PER_CHUNK, "docChunks": doc_chunks,
        "metaChunk": META_PER_CHUNK, "metaChunks": len(spans), "dateSpans": spans,
        "counties": counties, "topics": topics, "papers": [site.config.paper(p).name for p in papers],
    }


