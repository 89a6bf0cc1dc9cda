"""`news-archive check` with a memory: a check after a build parses only what changed, and finds
exactly what a whole check finds (planted faults on a site with one lunr index and on a sharded one)."""

import json
import marshal
import os
import re
import shutil
import time

import pytest

from generator.check.checker import SiteChecker, check_site
from generator.check.memory import STATE, memory_head
from generator.cli import main
from generator.config import load_config
from sitebuild import BASE_URL, build_project, make_project
from sitebuild import sharded_project


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The sample site with one lunr index, and with sharded search in tiny segments."""
    single = make_project(tmp_path_factory.mktemp("single"), search_index="single")
    build_project(single)
    with pytest.MonkeyPatch.context() as monkeypatch:
        sharded = sharded_project(tmp_path_factory.mktemp("sharded") / "p", monkeypatch)
        build_project(sharded)
    assert not (single / "_site" / "search" / "manifest.json").exists()
    assert (sharded / "_site" / "search" / "manifest.json").exists()
    return {"single": single / "_site", "sharded": sharded / "_site"}


def age(site, seconds_ago=3600):
    """As if the site had been built an hour ago (a check does not trust files written just before it)."""
    when = time.time() - seconds_ago
    for path in site.rglob("*"):
        os.utime(path, (when, when))


def checked_once(site, tmp_path):
    """A copy of `site`, built an hour ago and checked once with a memory; the memory's path."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    age(copy)
    state = tmp_path / STATE
    first = SiteChecker(copy, BASE_URL, state)
    assert first.run() == [] and first.checked > 100 and first.trusted == 0
    assert first.segments_checked == (len(json.loads((copy / "search" / "manifest.json").read_bytes())["segments"])
                                      if (copy / "search" / "manifest.json").exists() else 0)
    return copy, state


def incremental_and_full(site, state):
    checker = SiteChecker(site, BASE_URL, state)
    return checker, checker.run(), check_site(site, BASE_URL)


def test_a_second_check_parses_nothing_and_a_third_still_knows_everything(sites, tmp_path):
    site, state = checked_once(sites["sharded"], tmp_path)
    for _ in range(2):
        again = SiteChecker(site, BASE_URL, state)
        assert again.run() == []
        assert again.checked == 0 and again.trusted > 100 and again.segments_checked == 0
        assert again.memory.segments and again.memory.rows and again.memory.facets


def plant(page, html):
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", html + "</main>"), encoding="utf-8")


def an_article(site):
    return next(p for p in sorted(site.glob("20*/*/*/*/*/index.html")))


def broken_link(site):
    plant(site / "index.html", '<a href="/archive/2099/01/01/lcrb/">missing</a>')


def external_script(site):
    plant(site / "archive" / "index.html", '<script src="https://cdn.example.com/x.js"></script>')


def same_size_edit(site):
    page = an_article(site)
    data = page.read_bytes()
    assert b"</main>" in data
    page.write_bytes(data.replace(b"</main>", b"</mian>"))  # same size, a new modification time


def malformed_feed(site):
    feed = site / "topic" / "rural" / "feed.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", ""), encoding="utf-8")


def article_removed(site):
    shutil.rmtree(an_article(site).parent)


def stylesheet_removed(site):
    next(site.glob("static/*.css")).unlink()


def new_page_with_a_broken_link(site):
    (site / "extra").mkdir()
    (site / "extra" / "index.html").write_text('<!DOCTYPE html><html lang="zh"><head><title>x</title></head>'
                                               '<body><a href="/archive/nowhere/">x</a></body></html>',
                                               encoding="utf-8")


def search_file_removed(site):
    search = site / "search"
    victim = sorted((search / "s").glob("*.json"))[3] if (search / "s").is_dir() else search / "docs.json"
    victim.unlink()


def result_rows_changed(site):
    search = site / "search"
    if (search / "d").is_dir():
        rows = search / "d" / "3.json"
        data = json.loads(rows.read_text(encoding="utf-8"))
        data[0][data[0].index(next(v for v in data[0] if isinstance(v, str) and v.startswith("20")))] = "1999/x/"
        rows.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        docs = json.loads((search / "docs.json").read_text(encoding="utf-8"))
        docs["docs"][3][docs["fields"].index("url")] = "1999/x/"
        (search / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")


def postings_past_their_segment(site):
    own = next(p for p in sorted((site / "search" / "s").glob("*.json")) if re.fullmatch(r"\w+-\d+\.json", p.name))
    bucket = json.loads(own.read_text(encoding="utf-8"))
    term = next(t for t, fields in bucket.items() if isinstance(fields, list))
    bucket[term] = [f[:-2] if isinstance(f, str) and len(f) > 2 else f for f in bucket[term]]
    own.write_text(json.dumps(bucket, ensure_ascii=False), encoding="utf-8")


def length_table_cut(site):
    table = sorted((site / "search" / "l").glob("*.json"))[0]
    table.write_text(json.dumps(json.loads(table.read_text(encoding="utf-8"))[:-1]), encoding="utf-8")


def facet_chunk_damaged(site):
    chunk_path = site / "search" / "m" / "0.json"
    chunk = json.loads(chunk_path.read_text(encoding="utf-8"))
    chunk["county"] += "A"
    chunk_path.write_text(json.dumps(chunk), encoding="utf-8")


COMMON = [broken_link, external_script, same_size_edit, malformed_feed, article_removed, stylesheet_removed,
          new_page_with_a_broken_link, search_file_removed, result_rows_changed]
SHARDED = [postings_past_their_segment, length_table_cut, facet_chunk_damaged]


@pytest.mark.parametrize("kind,fault", [("single", f) for f in COMMON] + [("sharded", f) for f in COMMON + SHARDED],
                         ids=lambda x: getattr(x, "__name__", x))
def test_a_check_with_a_memory_finds_what_a_whole_check_finds(sites, tmp_path, kind, fault):
    site, state = checked_once(sites[kind], tmp_path)
    fault(site)
    checker, incremental, full = incremental_and_full(site, state)
    assert full, "the planted fault must be found"
    assert incremental == full
    # and the problems are found again next time (what was wrong is not remembered as fine)
    assert SiteChecker(site, BASE_URL, state).run() == full


def test_after_a_page_changes_only_it_is_parsed_again(sites, tmp_path):
    site, state = checked_once(sites["single"], tmp_path)
    broken_link(site)
    checker, incremental, _ = incremental_and_full(site, state)
    assert len(incremental) == 1 and checker.checked == 1


def test_after_a_page_is_removed_the_pages_linking_to_it_are_parsed_again(sites, tmp_path):
    site, state = checked_once(sites["single"], tmp_path)
    page = an_article(site)
    path = "/archive/" + page.parent.relative_to(site).as_posix() + "/"
    linking = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                     if p.suffix in (".html", ".xml") and p != page and path in p.read_text(encoding="utf-8"))
    assert len(linking) > 3
    shutil.rmtree(page.parent)
    checker, incremental, full = incremental_and_full(site, state)
    assert incremental == full
    assert checker.checked == len(linking)
    assert sorted({p.split(":")[0] for p in incremental if not p.startswith("search/")}) == linking


