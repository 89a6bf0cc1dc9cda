"""Whole-site behaviour: links under a subpath, page kinds, determinism, incremental = full."""

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from generator.analysis import dictionaries
from generator.base.cache import Cache
from generator.config import load_config
from generator.content.git_index import git_unchanged
from generator.content.load import load_articles
from generator.content.frontmatter import set_front_matter
from generator.errors import SiteError
from sitebuild import BASE_URL, add_newer_issue, build_project, make_project, tree

PAGE_KINDS = {"home", "article", "issue", "archive", "county-index", "county", "topic-index", "topic", "search"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("site"))
    report = build_project(project)
    return project, project / "_site", report


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def html_pages(site: Path):
    return sorted(site.rglob("*.html"))


def test_every_internal_link_and_asset_resolves_under_the_subpath(built):
    _, site, _ = built
    base = urlsplit(BASE_URL).path
    checked = 0
    for page in html_pages(site):
        doc = parse(page)
        for el in doc.iter():
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is None:
                    continue
                parts = urlsplit(url)
                if el.tag == "link" and el.get("rel") == "canonical":
                    assert url.startswith(BASE_URL)
                    parts = urlsplit(url[len(BASE_URL) - len(base):])
                assert not parts.scheme and not parts.netloc, f"{page}: external {attr}={url}"
                if not parts.path and parts.fragment:
                    assert doc.find(f".//*[@id='{parts.fragment}']") is not None, f"{page}: no #{parts.fragment}"
                    continue
                assert parts.path.startswith(base), f"{page}: {url} is not under {base}"
                target = site / parts.path[len(base):]
                if parts.path.endswith("/"):
                    target = target / "index.html"
                assert target.is_file(), f"{page.relative_to(site)}: broken link {url}"
                checked += 1
    assert checked > 1000


def test_page_kinds_and_markup_hooks(built):
    _, site, report = built
    kinds = set()
    for page in html_pages(site):
        doc = parse(page)
        assert doc.get("lang") == "zh-CN"
        body = doc.find("body")
        kinds.add(body.get("data-page-kind"))
        if body.get("data-page-kind") == "article":
            article = doc.find(".//article")
            assert re.fullmatch(r"[a-z0-9-]+", article.get("data-article-id"))
            assert page.parent.name == article.get("data-article-id")
    assert PAGE_KINDS <= kinds
    assert (site / ".nojekyll").exists() and (site / "404.html").exists()
    articles = [p for p in html_pages(site) if 'data-page-kind="article"' in p.read_text(encoding="utf-8")]
    assert len(articles) == report.articles > 40


def test_404_links_are_absolute_with_the_base_path(built):
    _, site, _ = built
    doc = parse(site / "404.html")
    hrefs = [a.get("href") for a in doc.iter("a") if not a.get("href").startswith("#")]
    assert hrefs and all(h.startswith("/archive/") for h in hrefs)


def test_article_page_links_its_issue_county_and_topics(built):
    project, site, _ = built
    config = load_config(project / "site.yaml")
    articles = {a.id: a for a in load_articles(project / "content", config)}
    seen = 0
    for page in html_pages(site):
        doc = parse(page)
        article = doc.find(".//article[@data-article-id]")
        if article is None:
            continue
        a = articles[article.get("data-article-id")]
        hrefs = {el.get("href") for el in article.iter("a")}
        assert f"/archive/{a.date:%Y/%m/%d}/{a.paper}/" in hrefs, page
        if a.county:
            assert f"/archive/county/{config.county(a.county).slug}/" in hrefs, page
        for topic in a.topics:
            assert f"/archive/topic/{config.topic(topic).slug}/" in hrefs, page
        seen += 1
    assert seen == len(articles)


def test_nine_articles_in_ten_show_at_least_two_related_articles(built):
    _, site, _ = built
    blocks = [link_blocks(site, hook) for hook in ("data-related", "data-later", "data-same-story")]
    shown = {aid: set().union(*(b[aid] for b in blocks)) for aid in blocks[0]}
    assert sum(len(v) >= 2 for v in shown.values()) >= 0.9 * len(shown)


