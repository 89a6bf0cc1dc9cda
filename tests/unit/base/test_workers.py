"""Work in a process forked beside the build: what comes back, what goes wrong, and that a build
whose two strands run side by side makes exactly what one process makes."""

import marshal
import os
import shutil
import sqlite3
import time

import pytest

from generator import build as build_module
from generator.base.cache import Cache
from generator.errors import SiteError
from generator.base.output import MANIFEST, Output
from generator.base.workers import ForkedCall
from sitebuild import add_newer_issue, build_project, make_project, tree


# -- ForkedCall ---------------------------------------------------------------------------------

def test_a_forked_call_returns_what_the_child_returned():
    here = os.getpid()
    with ForkedCall(lambda: {"pid": os.getpid(), "text": "聊城" * 50_000}) as call:
        assert call.forked
        value = call.result()
    assert value["pid"] != here and value["text"] == "聊城" * 50_000  # (bigger than a pipe's buffer)


def test_without_parallel_the_call_runs_here_at_once():
    ran = []
    call = ForkedCall(lambda: ran.append(os.getpid()) or "done", parallel=False)
    assert ran == [os.getpid()] and not call.forked
    assert call.result() == "done"


def test_while_another_thread_runs_the_call_runs_here():
    import threading
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        call = ForkedCall(os.getpid)
        assert not call.forked and call.result() == os.getpid()
    finally:
        release.set()
        other.join()
    assert ForkedCall(os.getpid).result() != os.getpid()


def test_a_site_error_in_the_child_is_raised_here_with_its_problems():
    def fail():
        raise SiteError("bad thing", path="content/a.md", line=3)

    with pytest.raises(SiteError) as caught:
        ForkedCall(fail).result()
    assert str(caught.value) == "content/a.md:3: bad thing"
    assert [str(p) for p in caught.value.problems] == ["content/a.md:3: bad thing"]


def test_a_bug_in_the_child_is_raised_here_with_its_traceback():
    def divide():
        return 1 / 0

    with pytest.raises(RuntimeError, match=r"(?s)forked beside the build.*in divide.*ZeroDivisionError"):
        ForkedCall(divide).result()


def test_a_value_that_cannot_be_sent_back_is_a_bug_said_as_text():
    with pytest.raises(RuntimeError, match=r"(?s)its outcome cannot be sent back \(ok: <function.*Error"):
        ForkedCall(lambda: lambda: None).result()


def test_a_child_that_dies_without_a_result_is_an_error_here():
    with pytest.raises(SiteError, match=r"stopped unexpectedly \(exit status 3\)"):
        ForkedCall(lambda: os._exit(3)).result()


def test_leaving_by_an_error_stops_the_child(tmp_path):
    marker = tmp_path / "late"
    with pytest.raises(KeyError):
        with ForkedCall(lambda: time.sleep(1.5) or marker.write_text("x")) as call:
            pid = call.pid
            raise KeyError("the other strand failed")
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped: no zombie left
    time.sleep(2)
    assert not marker.exists()


# -- what the child hands back ------------------------------------------------------------------

def test_a_forked_process_hands_back_its_cache_reads_and_writes(tmp_path):
    with Cache(tmp_path / "build.sqlite") as cache:
        cache.put_many("t", {"a": [1], "b": [2], "c": [3]})
        cache.put_many("u", {"x": [0]})
    with Cache(tmp_path / "build.sqlite") as cache:
        assert cache.get_many("t", ["a"]) == {"a": [1]}

        def child() -> tuple:
            cache.in_forked_child()
            found = cache.get_many("t", ["b", "missing"])
            cache.put_many("t", {"d": [4]}, extras={"d": "big"})
            cache.replace_data("t", {"b": [22]})
            return found, cache.effects()

        found, effects = ForkedCall(child).result()
        assert found == {"b": [2]}
        assert cache.get_many("t", ["d"]) == {}  # nothing written by the child itself
        cache.apply_effects(effects)
        assert cache.get_many("t", ["b", "d"]) == {"b": [22], "d": [4]} and cache.get_extra("t", ["d"]) == {"d": "big"}
        cache.drop_unused()  # keeps what either process used: a, b, d (and "missing" was asked for)
    db = sqlite3.connect(tmp_path / "build.sqlite")
    assert sorted(k for (k,) in db.execute("SELECT key FROM t")) == ["a", "b", "d"]
    db.close()


def test_a_forked_process_hands_back_what_it_wrote_and_kept_in_the_output(tmp_path):
    out, cache_dir = tmp_path / "_site", tmp_path / ".cache"
    with Output(out, cache_dir) as first:
        first.write("a.html", b"a", kind="html")
        first.write("b.html", b"b", kind="html")
        first.commit()
    with Output(out, cache_dir) as output:
        output.write("a.html", b"a", kind="html")  # kept
        mark = output.mark()

        def child() -> tuple:
            output.write("b.html", b"b", kind="html")  # kept
            output.write("c.html", b"cc", kind="html")  # new
            return output.effects_since(mark)

        effects = ForkedCall(child).result()
        assert "c.html" not in output.manifest
        output.apply_effects(effects)
        assert (output.reused, sorted(output.manifest), output.staged) == (2, ["a.html", "b.html", "c.html"], ["c.html"])
        assert output.bytes_by_kind == {"html": 4}
        with pytest.raises(SiteError, match="two outputs write the same file: b.html"):
            output.apply_effects(effects)
        output.commit()
    assert tree(out) == {"a.html": b"a", "b.html": b"b", "c.html": b"cc"}