def test_files_written_just_before_a_check_are_not_remembered(sites, tmp_path):
    site, state = checked_once(sites["single"], tmp_path)
    page = site / "archive" / "index.html"
    page.write_bytes(page.read_bytes())  # written now: it could change again within the same time stamp
    assert SiteChecker(site, BASE_URL, state).run() == []
    again = SiteChecker(site, BASE_URL, state)
    assert again.run() == [] and again.checked == 1


def test_a_memory_of_another_base_url_or_a_damaged_one_is_not_used(sites, tmp_path):
    site, state = checked_once(sites["single"], tmp_path)
    other = SiteChecker(site, "https://example.org/other/", state)
    assert other.run() and other.trusted == 0  # every link is broken under another base path
    SiteChecker(site, BASE_URL, state).run()
    state.write_bytes(state.read_bytes()[:-100])
    damaged = SiteChecker(site, BASE_URL, state)
    assert damaged.run() == [] and damaged.trusted == 0 and damaged.checked > 100
    head = memory_head(site.resolve(), BASE_URL)
    for body in ({"links": {}, "pages": []}, {"links": [(1,)]}, {"pages": {"index.html": None}, "links": "x"}):
        state.write_bytes(marshal.dumps((*head, body)))  # readable, with this head, but not a memory
        odd = SiteChecker(site, BASE_URL, state)
        assert odd.run() == [] and odd.trusted == 0


def test_the_check_command_remembers_in_the_cache_and_full_checks_everything(sites, tmp_path, monkeypatch, capsys):
    project = tmp_path / "p"
    shutil.copytree(sites["single"].parent, project, ignore=shutil.ignore_patterns(".cache"))
    age(project / "_site")
    monkeypatch.chdir(project)
    assert main(["check", "--base-url", BASE_URL]) == 0
    assert (project / ".cache" / STATE).is_file()
    assert main(["check", "--base-url", BASE_URL]) == 0
    assert re.search(r"; 0 files checked, \d+ unchanged since a check found them fine\)", capsys.readouterr().out)
    assert main(["check", "--base-url", BASE_URL, "--full"]) == 0
    assert re.search(r"; [1-9]\d* files checked, 0 unchanged", capsys.readouterr().out)


def test_the_files_are_walked_in_the_order_of_a_sorted_pathlib_walk(tmp_path):
    from generator.check.memory import SiteFiles
    for rel in ["a/b.html", "a-b.html", "a.html", "a/c/d.xml", "ab/x", "a b/y", "Z.html", "中/文.html", "a/b-c"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    files = SiteFiles(tmp_path)
    assert files.in_order() == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert files.dirs == {""} | {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_dir()}
    assert files.stats["a/b.html"] == (8, (tmp_path / "a/b.html").stat().st_mtime_ns)
    times = [p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()]
    assert files.whole_seconds() == all(t % 10**9 == 0 for t in times)  # (False where times have ns)
    for path in tmp_path.rglob("*"):
        os.utime(path, ns=(1_700_000_000 * 10**9, 1_700_000_000 * 10**9))
    assert SiteFiles(tmp_path).whole_seconds()


def test_check_takes_the_base_url_the_site_was_built_for_and_refuses_another(tmp_path, monkeypatch, capsys):
    """A site built with --base-url checks without repeating it; a check for another URL is one clear
    error, not a list of every link as broken."""
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project)
    assert main(["build", "--base-url", "https://site.test/archive/", "--out", "o"]) == 0
    capsys.readouterr()
    assert main(["check", "--out", "o"]) == 0
    assert "(https://site.test/archive/;" in capsys.readouterr().out
    assert main(["check", "--out", "o", "--base-url", "https://site.test/archive"]) == 0  # the same URL
    capsys.readouterr()
    assert main(["check", "--out", "o", "--base-url", BASE_URL]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "was built for https://site.test/archive/, not " + BASE_URL in err
    assert "Traceback" not in err


def test_a_site_whose_home_page_names_no_base_url_is_checked_for_site_yamls(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0  # for site.yaml's base URL
    home = project / "_site" / "index.html"
    home.write_text(re.sub(r'<link rel="canonical"[^>]*>', "", home.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert main(["check"]) == 0
    assert f"({load_config(project / 'site.yaml').base_url};" in capsys.readouterr().out
