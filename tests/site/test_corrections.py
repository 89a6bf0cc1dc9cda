"""Readers' corrections by pull request: with `repository` set, every article page links to GitHub's
editor for its own content file, and the footer to a page that says how corrections work."""

import re

from generator.check.checker import check_site
from generator.cli import main
from generator.content.load import load_articles
from generator.config import load_config
from sitebuild import BASE_URL, build_project, make_project

EDIT = re.compile(r'<p class="edit"><a href="([^"]+)" rel="nofollow">纠错 / 修改本文</a>')


def article_pages(site):
    return [p for p in site.rglob("index.html") if 'data-page-kind="article"' in p.read_text(encoding="utf-8")]


def test_each_article_links_to_the_editor_of_its_own_content_file(tmp_path):
    project = make_project(tmp_path / "p")
    with open(project / "site.yaml", "a", encoding="utf-8") as fh:
        fh.write("repository: {name: liaocheng/news-archive, branch: archive}\n")
    build_project(project)
    site = project / "_site"
    config = load_config(project / "site.yaml")
    by_id = {a.id: a for a in load_articles(project / "content", config)}
    pages = article_pages(site)
    assert len(pages) == len(by_id)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        article_id = re.search(r'data-article-id="([^"]+)"', text).group(1)
        edit = EDIT.search(text).group(1)
        rel = edit.removeprefix("https://github.com/liaocheng/news-archive/edit/archive/")
        assert rel.startswith("content/") and rel.endswith(f"/{article_id}.md")
        assert (project / rel).read_text(encoding="utf-8").startswith(f"---\nid: {article_id}\n")  # its own file
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="/archive/corrections/">纠错说明</a>' in home
    guide = (site / "corrections" / "index.html").read_text(encoding="utf-8")
    assert "pull request" in guide and "https://github.com/liaocheng/news-archive" in guide
    assert check_site(site, BASE_URL) == []


def test_without_a_repository_there_is_no_link_and_no_page(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    site = project / "_site"
    assert not any(EDIT.search(p.read_text(encoding="utf-8")) for p in article_pages(site))
    assert "纠错说明" not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "corrections").exists()


def test_the_build_takes_the_repository_from_the_command_line_and_checks_it(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project)
    assert main(["build", "--repository", "someone/fork"]) == 0
    assert "https://github.com/someone/fork/edit/main/content/" in "".join(
        p.read_text(encoding="utf-8") for p in article_pages(project / "_site"))
    capsys.readouterr()
    assert main(["build", "--repository", "not a repository"]) == 1
    err = capsys.readouterr().err
    assert "--repository: 'not a repository' is not valid: owner/name" in err and "Traceback" not in err
