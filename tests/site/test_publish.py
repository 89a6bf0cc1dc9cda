"""Publishing: feeds, sitemap, metadata, and `news-archive check` on good and planted-bad sites."""

import json
import re
import shutil
import xml.etree.ElementTree as ET

import html5lib
import pytest

from generator.check.checker import check_site
from generator.cli import main
from sitebuild import BASE_URL, build_project, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("publish"))
    build_project(project)
    return project, project / "_site"


def served_file(site, url):
    assert url.startswith(BASE_URL), url
    rel = url[len(BASE_URL):]
    path = site / rel
    return path / "index.html" if rel == "" or rel.endswith("/") else path


def test_the_sample_site_under_a_subpath_passes_check(built):
    _, site = built
    assert check_site(site, BASE_URL) == []


def test_feeds_parse_and_point_at_built_pages(built):
    _, site = built
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) == 1 + 11 + 13  # the site, each county, each topic
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
        assert served_file(site, self_link) == feed
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) <= 50
        for entry in entries:
            assert served_file(site, entry.find(f"{ATOM}link").get("href")).is_file()
            assert entry.find(f"{ATOM}published").text.endswith("+08:00")
    whole = ET.parse(site / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(list(article_pages(site))) == 51 and len(whole) == 50  # the latest 50, newest first
    dates = [e.find(f"{ATOM}published").text for e in whole]
    assert dates == sorted(dates, reverse=True)


def test_pages_link_their_feeds(built):
    _, site = built
    county_page = (site / "county" / "chiping" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in county_page and "/archive/county/chiping/feed.xml" in county_page
    assert "/archive/feed.xml" in (site / "index.html").read_text(encoding="utf-8")


def test_sitemap_lists_every_page_and_robots_points_to_it(built):
    _, site = built
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iter(f"{SM}loc")]
    pages = {p for p in site.rglob("index.html")}
    assert {served_file(site, u) for u in locs} == pages
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_a_big_archive_gets_a_sitemap_index(tmp_path):
    from generator.render.feeds import SITEMAP_LIMIT, write_sitemap
    from generator.base.output import Output
    urls = [f"2024/01/01/lcrb/a{n}/" for n in range(SITEMAP_LIMIT + 10)]
    with Output(tmp_path / "out", tmp_path / "cache") as out:
        write_sitemap(urls, BASE_URL, out)
        out.commit()
    index = ET.parse(tmp_path / "out" / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SM}loc")]
    assert parts == [BASE_URL + "sitemap-1.xml", BASE_URL + "sitemap-2.xml"]
    sizes = [len(ET.parse(tmp_path / "out" / p.rsplit("/", 1)[1]).getroot()) for p in parts]
    assert sizes == [SITEMAP_LIMIT, 10]


def article_pages(site):
    for page in sorted(site.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        if 'data-page-kind="article"' in text:
            yield page, text


def test_article_metadata_title_description_open_graph_and_json_ld(built):
    _, site = built
    for page, text in article_pages(site):
        doc = html5lib.parse(text, namespaceHTMLElements=False)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}
        title = doc.find(".//h1").text
        assert doc.find(".//title").text.startswith(title)
        assert meta["og:type"] == "article" and meta["og:title"] == title
        assert meta["description"] and meta["description"] == meta["og:description"]
        assert meta["og:url"].startswith(BASE_URL) and served_file(site, meta["og:url"]) == page
        ld = json.loads(doc.find(".//script[@type='application/ld+json']").text)
        assert ld["@type"] == "NewsArticle" and ld["headline"] == title
        assert served_file(site, ld["url"]) == page
        assert ld["publisher"]["name"] in ("聊城日报", "大众日报")
        if "contentLocation" in ld:  # a county, in the city site.yaml names
            assert ld["contentLocation"]["containedInPlace"]["name"] == "聊城市"
            assert ld["contentLocation"]["name"] in {a.text for a in doc.iter("a") if "county" in (a.get("class") or "")}


def test_every_page_warns_once_that_its_text_may_have_ocr_errors(built):
    """Article pages say it by their source line, the other pages in the footer; never both."""
    _, site = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        assert page.read_text(encoding="utf-8").count("可能存在识别错误") == 1, page


HOSTILE_TITLE = '</script><script>alert("x")</script> & \' " <!-- 标题'


def test_json_ld_survives_a_hostile_title(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    victim = sorted((project / "content").rglob("*.md"))[-1]  # the newest, so it is in the feed
    text = victim.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title: "))
    victim.write_text(text.replace(title_line, "title: " + json.dumps(HOSTILE_TITLE, ensure_ascii=False)),
                      encoding="utf-8")
    build_project(project)
    site = project / "_site"
    showing = [p for p, t in article_pages(site) if "alert" in t]
    assert len(showing) > 1  # its own page, and pages that list it (related, later, same issue)
    for page in showing:
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        scripts = doc.findall(".//script")
        assert [s.get("type") for s in scripts] == ["application/ld+json"]  # no script was injected
    own = next(p for p in showing if p.parent.name == victim.stem)
    doc = html5lib.parse(own.read_bytes(), namespaceHTMLElements=False)
    assert json.loads(doc.find(".//script").text)["headline"] == HOSTILE_TITLE
    assert doc.find(".//h1").text == HOSTILE_TITLE
    feed = ET.parse(site / "feed.xml").getroot()
    assert HOSTILE_TITLE in [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert check_site(site, BASE_URL) == []


@pytest.fixture
def copy_of(built, tmp_path):
    _, site = built
    target = tmp_path / "site"
    shutil.copytree(site, target)
    return target


def plant(page, html):
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", html + "</main>"), encoding="utf-8")


def test_check_finds_a_planted_broken_link(copy_of):
    plant(copy_of / "index.html", '<a href="/archive/2099/01/01/lcrb/">missing</a>')
    problems = check_site(copy_of, BASE_URL)
    assert problems == ["index.html: <a href='/archive/2099/01/01/lcrb/'>: broken link "
                        "(nothing at /archive/2099/01/01/lcrb/)"]


def test_check_reports_a_broken_link_on_every_page_that_has_it(copy_of):
    pages = ["index.html", "archive/index.html"]
    for page in pages:  # the second is reported too, though the first already looked for its target
        plant(copy_of / page, '<a href="/archive/2099/01/01/lcrb/">missing</a>')
    problems = check_site(copy_of, BASE_URL)
    assert sorted(p.split(":")[0] for p in problems) == sorted(pages)


def test_check_finds_a_planted_external_script(copy_of):
    plant(copy_of / "archive" / "index.html", '<script src="https://cdn.example.com/x.js"></script>')
    problems = check_site(copy_of, BASE_URL)
    assert problems == ["archive/index.html: <script src='https://cdn.example.com/x.js'> loads a resource "
                        "from outside the site"]


def test_check_finds_a_planted_malformed_feed(copy_of):
    feed = copy_of / "topic" / "rural" / "feed.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", ""), encoding="utf-8")
    problems = check_site(copy_of, BASE_URL)
    assert len(problems) == 1 and problems[0].startswith("topic/rural/feed.xml: not well-formed XML")


def test_check_finds_malformed_html_and_a_stale_search_index(copy_of):
    plant(copy_of / "index.html", "<p><b>unclosed</p></i>")
    victim = next(copy_of.glob("20*/*/*/*/*/index.html"))
    shutil.rmtree(victim.parent)
    problems = check_site(copy_of, BASE_URL)
    assert any(p.startswith("index.html: line") and "HTML parse error" in p for p in problems)
    # one lunr index (search/docs.json) or shards (search/d/), whichever the site's size chose
    assert any(re.match(r"search/(docs\.json|d/):", p) and "is not a page of this site" in p for p in problems)


def test_check_command_exit_codes(built, copy_of, capsys, monkeypatch):
    project, site = built
    monkeypatch.chdir(project)
    assert main(["check", "--base-url", BASE_URL]) == 0
    plant(copy_of / "index.html", '<img src="http://tracker.example.net/p.gif">')
    assert main(["check", "--out", str(copy_of), "--base-url", BASE_URL]) == 1
    assert "loads a resource from outside the site" in capsys.readouterr().out


def test_check_finds_a_missing_search_shard(copy_of):
    manifest = json.loads((copy_of / "search" / "manifest.json").read_text(encoding="utf-8"))
    segment = manifest["segments"][0]
    (copy_of / "search" / "s" / f"{segment['postings']}-0.json").unlink()
    (copy_of / "search" / "m" / "0.json").unlink()
    problems = check_site(copy_of, BASE_URL)
    assert f"search/s/{segment['postings']}-0.json: missing or not readable (FileNotFoundError)" in problems
    assert any(p.startswith("search/manifest.json:") and "0 facet rows" in p for p in problems)


def test_check_names_a_facet_chunk_it_cannot_read(copy_of):
    chunk_path = copy_of / "search" / "m" / "0.json"
    chunk = json.loads(chunk_path.read_text(encoding="utf-8"))
    chunk["county"] += "A"  # one digit more than the chunk's documents have
    chunk_path.write_text(json.dumps(chunk), encoding="utf-8")
    problems = check_site(copy_of, BASE_URL)
    assert any(p.startswith("search/m/0.json: facet data not readable") and "'county'" in p for p in problems)
    assert any(p.startswith("search/manifest.json:") and "0 facet rows" in p for p in problems)