# -- a build in two strands --------------------------------------------------------------------

def cache_rows(project) -> dict[str, list]:
    db = sqlite3.connect(project / ".cache" / "build.sqlite")
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(db.execute(f"SELECT * FROM {t}")) for t in tables}
    finally:
        db.close()


def manifest_files(project) -> dict:
    return marshal.loads((project / ".cache" / MANIFEST).read_bytes())[-1]


def new_issue_build(where, monkeypatch, beside_up_to: int, search_index: str):
    project = make_project(where, search_index)
    build_project(project)
    add_newer_issue(project)
    monkeypatch.setattr(build_module, "BESIDE_UP_TO", beside_up_to)
    report = build_project(project)
    monkeypatch.undo()
    return project, report


@pytest.mark.parametrize("search_index", ["single", "sharded"])
def test_a_new_issue_built_in_two_processes_is_the_build_of_one(tmp_path, monkeypatch, search_index):
    where = tmp_path / "p"  # both builds in the same folder: fingerprints hash site.yaml's paths
    project, alone = new_issue_build(where, monkeypatch, -1, search_index)
    made_alone = tree(project / "_site"), manifest_files(project), cache_rows(project)
    shutil.rmtree(where)
    project, beside = new_issue_build(where, monkeypatch, 2000, search_index)
    assert not alone.beside and set(beside.beside) == {"search", "pages", "feeds"}  # it did fork
    assert "search" in alone.timings and "search" not in beside.timings
    assert 0 < beside.rendered < beside.pages
    for field in ("articles", "pages", "rendered", "reused", "analysed", "bytes_by_kind"):
        assert getattr(beside, field) == getattr(alone, field), field
    site, manifest, rows = made_alone
    assert tree(project / "_site") == site
    assert manifest_files(project) == manifest
    assert cache_rows(project) == rows


def test_a_build_while_another_thread_runs_keeps_to_one_process(tmp_path, monkeypatch):
    import threading
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # as `serve`'s web server
    other.start()
    try:
        project, report = new_issue_build(tmp_path / "p", monkeypatch, 2000, "sharded")
    finally:
        release.set()
        other.join()
    assert not report.beside and "search" in report.timings and 0 < report.rendered < report.pages
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    assert tree(project / "_site") == tree(fresh / "_site")


@pytest.mark.parametrize("strand", ["beside", "here"])
def test_an_error_in_either_strand_stops_the_build_and_keeps_the_site(tmp_path, monkeypatch, strand):
    project = make_project(tmp_path / "p")
    build_project(project)
    before = tree(project / "_site")
    add_newer_issue(project)
    marker = tmp_path / "beside-finished"
    real_feeds = build_module.write_feeds

    def feeds(*args):
        if strand == "beside":
            raise SiteError("cannot write the feeds", path="feed.xml")
        time.sleep(1.5)  # still at work when the other strand fails
        real_feeds(*args)
        marker.write_text("x")

    def links(*args, **kwargs):
        if strand == "here":
            raise SiteError("cross-links failed")
        return real_links(*args, **kwargs)

    calls: list[ForkedCall] = []

    class RecordedCall(ForkedCall):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            calls.append(self)

    real_links = build_module.cross_links
    monkeypatch.setattr(build_module, "write_feeds", feeds)
    monkeypatch.setattr(build_module, "cross_links", links)
    monkeypatch.setattr(build_module, "ForkedCall", RecordedCall)
    started = time.monotonic()
    with pytest.raises(SiteError, match="feed.xml: cannot write the feeds" if strand == "beside" else "cross-links"):
        build_project(project)
    assert tree(project / "_site") == before
    assert not list(project.glob("._site*"))  # no staging folder left
    assert len(calls) == 1 and calls[0].forked and calls[0].pid is None  # the strand beside forked, was reaped
    time.sleep(max(0.0, started + 4 - time.monotonic()))
    assert not marker.exists()  # and it had been stopped, not left to finish

    monkeypatch.undo()
    build_project(project)
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    assert tree(project / "_site") == tree(fresh / "_site")


# -- helpers in the background --------------------------------------------------------------------

def _priority_of_this_process(*job) -> int:  # (a worker is handed a function by its name)
    return os.getpriority(os.PRIO_PROCESS, 0)


def test_the_helpers_that_run_while_the_build_reads_its_content_yield_the_cpu_to_it(tmp_path, monkeypatch):
    """The listing of the previous site and the worker loading jieba run at a lower priority than the
    build's own process, which every later stage waits for; the workers of a big analysis do not."""
    from generator.analysis import analyze
    from generator.analysis.words import Lexicon

    from generator.base import output

    here = os.getpriority(os.PRIO_PROCESS, 0)
    monkeypatch.setattr(output, "_files_below", lambda root: {str(os.getpriority(os.PRIO_PROCESS, 0))})
    with output.SiteListing(tmp_path) as listing:
        assert listing._process is not None
        assert listing.files() == {str(min(here + 10, 19))}

    monkeypatch.setattr(Lexicon, "load", lambda self: None)  # (no dictionaries to load)
    monkeypatch.setattr(analyze, "_analyse_job", _priority_of_this_process)
    with analyze.AnalysisWorker(Lexicon()) as worker:
        assert worker.map([None]) == [min(here + 10, 19)]
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(1, initializer=analyze._warm_up, initargs=(os.getpid(), Lexicon())) as pool:
        assert pool.submit(_priority_of_this_process).result() == here
