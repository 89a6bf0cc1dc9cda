"""Bulk data for researchers: the archive as JSON Lines, one gzip file per year
(`data/articles-YYYY.jsonl.gz`: every front-matter field, the clean text and the URL), described by a
Frictionless `data/datapackage.json` with the fields and the licence (`license` in site.yaml).

Must stay true: the files are the same bytes for the same articles whatever the day of the build
(gzip without a time or a name), and a year's file is rewritten only when one of its articles, their
URLs or paper names changed: a new issue rewrites its own year's file (compressing only its own day)
and the descriptor.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json

from generator.base.cache import Cache
from generator.base.output import Output
from generator.content.model import Article
from generator.content.site import SiteModel
from generator.render.page import Page
from generator.text import plain_text

DATA_DIR = "data/"
DATA_VERSION = "1"  # bump when a record's fields or form change
MEMBERS_TABLE = "data_members"  # the build cache's table of gzip members, one per day of issues
FIELDS = [  # (name, Frictionless type, description): a record's keys in order
    ("id", "string", "the article's id, stable across builds"),
    ("title", "string", "标题"), ("kicker", "string", "引题"), ("subtitle", "string", "副题"),
    ("column", "string", "栏目"), ("date", "date", "the issue's date"),
    ("paper", "string", "the paper's name"), ("page", "integer", "版次, null if unknown"),
    ("kind", "string", "article, photo, opinion or notice"),
    ("authors", "array", "reporters"), ("correspondents", "array", "通讯员"),
    ("photographers", "array", "photographers"), ("dateline", "string", "the place of the dateline"),
    ("agency", "string", "the wire service, for a wire story"),
    ("county", "string", "the county the story is about; empty for city-wide"),
    ("topics", "array", "topics"), ("source", "string", "the raw OCR page it was read from"),
    ("truncated", "boolean", "the story runs off the page edge"),
    ("url", "string", "the article's page"), ("text", "string", "the clean text, a paragraph a line"),
]


def data_file(year: int) -> str:
    return f"{DATA_DIR}articles-{year}.jsonl.gz"


def record(a: Article, paper: str, url: str) -> dict:
    return {"id": a.id, "title": a.title, "kicker": a.kicker, "subtitle": a.subtitle, "column": a.column,
            "date": a.date.isoformat(), "paper": paper, "page": a.page, "kind": a.kind, "authors": a.authors,
            "correspondents": a.correspondents, "photographers": a.photographers, "dateline": a.dateline,
            "agency": a.agency, "county": a.county, "topics": a.topics, "source": a.source,
            "truncated": a.truncated, "url": url, "text": plain_text(a.body)}


def day_member(articles: list[Article], site: SiteModel) -> bytes:
    """One day's records as a gzip member (no time, no name: the same bytes on any day)."""
    base = site.config.base_url
    lines = (json.dumps(record(a, site.config.paper(a.paper).name, base + site.urls[a.id]), ensure_ascii=False)
             for a in articles)
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def write_bulk_data(site: SiteModel, output: Output, cache: Cache) -> list[dict]:
    """Write every year's file (those whose articles changed) and the descriptor (if it changed); return
    each year's {year, name, count}.

    A year's file is a gzip member per day of issues, one after the other (gzip, zcat, Python and
    pandas read them as one stream). Members are kept in the build cache by their articles, so a new
    issue compresses its own day, not its year."""
    by_day: dict[dt.date, list[Article]] = {}
    for a in site.articles:  # (oldest first)
        by_day.setdefault(a.date, []).append(a)
    config = site.config
    days_of: dict[int, list[tuple[str, list[Article]]]] = {}
    for day, articles in sorted(by_day.items()):
        inputs = [DATA_VERSION, config.base_url, day.isoformat()]
        inputs += [f"{a.source_key or repr(a)}\0{site.urls[a.id]}\0{config.paper(a.paper).name}" for a in articles]
        days_of.setdefault(day.year, []).append((hashlib.sha256("\1".join(inputs).encode()).hexdigest(), articles))
    years = []
    for year, days in days_of.items():
        keys = [key for key, _ in days]
        fingerprint = hashlib.sha256(" ".join(keys).encode()).hexdigest()
        if output.reuse(data_file(year), fingerprint, "data"):
            cache.present(MEMBERS_TABLE, keys)  # (kept for the next rewrite of this year)
        else:
            found = cache.get_many(MEMBERS_TABLE, keys, decode=False)
            fresh = {key: day_member(articles, site) for key, articles in days if key not in found}
            if fresh:
                cache.put_many(MEMBERS_TABLE, fresh)
            output.write(data_file(year), b"".join(found.get(key) or fresh[key] for key in keys), kind="data",
                         fingerprint=fingerprint)
        years.append({"year": year, "name": data_file(year).removeprefix(DATA_DIR),
                      "count": sum(len(articles) for _, articles in days)})
    package = descriptor(site, years)
    output.write_cached(DATA_DIR + "datapackage.json", hashlib.sha256(package).hexdigest(), lambda: package, kind="data")
    return years


def data_page(site: SiteModel, year_counts: list[dict]) -> Page:
    """The bulk data's page: a file per year (`year_counts`: {year, count}, newest first) and the descriptor."""
    return Page(DATA_DIR, "data.html", "data", {
        "title": "数据下载", "license": site.config.license, "descriptor": DATA_DIR + "datapackage.json",
        "years": [{"year": y["year"], "count": y["count"], "url": data_file(y["year"])} for y in year_counts],
        "fields": [{"name": name, "note": note} for name, _, note in FIELDS],
        "breadcrumbs": [{"name": "首页", "url": ""}],
    })


def descriptor(site: SiteModel, years: list[dict]) -> bytes:
    """The Frictionless Data Package descriptor: one resource per year, its fields, and the licence."""
    config = site.config
    fields = [{"name": name, "type": kind, "description": note} for name, kind, note in FIELDS]
    package: dict = {
        "profile": "data-package",
        "name": "news-archive",
        "title": config.title,
        "homepage": config.base_url,
        "resources": [{
            "name": f"articles-{y['year']}", "path": y["name"], "profile": "data-resource",
            "format": "jsonl", "mediatype": "application/jsonl", "compression": "gz", "encoding": "utf-8",
            "description": f"{y['count']} articles of {y['year']}", "schema": {"fields": fields},
        } for y in years],
    }
    if config.license:
        package["licenses"] = [{"name": config.license}]
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
