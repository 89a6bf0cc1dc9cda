"""The search files' codec: postings, lengths and facet columns as compact base-64 text.

search-shards.js decodes what this module encodes; the decoders here are what `check` reads the
files with. Change both sides together and bump SHARDS_FORMAT (below).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math

SHARDS_FORMAT = "12"  # bump when a file's layout or the term pipeline changes


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


def date_chunk(articles: list) -> dict:
    """The dates of consecutive documents: `day`, a column of fixed-width base-64 numbers of days after
    `dayFrom` (the chunk's first date), beside the facets (facet_chunk) but a file of its own, fetched
    only to order results by date or keep a range of months (search-shards.js decodes the same)."""
    first = min(a.date for a in articles)
    days = [(a.date - first).days for a in articles]
    return {"rows": len(articles), "dayFrom": first.isoformat(), "day": _column(days, max(days))}


def decode_date_chunk(chunk: dict) -> list[dt.date]:
    digits, rest = divmod(len(chunk["day"]), chunk["rows"])
    if rest or not digits:
        raise ValueError(f"date column of {len(chunk['day'])} digits for {chunk['rows']} documents")
    first = dt.date.fromisoformat(chunk["dayFrom"]).toordinal()
    return [dt.date.fromordinal(first + d) for d in _fixed_values(chunk["day"], digits)]


# -- names and bytes of the files ---------------------------------------------------------------
def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


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
