"""site.yaml: a declarative schema, validated all at once, into typed settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.errors import Problem, SiteError, display_path
from generator.schema import Bool, Float, Int, ListOf, Record, Slug, Str, Url


@dataclass(frozen=True)
class Paper:
    name: str
    slug: str
    short: str
    cues: list[str]


@dataclass(frozen=True)
class County:
    name: str
    slug: str
    aliases: list[str]
    places: list[str]
    kind: str  # county | zone


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    keywords: list[str]


@dataclass(frozen=True)
class Correction:
    wrong: str
    right: str


@dataclass(frozen=True)
class Paths:
    seeds: str
    content: str
    output: str
    theme: str
    templates: str
    cache: str


@dataclass(frozen=True)
class Permalinks:
    article: str
    issue: str


@dataclass(frozen=True)
class Classify:
    topic_threshold: float
    topic_relative: float
    max_topics: int


@dataclass(frozen=True)
class Links:
    related: int
    related_min_score: float
    later_min_score: float
    same_story_similarity: float
    same_story_days: int


@dataclass(frozen=True)
class SearchOptions:
    snippet_chars: int
    index: str  # auto | single | sharded
    single_index_max: int


@dataclass(frozen=True)
class Publish:
    max_site_mb: float  # a site bigger than this many MB (10^6 bytes) gets a warning; 0: no check
    bulk_data: bool  # offer the archive as a JSON Lines file per year under data/ (a second copy of the text)


@dataclass
class Repository:
    name: str  # owner/name on GitHub of the repository the content files are in; "" for none
    branch: str  # the branch a correction is proposed against


REPOSITORY_NAME = Str(default="", pattern=r"(?:[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100})?",
                      hint="owner/name as GitHub spells it, e.g. liaocheng/news-archive")


@dataclass
class SiteConfig:
    title: str
    description: str
    base_url: str
    language: str
    region: str  # the city the counties belong to (schema.org containedInPlace); "" for none
    paths: Paths
    permalinks: Permalinks
    papers: list[Paper]
    counties: list[County]
    topics: list[Topic]
    columns: list[str]
    ocr_corrections: list[Correction]
    classify: Classify
    links: Links
    search: SearchOptions
    latest_issues: int
    publish: Publish
    repository: Repository
    license: str  # the bulk data's licence, an SPDX id or a name ("": not stated)
    root: Path = field(default=Path("."))

    # -- lookups ---------------------------------------------------------
    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def path(self, name: str) -> Path:
        return (self.root / getattr(self.paths, name)).resolve()

    def paper(self, key: str) -> Paper | None:
        for p in self.papers:
            if key in (p.slug, p.name, p.short):
                return p
        return None

    def county(self, key: str) -> County | None:
        for c in self.counties:
            if key == c.name or key == c.slug or key in c.aliases:
                return c
        return None

    def topic(self, key: str) -> Topic | None:
        for t in self.topics:
            if key in (t.name, t.slug):
                return t
        return None


_PERMALINK_HINT = "a relative path ending in '/' made of {year} {month} {day} {paper} {id} and ASCII"

SCHEMA = Record(cls=SiteConfig, fields={
    "title": Str(required=True, allow_empty=False),
    "description": Str(default=""),
    "base_url": Url(default="http://127.0.0.1:8000/"),
    "language": Str(default="zh-CN", choices=("zh-CN",)),
    "region": Str(default=""),
    "paths": Record(cls=Paths, fields={
        "seeds": Str(default="seeds"),
        "content": Str(default="content"),
        "output": Str(default="_site"),
        "theme": Str(default="themes/default"),
        "templates": Str(default="templates"),
        "cache": Str(default=".cache"),
    }),
    "permalinks": Record(cls=Permalinks, fields={
        "article": Str(default="{year}/{month}/{day}/{paper}/{id}/",
                       pattern=r"(?:[a-z0-9_-]+/|\{(?:year|month|day|paper|id)\}/|\{(?:year|month|day|paper|id)\}-)*", hint=_PERMALINK_HINT),
        "issue": Str(default="{year}/{month}/{day}/{paper}/",
                     pattern=r"(?:[a-z0-9_-]+/|\{(?:year|month|day|paper)\}/)*", hint=_PERMALINK_HINT),
    }),
    "papers": ListOf(required=True, unique_by="slug", item=Record(cls=Paper, fields={
        "name": Str(required=True, allow_empty=False),
        "slug": Slug(required=True),
        "short": Str(default=""),
        "cues": ListOf(item=Str(allow_empty=False)),
    })),
    "counties": ListOf(unique_by="slug", item=Record(cls=County, fields={
        "name": Str(required=True, allow_empty=False),
        "slug": Slug(required=True),
        "aliases": ListOf(item=Str(allow_empty=False)),
        "places": ListOf(item=Str(allow_empty=False)),
        "kind": Str(default="county", choices=("county", "zone")),
    })),
    "topics": ListOf(unique_by="slug", item=Record(cls=Topic, fields={
        "name": Str(required=True, allow_empty=False),
        "slug": Slug(required=True),
        "keywords": ListOf(item=Str(allow_empty=False)),
    })),
    "columns": ListOf(item=Str(allow_empty=False)),
    "ocr_corrections": ListOf(item=Record(cls=Correction, fields={
        "wrong": Str(required=True, allow_empty=False),
        "right": Str(required=True, allow_empty=False),
    })),
    "classify": Record(cls=Classify, fields={
        "topic_threshold": Float(default=3.0, min=0.0, max=1000.0),
        "topic_relative": Float(default=0.25, min=0.0, max=1.0),
        "max_topics": Int(default=3, min=1, max=10),
    }),
    "links": Record(cls=Links, fields={
        "related": Int(default=5, min=0, max=50),
        "related_min_score": Float(default=0.08, min=0.0, max=1.0),
        "later_min_score": Float(default=0.3, min=0.0, max=2.0),
        "same_story_similarity": Float(default=0.5, min=0.05, max=1.0),
        "same_story_days": Int(default=31, min=0, max=3660),
    }),
    "search": Record(cls=SearchOptions, fields={
        "snippet_chars": Int(default=160, min=20, max=2000),
        "index": Str(choices=("auto", "single", "sharded"), default="auto"),
        "single_index_max": Int(default=20, min=0, max=20000),
    }),
    "latest_issues": Int(default=10, min=1, max=1000),
    "publish": Record(cls=Publish, fields={
        "max_site_mb": Float(default=1000.0, min=0.0, max=1_000_000.0),
        "bulk_data": Bool(default=True),
    }),
    "license": Str(default=""),
    "repository": Record(cls=Repository, fields={
        "name": REPOSITORY_NAME,
        "branch": Str(default="main", pattern=r"[A-Za-z0-9._/-]+", hint="a branch name"),
    }),
})


def load_config(path: str | Path, base_url: str | None = None, repository: str | None = None) -> SiteConfig:
    """Read and validate site.yaml; every problem is reported at once."""
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SiteError("config file not found", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"cannot read config: {exc}", path=shown) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteError(f"YAML error: {problem}", path=shown, line=line) from None
    problems: list[Problem] = []
    config = SCHEMA.check(data, "", problems)
    if config is not None:
        _cross_check(config, problems)
    if base_url is not None:
        url = Url().check(base_url, "--base-url", problems)
        if config is not None and url:
            config.base_url = url
    if repository is not None:
        name = REPOSITORY_NAME.check(repository, "--repository", problems)
        if config is not None and name is not None:
            config.repository = Repository(name, config.repository.branch)
    if problems:
        raise SiteError(problems=[Problem(p.message, shown) for p in problems])
    config.root = path.resolve().parent
    return config


def _cross_check(config: SiteConfig, problems: list[Problem]) -> None:
    names: dict[str, str] = {}
    for i, county in enumerate(config.counties):
        for key in [county.name, *county.aliases]:
            if key in names and names[key] != county.slug:
                problems.append(Problem(f"counties[{i}]: {key!r} also names county {names[key]!r}"))
            names[key] = county.slug
    for kind, items in (("papers", config.papers), ("topics", config.topics)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.name in seen:
                problems.append(Problem(f"{kind}[{i}].name: {item.name!r} repeats"))
            seen.add(item.name)
