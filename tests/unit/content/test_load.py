"""Finding the content files."""

import os

from generator.content.load import content_files


def test_content_files_are_found_in_a_sorted_walk_that_marks_symlinks(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    for folder in (content / "2024" / "b", content / ".drafts", outside):
        folder.mkdir(parents=True)
    for rel in ("z.md", "notes.txt", ".hidden.md", "2024/a.md", "2024/B.md", "2024/b/c.md", ".drafts/d.md"):
        (content / rel).write_text("x", encoding="utf-8")
    (outside / "o.md").write_text("x", encoding="utf-8")
    os.symlink(outside, content / "linked")  # a symlinked folder is not entered
    os.symlink(outside / "o.md", content / "2024" / "l.md")
    os.symlink(tmp_path / "gone.md", content / "broken.md")

    assert content_files(content) == [
        (".hidden.md", False), ("broken.md", True), ("z.md", False),  # a folder's files first, sorted
        ("2024/B.md", False), ("2024/a.md", False), ("2024/l.md", True),  # then each subfolder in turn
        ("2024/b/c.md", False),
    ]
    assert content_files(tmp_path / "missing") == []


# -- loading with the build cache, in a git work tree ------------------------------------------

import marshal  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402

from generator.content import entries, git_index  # noqa: E402
from generator.content import load as content_module  # noqa: E402
from generator.base.cache import Cache  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.content.entries import BodySlice  # noqa: E402
from generator.content.git_index import git_unchanged  # noqa: E402
from generator.content.load import load_articles  # noqa: E402
from generator.errors import SiteError  # noqa: E402
from sitebuild import ROOT  # noqa: E402

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ARTICLE = """---
id: lcrb-20240105-p01-{n:02d}
title: 标题{n}
date: 2024-01-05
paper: lcrb
page: 1
---

第{n}篇正文，茌平区。
"""


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=folder,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A project whose content folder is committed to git: three articles."""
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    folder = tmp_path / "content" / "2024" / "01" / "05"
    folder.mkdir(parents=True)
    for n in range(1, 4):
        (folder / f"lcrb-20240105-p01-{n:02d}.md").write_text(ARTICLE.format(n=n), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "content")
    return tmp_path


def reads(monkeypatch) -> list[str]:
    """The content files the loader opens from now on."""
    opened: list[str] = []

    def counting_open(path, *args, **kwargs):
        opened.append(os.path.basename(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(entries, "open", counting_open, raising=False)
    return opened


def loaded_once(repo):
    """The project's site.yaml, its build cache, and its articles as a first build loads them."""
    config = load_config(repo / "site.yaml")
    cache = Cache(repo / ".cache" / "build.sqlite")
    return config, cache, load_articles(repo / "content", config, cache)


@needs_git
def test_files_git_has_unchanged_are_not_read_again_and_their_bodies_are_read_when_used(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    assert len(git_unchanged(repo / "content")) == 3

    opened = reads(monkeypatch)
    again = load_articles(repo / "content", config, cache)
    assert opened == []  # known by git's ids: no file read
    assert [a.body for a in again] == [a.body for a in first]  # each body read once, when asked for
    assert opened == [a.path.rsplit("/", 1)[1] for a in first]
    assert again == first == load_articles(repo / "content", config)
    assert [a.text_digest for a in again] == [a.text_digest for a in first]


@needs_git
def test_sizes_come_from_gits_index_and_a_file_without_one_is_looked_at(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    known = git_unchanged(repo / "content")
    assert {rel: size for rel, (_, size) in known.items()} == {
        rel: (repo / "content" / rel).stat().st_size for rel in known}

    git(repo, "read-tree", "HEAD")  # an index without stat data: git compares the files' bytes
    assert [size for _, size in git_unchanged(repo / "content").values()] == [None] * 3
    opened = reads(monkeypatch)
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(content_module.os, "stat", lambda path, *a, **k: (
        str(path).endswith(".md") and stats.append(path)) or real_stat(path, *a, **k))
    again = load_articles(repo / "content", config, cache)
    assert [a.source_key for a in again] == [a.source_key for a in first]  # the same cache keys,
    assert opened == [] and len(stats) == 3  # with each file's size from a stat
    assert again == first

    git(repo, "update-index", "--refresh")  # git has the sizes again
    stats.clear(), opened.clear()
    assert [a.source_key for a in load_articles(repo / "content", config, cache)] == [a.source_key for a in first]
    assert opened == [] and stats == []


@needs_git
def test_without_gits_stat_data_in_the_form_known_here_files_are_known_by_their_ids(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    known = git_unchanged(repo / "content")
    monkeypatch.setattr(git_index, "_index_entries", lambda out: None)
    assert git_unchanged(repo / "content") == {rel: (blob, None) for rel, (blob, _) in known.items()}
    opened = reads(monkeypatch)
    assert [a.source_key for a in load_articles(repo / "content", config, cache)] == [a.source_key for a in first]
    assert opened == []


def test_gits_stat_data_is_read_only_in_the_form_known_here():
    blob = b"0123456789abcdef0123456789abcdef01234567"
    entry = (b"H 100644 " + blob + b" 0\tdir/a b.md\0  ctime: 1:2\n  mtime: 3:4\n  dev: 5\tino: 6\n"
             b"  uid: 0\tgid: 0\n  size: 321\tflags: 0\n")
    assert git_index._index_entries(entry * 2) == [(b"H", b"100644", blob, b"0", b"dir/a b.md", b"321")] * 2
    assert git_index._index_entries(b"") == []
    assert git_index._index_entries(entry + b"H 100644 " + blob + b" 0\tc.md\0") is None  # no stat data
    assert git_index._index_entries(entry.replace(b"size: 321", b"size: 3k") + entry) is None


@needs_git
def test_a_parsed_file_in_the_cache_in_another_form_is_parsed_again(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    rows = dict(cache.db.execute("SELECT key, data FROM articles"))
    keys = sorted(rows)
    damaged = {keys[0]: rows[keys[0]][:-7], keys[1]: b'{"id": "x"}', keys[2]: marshal.dumps(("x",) * 3)}
    cache.db.executemany("UPDATE articles SET data = ? WHERE key = ?", [(v, k) for k, v in damaged.items()])
    cache.db.commit()
    opened = reads(monkeypatch)
    assert load_articles(repo / "content", config, cache) == first
    assert sorted(opened) == sorted(a.path.rsplit("/", 1)[1] for a in first)  # each parsed from its file
    assert dict(cache.db.execute("SELECT key, data FROM articles")) == rows  # and its entry put right


@needs_git
def test_an_edit_git_has_not_seen_is_loaded(repo, monkeypatch):
    config = load_config(repo / "site.yaml")
    cache = Cache(repo / ".cache" / "build.sqlite")
    load_articles(repo / "content", config, cache)
    files = sorted((repo / "content").rglob("*.md"))

    files[0].write_text(ARTICLE.format(n=1).replace("标题1", "标题7"), encoding="utf-8")  # same size, not staged
    files[1].write_text(ARTICLE.format(n=2).replace("标题2", "新标题"), encoding="utf-8")
    git(repo, "add", str(files[1]))  # staged, not committed
    files[2].write_text(ARTICLE.format(n=3).replace("标题3", "标题9"), encoding="utf-8")  # the same size
    git(repo, "update-index", "--assume-unchanged", str(files[2]))  # git is told not to look at it
    (files[0].parent / "lcrb-20240105-p01-04.md").write_text(ARTICLE.format(n=4), encoding="utf-8")  # untracked

    loaded = {a.id: a for a in load_articles(repo / "content", config, cache)}
    assert loaded["lcrb-20240105-p01-01"].title == "标题7"
    assert loaded["lcrb-20240105-p01-02"].title == "新标题"
    assert loaded["lcrb-20240105-p01-03"].title == "标题9"
    assert loaded["lcrb-20240105-p01-04"].title == "标题4"
    assert list(loaded.values()) == load_articles(repo / "content", config)
    # known to git: only the staged file, by the id of what was staged
    assert list(git_unchanged(repo / "content")) == ["2024/01/05/lcrb-20240105-p01-02.md"]

    git(repo, "update-index", "--no-assume-unchanged", str(files[2]))
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "edits")
    assert len(git_unchanged(repo / "content")) == 4
    assert load_articles(repo / "content", config, cache) == list(loaded.values())


@needs_git
def test_a_file_changed_after_loading_stops_the_build_when_its_body_is_read(repo):
    config = load_config(repo / "site.yaml")
    cache = Cache(repo / ".cache" / "build.sqlite")
    load_articles(repo / "content", config, cache)
    article = load_articles(repo / "content", config, cache)[0]
    assert isinstance(article.__dict__["_body"], BodySlice)
    edited = repo / "content" / article.path.split("/", 1)[1]
    edited.write_text(ARTICLE.format(n=1) + "又一段。\n", encoding="utf-8")
    with pytest.raises(SiteError, match=rf"{article.path}: the file changed while the site was being built"):
        article.body


def test_outside_a_git_work_tree_nothing_is_known_to_git(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("x", encoding="utf-8")
    assert git_unchanged(tmp_path / "content") == {}
    assert git_unchanged(tmp_path / "missing") == {}


@needs_git
def test_without_git_or_when_git_fails_every_file_is_read(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    monkeypatch.setenv("PATH", str(repo / "no-programs-here"))  # git is not found
    assert git_unchanged(repo / "content") == {}
    names = sorted(a.path.rsplit("/", 1)[1] for a in first)
    opened = reads(monkeypatch)
    again = load_articles(repo / "content", config, cache)
    assert sorted(opened) == names and again == first  # each file read to be known by its bytes
    monkeypatch.undo()
    (repo / ".git" / "index").write_bytes(b"not an index")  # git stops with an error
    assert git_unchanged(repo / "content") == {}
    opened = reads(monkeypatch)
    again = load_articles(repo / "content", config, cache)
    assert sorted(opened) == names and again == first


@needs_git
def test_loading_only_some_files_gives_what_a_full_load_gives_for_them(repo, monkeypatch):
    config, cache, first = loaded_once(repo)
    new = repo / "content" / "2024" / "01" / "06" / "lcrb-20240106-p01-01.md"
    new.parent.mkdir(parents=True)
    text = ARTICLE.format(n=4).replace("lcrb-20240105-p01-04", "lcrb-20240106-p01-01")
    new.write_text(text.replace("2024-01-05", "2024-01-06"), encoding="utf-8")
    opened = reads(monkeypatch)
    only = load_articles(repo / "content", config, cache, only=[new])
    assert opened == [new.name]  # no other file, and no listing of the folder
    assert only == [a for a in load_articles(repo / "content", config) if a.path.endswith(new.name)]


def test_an_article_comes_back_from_its_cache_entry_with_every_field_by_position_and_by_name(monkeypatch):
    import datetime as dt

    from generator.content.model import Article

    article = Article(
        id="lcrb-20240105-p01-01", title="标题", date=dt.date(2024, 1, 5), paper="lcrb", kind="photo",
        kicker="引题", subtitle="副题", column="专栏", page=3, authors=["甲"], correspondents=["乙", "丙"],
        photographers=["丁"], dateline="本报临清讯", county="临清市", topics=["乡村振兴"], source="a.txt",
        truncated=True, auto={"county": "临清市"}, body="正文\n", path="2024/01/05/a.md",
        source_key="k" * 64, text_digest="d" * 64)
    entry = entries.read_entry(entries.cache_entry(article, [1, 2, 3]))
    values, span, digest = entry
    assert span == [1, 2, 3] and digest == "d" * 64
    assert entries._BY_POSITION  # Article's fields are in the order article_from_entry expects
    back = entries.article_from_entry(values, "正文\n", "k" * 64, digest)
    monkeypatch.setattr(entries, "_BY_POSITION", False)  # (a model whose fields moved: by name)
    by_name = entries.article_from_entry(values, "正文\n", "k" * 64, digest)
    for made in (back, by_name):
        assert made == article and (made.source_key, made.text_digest) == (article.source_key, article.text_digest)