def test_two_builds_are_byte_identical(tmp_path):
    one = make_project(tmp_path / "one")
    two = make_project(tmp_path / "two")
    build_project(one)
    build_project(two)
    assert tree(one / "_site") == tree(two / "_site")


def link_blocks(site: Path, hook: str) -> dict[str, list[str]]:
    """For each article page, the links inside its element with the `hook` attribute."""
    out = {}
    for page in html_pages(site):
        doc = parse(page)
        article = doc.find(".//article[@data-article-id]")
        if article is None:
            continue
        block = doc.find(f".//*[@{hook}]")
        out[article.get("data-article-id")] = [a.get("href") for a in block.iter("a")] if block is not None else []
    return out


def test_article_pages_carry_related_later_and_same_story_blocks(built):
    _, site, _ = built
    related, later, same = (link_blocks(site, h) for h in ("data-related", "data-later", "data-same-story"))
    assert sum(map(bool, related.values())) > len(related) // 2
    assert any(later.values())  # only follow-ups count (links.later_min_score): a few of the samples
    date_of = {}  # article id -> (year, month, day) of its page's path
    for page in html_pages(site):
        article = parse(page).find(".//article[@data-article-id]")
        if article is not None:
            date_of[article.get("data-article-id")] = page.relative_to(site).parts[:3]
    for aid, hrefs in later.items():
        for href in hrefs:
            assert tuple(href.removeprefix("/archive/").split("/")[:3]) > date_of[aid], "later coverage is newer"
    pair = {k: v for k, v in same.items() if v}
    assert len(pair) == 2  # the one story both papers printed (see test_links)
    for hrefs in (*related.values(), *later.values(), *pair.values()):
        for href in hrefs:
            assert (site / href.removeprefix("/archive/") / "index.html").is_file()


