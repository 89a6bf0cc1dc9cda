"""那年今日: a page per day of the year with that day's articles of every year, newest year first; the
home page links today's through a script, and the built pages do not depend on the day of the build."""

import datetime as dt
import re

import pytest
from playwright.sync_api import sync_playwright

from browser import SiteServer, launch_chromium
from generator.check.checker import check_site
from generator.config import load_config
from generator.content.load import load_articles
from sitebuild import BASE_URL, add_newer_issue, build_project, make_project, tree


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("on-this-day") / "p")
    build_project(project)
    return project


def listed(page_text: str) -> list[tuple[int, str]]:
    """(year heading, article URL) in page order."""
    out, year = [], None
    for m in re.finditer(r'<h2>(\d{4})年|<li><a href="([^"]+)">', page_text):
        if m.group(1):
            year = int(m.group(1))
        elif year is not None:
            out.append((year, m.group(2)))
    return out


def test_every_day_has_a_page_listing_that_days_articles_newest_year_first(built):
    site = built / "_site"
    pages = sorted(site.glob("on-this-day/*/index.html"))
    assert len(pages) == 366 and (site / "on-this-day" / "02-29" / "index.html").is_file()
    config = load_config(built / "site.yaml")
    articles = load_articles(built / "content", config)
    days = {(a.date.month, a.date.day) for a in articles}
    for month, day in days:
        text = (site / "on-this-day" / f"{month:02d}-{day:02d}" / "index.html").read_text(encoding="utf-8")
        found = listed(text)
        want = [a for a in articles if (a.date.month, a.date.day) == (month, day)]
        assert sorted(url.split("/")[-2] for _, url in found) == sorted(a.id for a in want)
        years = [year for year, _ in found]
        assert years == sorted(years, reverse=True)
    empty = next(p for p in pages if (int(p.parent.name[:2]), int(p.parent.name[3:])) not in days)
    assert "本档案里没有这一天的报道" in empty.read_text(encoding="utf-8")
    assert check_site(site, BASE_URL) == []


def test_the_home_page_links_the_archive_until_its_script_picks_the_day(built):
    home = (built / "_site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="/archive/archive/" data-on-this-day="/archive/on-this-day/">', home)
    assert re.search(r'<script src="/archive/static/on-this-day\.js\?v=[0-9a-f]+" defer></script>', home)


def test_a_new_issue_rewrites_only_its_own_days_page(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    before = {k: v for k, v in tree(project / "_site").items() if k.startswith("on-this-day/")}
    add_newer_issue(project)  # dated 2024-10-05
    build_project(project)
    after = {k: v for k, v in tree(project / "_site").items() if k.startswith("on-this-day/")}
    assert {k for k in after if after[k] != before.get(k)} == {"on-this-day/10-05/index.html"}


def test_the_script_shows_the_readers_day(built):
    config = load_config(built / "site.yaml")
    day = max(a.date for a in load_articles(built / "content", config))
    with SiteServer(built / "_site") as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.clock.set_fixed_time(dt.datetime(2030, day.month, day.day, 9, 0))
        page.goto(server.url)
        link = page.locator("[data-on-this-day]")
        assert link.get_attribute("href") == f"/archive/on-this-day/{day.month:02d}-{day.day:02d}/"
        page.wait_for_selector("[data-on-this-day-list] li")
        shown = page.locator("[data-on-this-day-list] li a").all_inner_texts()
        assert 1 <= len(shown) <= 5 and f"{day.month}月{day.day}日" in link.inner_text()
        browser.close()
