"""A segment's postings: per term and field the documents, term frequencies and field lengths, counted
per block of documents (cached, so a rebuilt segment recounts only new blocks), and shared among
bucket files by the term's hash. Common terms get files of their own, and their dense fields keep
their lengths in the segment's length tables.
"""

from __future__ import annotations

import marshal
import zlib
from typing import Iterable

from generator.analysis.record import Analysis, load_extras, release_extras
from generator.base.cache import Cache
from generator.search.codec import SHARDS_FORMAT, digest, encode_field, encode_lengths
from generator.search import segments
from generator.search.terms import fnv1a, term_counts

POSTINGS_PER_FILE = 2000
OWN_FILE_FROM = POSTINGS_PER_FILE // 2  # a term with this many postings in a segment gets a file of its own
DENSE_FROM = 4  # a common term's field in 1/DENSE_FROM of a segment's documents or more: lengths apart
DENSE_MIN_DOCS = 1024  # segments smaller than this keep every length inline (one request less)


def files_for(items: int, per_file: int, cap: int | None = None) -> int:
    n = 1
    while n * per_file < items and (cap is None or n < cap):
        n *= 2
    return n


def field_tables(fields: list[str], analyses: list[Analysis]) -> tuple[list[dict], list[list[int]]]:
    """Per field, term -> ([positions], [tfs], [field lengths]); and per field each document's length.
    (One table per field: a quarter less time than one table of per-field entries.)"""
    tables: list[dict] = [{} for _ in fields]
    lengths: list[list[int]] = [[] for _ in fields]
    for pos, analysis in enumerate(analyses):
        words = analysis.words
        for f, name in enumerate(fields):
            counts = term_counts(words[name])
            length = sum(counts.values())
            lengths[f].append(length)
            table = tables[f]
            for term, tf in counts.items():
                lists = table.get(term)
                if lists is None:
                    table[term] = ([pos], [tf], [length])
                else:
                    lists[0].append(pos)
                    lists[1].append(tf)
                    lists[2].append(length)
    return tables, lengths


def segment_postings(fields: list[str], analyses: list[Analysis]) -> tuple[dict[str, list], list[list[int]]]:
    """term -> per field [positions relative to the segment, tfs, lengths] (or 0); and per field
    the length of each of the segment's documents."""
    field_postings, lengths = field_tables(fields, analyses)
    return postings_of(field_postings), lengths


def postings_of(field_postings: list[dict]) -> dict[str, list]:
    """Per-field term tables as one table: term -> per field its lists (or 0)."""
    postings: dict[str, list] = {}
    for f, table in enumerate(field_postings):
        for term, lists in table.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = [0] * len(field_postings)
            entry[f] = lists
    return postings


# Segments of whole 4,096s keep each block's term tables (see segment_order) in the build cache (~6 MB
# a block at 1,500 characters, ~150 MB at 100,000 articles), so that rebuilding one counts only the
# blocks that changed and reads the others: the open segment when a block is added (one issue in
# ~80) or when it is sealed; a sealed one when an article in it is edited or deleted (an OCR fix in an
# old article: ~40 s at 100k if its 8 blocks were counted again, ~13 s with 7 of them read).
BLOCK_TABLES = "search_block_tables"


def block_postings(fields: list[str], members: list[Analysis], cache: Cache) -> tuple[dict[str, list], list[list[int]]]:
    """segment_postings for a segment of whole blocks of LEVELS[1] documents (in ref order), made
    from each block's term tables: from the build cache, or counted (and kept there). One block's
    tables at a time are held besides the segment's."""
    tables, lengths = merge_tables(fields, (block_tables(fields, block, cache) for block in blocks_of(members)))
    return postings_of(tables), lengths


def blocks_of(members: list) -> list[list]:
    """A segment's members (in ref order) cut into its blocks of LEVELS[1]."""
    return [members[start:start + segments.LEVELS[1]] for start in range(0, len(members), segments.LEVELS[1])]


