"""Sharded search for large archives: lunr's ranking, downloaded one query's worth at a time.

One lunr index for 10,000 articles is ~175 MB of JSON, which no browser loads. Here the same
information is split so that a query fetches only the postings of its own words:

- **Segments by position.** Articles are numbered oldest first (their search refs, but for the
  order inside whole blocks, below). The numbers are
  cut into segments like a log-structured merge: full blocks of 32,768 are sealed and never
  rewritten; the rest is one segment of whole 4,096s, one of whole 1,024s, one of whole 256s and a
  tail of fewer than 256, cut at issue starts into pieces of TAIL_PIECE (32) articles or more. A
  new issue adds a piece of its own (or grows a last piece shorter than 32), so the files of the
  issues before it stay as they are; every 256 articles the 256s segment is rebuilt (at most 768
  articles), every 1,024 the 1,024s one (at most 3,072), every 4,096 the 4,096s one. A query reads
  every segment, so their number stays small (at 100k: three sealed, up to three open segments and
  up to eight pieces, five with issues of 50 articles); a piece's files hold fewer postings
  (PER_FILE), so that the pieces together cost a query about what one tail file did.
- **Term buckets.** Inside a segment, each term's postings go to one of a power-of-two number of
  files, picked by an FNV-1a hash of the term (the same hash in search.js). A file holds about
  2,000 postings, so a query pays little for the other terms it shares a file with. A common term
  (OWN_FILE_FROM postings or more in the segment) gets a file of its own, which its bucket file
  names by number, so a query for a rare word never downloads a common one that shares its bucket.
- **Vocabulary.** For query segmentation and lunr's wildcards the browser needs the words
  themselves: each segment lists the terms first seen in it, in files picked by a hash of the
  term's first character, so a query fetches the lists for its own characters only.
- **Exact lunr scores.** A posting is (document, term frequency, field length), written as compact
  base-64 text (see encode_field). lunr's BM25 weight
  also needs the number of documents and the average field lengths, which change with every new
  article; they live in the small manifest and the browser computes each weight exactly as
  lunr.py's builder does. Document frequency is lunr's own: postings counted over all fields.
- **Length tables.** A length is two thirds of a common posting's bytes, and a query of several
  common words would fetch every document's length once per word. So in a big segment a common
  term's field found in a quarter or more of the documents keeps its lengths in a file beside its
  postings, and the segment has a length table per such field (every document's length). The
  browser fetches the table when the query's dense postings in that segment and field outnumber
  its documents, else each term's own lengths: a query fetches no more length numbers than it did
  with lengths inline, and "教育 学生 学校" fetches the lengths once instead of three times.
- **Documents ordered by length.** In the segments made of whole 4,096s (the sealed ones and the
  large open one) each block of 4,096 documents is numbered by body length (segment_order), so the
  body's length table is a few hundred runs (encode_runs: ~4 KB gzip for 32,768 documents instead
  of ~45) and every body posting there leaves its length to it. On a sealed segment of the
  1,500-character benchmark corpus the postings shrink from 39 to 21 MB gzip (60 to 36 MB raw),
  and "我们 发展 工作" fetches ~40 KB less per sealed segment. A block's numbering is fixed once
  it is whole: appending articles never changes it.
- **Common words of the small segments.** Files of ~1,000-2,000 postings cost 4-10 KB gzip, and a
  query first fetches a word's bucket file even when the word has a file of its own. So the open
  segments of whole 1,024s and 256s give words in half their documents files of their own and the
  manifest lists every term that has one ("own"), and a tail piece puts such words together in one
  file the manifest lists ("common"): a query of common words skips their bucket files there.
- **Results.** Display data comes in a file per document (a results page fetches its 20; chunks of 4
  cost three times the bytes), facet data (county, paper, topics, year) in chunks of 1,024, both by
  search ref, so a new issue changes only the last chunks. A facet chunk is one column of fixed-width
  base-64 numbers per facet (see facet_chunk): a third smaller gzipped than rows, and a common
  word's query reads every chunk.

Postings and vocabulary files are named by a hash of their content's inputs; the manifest names
them, so an unchanged segment keeps its files and browsers keep their cached copies. Files:
search/manifest.json, search/s/<segment>-<bucket>.json (and -<bucket>-<n>.json for common terms),
search/s/<segment>-<bucket>-<n>-lengths.json (length columns of a common term's dense fields),
search/s/<segment>-common.json (a tail piece's common words),
search/v/<segment>-<bucket>.json, search/l/<segment>-<field number>.json,
search/d/<chunk>.json, search/m/<chunk>.json.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import marshal
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from lunr.stemmer import porter_stemmer

from generator.analysis.analyze import Analysis, load_extras, release_extras
from generator.base.cache import Cache
from generator.base.output import Output
from generator.content.site import SiteModel

SHARDS_FORMAT = "10"  # bump when a file's layout or the term pipeline changes
LEVELS = (32768, 4096, 1024, 256)  # sealed block size, then the sizes the open segments are made of
OPEN_LEVELS = ("large", "medium", "small")  # names of those open segments
POSTINGS_PER_FILE = 2000
OWN_FILE_FROM = POSTINGS_PER_FILE // 2  # a term with this many postings in a segment gets a file of its own
DENSE_FROM = 4  # a common term's field in 1/DENSE_FROM of a segment's documents or more: lengths apart
DENSE_MIN_DOCS = 1024  # segments smaller than this keep every length inline (one request less)
MAX_FILES = {"tail": 32, "small": 512, "medium": 512}  # open segments rewritten often stay in fewer files
TAIL_PIECE = 32  # the tail is cut into pieces of this many articles or more, at issue starts
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
SORTED_FIELD = "body"  # whole blocks of LEVELS[1] documents are numbered by this field's length
DOCS_PER_CHUNK = 1  # a results page fetches the rows it lists, ~0.5 KB gzip each
META_PER_CHUNK = 1024
FACETS_VERSION = "1"  # bump when facet_chunk makes other data of the same articles

EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # what newsTrimmer strips (search.py registers it)
ASCII_WORD = re.compile(r"[a-z]+")  # what newsStemmer stems


# -- terms, exactly as the lunr index's pipeline makes them (see search.py) ---------------------
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


def files_for(items: int, per_file: int, cap: int | None = None) -> int:
    n = 1
    while n * per_file < items and (cap is None or n < cap):
        n *= 2
    return n


# -- segments -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    level: str  # "sealed", one of OPEN_LEVELS, or "tail"


def segments(n: int, issue_starts: Sequence[int] = ()) -> list[Segment]:
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
    return [members[start:start + LEVELS[1]] for start in range(0, len(members), LEVELS[1])]


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
    return _digest([SHARDS_FORMAT, marshal.version, "tables", fields, [m.key for m in block]])


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


# -- postings as text ------------------------------------------------------------------------------
# A field's postings of one term are one string of URL-safe base-64 digits (nothing JSON escapes):
# a header digit ((length digits - 1) * 2 + has-tfs, or DENSE_HEADER + has-tfs for a term whose
# lengths are apart: in its length column and the segment's length table), the number of documents,
# each document's gap from the previous one, then (unless every tf is 1) each tf, all as
# variable-length numbers (5 bits a digit, digits 32-63 say "more follows"), then (unless dense) each
# field length in a fixed number of plain base-64 digits. Column by column, so that encoding is a
# table lookup per number. Half the bytes of JSON number lists. A length table is one string: every document's field length in the
# segment, in the fewest fixed digits that hold the longest (the width is its length over the
# count); a term's length column is the same for its own documents.
DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
DIGIT_VALUE = {c: n for n, c in enumerate(DIGITS)}
MAX_LENGTH_DIGITS = 5  # field lengths below 64**5
DENSE_HEADER = 2 * MAX_LENGTH_DIGITS  # header digits from here on: no lengths inline


def _varint_text(value: int) -> str:
    digits = [DIGITS[value & 31]]
    value >>= 5
    while value:
        digits.append(DIGITS[32 + (value & 31)])
        value >>= 5
    return "".join(reversed(digits))


VARINTS = [_varint_text(v) for v in range(32 ** 3)]  # every number of up to three digits
FIXED_2 = [DIGITS[v >> 6] + DIGITS[v & 63] for v in range(64 ** 2)]


def _varints(values) -> str:
    try:
        return "".join(map(VARINTS.__getitem__, values))
    except IndexError:  # a number past the table: rare, so the slow way
        return "".join(map(_varint_text, values))


def _fixed(values: list[int], width: int) -> str:
    if width == 1:
        return "".join(map(DIGITS.__getitem__, values))
    if width == 2:
        return "".join(map(FIXED_2.__getitem__, values))
    return "".join(DIGITS[(v >> (6 * k)) & 63] for v in values for k in reversed(range(width)))


def _digits_for(top: int) -> int:
    """How many base-64 digits a number up to `top` needs."""
    width = 1
    while top >= 64 ** width:
        width += 1
    return width


def length_width(lengths: list[int]) -> int:
    """How many base-64 digits the longest of these field lengths needs."""
    top = max(lengths, default=0)
    width = _digits_for(top)
    if width > MAX_LENGTH_DIGITS:
        raise ValueError(f"a field of {top} words is longer than the search index can hold")
    return width


def encode_field(lists, dense: bool = False) -> str | int:
    """One field's (positions, tfs, lengths) as text; 0 when the term is not in the field. A dense
    field's lengths are left out (its segment's length table holds them)."""
    if lists == 0:
        return 0
    positions, tfs, lengths = lists
    with_tfs = tfs.count(1) != len(tfs)
    width = length_width(lengths)
    gaps = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]
    header = DENSE_HEADER if dense else (width - 1) * 2
    return "".join((DIGITS[header + with_tfs], _varint_text(len(positions)), _varints(gaps),
                    _varints(tfs) if with_tfs else "", "" if dense else _fixed(lengths, width)))


def encode_lengths(lengths: list[int]) -> str:
    """A segment's length table for one field: every document's length in fixed digits."""
    return _fixed(lengths, length_width(lengths))


def decode_lengths(text: str, documents: int) -> list[int]:
    """A length table (or a term's length column) of `documents` numbers."""
    width, rest = divmod(len(text), documents) if documents else (0, len(text))
    if rest or not 1 <= width <= MAX_LENGTH_DIGITS:
        raise ValueError(f"a length table of {len(text)} digits for {documents} documents")
    return _fixed_values(text, width)


def encode_runs(lengths: list[int]) -> str:
    """The length table of a sorted field (see segment_order): runs of equal lengths, each as two
    variable-length numbers: the change from the previous run's length (zigzag: 2n up, 2n - 1
    down, so a new block's drop fits too) and how many documents have it. Whole blocks ordered by
    this length make a table of a few hundred runs instead of a number per document."""
    numbers: list[int] = []
    previous = 0
    for length, run in itertools.groupby(lengths):
        change = length - previous
        numbers += [2 * change if change >= 0 else -2 * change - 1, sum(1 for _ in run)]
        previous = length
    return _varints(numbers)


def decode_runs(text: str, documents: int) -> list[int]:
    """The lengths of `documents` documents from encode_runs's text; search-shards.js does the same."""
    numbers = _varint_values(text)
    if len(numbers) % 2:
        raise ValueError("a run-length table ending in the middle of a run")
    lengths: list[int] = []
    length = 0
    for change, run in zip(numbers[::2], numbers[1::2]):
        length += change // 2 if change % 2 == 0 else -(change + 1) // 2
        if length < 0 or run < 1:
            raise ValueError("a run-length table with a negative length or an empty run")
        lengths += [length] * run
    if len(lengths) != documents:
        raise ValueError(f"a run-length table of {len(lengths)} lengths for {documents} documents")
    return lengths


def _varint_values(text: str) -> list[int]:
    """The numbers of a string of variable-length numbers (what _varints writes)."""
    values, value = [], 0
    for c in text:
        digit = DIGIT_VALUE[c]
        value = value * 32 + (digit & 31)
        if digit < 32:
            values.append(value)
            value = 0
    if value or (text and DIGIT_VALUE[text[-1]] >= 32):
        raise ValueError("variable-length numbers ending in the middle of one")
    return values


def _fixed_values(text: str, width: int) -> list[int]:
    """The numbers of a string of fixed-width base-64 numbers (what _fixed writes)."""
    values = []
    for k in range(0, len(text), width):
        value = 0
        for c in text[k:k + width]:
            value = value * 64 + DIGIT_VALUE[c]
        values.append(value)
    return values


def is_dense(text: str) -> bool:
    """Whether these postings leave their lengths to the segment's length table."""
    return DIGIT_VALUE[text[0]] >= DENSE_HEADER


def decode_field(text: str, table: list[int] | None = None,
                 column: str | None = None) -> list[tuple[int, int, int]]:
    """(position in the segment, tf, field length) per document; search-shards.js does the same.
    Dense postings take their lengths from `column` (the term's own length column, as text) or
    from `table`, the segment's decoded length table."""
    try:
        return _decode_field(text, table, column)
    except (IndexError, KeyError) as exc:  # cut short, or a character that is no base-64 digit
        raise ValueError(f"postings text shorter than its count says or not base-64 ({exc!r})") from None


def _decode_field(text: str, table: list[int] | None, column: str | None) -> list[tuple[int, int, int]]:
    header = DIGIT_VALUE[text[0]]
    if header >= DENSE_HEADER + 2:
        raise ValueError(f"postings header {text[0]!r} is not one this code writes")
    dense = header >= DENSE_HEADER
    width, with_tfs = header // 2 + 1, header & 1
    if dense and table is None and column is None:
        raise ValueError("dense postings decoded without their lengths")
    i = 1

    def number() -> int:
        nonlocal i
        value = 0
        while True:
            digit = DIGIT_VALUE[text[i]]
            i += 1
            value = value * 32 + (digit & 31)
            if digit < 32:
                return value

    count = number()
    positions, position = [], 0
    for _ in range(count):
        position += number()
        positions.append(position)
    tfs = [number() for _ in range(count)] if with_tfs else [1] * count
    if dense:
        if i != len(text):
            raise ValueError("postings text longer than its count says")
        if column is not None:
            return list(zip(positions, tfs, decode_lengths(column, count)))
        if positions and positions[-1] >= len(table):
            raise ValueError("postings point past their segment's length table")
        return [(p, tf, table[p]) for p, tf in zip(positions, tfs)]
    lengths = []
    for _ in range(count):
        length = 0
        for _ in range(width):
            length = length * 64 + DIGIT_VALUE[text[i]]
            i += 1
        lengths.append(length)
    if i != len(text):
        raise ValueError("postings text longer than its count says")
    return list(zip(positions, tfs, lengths))


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


def sorted_field_of(seg: Segment, fields: list[str]) -> int | None:
    """The field by whose length the segment's documents are ordered: the segments of whole blocks
    (sealed, and the open one of whole 4,096s; see segment_order); None for the others."""
    if seg.level in ("sealed", OPEN_LEVELS[0]) and SORTED_FIELD in fields:
        return fields.index(SORTED_FIELD)
    return None


def segment_name(seg: Segment, level_articles: list, analyses: dict[str, Analysis], fields: list[str]) -> str:
    """The name of a segment's files: a digest of what they hold (the same texts in the same order,
    indexed the same way, make the same files, whatever the segment's position)."""
    keys = [analyses[a.id].key for a in level_articles]
    per_file = PER_FILE.get(seg.level, POSTINGS_PER_FILE)
    return _digest([SHARDS_FORMAT, per_file, OWN_FILE_FROM, MAX_FILES.get(seg.level), dense_from(len(keys)),
                    sorted_field_of(seg, fields), COMMON_SHARE.get(seg.level), COMMON_MIN,
                    seg.level in COMMON_FILE_LEVELS, fields, keys])[:16]


def write_segment(seg: Segment, level_articles: list, analyses: dict[str, Analysis], fields: list[str],
                  output: Output, cache: Cache, name: str | None = None) -> SegmentFiles:
    """The segment's postings files (`name`: its segment_name, if known), reused as a whole when the
    same articles were indexed before."""
    cap = MAX_FILES.get(seg.level)
    per_file = PER_FILE.get(seg.level, POSTINGS_PER_FILE)
    name = name or segment_name(seg, level_articles, analyses, fields)
    dense = dense_from(len(level_articles))
    sorted_by = sorted_field_of(seg, fields)
    share = COMMON_SHARE.get(seg.level)
    common_from = max(COMMON_MIN, math.ceil(share * len(level_articles))) if share else None
    listed = common_from is not None and seg.level not in COMMON_FILE_LEVELS
    own_from = min(OWN_FILE_FROM, common_from) if listed else None
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
        postings, lengths = block_postings(fields, members, cache)
    else:
        load_extras(members)  # their words, in one read of the cache
        postings, lengths = segment_postings(fields, members)
    count = sum(len(lists[0]) for entry in postings.values() for lists in entry if lists != 0)
    buckets = files_for(count, per_file, cap)
    terms = sorted(postings)
    common: dict[str, list] = {}
    split, own, dense_fields = bucket_files(postings, terms, buckets, dense, sorted_by,
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
            output.write(path, _json(data), kind="search", fingerprint=name)
    release_extras(members)  # a segment's words are needed once: memory stays bounded by the biggest
    totals = [sum(column) for column in lengths]
    own_files = [[b, len(entries), [k for k, (_, columns) in enumerate(entries) if columns is not None]]
                 for b, entries in enumerate(own) if entries]
    cache.put_many("search_segments", {name: {"buckets": buckets, "totals": totals, "terms": terms,
                                              "tables": tables, "own": own_files, "common": sorted(common),
                                              "listed": own_terms}})
    return SegmentFiles(name, buckets, totals, terms, tables, sorted_by, sorted(common), own_terms)


def postings_file(name: str, bucket: int, own: int | None = None) -> str:
    """A bucket's postings file, or the file of its common term number `own` (below search/)."""
    return f"s/{name}-{bucket}.json" if own is None else f"s/{name}-{bucket}-{own}.json"


def common_file(name: str) -> str:
    """A segment's common file: the postings of the terms the manifest lists as its "common" (below search/)."""
    return f"s/{name}-common.json"


def columns_file(name: str, bucket: int, own: int) -> str:
    """The length columns of a common term's dense fields, beside its postings (below search/)."""
    return f"s/{name}-{bucket}-{own}-lengths.json"


def lengths_file(name: str, field: int) -> str:
    """A segment's length table for one field (below search/)."""
    return f"l/{name}-{field}.json"


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
    name = _digest([SHARDS_FORMAT, buckets, terms])[:16]
    if name in written:
        return name, buckets
    written.add(name)
    split: list[list[str]] = [[] for _ in range(buckets)]
    for term in terms:
        split[fnv1a(term[0]) & (buckets - 1)].append(term)
    for b, part in enumerate(split):
        output.write_cached(f"search/v/{name}-{b}.json", name, lambda part=part: _json(part), kind="search")
    return name, buckets


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
    key = _digest([SHARDS_FORMAT, SORTED_FIELD, [analyses[a.id].key for a in block]])
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


# -- results and facets --------------------------------------------------------------------------
def write_row_chunks(prefix: str, rows: list[tuple[str, Callable[[], list]]], per_chunk: int, output: Output) -> int:
    """Rows given as (fingerprint, how to make the row), written per_chunk to a file; a file whose
    rows' fingerprints are those of the previous build is kept without its rows being made."""
    chunks = math.ceil(len(rows) / per_chunk)
    for k in range(chunks):
        part = rows[k * per_chunk:(k + 1) * per_chunk]
        fingerprint = part[0][0] if len(part) == 1 else _digest([f for f, _ in part])
        output.write_cached(f"search/{prefix}/{k}.json", fingerprint,
                            lambda part=part: _json([make() for _, make in part]), kind="search")
    return chunks


def facet_chunk(articles: list, counties: list[str], topics: list[str], papers: list[str]) -> dict:
    """The facets of consecutive documents as columns: per facet one string of fixed-width base-64
    numbers, a number per document (the width is the string's length over `rows`). county: its
    number + 1, 0 for none; paper: its number; year: years after `yearFrom`; topics: a bit set, six
    topics a digit, the first digit holding topics 0-5. search-shards.js decodes the same."""
    county_of = {c: n + 1 for n, c in enumerate(counties)}
    topic_of = {t: n for n, t in enumerate(topics)}
    paper_of = {p: n for n, p in enumerate(papers)}
    year_from = min(a.date.year for a in articles)
    topic_digits = max(1, math.ceil(len(topics) / 6))
    years = [a.date.year - year_from for a in articles]
    return {
        "rows": len(articles),
        "yearFrom": year_from,
        "county": _column([county_of.get(a.county, 0) for a in articles], len(counties)),
        "paper": _column([paper_of[a.paper] for a in articles], len(papers) - 1),
        "year": _column(years, max(years)),
        "topics": "".join(_topic_digits(sum(1 << topic_of[t] for t in set(a.topics)), topic_digits)
                          for a in articles),
    }


def _column(values: list[int], top: int) -> str:
    return _fixed(values, _digits_for(top))


def _topic_digits(bits: int, digits: int) -> str:
    return "".join(DIGITS[(bits >> (6 * k)) & 63] for k in range(digits))


def decode_facet_chunk(chunk: dict, counties: list[str], topics: list[str], papers: list[str]) -> list[dict]:
    """Per document {county, paper, topics, year}, as search-shards.js reads a facet chunk."""
    rows = chunk["rows"]

    def width(name: str) -> int:
        digits, rest = divmod(len(chunk[name]), rows)
        if rest or not digits:
            raise ValueError(f"facet column {name!r} of {len(chunk[name])} digits for {rows} documents")
        return digits

    def cells(name: str) -> list[str]:
        text, digits = chunk[name], width(name)
        return [text[i:i + digits] for i in range(0, len(text), digits)]

    def column(name: str) -> list[int]:
        return _fixed_values(chunk[name], width(name))

    bits = [sum(DIGIT_VALUE[c] << (6 * k) for k, c in enumerate(cell)) for cell in cells("topics")]
    if any(b >> len(topics) for b in bits):
        raise ValueError(f"a topic number past the {len(topics)} topics")
    return [{"county": counties[c - 1] if c else "", "paper": papers[p],
             "topics": [t for n, t in enumerate(topics) if b >> n & 1], "year": chunk["yearFrom"] + y}
            for c, p, y, b in zip(column("county"), column("paper"), column("year"), bits)]


def write_facet_chunks(articles: list, counties: list[str], topics: list[str], papers: list[str],
                       output: Output) -> int:
    """The facet chunks of the articles, in search-ref order. A chunk of articles loaded from files is
    known by their source keys, which stand for everything of an article a chunk holds (its front
    matter, and site.yaml's papers, counties and topics), so a chunk the previous build wrote is kept
    without being made (0.2 s a build at 100,000 articles); any other chunk is known by its bytes."""
    head = f"facets {FACETS_VERSION}\0{_digest([counties, topics, papers])}\0"
    chunks = math.ceil(len(articles) / META_PER_CHUNK)
    for k in range(chunks):
        part = articles[k * META_PER_CHUNK:(k + 1) * META_PER_CHUNK]

        def make(part=part) -> bytes:
            return _json(facet_chunk(part, counties, topics, papers))

        rel = f"search/m/{k}.json"
        if all(a.source_key for a in part):
            inputs = head + "\0".join(a.source_key for a in part)
            output.write_cached(rel, hashlib.sha256(inputs.encode()).hexdigest(), make, kind="search")
        else:
            output.write(rel, make(), kind="search")
    return chunks


# -- the whole index -------------------------------------------------------------------------------
def write_sharded_index(site: SiteModel, analyses: dict[str, Analysis], fields: list[tuple[str, int]],
                        docs: dict, output: Output, cache: Cache) -> dict:
    """Write every shard and return the manifest (written by the caller)."""
    names = [name for name, _ in fields]
    seen: set[str] = set()
    described = []
    totals = [0] * len(names)
    n = len(site.articles)
    tail_from = n - n % LEVELS[-1]  # only the tail (after the whole 256s) is cut at issue starts
    written: dict[str, SegmentFiles] = {}  # a segment that repeats another's texts shares its files
    vocabularies: set[str] = set()
    order: list[int] = []
    for seg in segments(n, issue_starts(site.articles, tail_from)):
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
    meta_chunks = write_facet_chunks([site.articles[p] for p in order], counties, topics, papers, output)
    return {
        "format": "shards-" + SHARDS_FORMAT,
        "documents": len(site.articles),
        "fields": [[name, boost] for name, boost in fields],
        "fieldLengths": totals,
        "segments": described,
        "docFields": docs["fields"],
        "docChunk": DOCS_PER_CHUNK, "docChunks": doc_chunks,
        "metaChunk": META_PER_CHUNK, "metaChunks": meta_chunks,
        "counties": counties, "topics": topics, "papers": [site.config.paper(p).name for p in papers],
    }


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
