"""An article's analysis as the build keeps it: the Analysis a build uses, and its row in the build
cache (a small part every build reads and a rest read on first use, with old rows migrated). Must
stay true: a row read back gives the Analysis that was written.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from typing import Callable

REST_TABLE = "analysis_rest"  # the cache table of the parts of analyses few builds read
LEAD_CHARS = 640  # plain text kept with the small part of an analysis (search rows show 2 x 160)


class _Unpacked:
    """A field kept in its packed cache form until first used, then unpacked (once). Most builds use
    the keywords and sketches of only the few articles they link anew; the rest stay packed. A field
    still in the undecoded part of a cache row (`DeferredRest`) has the row decoded first."""

    def __init__(self, unpack: Callable | None = None):
        self.unpack = unpack

    def __set_name__(self, owner, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError(self.slot)  # no default: the dataclass field stays required
        value = obj.__dict__[self.slot]
        if isinstance(value, DeferredRest):
            value.fill(obj)
            value = obj.__dict__[self.slot]
        if isinstance(value, Packed):
            value = obj.__dict__[self.slot] = self.unpack(value.data)
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class Packed:
    data: object  # as pack_keywords or pack_sketch made it


class DeferredRest:
    """The part of a cached analysis that builds seldom read (sketch, shingles, lead): JSON read from
    the cache and decoded on first use of any of them."""

    __slots__ = ("key", "load", "raw")

    def __init__(self, key: str, load: "Callable[[str], bytes] | None" = None, raw: bytes | None = None):
        self.key, self.load, self.raw = key, load, raw

    def fill(self, analysis: "Analysis") -> None:
        assert self.raw is not None or self.load is not None
        data = json.loads(self.raw if self.raw is not None else self.load(self.key))
        analysis.sketch, analysis.shingles, analysis.lead = Packed(data["sketch"]), data["shingles"], data["lead"]


@dataclass
class Analysis:
    key: str
    # word -> weight, unit length vector
    keywords: dict[str, float] = _Unpacked(lambda data: unpack_keywords(data))  # type: ignore[assignment]
    # one-permutation MinHash over shingles; -1 for an empty bin
    sketch: list[int] = _Unpacked(lambda data: unpack_sketch(data))  # type: ignore[assignment]
    shingles: int = _Unpacked()  # type: ignore[assignment]  # number of distinct shingles
    description: str  # the text's first sentence
    lead: str = _Unpacked()  # type: ignore[assignment]  # the plain text's start (all if shorter than LEAD_CHARS)
    # The big parts, read from the cache on first use (few builds need them for every article):
    # "words": search field -> words (jieba search mode) joined by spaces; "text": the plain text.
    _extra: dict | None = None
    _load_extra: Callable[[list[str]], dict[str, dict]] | None = field(default=None, repr=False, compare=False)

    @property
    def extra(self) -> dict:
        if self._extra is None:
            assert self._load_extra is not None
            self._extra = self._load_extra([self.key])[self.key]
        return self._extra

    @property
    def words(self) -> dict[str, str]:
        return self.extra["words"]

    @property
    def text(self) -> str:
        return self.lead if len(self.lead) < LEAD_CHARS else self.extra["text"]

    def text_start(self, chars: int) -> str:
        return self.lead[:chars] if chars <= LEAD_CHARS else self.text[:chars]

    # In the cache: what every build reads (packed keywords, description) is the row of the `analysis`
    # table, a JSON array; what few builds read (sketch, shingles, lead) is a JSON object in the
    # `analysis_rest` table, read and decoded on first use; the big part (words, text) is `extra`.
    # Rows written as one JSON object (or as both parts on two lines) are read too, and split once.

    def to_rows(self) -> tuple[bytes, bytes]:
        head = [pack_keywords(self.keywords), self.description]
        rest = {"sketch": pack_sketch(self.sketch), "shingles": self.shingles, "lead": self.lead}
        return _compact_json(head), _compact_json(rest)

    @classmethod
    def from_rows(cls, key: str, head: bytes, load_extra: Callable[[list[str]], dict[str, dict]] | None,
                  rest: "bytes | Callable[[str], bytes]") -> "Analysis":
        """From its row and its rest (or how to read the rest when needed)."""
        fields = _read_row(head)
        later = DeferredRest(key, raw=rest) if isinstance(rest, bytes) else DeferredRest(key, load=rest)
        return cls(key=key, keywords=Packed(fields[0]), sketch=later, shingles=later, description=fields[1],
                   lead=later, _load_extra=load_extra)


def is_old_row(row: bytes) -> bool:
    """A row written as one JSON object, or as both parts on two lines (split by analyse_all)."""
    return row[:1] == b"{" or b"\n" in row


def split_old_row(row: bytes) -> tuple[bytes, bytes]:
    if row[:1] != b"{":
        head, _, rest = row.partition(b"\n")
        return head, rest
    data = json.loads(row)  # (packed now if it was written before packing)
    return (_compact_json([pack_keywords(unpack_keywords(data["keywords"])), data["description"]]),
            _compact_json({"sketch": pack_sketch(unpack_sketch(data["sketch"])), "shingles": data["shingles"],
                           "lead": data["lead"]}))


def _compact_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


_DECODE = json.JSONDecoder().raw_decode


def _read_row(row: bytes) -> object:
    """A row written by _compact_json: json.loads less its checks of the encoding and of surrounding
    white space (none is written), which are half its time for 100,000 rows of ~450 bytes."""
    text = row.decode("utf-8")
    value, end = _DECODE(text)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def pack_keywords(keywords: dict[str, float]) -> list[str] | dict[str, float]:
    """[words joined by spaces, weights joined by commas] (a float's repr reads back as the same
    float); the dict itself if a word is empty or has a space in it, or a weight is not finite."""
    words, weights = list(keywords), list(keywords.values())
    if any(not w or w != "".join(w.split()) for w in words) or not all(map(math.isfinite, weights)):
        return keywords
    return [" ".join(words), ",".join(map(repr, weights))]


def unpack_keywords(data: list[str] | dict[str, float]) -> dict[str, float]:
    if isinstance(data, dict):
        return data
    words, weights = data
    return dict(zip(words.split(" "), map(float, weights.split(",")))) if words else {}


def keywords_among(analysis: Analysis, wanted: set[str]) -> list[tuple[str, float]]:
    """The analysis's keywords that are in `wanted`, with their weights, in its order. A packed
    entry stays packed: only the weights of the words found are read."""
    data = analysis.__dict__["_keywords"]
    if isinstance(data, Packed) and not isinstance(data.data, dict):
        words, weights = data.data
        listed = words.split(" ") if words else []
        found = wanted.intersection(listed)  # (a scan of postings passes most articles: then none)
        if not found:
            return []
        values = weights.split(",")
        return [(word, float(values[n])) for n, word in sorted((listed.index(word), word) for word in found)]
    return [(word, weight) for word, weight in analysis.keywords.items() if word in wanted]


def pack_sketch(sketch: list[int]) -> str | list[int]:
    """The bins as little-endian 32-bit integers in hex; the list itself if one does not fit."""
    if any(not -2**31 <= x < 2**31 for x in sketch):
        return sketch
    return struct.pack(f"<{len(sketch)}i", *sketch).hex()


def unpack_sketch(data: str | list[int]) -> list[int]:
    if isinstance(data, list):
        return data
    raw = bytes.fromhex(data)
    return list(struct.unpack(f"<{len(raw) // 4}i", raw))


def load_extras(analyses: list[Analysis]) -> None:
    """Read the big parts of many analyses from the cache at once (before forking workers that use them)."""
    by_loader: dict[int, tuple] = {}
    for x in analyses:
        if x._extra is None and x._load_extra is not None:
            by_loader.setdefault(id(x._load_extra), (x._load_extra, []))[1].append(x)
    for load, items in by_loader.values():
        found = load([x.key for x in items])
        for x in items:
            x._extra = found[x.key]


def release_extras(analyses: list[Analysis]) -> None:
    """Forget big parts read with load_extras (they can be read again)."""
    for x in analyses:
        if x._load_extra is not None:
            x._extra = None
