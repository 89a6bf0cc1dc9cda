"""Atom feeds (site, per county, per topic), sitemap and robots.txt.

All URLs are absolute (base_url). Times are the issue dates at midnight China time, so the files
depend only on the content: the same content gives byte-identical feeds.
"""

from __future__ import annotations

from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from generator.content.model import Article
from generator.base.output import Output
from generator.content.site import SiteModel
from generator.text import strip_controls
from generator.content.urls import county_url, topic_url

FEED_ENTRIES = 50
SITEMAP_LIMIT = 50_000  # URLs per sitemap file, the protocol's limit
FEED_FILE = "feed.xml"


def xml_text(value: str) -> str:
    return escape(strip_controls(value))  # XML 1.0 allows no control characters


def xml_attr(value: str) -> str:
    return quoteattr(strip_controls(value))


def _timestamp(article: Article) -> str:
    return f"{article.date.isoformat()}T00:00:00+08:00"


def feed_path(kind: str = "", slug: str = "") -> str:
    """Site-relative URL of a feed: feed.xml, county/<slug>/feed.xml, topic/<slug>/feed.xml."""
    if kind == "county":
        return county_url(slug) + FEED_FILE
    if kind == "topic":
        return topic_url(slug) + FEED_FILE
    return FEED_FILE


def atom_feed(site: SiteModel, title: str, path: str, articles: Iterable[Article],
              descriptions: dict[str, str]) -> bytes:
    config = site.config
    base = config.base_url
    entries = list(articles)[:FEED_ENTRIES]
    updated = _timestamp(entries[0]) if entries else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(config.language)}>',
        f"  <title>{xml_text(title)}</title>",
        f"  <id>{xml_text(base + path)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(base + path)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(base)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{xml_text(config.title)}</name></author>",
    ]
    for a in entries:
        url = base + site.urls[a.id]
        paper = config.paper(a.paper).name
        lines += [
            "  <entry>",
            f"    <title>{xml_text(a.title)}</title>",
            f"    <id>{xml_text(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
            f"    <published>{_timestamp(a)}</published>",
            f"    <updated>{_timestamp(a)}</updated>",
            *(f"    <author><name>{xml_text(name)}</name></author>" for name in a.authors),
            *(f"    <category term={xml_attr(name)}/>" for name in ([a.county] if a.county else []) + a.topics),
            f"    <summary>{xml_text(paper + ' ' + descriptions[a.id])}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_feeds(site: SiteModel, output: Output, descriptions: dict[str, str]) -> None:
    """descriptions: article id -> first sentence."""
    config = site.config
    newest = site.articles[::-1]
    output.write(feed_path(), atom_feed(site, config.title, feed_path(), newest, descriptions), kind="feeds")
    for county in config.counties:
        path = feed_path("county", county.slug)
        output.write(path, atom_feed(site, f"{county.name} · {config.title}", path, site.by_county[county.name],
                                     descriptions), kind="feeds")
    for topic in config.topics:
        path = feed_path("topic", topic.slug)
        output.write(path, atom_feed(site, f"{topic.name} · {config.title}", path, site.by_topic[topic.name],
                                     descriptions), kind="feeds")


def write_sitemap(page_urls: list[str], base_url: str, output: Output) -> None:
    """sitemap.xml for every page (an index of sitemap-N.xml parts past 50,000 URLs) and robots.txt."""
    urls = sorted(u for u in page_urls if u != "404.html")
    parts = [urls[i:i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)] or [[]]
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def urlset(items: list[str]) -> bytes:
        body = "".join(f"  <url><loc>{xml_text(base_url + u)}</loc></url>\n" for u in items)
        return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset {ns}>\n{body}</urlset>\n'.encode()

    if len(parts) == 1:
        output.write("sitemap.xml", urlset(parts[0]), kind="feeds")
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        for name, items in zip(names, parts):
            output.write(name, urlset(items), kind="feeds")
        body = "".join(f"  <sitemap><loc>{xml_text(base_url + n)}</loc></sitemap>\n" for n in names)
        output.write("sitemap.xml", f'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex {ns}>\n{body}'
                                    f"</sitemapindex>\n".encode(), kind="feeds")
    output.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode(), kind="feeds")

