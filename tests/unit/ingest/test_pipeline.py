"""Ingest writes content files without ever losing an editor's change."""


import pytest

from generator.config import load_config
from generator.content.load import load_articles
from generator.errors import SiteError
from generator.ingest.pipeline import ingest_paths
from generator.base.output import safe_relpath
from sitebuild import make_project


@pytest.fixture
def project(tmp_path):
    p = make_project(tmp_path / "p")
    for raw in sorted((p / "seeds").glob("*.txt"))[1:]:
        raw.unlink()  # one page is enough here
    return p


def ingest(project, **kw):
    config = load_config(project / "site.yaml")
    return ingest_paths(config, [project / "seeds"], content_dir=project / "content", **kw)


def test_dry_run_writes_nothing(project):
    result = ingest(project, dry_run=True)
    assert not (project / "content").exists()
    assert any("would write" in line for line in result.report)


def test_edited_article_is_kept_unless_forced(project):
    ingest(project)
    files = sorted((project / "content").rglob("*.md"))
    assert len(files) == 10
    edited = files[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: 编辑改过的", 1), encoding="utf-8")
    result = ingest(project)
    assert result.kept == 1 and result.written == 0 and result.unchanged == 9
    assert "编辑改过的" in edited.read_text(encoding="utf-8")
    ingest(project, force=True)
    assert "编辑改过的" not in edited.read_text(encoding="utf-8")


def test_ingested_files_load_back_as_the_same_articles(project):
    result = ingest(project)
    config = load_config(project / "site.yaml")
    loaded = {a.id: a for a in load_articles(project / "content", config)}
    for article in result.pages[0].articles:
        back = loaded[article.id]
        assert (back.title, back.authors, back.county, back.topics) == \
               (article.title, article.authors, article.county, article.topics)


def test_page_missing_from_manifest_is_inferred_with_a_warning(project):
    (project / "seeds" / "pages.yaml").write_text("", encoding="utf-8")
    result = ingest(project)
    assert len(result.warnings) == 1 and "inferred paper dzrb and date 2023-04-2" in result.warnings[0]


def test_manifest_errors_name_file_and_line(project):
    (project / "seeds" / "pages.yaml").write_text("a.txt: {paper: dzrb, date: 2023-04-24}\n"
                                                 "b.txt: {paper: xyz, date: 2023-02-30}\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        ingest(project)
    shown = err.value.problems[0].path
    assert shown.endswith("seeds/pages.yaml")
    assert [str(p) for p in err.value.problems] == [f"{shown}:2: b.txt.paper: unknown paper 'xyz'",
                                                     f"{shown}:2: b.txt.date: 2023-02-30 is not a real date"]


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../b", "a\\b", "c:/x", ""])
def test_output_paths_cannot_escape(bad):
    with pytest.raises(SiteError):
        safe_relpath(bad)


@pytest.mark.parametrize("fine", ["index.html", "2024/01/05/lcrb/lcrb-20240105-p01-01/index.html",
                                  "search/r/12.json", "static/style.css", "a-b_c.d/e"])
def test_a_plain_output_path_is_kept_as_it_is(fine):
    assert safe_relpath(fine) == fine


def test_the_quick_check_of_plain_paths_agrees_with_the_general_one():
    """safe_relpath takes paths of plain segments as they are; anything else goes through the general
    checks. Both must give the same answer for every path."""
    from hypothesis import given, settings, strategies as st

    from generator.base import output

    def general(rel):
        pattern = output._PLAIN_PATH
        try:
            output._PLAIN_PATH = type("Never", (), {"fullmatch": staticmethod(lambda s: None)})
            return safe_relpath(rel)
        except SiteError:
            return SiteError
        finally:
            output._PLAIN_PATH = pattern

    def quick(rel):
        try:
            return safe_relpath(rel)
        except SiteError:
            return SiteError

    @settings(max_examples=3000, deadline=None)
    @given(st.text(alphabet="ab.-_/\\:\0 \n中", max_size=12))
    def agree(rel):
        assert quick(rel) == general(rel)

    agree()
    for rel in ("a/./b", "./a", "a/", "a//b", ".hidden", "a/..", "-a", "a\n"):
        assert quick(rel) == general(rel)
