"""The typed article model shared by every stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("article", "photo", "opinion", "notice")
AUTO_KEYS = ("county", "topics")


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
    county: str = ""  # county name from site.yaml, "" for city-wide
    topics: list[str] = field(default_factory=list)  # topic names from site.yaml
    source: str = ""
    truncated: bool = False
    # Values the classifier set, by key (None: the file has no `auto`). A key whose current value
    # differs was changed by an editor: `classify` keeps the editor's value.
    auto: dict | None = None
    body: str = ""  # markdown
    path: str = ""  # content file, relative to the content folder
    # Set by loading: a hash of what the article was parsed from (its file's path and bytes, and what
    # parsing reads of site.yaml). Two articles with the same key are the same article, body and all.
    source_key: str = field(default="", compare=False, repr=False)

    @property
    def people(self) -> list[str]:
        return [*self.authors, *self.correspondents, *self.photographers]

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.paper, self.page or 0, self.id)


# Front matter keys in the order they are written.
FRONT_MATTER_KEYS = (
    "id", "title", "kicker", "subtitle", "column", "date", "paper", "page", "kind",
    "authors", "correspondents", "photographers", "dateline", "county", "topics",
    "source", "truncated", "auto",
)