def block_tables(fields: list[str], block: list[Analysis], cache: Cache) -> tuple[list[dict], list[list[int]]]:
    """One block's term tables: per field term -> (positions in the block, tfs); and per field each
    document's length."""
    key = block_tables_key(fields, block)
    data = cache.get_many(BLOCK_TABLES, [key], decode=False).get(key)
    if data is not None:
        try:
            tables, lengths = marshal.loads(zlib.decompress(data))
            if len(tables) == len(lengths) == len(fields) and all(len(column) == len(block) for column in lengths):
                return tables, lengths
        except (ValueError, TypeError, EOFError, zlib.error):
            pass  # damaged: counted again
    load_extras(block)
    full, lengths = field_tables(fields, block)
    release_extras(block)  # (read again if something else wants them)
    tables = [{term: (lists[0], lists[1]) for term, lists in table.items()} for table in full]
    del full
    cache.put_many(BLOCK_TABLES, {key: zlib.compress(marshal.dumps((tables, lengths)), 1)})
    return tables, lengths


def block_tables_key(fields: list[str], block: list[Analysis]) -> str:
    return digest([SHARDS_FORMAT, marshal.version, "tables", fields, [m.key for m in block]])


def merge_tables(fields: list[str], blocks: Iterable[tuple[list[dict], list[list[int]]]]) -> tuple[list[dict], list[list[int]]]:
    """field_tables of consecutive blocks' documents, from each block's tables: positions moved by
    the documents before the block, field lengths looked up in the block's length columns."""
    merged: list[dict] = [{} for _ in fields]
    merged_lengths: list[list[int]] = [[] for _ in fields]
    for tables, lengths in blocks:
        offset = len(merged_lengths[0]) if fields else 0
        for f, table in enumerate(tables):
            into, column = merged[f], lengths[f]
            for term, (positions, tfs) in table.items():
                field_lengths = [column[p] for p in positions]
                if offset:
                    positions = [p + offset for p in positions]
                lists = into.get(term)
                if lists is None:  # (a block's lists are its own: nothing else holds them)
                    into[term] = (positions, tfs, field_lengths)
                else:
                    lists[0].extend(positions)
                    lists[1].extend(tfs)
                    lists[2].extend(field_lengths)
            merged_lengths[f] += column
    return merged, merged_lengths


def dense_from(documents: int) -> int | None:
    """How many postings make a term's field read the segment's length table (None: never)."""
    return -(-documents // DENSE_FROM) if documents >= DENSE_MIN_DOCS else None


def bucket_files(postings: dict[str, list], terms: list[str], buckets: int, dense: int | None = None,
                 sorted_field: int | None = None, common_from: int | None = None, common: dict | None = None,
                 own_from: int | None = None) -> tuple[list[dict], list[list], set[int]]:
    """The postings split into bucket files by the FNV-1a hash of their terms; per bucket its common
    terms, each for files of its own (the bucket file holds its number): (postings, lengths), where
    a field with `dense` postings or more leaves its lengths out of the postings and in `lengths`
    (None when no field does); and the fields whose length table such a term may read instead.
    Every term's postings of `sorted_field` leave their lengths to that field's table (run-length
    coded, see encode_runs), which a query of that field always reads. A term with `common_from`
    postings or more (but fewer than OWN_FILE_FROM) goes to `common` instead of its bucket; a term
    with `own_from` postings or more (default OWN_FILE_FROM) gets a file of its own."""
    own_from = OWN_FILE_FROM if own_from is None else own_from
    split: list[dict] = [{} for _ in range(buckets)]
    own: list[list] = [[] for _ in range(buckets)]
    tables: set[int] = set()
    for term in terms:
        b = fnv1a(term) & (buckets - 1)
        fields = postings[term]
        total = sum(len(x[0]) for x in fields if x != 0)
        if total < own_from:
            encoded = [encode_field(x, f == sorted_field) for f, x in enumerate(fields)]
            if common_from is not None and common is not None and total >= common_from:
                common[term] = encoded
            else:
                split[b][term] = encoded
            continue
        dense_fields = [dense is not None and x != 0 and len(x[0]) >= dense and f != sorted_field
                        for f, x in enumerate(fields)]
        tables.update(f for f, is_dense in enumerate(dense_fields) if is_dense)
        columns = [encode_lengths(x[2]) if is_dense else 0 for x, is_dense in zip(fields, dense_fields)]
        split[b][term] = len(own[b])
        own[b].append(([encode_field(x, is_dense or f == sorted_field)
                        for f, (x, is_dense) in enumerate(zip(fields, dense_fields))],
                       columns if any(dense_fields) else None))
    return split, own, tables
