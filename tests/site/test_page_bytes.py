"""The benchmark's account of where an article page's bytes go, on the golden sample site."""

import sys

from sitebuild import ROOT, sample_article_files

sys.path.insert(0, str(ROOT / "benchmarks"))
from page_bytes import PARTS, page_parts, site_split, without_optional  # noqa: E402

GOLDEN = ROOT / "tests" / "site" / "golden" / "site"
ALWAYS = ["JSON-LD", "Open Graph", "rest of <head>", "site header and search box", "breadcrumbs",
          "article heading and byline", "body", "source and citation", "previous / next", "site footer"]


def test_every_article_page_is_found_and_only_those():
    sizes, articles = site_split(GOLDEN)
    assert len(articles) == len(sample_article_files())  # the golden site is built from the sample pages
    assert sizes["article pages"] == sum(p.stat().st_size for p in articles)
    html = sum(p.stat().st_size for p in GOLDEN.rglob("*.html"))
    assert sizes["article pages"] + sizes["other pages"] == html
    assert sizes["search files"] == sum(p.stat().st_size for p in (GOLDEN / "search").rglob("*")
                                        if p.is_file() and p.suffix != ".html")


def test_the_parts_of_a_page_add_up_to_it_and_the_theme_s_parts_are_all_found():
    _, articles = site_split(GOLDEN)
    related = 0
    for path in articles:
        text = path.read_text(encoding="utf-8")
        parts = page_parts(text)
        assert sum(size for name, size in parts.items() if name != "body: its text") == len(text.encode()), path
        assert all(parts[name] > 0 for name in ALWAYS), (path, parts)
        assert parts["frame"] < 300, (path, parts)  # the html, body, main and article tags: nothing more
        assert 0 < parts["body: its text"] < parts["body"]
        related += parts["related"] > 0
    assert related >= len(articles) * 0.8
    assert {name for name, _ in PARTS} >= set(ALWAYS)


def test_without_the_optional_markup_a_page_keeps_what_the_issues_ask_for():
    _, articles = site_split(GOLDEN)
    for path in articles:
        text = path.read_text(encoding="utf-8")
        lean = without_optional(text)
        assert len(lean) < len(text)
        for kept in ('property="og:title"', 'property="og:type"', 'property="og:url"', '"headline"',
                     '"datePublished"', '"publisher"', 'class="cite-line"', 'data-article-id'):
            assert (kept in lean) == (kept in text), (path, kept)
        for dropped in ('rel="alternate"', 'og:site_name', 'og:description', '"isPartOf"', '"inLanguage"',
                        '<li aria-current="page">', "<small>"):
            assert dropped not in lean, (path, dropped)
        assert page_parts(lean)["body"] == page_parts(text)["body"]
