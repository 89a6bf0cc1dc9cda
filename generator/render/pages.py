"""Plain data for every page of the site: (url, template, context) triples.

Templates receive only dicts, lists and strings prepared here.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from generator.content.model import Article
from generator.render.body import BodyRenderer
from generator.render.citations import RIS_FILE, cited_people, gbt7714, highwire
from generator.render.data import data_page
from generator.render import citations, dates
from generator.render.dates import archive_pages, on_this_day_pages
from generator.render.page import FixedDict, Page
from generator.render.feeds import feed_path
from generator.links.related import CrossLinks
from generator.content.site import Issue, SiteModel
from generator.content import urls
from generator.content.urls import SEARCH_URL, archive_url, county_url, topic_url

CORRECTIONS_URL = "corrections/"
KIND_LABELS = {"article": "新闻", "photo": "图片新闻", "opinion": "评论", "notice": "启事"}
LATEST_IN_LISTING = 20


class ArticleContext:
    """Makes an article page's context when the page is rendered (a bound call, cheaper to make for
    100,000 pages than a closure)."""

    __slots__ = ("builder", "args")

    def __init__(self, builder: "PageBuilder", *args) -> None:
        self.builder, self.args = builder, args

    def __call__(self) -> dict:
        return self.builder.article_context(*self.args)


def date_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def issue_title(issue: Issue) -> str:
    return f"{issue.paper.name} {date_cn(issue.date)}"


REF_CHARS = 32  # hex digits of an article's source key in the fingerprints of the pages that show it


class PageBuilder:
    def __init__(self, site: SiteModel, markdown: BodyRenderer, links: CrossLinks | None = None,
                 search: dict | None = None, descriptions: dict[str, str] | None = None):
        self.site = site
        self.config = site.config
        self.markdown = markdown
        self.links = links or CrossLinks()
        self.by_id = {a.id: a for a in site.articles}
        self.search = search or {}
        self.descriptions = descriptions or {}  # article id -> first sentence of the text
        self._summaries: dict[str, dict] = {}
        self._issue_refs: dict[str, dict] = {}
        # What every page made from inputs depends on besides them: the code that makes its data (this
        # module, the date pages, citations and the URL scheme), site.yaml, and what the body renderer
        # makes of a body.
        code = "".join(Path(m.__file__).read_text(encoding="utf-8")
                       for m in (sys.modules[__name__], dates, citations, urls))
        self.signature = hashlib.sha256((code + repr(self.config) + markdown.signature_of_output()).encode()).hexdigest()
        self.refs = self._make_refs()
        try:  # the content folder's path in the repository, for the articles' edit links
            self._content_in_repository: str | None = (
                self.config.path("content").relative_to(self.config.root.resolve()).as_posix())
        except ValueError:
            self._content_in_repository = None  # content outside the repository: no edit links

    # -- small pieces ---------------------------------------------------
    def county_link(self, name: str) -> dict | None:
        county = self.config.county(name) if name else None
        return {"name": county.name, "url": county_url(county.slug)} if county else None

    def topic_links(self, names: list[str]) -> list[dict]:
        return [{"name": t.name, "url": topic_url(t.slug)} for t in map(self.config.topic, names)]

    def summary(self, a: Article) -> dict:
        """What a listing shows of an article (made once per article and shared: templates only read it)."""
        found = self._summaries.get(a.id)
        if found is None:
            found = self._summaries[a.id] = FixedDict(
                id=a.id, title=a.title, url=self.site.urls[a.id], kind=a.kind,
                kind_label=KIND_LABELS[a.kind], date=a.date.isoformat(), date_cn=date_cn(a.date),
                paper=self.config.paper(a.paper).name, page=a.page, county=self.county_link(a.county),
            )
        return found

    def _make_refs(self) -> dict[str, str]:
        """By article id, what a page's fingerprint holds for an article it shows a summary of: the
        start of its source key, which stands for its file and so for all its fields and its URL (as
        site.yaml and this code are in the signature); without one (an article not loaded from a
        file), the summary itself. (An article page holds ~10 refs, so their length is most of what
        every build hashes for 100,000 pages: 128 bits of the key are as good as all of it.)"""
        return {a.id: a.source_key[:REF_CHARS] if a.source_key else repr(self.summary(a))
                for a in self.site.articles}

    def issue_ref(self, issue: Issue | None) -> dict | None:
        """What a page shows of an issue (made once per issue and shared, like summaries)."""
        if issue is None:
            return None
        found = self._issue_refs.get(issue.url)
        if found is None:
            found = self._issue_refs[issue.url] = FixedDict(
                title=issue_title(issue), url=issue.url, date=issue.date.isoformat(),
                date_cn=date_cn(issue.date), paper=issue.paper.name, count=len(issue.articles))
        return found

    # -- pages ----------------------------------------------------------
    def pages(self) -> Iterator[Page]:
        yield from self.site_pages()
        yield from self.article_pages()

    def site_pages(self) -> Iterator[Page]:
        """Every page but the articles' (which alone show cross-links)."""
        yield self.home()
        yield from self.issue_pages()
        yield from archive_pages(self.site, self.year_counts, self.issue_ref)
        yield from on_this_day_pages(self.site.articles, self.signature, self.refs, self.summary)
        yield from self.listing_pages("county")
        yield from self.listing_pages("topic")
        yield Page(SEARCH_URL, "search.html", "search", {
            "title": "搜索", "search_mode": self.search.get("mode", "single"),
            "index_url": self.search.get("index", ""), "docs_url": self.search.get("docs", ""),
            "simplified_url": self.search.get("simplified", ""), "pinyin_url": self.search.get("pinyin", ""),
            "months": [f"{a.date:%Y-%m}" for a in self.site.articles[:1] + self.site.articles[-1:]],
            "breadcrumbs": [{"name": "首页", "url": ""}],
        })
        yield Page("404.html", "404.html", "not-found", {"title": "页面未找到"})
        if self.config.publish.bulk_data:
            yield data_page(self.site, self.year_counts)
        if self.config.repository.name:
            yield Page(CORRECTIONS_URL, "corrections.html", "corrections", {
                "title": "纠错说明", "repository": self.config.repository.name,
                "breadcrumbs": [{"name": "首页", "url": ""}],
            })

    def home(self) -> Page:
        latest = self.site.issues[::-1][: self.config.latest_issues]
        issues = [{**self.issue_ref(i), "articles": [self.summary(a) for a in i.articles[:6]]} for i in latest]
        return Page("", "home.html", "home", {
            "title": self.config.title,
            "issues": issues,
            "counties": self.listing_index("county")["groups"],
            "topics": self.listing_index("topic")["groups"],
            "years": self.year_counts,
            "article_count": len(self.site.articles),
            "issue_count": len(self.site.issues),
        })

    def article_pages(self) -> Iterator[Page]:
        """Every article's page, issue by issue. An unchanged article costs a few microseconds in an
        incremental build: its page is fingerprinted by its inputs (see article_inputs) and its
        context is built only if the page is rendered."""
        for issue in self.site.issues:
            items = issue.articles
            issue_repr = repr(self.issue_ref(issue))  # (the same for each of its articles)
            last = len(items) - 1
            for i, a in enumerate(items):
                prev_a = items[i - 1] if i > 0 else None
                next_a = items[i + 1] if i < last else None
                url, inputs = self.article_inputs(a, prev_a, next_a, issue_repr)
                yield Page(url, "article.html", "article", None, inputs=inputs,
                           make=ArticleContext(self, a, issue, url, prev_a, next_a))

    def article_inputs(self, a: Article, prev_a: Article | None, next_a: Article | None,
                       issue_repr: str) -> tuple[str, str]:
        """The article page's URL, and everything its context is made from, joined into one string.

        The article's source key stands for all its fields and its body (cheaper than their repr, and
        than a hash of the body; the body renderer's own version and settings are in the signature);
        without one (an article not loaded from a file), the fields and a hash of the body. Articles
        shown as summaries are in by their ref. No part has a control character: the signature, URLs,
        keys and refs are ASCII or repr'd, and the description and issue are repr'd."""
        url = self.site.urls[a.id]
        refs = self.refs
        source_key = a.source_key
        if source_key:
            fields = source_key
        else:
            fields = repr({**{k: v for k, v in vars(a).items() if k not in ("_body", "source_key", "text_digest")},
                           "body": self.markdown.lazy(a).key})
        links = self.links  # (the lists as they are: link_ids, which the context uses, depends on nothing else)
        inputs = "\0".join((
            self.signature, url, fields, repr(self.descriptions.get(a.id)), issue_repr,
            "\1".join(map(refs.__getitem__, links.same_story.get(a.id, ()))),
            "\1".join(map(refs.__getitem__, links.related.get(a.id, ()))),
            "\1".join(map(refs.__getitem__, links.later.get(a.id, ()))),
            refs[prev_a.id] if prev_a else "", refs[next_a.id] if next_a else ""))
        return url, inputs

    def article_context(self, a: Article, issue: Issue, url: str, prev_a: Article | None,
                        next_a: Article | None) -> dict:
        body = self.markdown.lazy(a)
        links = self.link_ids(a)
        description = self.descriptions.get(a.id) or a.title
        paper = self.config.paper(a.paper).name
        return {
            "title": a.title,
            "article": {
                **self.summary(a),
                "kicker": a.kicker, "subtitle": a.subtitle, "column": a.column,
                "authors": a.authors, "correspondents": a.correspondents, "photographers": a.photographers,
                "dateline": a.dateline, "agency": a.agency, "topics": self.topic_links(a.topics), "source": a.source,
                "truncated": a.truncated, "body_html": body, "description": description,
            },
            "json_ld": self.json_ld(a, url),
            "permalink": self.config.base_url + url,
            "citation": gbt7714(a, paper),
            "citation_tags": highwire(a, paper, self.config.base_url + url),
            "ris_url": url + RIS_FILE,
            "edit_url": self.edit_url(a),
            "issue": self.issue_ref(issue),
            **{name: [self.summary(self.by_id[i]) for i in ids] for name, ids in links.items()},
            "prev": self.summary(prev_a) if prev_a else None,
            "next": self.summary(next_a) if next_a else None,
            "breadcrumbs": [
                {"name": "首页", "url": ""},
                {"name": f"{a.date.year}年", "url": archive_url(a.date.year)},
                {"name": issue_title(issue), "url": issue.url},
            ],
        }

    def edit_url(self, a: Article) -> str:
        """GitHub's web editor for the article's content file ("" without a repository or a file): a
        reader's correction becomes a pull request. site.yaml sits at the repository's root."""
        repository, folder = self.config.repository, self._content_in_repository
        if not repository.name or not a.path or folder is None:
            return ""
        rel = a.path.split("/", 1)[1]  # (a.path is the content folder's name, then the file's path in it)
        path = f"{folder}/{rel}" if folder != "." else rel
        return f"https://github.com/{repository.name}/edit/{quote(repository.branch)}/{quote(path)}"

    def json_ld(self, a: Article, url: str) -> dict:
        """schema.org NewsArticle; embedded with json_for_script, so no text can end the script.
        What the page's head says already (its description, the issue's date, which is the
        article's) is left out: at 100,000 articles every byte of a page is 100 KB of the site."""
        base = self.config.base_url
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": a.title, "datePublished": a.date.isoformat(),
            "url": base + url, "inLanguage": self.config.language,
            "publisher": {"@type": "Organization", "name": self.config.paper(a.paper).name},
            "isPartOf": {"@type": "PublicationIssue", "url": base + self.site.issue_of[a.id].url},
        }
        writers = cited_people(a)
        if writers:
            data["author"] = [{"@type": "Person", "name": n} for n in writers]
        if a.county:
            place = {"@type": "Place", "name": a.county}
            if self.config.region:
                place["containedInPlace"] = {"@type": "Place", "name": self.config.region}
            data["contentLocation"] = place
        if a.topics:
            data["about"] = [{"@type": "Thing", "name": t} for t in a.topics]
        if a.page:
            data["pageStart"] = a.page
        return data

    def link_ids(self, a: Article) -> dict[str, list[str]]:
        """Same story, related (published up to this article's date) and later coverage."""
        same = self.links.same_story.get(a.id, [])
        related = [i for i in self.links.related.get(a.id, []) if i not in same]
        later = [i for i in self.links.later.get(a.id, []) if i not in same]
        return {"same_story": same, "related": related, "later": later}

    def issue_pages(self) -> Iterator[Page]:
        by_paper: dict[str, list[Issue]] = {}
        for issue in self.site.issues:
            by_paper.setdefault(issue.paper.slug, []).append(issue)
        for issues in by_paper.values():
            for i, issue in enumerate(issues):
                prev_i = issues[i - 1] if i > 0 else None
                next_i = issues[i + 1] if i + 1 < len(issues) else None
                inputs = (self.signature, issue.url, self.issue_ref(issue), [self.refs[a.id] for a in issue.articles],
                          self.issue_ref(prev_i), self.issue_ref(next_i))
                yield Page(issue.url, "issue.html", "issue", None, inputs=inputs,
                           make=lambda issue=issue, prev_i=prev_i, next_i=next_i: self.issue_context(issue, prev_i, next_i))

    def issue_context(self, issue: Issue, prev_i: Issue | None, next_i: Issue | None) -> dict:
        pages: dict[int | None, list[dict]] = {}
        for a in issue.articles:
            pages.setdefault(a.page, []).append(self.summary(a))
        return {
            "title": issue_title(issue),
            "issue": self.issue_ref(issue),
            "pages": [{"page": p, "articles": items} for p, items in pages.items()],
            "prev": self.issue_ref(prev_i),
            "next": self.issue_ref(next_i),
            "breadcrumbs": [{"name": "首页", "url": ""},
                            {"name": f"{issue.date.year}年", "url": archive_url(issue.date.year)}],
        }

    @functools.cached_property
    def year_counts(self) -> list[dict]:
        """Articles a year, newest year first (the home, the date archive and the data page show them)."""
        counts: dict[int, int] = {}
        for a in self.site.articles:
            counts[a.date.year] = counts.get(a.date.year, 0) + 1
        return [{"year": y, "count": counts[y], "url": archive_url(y)} for y in sorted(counts, reverse=True)]

    # -- counties and topics -------------------------------------------
    def _taxonomy(self, kind: str):
        if kind == "county":
            return self.config.counties, self.site.by_county, county_url
        return self.config.topics, self.site.by_topic, topic_url

    def listing_index(self, kind: str) -> dict:
        terms, grouped, url_of = self._taxonomy(kind)
        items = [{"name": t.name, "url": url_of(t.slug), "count": len(grouped[t.name]),
                  "group": getattr(t, "kind", "topic")} for t in terms]
        groups = []
        for group, label in (("county", "县市区"), ("zone", "开发区"), ("topic", "")):
            members = [i for i in items if i["group"] == group]
            if members:
                groups.append({"label": label, "items": members})
        return {"title": self.listing_title(kind), "groups": groups}

    @staticmethod
    def listing_title(kind: str) -> str:
        return "县市区" if kind == "county" else "专题"

    def listing_pages(self, kind: str) -> Iterator[Page]:
        terms, grouped, url_of = self._taxonomy(kind)
        refs = self.refs
        index_kind = f"{kind}-index"
        index = self.listing_index(kind)
        yield Page(url_of(), "listing_index.html", index_kind,
                   {**index, "breadcrumbs": [{"name": "首页", "url": ""}]})
        for term in terms:
            articles = grouped[term.name]
            years: dict[int, list[Article]] = {}
            every_ref: list[str] = []
            year_refs: dict[int, list[str]] = {}
            for a in articles:  # one pass: at 100k, each article's first touch here costs more than the rest
                year, ref = a.date.year, refs[a.id]
                years.setdefault(year, []).append(a)
                year_refs.setdefault(year, []).append(ref)
                every_ref.append(ref)
            feed = {"title": f"{term.name} · {self.config.title}", "url": feed_path(kind, term.slug)}
            # Built only if rendered, like article pages: fingerprinted by the refs of the articles shown.
            inputs = (self.signature, url_of(term.slug), term.name, feed, None, every_ref)
            yield Page(url_of(term.slug), "listing.html", kind, None, inputs=inputs,
                       make=lambda term=term, years=years, feed=feed: self.listing_context(kind, term, years, feed))
            # A year's page shows only that year's numbers, so a new issue leaves other years' pages alone.
            for year in years:
                inputs = (self.signature, url_of(term.slug, year), term.name, feed, year, list(years),
                          year_refs[year])
                yield Page(url_of(term.slug, year), "listing.html", kind, None, inputs=inputs,
                           make=lambda term=term, years=years, feed=feed, year=year:
                           self.listing_context(kind, term, years, feed, year))

    def listing_context(self, kind: str, term, years: dict[int, list[Article]], feed: dict,
                        year: int | None = None) -> dict:
        """A county's or topic's page: its latest articles and every year's count, or one year's articles."""
        _, grouped, url_of = self._taxonomy(kind)
        crumbs = [{"name": "首页", "url": ""}, {"name": self.listing_title(kind), "url": url_of()}]
        if year is None:
            articles = grouped[term.name]
            return {
                "term": term.name, "kind": kind, "count": len(articles), "feed": feed,
                "years": [{"year": y, "count": len(v), "url": url_of(term.slug, y)} for y, v in years.items()],
                "facets": self.facets(kind, articles),
                "title": term.name, "year": None,
                "articles": [self.summary(a) for a in articles[:LATEST_IN_LISTING]],
                "breadcrumbs": crumbs,
            }
        items = years[year]
        return {
            "term": term.name, "kind": kind, "count": len(items), "feed": feed,
            "years": [{"year": y, "url": url_of(term.slug, y)} for y in years],
            "facets": self.facets(kind, items),
            "title": f"{term.name} {year}年", "year": year,
            "articles": [self.summary(a) for a in items],
            "breadcrumbs": [*crumbs, {"name": term.name, "url": url_of(term.slug)}],
        }

    def facets(self, kind: str, articles: list[Article]) -> list[dict]:
        """A county page shows its topics; a topic page shows its counties."""
        counts: dict[str, int] = {}
        for a in articles:
            for name in (a.topics if kind == "county" else [a.county] if a.county else []):
                counts[name] = counts.get(name, 0) + 1
        if kind == "county":
            return [{"name": t.name, "url": topic_url(t.slug), "count": counts[t.name]}
                    for t in self.config.topics if t.name in counts]
        return [{"name": c.name, "url": county_url(c.slug), "count": counts[c.name]}
                for c in self.config.counties if c.name in counts]
