"""The typed article model shared by every stage."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Callable

KINDS = ("article", "photo", "opinion", "notice")
AUTO_KEYS = ("county", "topics")


class _Body:
    """Article.body: the markdown text, or a callable that reads it on first use. An article from the
    build cache gets its body that way, so a build reads the content files of the few pages it
    renders, not of every article."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj, owner=None) -> str:
        if obj is None:
            return ""  # the dataclass field's default
        value = obj.__dict__[self.slot]
        if not isinstance(value, str):
            value = obj.__dict__[self.slot] = value()
        return value

    def __set__(self, obj, value: "str | Callable[[], str]") -> None:
        obj.__dict__[self.slot] = value


@dataclass
class Article:
    id: str
    title: str
    date: dt.date
    paper: str  # paper slug
    kind: str = "article"
    kicker: str = ""
    subtitle: str = ""
    column: str = ""
    page: int | None = None
    authors: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    dateline: str = ""
    agency: str = ""  # the wire service a story came from (新华社), "" for the paper's own
    county: str = ""  # county name from site.yaml, "" for city-wide
    topics: list[str] = field(default_factory=list)  # topic names from site.yaml
    source: str = ""
    truncated: bool = False
    # Values the classifier set, by key (None: the file has no `auto`). A key whose current value
    # differs was changed by an editor: `classify` keeps the editor's value.
    auto: dict | None = None
    body: str = _Body()  # type: ignore[assignment]  # markdown (read on first use: see _Body)
    path: str = ""  # content file, relative to the content folder
    # Set by loading: a hash of what the article was parsed from (its file's path and bytes, and what
    # parsing reads of site.yaml). Two articles with the same key are the same article, body and all.
    source_key: str = field(default="", compare=False, repr=False)
    # Set by loading: text_digest(self), kept with the parsed file in the build cache, so that the
    # analysis cache is asked for an unchanged article without reading its body.
    text_digest: str = field(default="", compare=False, repr=False)

    def __getstate__(self) -> dict:  # to another process: the body itself, not how to read it
        return {**self.__dict__, "_body": self.body}

    @property
    def people(self) -> list[str]:
        return [*self.authors, *self.correspondents, *self.photographers]

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.paper, self.page or 0, self.id)


# Front matter keys in the order they are written.
FRONT_MATTER_KEYS = (
    "id", "title", "kicker", "subtitle", "column", "date", "paper", "page", "kind",
    "authors", "correspondents", "photographers", "dateline", "agency", "county", "topics",
    "source", "truncated", "auto",
)


def text_digest(article: Article) -> str:
    """A hash of the text an article's analysis reads: title, kicker, subtitle, column, people, body."""
    h = hashlib.sha256()
    for part in (article.title, article.kicker, article.subtitle, article.column, " ".join(article.people),
                 article.body):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()