def test_a_newer_issue_changes_later_coverage_but_no_related_list(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    related, later = link_blocks(project / "_site", "data-related"), link_blocks(project / "_site", "data-later")
    add_newer_issue(project)
    build_project(project)
    related_after = link_blocks(project / "_site", "data-related")
    later_after = link_blocks(project / "_site", "data-later")
    assert {k: related_after[k] for k in related} == related
    assert any(later_after[k] != later[k] for k in later)


def test_incremental_build_equals_full_build(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    add_newer_issue(project)
    report = build_project(project)
    assert report.ingested == 10 and 0 < report.rendered < report.pages
    assert report.analysed == 0  # the new page repeats a sample's text: analyses come from the cache

    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    assert tree(project / "_site") == tree(fresh / "_site")


def test_a_new_raw_page_is_found_without_reading_the_earlier_content_files(tmp_path, monkeypatch):
    """The build knows which raw pages are ingested from the articles it loaded (from its cache, or
    by git's ids in CI), not by opening 100,000 content files to read their `source`."""
    from generator.ingest import pipeline as ingest
    project = make_project(tmp_path / "p")
    build_project(project)
    earlier = {p.name for p in (project / "content").rglob("*.md")}
    add_newer_issue(project)
    opened = []

    def counting_open(path, *args, **kwargs):
        opened.append(Path(path).name)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "open", counting_open, raising=False)
    report = build_project(project)
    assert report.ingested == 10 and report.articles == len(earlier) + 10
    assert not earlier & set(opened)


def test_raw_pages_pushed_without_their_content_files_are_written_again_from_the_cache(tmp_path, monkeypatch):
    """In CI every fresh checkout lacks the content files nobody committed: the build writes the same
    files again from its cache, without segmenting the pages, until site.yaml changes what ingest makes."""
    from generator.ingest import pipeline as ingest
    project = make_project(tmp_path / "p")
    build_project(project)
    files, site = tree(project / "content"), tree(project / "_site")
    shutil.rmtree(project / "content")  # a fresh checkout: the raw pages only

    def segmenting(*args, **kwargs):
        raise AssertionError("a page was segmented again")

    with monkeypatch.context() as patched:
        patched.setattr(ingest, "page_articles", segmenting)
        report = build_project(project)
    assert report.ingested == len(files) and report.rendered == 0
    assert tree(project / "content") == files and tree(project / "_site") == site

    shutil.rmtree(project / "content")
    text = (project / "site.yaml").read_text(encoding="utf-8")
    assert "\ncolumns: [" in text
    (project / "site.yaml").write_text(text.replace("\ncolumns: [", "\ncolumns: [新栏目, ", 1), encoding="utf-8")
    segmented = []
    real = ingest.page_articles
    monkeypatch.setattr(ingest, "page_articles", lambda *a, **k: segmented.append(a[1]) or real(*a, **k))
    build_project(project)
    assert len(segmented) == 5 and tree(project / "content") == files  # asked again; the same files here


@pytest.mark.parametrize("entry", [["not", "a", "page"],
                                   ["p.txt", "lcrb", "2024-01-01", "before", [["../../outside.md", "x", "article", "t"]], []]])
def test_a_damaged_ingest_cache_entry_is_ingested_again(tmp_path, entry):
    import json
    import sqlite3
    project = make_project(tmp_path / "p")
    build_project(project)
    files = tree(project / "content")
    shutil.rmtree(project / "content")
    db = sqlite3.connect(project / ".cache" / "build.sqlite")
    db.execute("UPDATE ingested_pages SET data = ?", (json.dumps(entry).encode(),))
    db.commit()
    db.close()
    report = build_project(project)
    assert report.ingested == len(files) and tree(project / "content") == files
    assert not (tmp_path / "outside.md").exists() and not (project / "outside.md").exists()


def test_pages_that_show_an_edited_article_follow_the_edit(tmp_path):
    """Article pages are fingerprinted by their inputs: a title edited in one file must reach every page
    that lists that article (related, later, same story, prev/next), as a full build shows it."""
    project = make_project(tmp_path / "p")
    build_project(project)
    site = project / "_site"
    target = sorted((project / "content").rglob("*.md"))[5]
    article_id = target.stem
    linking = [p for p in sorted(site.rglob("index.html"))
               if f"/{article_id}/" in p.read_text(encoding="utf-8") and article_id not in p.parent.name]
    assert linking  # some other pages link to it
    target.write_text(set_front_matter(target.read_text(encoding="utf-8"), {"title": "编辑改过的标题"}),
                      encoding="utf-8")
    build_project(project)
    still = [p for p in linking if f"/{article_id}/" in p.read_text(encoding="utf-8")]  # (related lists may change)
    assert still and all("编辑改过的标题" in p.read_text(encoding="utf-8") for p in still)

    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    assert tree(site) == tree(fresh / "_site")


@pytest.mark.parametrize("edit", ["body", "kicker"])
def test_an_edited_article_page_shows_the_edit_in_an_incremental_build(tmp_path, edit):
    """An article page is fingerprinted by the key of the file it was parsed from: any edit of the file
    (its body, or a front matter value no other page shows) renders the page again."""
    project = make_project(tmp_path / "p")
    build_project(project)
    target = sorted((project / "content").rglob("*.md"))[3]
    text = target.read_text(encoding="utf-8")
    mark = "编辑补充的一段文字"
    text = text + f"\n{mark}。\n" if edit == "body" else set_front_matter(text, {"kicker": mark})
    target.write_text(text, encoding="utf-8")
    report = build_project(project)
    assert report.rendered < report.pages
    page = next((project / "_site").rglob(f"{target.stem}/index.html"))
    assert mark in page.read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    assert tree(project / "_site") == tree(fresh / "_site")


def test_only_new_or_edited_texts_are_analysed(tmp_path):
    project = make_project(tmp_path / "p")
    assert build_project(project).analysed == 51
    assert build_project(project).analysed == 0
    edited = sorted((project / "content").rglob("*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n编者补记：此文有删节。\n", encoding="utf-8")
    assert build_project(project).analysed == 1


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    before = tree(project / "_site")
    bad = next((project / "content").rglob("*.md"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("kind: ", "kind: [", 1), encoding="utf-8")
    with pytest.raises(SiteError):
        build_project(project)
    assert tree(project / "_site") == before
    assert not list(project.glob("._site*"))


def test_parsed_content_files_come_from_the_cache_until_the_file_or_site_yaml_changes(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)  # ingests the samples into content/
    config = load_config(project / "site.yaml")
    cache = Cache(None)
    parsed = load_articles(project / "content", config, cache)
    assert load_articles(project / "content", config, cache) == parsed == load_articles(project / "content", config)

    edited = sorted((project / "content").rglob("*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\n编者补记。\n", 1),
                      encoding="utf-8")
    again = {a.path: a for a in load_articles(project / "content", config, cache)}
    shown = f"content/{edited.relative_to(project / 'content').as_posix()}"
    assert again[shown].body.startswith("编者补记。")

    topic = next(t for t in config.topics if any(t.name in a.topics for a in parsed))
    renamed = dataclasses.replace(topic, name=topic.name + "专题")
    config = dataclasses.replace(config, topics=[renamed if t is topic else t for t in config.topics])
    with pytest.raises(SiteError, match="unknown topic"):  # the site.yaml change is seen, not the cached parse
        load_articles(project / "content", config, cache)


@pytest.mark.parametrize("shape", ["plain", "crlf", "bom", "controls", "empty body", "blank lines and spaces",
                                   "cr only"])
def test_an_article_from_the_cache_has_the_body_a_fresh_parse_gives(tmp_path, shape):
    project = make_project(tmp_path / "p")
    build_project(project)
    config = load_config(project / "site.yaml")
    path = sorted((project / "content").rglob("*.md"))[2]
    front, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    text = {
        "plain": f"{front}\n---\n{body}",
        "crlf": f"{front}\n---\n{body}".replace("\n", "\r\n"),
        "bom": f"\ufeff{front}\n---\n{body}",
        "controls": f"{front}\n---\n\x07聊城\x1b讯\n\n{body}",
        "empty body": f"{front}\n---\n\n \n",
        "blank lines and spaces": f"{front}\n---\n\n\n　 {body.strip()} 　\n\n\t\n",
        "cr only": f"{front}\n---\n{body}".replace("\n", "\r"),
    }[shape]
    path.write_bytes(text.encode("utf-8"))
    cache = Cache(None)
    fresh = load_articles(project / "content", config, cache)
    cached = load_articles(project / "content", config, cache)
    assert cached == fresh == load_articles(project / "content", config)
    article = next(a for a in cached if a.path.endswith(path.name))
    assert "\r" not in article.body and "\x07" not in article.body
    assert article.body == "" if shape == "empty body" else article.body.endswith("\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_site_built_from_content_git_knows_is_the_site_built_from_read_files(tmp_path, monkeypatch):
    from generator.render import templates as render
    from generator.base import workers
    project = make_project(tmp_path / "p")
    build_project(project)  # ingests the samples into content/
    for args in (["init", "-q"], ["add", "content"], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project,
                       check=True, capture_output=True)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)  # bodies read on first use in worker processes too
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    # another base URL: every page is rendered again, its articles parsed before and known by git's ids
    report = build_project(project, base_url="https://example.org/other/")
    assert report.rendered == report.pages and len(git_unchanged(project / "content")) == report.articles
    plain = tmp_path / "plain"
    shutil.copytree(project, plain, ignore=shutil.ignore_patterns(".git", ".cache", "_site"))
    build_project(plain, base_url="https://example.org/other/")
    assert tree(project / "_site") == tree(plain / "_site")


def test_pages_rendered_by_worker_processes_equal_pages_rendered_here(tmp_path, monkeypatch):
    from generator.render import templates as render
    from generator.base import workers
    serial = make_project(tmp_path / "serial")
    build_project(serial)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render, "RENDER_BATCH", 7)  # several batches, the last one short
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    forked = make_project(tmp_path / "forked")
    report = build_project(forked)
    assert report.rendered == report.pages > 14
    assert tree(forked / "_site") == tree(serial / "_site")


def built_copy(built: Path, project: Path) -> Path:
    """A copy of a built project, built again where it is (the site's manifest names its folder: in
    another one every page is rendered once), so that its next build is an incremental one."""
    shutil.copytree(built, project)
    build_project(project)
    return project


def assert_a_build_without_cache_makes_the_same_site(project: Path, fresh: Path) -> None:
    """The project (content, site.yaml, theme) copied without its site and build cache (but jieba's
    dictionaries, if a build wrote them) and built: the same files, byte for byte; else the ones that differ."""
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    for name in (dictionaries.WORDS_FILE, dictionaries.IDF_FILE):
        if (project / ".cache" / name).exists():
            (fresh / ".cache").mkdir(exist_ok=True)
            shutil.copy2(project / ".cache" / name, fresh / ".cache" / name)
    build_project(fresh)
    cached, full = tree(project / "_site"), tree(fresh / "_site")
    assert sorted(cached) == sorted(full)
    assert [path for path in sorted(full) if cached[path] != full[path]] == []


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The sample project built once, for tests that copy it (site and build cache) and edit the copy."""
    project = make_project(tmp_path_factory.mktemp("once") / "p")
    build_project(project)
    return project


# Each edit changes one front matter value of one article. Every cache a build keeps (parsed files,
# analyses, related lists, same-story pairs, search segments, page fingerprints) must notice it: the
# site built with the cache equals the site built without one.
FRONT_MATTER_EDITS = {
    "kind notice": {"kind": "notice"},  # a notice has no related coverage and is nobody's
    "kind photo": {"kind": "photo"},
    "county": {"county": "东昌府区"},
    "topics": {"topics": ["教育"]},
    "date": {"date": "2022-08-01"},
    "paper": {"paper": "dzrb"},
    "page": {"page": 9},
    "authors": {"authors": ["改过的作者"]},
    "column": {"column": "改过的栏目"},
    "dateline": {"dateline": "本报临清讯"},
}


@pytest.mark.parametrize("edit", sorted(FRONT_MATTER_EDITS))
def test_a_front_matter_edit_builds_with_the_cache_what_it_builds_without(built_once, tmp_path, edit):
    project = built_copy(built_once, tmp_path / "p")
    lcrb = [p for p in sorted((project / "content").rglob("*.md")) if p.stem.startswith("lcrb-")]
    target = lcrb[5]
    text = target.read_text(encoding="utf-8")
    edited = set_front_matter(text, FRONT_MATTER_EDITS[edit])
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    report = build_project(project)
    assert report.rendered < report.pages  # the cache was used

    assert_a_build_without_cache_makes_the_same_site(project, tmp_path / "fresh")


# Each edit changes one value of site.yaml (text replaced: old, new). As with an article's edit, the
# site built with the previous build's cache must be the site built without it.
SITE_YAML_EDITS = {
    "site title": ("title: 聊城报纸档案\n", "title: 聊城报纸档案馆\n"),
    "paper name": ("  - name: 大众日报\n", "  - name: 大众日报聊城版\n"),
    "county slug": ("slug: dongchangfu", "slug: dcf"),
    "topic slug": ("slug: economy", "slug: jingji"),
    "related": ("  related: 5 ", "  related: 3 "),
    "related_min_score": ("related_min_score: 0.06", "related_min_score: 0.2"),
    "same_story_days": ("same_story_days: 31", "same_story_days: 2"),
    "article permalink": ('article: "{year}/{month}/{day}/{paper}/{id}/"', 'article: "a/{id}/"'),
    "snippet_chars": ("snippet_chars: 160", "snippet_chars: 60"),
    "latest_issues": ("latest_issues: 10", "latest_issues: 2"),
}  # (ocr_corrections, classify, columns: read when a raw page is ingested, not by the build)


@pytest.mark.parametrize("edit", sorted(SITE_YAML_EDITS))
def test_a_site_yaml_edit_builds_with_the_cache_what_it_builds_without(built_once, tmp_path, edit):
    project = built_copy(built_once, tmp_path / "p")
    before = tree(project / "_site")
    old, new = SITE_YAML_EDITS[edit]
    text = (project / "site.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (project / "site.yaml").write_text(text.replace(old, new), encoding="utf-8")
    build_project(project)
    assert tree(project / "_site") != before  # the edit shows

    assert_a_build_without_cache_makes_the_same_site(project, tmp_path / "fresh")


def _remove_an_article(project: Path) -> None:
    [p for p in sorted((project / "content").rglob("*.md")) if p.stem.startswith("lcrb-")][5].unlink()


def _edit_theme_template(project: Path) -> None:
    template = project / "themes" / "default" / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    assert "</article>" in text
    template.write_text(text.replace("</article>", "<p>主题改过</p></article>", 1), encoding="utf-8")


def _edit_stylesheet(project: Path) -> None:
    with (project / "themes" / "default" / "static" / "style.css").open("a", encoding="utf-8") as f:
        f.write("\n.changed { color: red; }\n")


def _override_a_template(project: Path) -> None:
    (project / "templates").mkdir()
    text = (project / "themes" / "default" / "templates" / "issue.html").read_text(encoding="utf-8")
    assert text.count("篇文章</p>") == 1
    (project / "templates" / "issue.html").write_text(text.replace("篇文章</p>", "篇文章（本站自己的模板）</p>"),
                                                     encoding="utf-8")


PROJECT_EDITS = {"article removed": _remove_an_article, "theme template": _edit_theme_template,
                 "stylesheet": _edit_stylesheet, "own template": _override_a_template}


@pytest.mark.parametrize("edit", sorted(PROJECT_EDITS))
def test_a_project_edit_builds_with_the_cache_what_it_builds_without(built_once, tmp_path, edit):
    project = built_copy(built_once, tmp_path / "p")
    before = tree(project / "_site")
    PROJECT_EDITS[edit](project)
    build_project(project)
    assert tree(project / "_site") != before  # the edit shows

    assert_a_build_without_cache_makes_the_same_site(project, tmp_path / "fresh")


def test_an_edit_taken_back_builds_what_a_build_without_cache_does(built_once, tmp_path):
    """The text edited, built, then put back as it was: the build finds the old text's analysis and
    related lists of two builds ago (or works them out again) and makes the site a fresh build makes."""
    project = built_copy(built_once, tmp_path / "p")
    target = [p for p in sorted((project / "content").rglob("*.md")) if p.stem.startswith("lcrb-")][2]
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("。", "，", 1) + "\n编辑补充的一段文字。\n", encoding="utf-8")
    build_project(project)
    target.write_text(original, encoding="utf-8")
    build_project(project)

    assert_a_build_without_cache_makes_the_same_site(project, tmp_path / "fresh")


def test_an_analysis_whose_rest_is_lost_from_the_cache_is_worked_out_again(built_once, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(built_once, project)
    before = build_project(project)
    with Cache(project / ".cache" / "build.sqlite") as cache:
        (key,) = cache.db.execute("SELECT key FROM analysis_rest ORDER BY key LIMIT 1").fetchone()
        cache.db.execute("DELETE FROM analysis_rest WHERE key = ?", (key,))
        cache.db.commit()
    site = tree(project / "_site")
    report = build_project(project)
    assert report.analysed == 1 and before.analysed == 0
    assert tree(project / "_site") == site
