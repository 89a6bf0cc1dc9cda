"""Permalinks: every page's site-relative path, from site.yaml's patterns.

Paths are relative to the site root, end in '/' for pages, and never change
when other articles are added.
"""

from __future__ import annotations

import datetime as dt

from generator.config import SiteConfig
from generator.content.model import Article
from generator.errors import SiteError


def _fill(pattern: str, **values: str) -> str:
    return pattern.format(**values)


def _date_parts(date: dt.date) -> dict[str, str]:
    return {"year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}"}


class ArticleUrls:
    """Articles' URLs from the permalinks.article pattern. It is filled once per date and paper, and
    each article's id put into it (under cProfile at 100,000 articles: 0.15 s instead of 0.68 s).
    Patterns are plain `{name}` fields (see config), and no date or paper slug holds a NUL."""

    def __init__(self, config: SiteConfig):
        self.pattern = config.permalinks.article
        self._around_id: dict[tuple, list[str]] = {}

    def __call__(self, article: Article) -> str:
        around = self._around_id.get((article.date, article.paper))
        if around is None:
            around = _fill(self.pattern, id="\0", paper=article.paper, **_date_parts(article.date)).split("\0")
            self._around_id[(article.date, article.paper)] = around
        return article.id.join(around)


def issue_url(config: SiteConfig, date: dt.date, paper: str) -> str:
    return _fill(config.permalinks.issue, paper=paper, **_date_parts(date))


def archive_url(year: int | None = None) -> str:
    return "archive/" if year is None else f"archive/{year:04d}/"


def on_this_day_url(month: int, day: int) -> str:
    return f"on-this-day/{month:02d}-{day:02d}/"


def county_url(slug: str | None = None, year: int | None = None) -> str:
    if slug is None:
        return "counties/"
    return f"county/{slug}/" if year is None else f"county/{slug}/{year:04d}/"


def topic_url(slug: str | None = None, year: int | None = None) -> str:
    if slug is None:
        return "topics/"
    return f"topic/{slug}/" if year is None else f"topic/{slug}/{year:04d}/"


SEARCH_URL = "search/"


def page_file(url: str) -> str:
    """The file that serves a page URL."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


class UrlRegistry:
    """Detects two things claiming one output URL while the model is built."""

    def __init__(self) -> None:
        self._owners: dict[str, str | Article] = {}

    def claim(self, url: str, owner: str | Article) -> str:
        """`url` for `owner` (a description, or an article, described only if it clashes)."""
        key = page_file(url)
        other = self._owners.setdefault(key, owner)
        if other is not owner and _describe(other) != _describe(owner):
            raise SiteError(f"{_describe(owner)} and {_describe(other)} both map to /{url}")
        return url


def _describe(owner: str | Article) -> str:
    return owner if isinstance(owner, str) else f"article {owner.id} ({owner.path})"
