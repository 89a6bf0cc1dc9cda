"""Accessibility (axe-core in Chromium) for every page kind, and the weight of an article page."""

import gzip
from pathlib import Path

import html5lib
import pytest
from playwright.sync_api import sync_playwright

from browser import SiteServer, launch_chromium
from sitebuild import build_project, make_project

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTICLE_BUDGET = 30 * 1024  # gzip bytes of an article page and its stylesheet


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("a11y"))
    build_project(project)
    return project / "_site"


def one_page_of_each_kind(site: Path) -> dict[str, str]:
    """page kind -> a site-relative URL of one page of that kind."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        kind = doc.find(".//body").get("data-page-kind")
        rel = page.relative_to(site).as_posix()
        found.setdefault(kind, rel.removesuffix("index.html"))
    return found


AXE_SERIOUS = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


def test_axe_does_report_a_planted_violation(site, tmp_path):
    bad = tmp_path / "site"
    bad.mkdir()
    html = (site / "404.html").read_text(encoding="utf-8")
    (bad / "index.html").write_text(html.replace("</main>", '<img src="x.png"><input type="text"></main>'),
                                    encoding="utf-8")
    with SiteServer(bad) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server.url)
        page.add_script_tag(path=str(AXE))
        ids = {v.split(":")[0] for v in page.evaluate(AXE_SERIOUS)}
        browser.close()
    assert {"image-alt", "label"} <= ids


def test_axe_finds_no_serious_or_critical_violations_on_any_page_kind(site):
    pages = one_page_of_each_kind(site)
    assert {"home", "article", "issue", "archive", "county-index", "county", "topic-index", "topic", "search",
            "not-found"} <= set(pages)
    pages["search-results"] = "search/?q=" + "乡村振兴"
    report = {}
    with SiteServer(site) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            for kind, url in pages.items():
                page.goto(server.url + url)
                if kind == "search-results":
                    page.wait_for_selector("[data-search-results] a")
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(AXE_SERIOUS)
                if violations:
                    report[f"{kind} @{width}px ({url})"] = violations
            page.close()
        browser.close()
    assert report == {}


def test_an_article_page_with_its_css_stays_under_30_kb_gzip_and_needs_no_javascript(site):
    pages = [p for p in site.rglob("index.html") if 'data-page-kind="article"' in p.read_text(encoding="utf-8")]
    css = gzip.compress((site / "static" / "style.css").read_bytes(), 9)
    heaviest = max(pages, key=lambda p: len(gzip.compress(p.read_bytes(), 9)))
    weight = len(gzip.compress(heaviest.read_bytes(), 9)) + len(css)
    assert weight < ARTICLE_BUDGET, f"{heaviest}: {weight} bytes"
    for page in pages:
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        assert [s.get("type") for s in doc.iter("script")] == ["application/ld+json"]  # data, not code
        assert not list(doc.iter("img")) and not list(doc.iter("iframe"))  # nothing late to shift the layout
