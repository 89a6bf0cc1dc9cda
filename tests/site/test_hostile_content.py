"""Content is untrusted: hostile text in any field renders inert in pages, attributes, JSON-LD, feeds,
the sitemap and search results. Checked with a real HTML parser and in Chromium."""

import json
import xml.etree.ElementTree as ET

import html5lib
import pytest
from playwright.sync_api import sync_playwright

from browser import SiteServer, launch_chromium
from generator.check.checker import check_site
from sitebuild import BASE_URL, build_project, make_project

TITLE = "<script>alert('t')</script>\"'&"
FRONT = {
    "kicker": "</script><img src=x onerror=alert('k')>",
    "subtitle": "javascript:alert('s')",
    "authors": ["\"><svg onload=alert('a')>"],
}
BODY = "\n\n".join([
    "正文第一句<script>alert('b1')</script>。",
    "[点这里](javascript:alert('b2')) 和 ![图](javascript:alert('b3')) 和 <javascript:alert('b4')>",
    "<img src=x onerror=alert('b5')> <iframe src=\"javascript:alert('b6')\"></iframe>",
    "控制字符\x01\x02\x7f在这里，还有\u2028行分隔符和</script><!--。",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) \"><b onmouseover=alert('b7')>x</b>",
])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("hostile"))
    build_project(project)
    victim = sorted((project / "content").rglob("*.md"))[-1]
    front = {"id": victim.stem, "title": TITLE, "date": "2024-09-04", "paper": "lcrb", "county": "临清市",
             "topics": ["民生"], **FRONT}
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()), "---", "", BODY, ""]
    victim.write_text("\n".join(lines), encoding="utf-8")
    build_project(project)
    return project / "_site", victim.stem


def pages(site):
    return sorted(site.rglob("*.html"))


def test_no_markup_from_content_survives_in_any_page(site):
    folder, _ = site
    for page in pages(folder):
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in ("iframe", "svg", "img", "b"), (page, el.tag)
            if el.tag == "script":
                assert el.get("type") == "application/ld+json" or "/static/" in (el.get("src") or ""), page
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                assert not value.strip().lower().startswith(("javascript:", "data:")), (page, name, value)


def test_the_article_shows_the_hostile_text_as_text(site):
    folder, article_id = site
    page = next(folder.glob(f"2024/09/04/lcrb/{article_id}/index.html"))
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    assert doc.find(".//h1").text == TITLE
    ld = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert ld["headline"] == TITLE
    body = "".join(doc.find(".//div[@class='body']").itertext())
    assert "<script>alert('b1')</script>" in body and "\x01" not in body


def test_feeds_and_sitemap_stay_well_formed(site):
    folder, _ = site
    titles = [e.text for e in ET.parse(folder / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}title")]
    assert TITLE in titles
    ET.parse(folder / "sitemap.xml")
    assert check_site(folder, BASE_URL) == []


def test_nothing_from_content_runs_in_chromium(site):
    folder, article_id = site
    urls = [f"2024/09/04/lcrb/{article_id}/", "2024/09/04/lcrb/", "", "county/linqing/", "topic/livelihood/",
            "search/?q=" + "script alert", "search/?q=" + "控制字符"]
    with SiteServer(folder) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for url in urls:
            page.goto(server.url + url)
            if url.startswith("search/"):
                page.wait_for_selector("[data-search][data-search-state=done]", state="attached")
            for link in page.query_selector_all("a"):
                assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            page.mouse.move(200, 300)
        results = page.eval_on_selector_all("[data-search-results] li", "els => els.map(e => e.innerHTML)")
        # content's markup shows as text; no element it names exists and no event handler is set
        live = page.eval_on_selector_all("[data-search-results] li *", """els => els.filter(e =>
            !['H2', 'A', 'P', 'MARK', 'SPAN', 'TIME'].includes(e.tagName)
            || Array.from(e.attributes).some(a => a.name.startsWith('on'))).map(e => e.outerHTML)""")
        browser.close()
    assert dialogs == [] and errors == []
    assert results and all("<script" not in r and "<img" not in r for r in results)
    assert any("&lt;img src=x onerror" in r for r in results)  # the hostile text is shown, as text
    assert live == []
