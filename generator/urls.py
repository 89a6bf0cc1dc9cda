"""Permalinks: every page's site-relative path, from site.yaml's patterns.

Paths are relative to the site root, end in '/' for pages, and never change
when other articles are added.
"""

from __future__ import annotations

import datetime as dt

from .config import SiteConfig
from .errors import SiteError
from .model import Article


def _fill(pattern: str, **values: str) -> str:
    return pattern.format(**values)


def _date_parts(date: dt.date) -> dict[str, str]:
    return {"year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}"}


def article_url(config: SiteConfig, article: Article) -> str:
    return _fill(config.permalinks.article, id=article.id, paper=article.paper, **_date_parts(article.date))


def issue_url(config: SiteConfig, date: dt.date, paper: str) -> str:
    return _fill(config.permalinks.issue, paper=paper, **_date_parts(date))


def archive_url(year: int | None = None) -> str:
    return "archive/" if year is None else f"archive/{year:04d}/"


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
        self._owners: dict[str, str] = {}

    def claim(self, url: str, owner: str) -> str:
        key = page_file(url)
        if key in self._owners and self._owners[key] != owner:
            raise SiteError(f"{owner} and {self._owners[key]} both map to /{url}")
        self._owners[key] = owner
        return url
