"""Faults and interruptions: the published site and the content are never left half-written."""

import errno
import marshal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.base import output
from generator.base.files import write_text_atomic
from generator.errors import SiteError
from generator.base.lock import build_lock
from sitebuild import ROOT, add_newer_issue, build_project, make_project, tree


@pytest.fixture
def project(tmp_path):
    p = make_project(tmp_path / "p")
    build_project(p)
    return p


def cli_build(project, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--base-url", "https://example.org/archive/"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_a_build_killed_mid_render_leaves_the_previous_site_intact(project):
    before = tree(project / "_site")
    base = project / "themes" / "default" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<!-- v2 --></footer>"), encoding="utf-8")
    staging = project / "._site.staging"
    proc = cli_build(project)
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until pages are being written into the staging folder
        if staging.is_dir() and sum(1 for _ in staging.rglob("*.html")) >= 5:
            break
        time.sleep(0.002)
    else:
        pytest.fail("the build never reached the render stage")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree(project / "_site") == before  # readers still see the complete previous site
    finished = cli_build(project)
    assert finished.wait() == 0, finished.stderr.read()
    assert not staging.exists() and not (project / "._site.old").exists()
    fresh = project.parent / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*", ".*.lock"))
    assert cli_build(fresh).wait() == 0
    assert tree(project / "_site") == tree(fresh / "_site")


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(project):
    with build_lock(project / "_site"):
        proc = cli_build(project)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "another build is writing _site/" in err and "Traceback" not in err


def test_a_full_disk_gives_a_clear_error_and_keeps_the_site(project, monkeypatch):
    before = tree(project / "_site")
    real = Path.write_bytes

    def full(self, data):
        if "staging" in str(self) and self.suffix == ".html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    base = project / "themes" / "default" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # every page must be rendered
    with pytest.raises(SiteError) as err:
        build_project(project)
    assert "No space left on device" in str(err.value.problems[0])
    assert tree(project / "_site") == before
    assert not (project / "._site.staging").exists()


def fresh_build_of(project):
    fresh = project.parent / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*", ".*.lock"))
    build_project(fresh)
    return tree(fresh / "_site")


def test_a_commit_killed_halfway_is_finished_by_the_next_build(project, monkeypatch):
    add_newer_issue(project)
    real = os.replace
    moved = []

    def dies_after_three(src, dst):
        if "staging" in str(src):
            if len(moved) == 3:
                raise KeyboardInterrupt  # the process is killed in the middle of the commit
            moved.append(dst)
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        build_project(project)
    monkeypatch.setattr(output.os, "replace", real)
    assert len(moved) == 3 and (project / ".cache" / output.JOURNAL).exists()
    build_project(project)
    assert not (project / ".cache" / output.JOURNAL).exists() and not (project / "._site.staging").exists()
    assert tree(project / "_site") == fresh_build_of(project)


@pytest.mark.parametrize("listing", ["listed by a process", "listed here"])
def test_files_added_to_or_deleted_from_the_site_by_hand_are_put_right(project, listing, monkeypatch):
    if listing == "listed here":
        monkeypatch.setattr(output.SiteListing, "start", classmethod(lambda cls, *args: None))
    site = project / "_site"
    stray = site / "2001" / "stray.html"
    stray.parent.mkdir()
    stray.write_text("not ours", encoding="utf-8")
    deleted = next(site.rglob("index.html"))
    deleted.unlink()
    edited = site / "search" / "manifest.json"
    report = build_project(project)
    assert report.rendered == 1
    assert not stray.exists() and not stray.parent.exists() and deleted.exists() and edited.exists()
    assert tree(site) == fresh_build_of(project)


def test_an_interrupted_content_write_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "content" / "2024" / "01" / "01" / "a.md"
    write_text_atomic(target, "---\nold\n---\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "---\nnew\n---\n" + "正文" * 10000)
    assert target.read_text(encoding="utf-8") == "---\nold\n---\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]  # no temporary file left behind


def test_a_listing_made_by_a_process_names_every_file_however_odd_its_name(tmp_path):
    names = ["a/index.html", "a/b/c/d.json", "line\nbreak.html", "space name.txt", "中文/页.html",
             os.fsdecode(b"not-utf8-\xff.html")]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "empty-folder").mkdir()
    with output.SiteListing(tmp_path) as listing:
        assert listing._process is not None  # (Linux has fork)
        assert listing.files() == set(names) == output._files_below(tmp_path)
    with output.SiteListing(tmp_path / "empty-folder") as listing:
        assert listing.files() == set()


def test_a_listing_process_that_fails_leaves_the_listing_to_this_process(tmp_path, monkeypatch):
    (tmp_path / "a.html").write_bytes(b"x")

    def fails(root, conn):
        raise OSError("no")

    monkeypatch.setattr(output, "_send_listing", fails)
    with output.SiteListing(tmp_path) as listing:
        assert listing.files() == {"a.html"}


def test_no_listing_is_begun_while_an_interrupted_commit_waits_to_be_finished(project):
    cache = project / ".cache"
    assert output.SiteListing.start(project / "_site", cache) is not None
    (cache / output.JOURNAL).write_text("{}", encoding="utf-8")
    assert output.SiteListing.start(project / "_site", cache) is None


@pytest.mark.parametrize("damage", ["garbage", "cut short", "written by another Python"])
def test_a_damaged_or_foreign_output_manifest_means_a_full_render_of_the_same_site(project, damage):
    manifest = project / ".cache" / output.MANIFEST
    data = manifest.read_bytes()
    if damage == "garbage":
        manifest.write_bytes(b"\x00not marshal" * 10)
    elif damage == "cut short":
        manifest.write_bytes(data[: len(data) // 2])
    else:
        format_, version, *rest = marshal.loads(data)
        manifest.write_bytes(marshal.dumps((format_, (version[0], version[1] + 1), *rest)))
    report = build_project(project)
    assert report.reused == 0 and report.rendered == report.pages
    assert tree(project / "_site") == fresh_build_of(project)
    assert build_project(project).rendered == 0  # and the manifest is good again
