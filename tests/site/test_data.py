"""Bulk data: a JSON Lines file per year (gzip) with every article's fields, text and URL, described by
a Frictionless datapackage.json; a new issue rewrites only its year's file and the descriptor."""

import gzip
import json

from generator.check.checker import check_site
from generator.config import load_config
from generator.content.load import load_articles
from generator.render.data import FIELDS
from generator.text import plain_text
from sitebuild import BASE_URL, add_newer_issue, build_project, make_project, tree


def test_every_article_is_in_its_years_file_with_its_fields_text_and_url(tmp_path):
    project = make_project(tmp_path / "p")
    with open(project / "site.yaml", "a", encoding="utf-8") as fh:
        fh.write("license: CC-BY-NC-4.0\n")
    build_project(project)
    site = project / "_site"
    config = load_config(project / "site.yaml")
    articles = {a.id: a for a in load_articles(project / "content", config)}
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-NC-4.0"}]
    seen = {}
    for resource in package["resources"]:
        assert [f["name"] for f in resource["schema"]["fields"]] == [name for name, _, _ in FIELDS]
        data = (site / "data" / resource["path"]).read_bytes()
        assert data[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same bytes on any day
        for line in gzip.decompress(data).decode("utf-8").splitlines():
            row = json.loads(line)
            assert list(row) == [name for name, _, _ in FIELDS]
            a = articles[row["id"]]
            assert resource["path"] == f"articles-{a.date.year}.jsonl.gz"
            assert row["text"] == plain_text(a.body) and row["title"] == a.title and row["page"] == a.page
            assert (site / row["url"].removeprefix(BASE_URL) / "index.html").is_file()
            seen[row["id"]] = row
    assert set(seen) == set(articles)
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    assert "许可：CC-BY-NC-4.0" in page and all(r["path"] in page for r in package["resources"])
    assert check_site(site, BASE_URL) == []


def test_a_new_issue_rewrites_only_its_years_file_and_the_descriptor(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    before = {k: v for k, v in tree(project / "_site").items() if k.startswith("data/") and k != "data/index.html"}
    assert "licenses" not in json.loads(before["data/datapackage.json"])  # none stated in site.yaml
    add_newer_issue(project)  # dated 2024-10-05
    build_project(project)
    after = {k: v for k, v in tree(project / "_site").items() if k.startswith("data/") and k != "data/index.html"}
    assert len(after) >= 3  # two years' files or more, and the descriptor
    assert {k for k in after if after[k] != before.get(k)} == {"data/articles-2024.jsonl.gz", "data/datapackage.json"}
    # A gzip member per day of issues: August's and September's stay as they were, October's follows
    assert after["data/articles-2024.jsonl.gz"].startswith(before["data/articles-2024.jsonl.gz"])
    old, new = (gzip.decompress(files["data/articles-2024.jsonl.gz"]).decode() for files in (before, after))
    assert new.startswith(old) and len(new.splitlines()) > len(old.splitlines())
    assert {json.loads(line)["date"][:7] for line in new.splitlines()} == {"2024-08", "2024-09", "2024-10"}


def test_a_site_can_leave_the_bulk_data_out(tmp_path):
    project = make_project(tmp_path / "p")
    text = (project / "site.yaml").read_text(encoding="utf-8")
    assert "\n  bulk_data: true\n" in text
    (project / "site.yaml").write_text(text.replace("\n  bulk_data: true\n", "\n  bulk_data: false\n"), encoding="utf-8")
    build_project(project)
    site = project / "_site"
    assert not (site / "data").exists()
    assert "数据下载" not in (site / "index.html").read_text(encoding="utf-8")
    assert "下载为数据文件" not in (site / "archive" / "index.html").read_text(encoding="utf-8")
    assert check_site(site, BASE_URL) == []
