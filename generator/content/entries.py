"""A parsed content file as the build cache keeps it: the article's values in marshal's format, and
where its body sits in the file (BodySlice reads it only when a page needs it). Must stay true: an
entry read back makes the same Article that parsing the file made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal

from generator.content.frontmatter import front_matter_bounds
from generator.content.model import Article
from generator.errors import SiteError


def read_bytes(path: str, shown: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise SiteError(f"cannot read: {exc.strerror}", path=shown) from None


class BodySlice:
    """An article's body read from its content file when first used: the bytes start:end of a file of
    `size` bytes, plus a final line end. A file whose size is not that any more changed after the
    build looked at it; the build stops rather than show a body that does not belong to the rest."""

    def __init__(self, path: str, shown: str, start: int, end: int, size: int):
        self.path, self.shown, self.start, self.end, self.size = path, shown, start, end, size

    def __call__(self) -> str:
        data = read_bytes(self.path, self.shown)
        try:
            if len(data) == self.size:
                return data[self.start:self.end].decode("utf-8") + "\n" if self.end > self.start else ""
        except UnicodeDecodeError:
            pass
        raise SiteError("the file changed while the site was being built; build again", path=self.shown)


def body_span(data: bytes, text: str, body: str) -> list[int] | None:
    """Where the body is in the file's bytes, if it is exactly those bytes (plus a final line end):
    then a later build of the same file slices and decodes only the body. None for a file with a
    byte order mark or carriage returns, or whose body had control characters removed."""
    if b"\r" in data or data.startswith(b"\xef\xbb\xbf"):
        return None
    _, start, end = front_matter_bounds(text, "")
    if (text[start:end] + "\n" if end > start else "") != body:
        return None
    begin = len(text[:start].encode("utf-8"))
    return [begin, begin + len(text[start:end].encode("utf-8"))]


def article_to_json(article: Article) -> dict:
    """The checked front matter values (and path) of an article; its body is read from the file."""
    data = dataclasses.asdict(article)
    data["date"] = article.date.isoformat()
    del data["body"], data["source_key"], data["text_digest"]  # (the cache entry's key, and its _text)
    return data


def article_from_json(data: dict, body: "str | BodySlice", source_key: str = "", text_digest: str = "") -> Article:
    return Article(**{**data, "date": dt.date.fromisoformat(data["date"])}, body=body, source_key=source_key,
                   text_digest=text_digest)


# A parsed file in the build cache: article_to_json's values in this order, where its body is in the
# file ([start, end, file size], or None) and its text digest. Every build reads 100,000 of them at
# 100,000 articles: in marshal's format that takes a third of the time JSON takes.
ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in ("body", "source_key", "text_digest"))
# Article's fields are ENTRY_FIELDS with the body at _BODY_AT and the source key and text digest last:
# an article is made from an entry by position (a fifth of the time of keywords and dicts, at 100k).
_ALL_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_BODY_AT = _ALL_FIELDS.index("body")
_DATE_AT = ENTRY_FIELDS.index("date")
_BY_POSITION = _ALL_FIELDS == (*ENTRY_FIELDS[:_BODY_AT], "body", *ENTRY_FIELDS[_BODY_AT:], "source_key", "text_digest")


def cache_entry(article: Article, body: list[int] | None) -> bytes:
    values = article_to_json(article)
    return marshal.dumps((*[values[k] for k in ENTRY_FIELDS], body, article.text_digest))


def read_entry(data: bytes) -> tuple[tuple, list[int] | None, str] | None:
    """cache_entry's values (in ENTRY_FIELDS' order), body and digest; None for bytes not in its form
    (then the file is parsed)."""
    try:
        entry = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(entry, tuple) or len(entry) != len(ENTRY_FIELDS) + 2:
        return None
    return entry[:-2], entry[-2], entry[-1]


def article_from_entry(values: tuple, body: "str | BodySlice", source_key: str, text_digest: str) -> Article:
    """The article of read_entry's values."""
    if not _BY_POSITION:
        return article_from_json(dict(zip(ENTRY_FIELDS, values)), body, source_key, text_digest)
    fields = list(values)
    fields[_DATE_AT] = dt.date.fromisoformat(fields[_DATE_AT])
    fields.insert(_BODY_AT, body)
    return Article(*fields, source_key, text_digest)
