"""The site model: articles grouped into issues, counties, topics and years.

Built and validated completely before anything is rendered or written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from generator.config import Paper, SiteConfig
from generator.content.model import Article
from generator.content.urls import ArticleUrls, UrlRegistry, issue_url
from generator.errors import Problem, SiteError


@dataclass
class Issue:
    date: dt.date
    paper: Paper
    url: str
    articles: list[Article] = field(default_factory=list)  # in page order

    @property
    def key(self) -> tuple:
        return (self.date, self.paper.slug)


@dataclass
class SiteModel:
    config: SiteConfig
    articles: list[Article]  # oldest first
    urls: dict[str, str]  # article id -> url
    issues: list[Issue]  # oldest first
    issue_of: dict[str, Issue]  # article id -> issue
    by_county: dict[str, list[Article]]  # county name -> articles, newest first
    by_topic: dict[str, list[Article]]  # topic name -> articles, newest first

    @property
    def years(self) -> list[int]:
        return sorted({i.date.year for i in self.issues})


def build_model(config: SiteConfig, articles: list[Article]) -> SiteModel:
    _check_unique_ids(articles)
    articles = sorted(articles, key=lambda a: a.sort_key)
    registry = UrlRegistry()
    article_url = ArticleUrls(config)
    urls = {a.id: registry.claim(article_url(a), a) for a in articles}

    grouped: dict[tuple, list[Article]] = defaultdict(list)
    for a in articles:
        grouped[(a.date, a.paper)].append(a)
    issues = []
    issue_of = {}
    for (date, slug), items in sorted(grouped.items()):
        paper = config.paper(slug)
        url = registry.claim(issue_url(config, date, slug), f"issue {slug} {date}")
        issue = Issue(date, paper, url, sorted(items, key=lambda a: (a.page or 0, a.id)))
        issues.append(issue)
        for a in issue.articles:
            issue_of[a.id] = issue

    newest_first = articles[::-1]
    by_county: dict[str, list[Article]] = {c.name: [] for c in config.counties}
    by_topic: dict[str, list[Article]] = {t.name: [] for t in config.topics}
    for a in newest_first:
        if a.county:
            by_county[a.county].append(a)
        for t in a.topics:
            by_topic[t].append(a)
    return SiteModel(config, articles, urls, issues, issue_of, by_county, by_topic)


def _check_unique_ids(articles: list[Article]) -> None:
    if len({a.id for a in articles}) == len(articles):
        return  # (every build: the files are sorted only to name the duplicates in order)
    seen: dict[str, Article] = {}
    problems = []
    for a in sorted(articles, key=lambda a: a.path):
        if a.id in seen:
            problems.append(Problem(f"duplicate id {a.id!r} (also in {seen[a.id].path})", a.path))
        else:
            seen[a.id] = a
    if problems:
        raise SiteError(problems=problems)
