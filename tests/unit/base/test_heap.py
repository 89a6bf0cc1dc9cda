"""The cycle collector during a build: paused while a stage makes data, frozen after, handed back at the end."""

import gc
import weakref

import pytest

from generator.base.heap import build_heap, long_lived
from generator.base.workers import fork_map


def _collector_on(_shared, _item) -> bool:
    return gc.isenabled()


@pytest.fixture(autouse=True)
def clean_collector():
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_a_stage_runs_paused_and_its_data_is_frozen_after():
    with build_heap():
        with long_lived():
            assert not gc.isenabled()
            data = [{"n": n} for n in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(data)
    assert gc.get_freeze_count() == 0


def test_a_failing_stage_leaves_the_collector_as_it_was():
    gc.disable()
    with pytest.raises(ValueError), long_lived():
        raise ValueError("stage failed")
    assert not gc.isenabled()
    gc.enable()
    with pytest.raises(ValueError), build_heap(), long_lived():
        raise ValueError("stage failed")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_cycle_made_while_paused_is_freed_once_the_build_ends():
    class Node:
        pass

    with build_heap():
        with long_lived():
            a, b = Node(), Node()
            a.other, b.other = b, a
            alive = weakref.ref(a)
            del a, b
        gc.collect()
        assert alive() is not None  # frozen: collections during the build leave it
    gc.collect()
    assert alive() is None


def test_forked_workers_collect_while_the_build_is_paused():
    with long_lived():
        assert fork_map(_collector_on, None, range(4), workers=2, chunksize=1) == [True] * 4


class Data:
    pass


def test_data_left_to_the_exit_is_kept_only_when_the_process_exits_after_the_build():
    for exit_after in (False, True):
        data = Data()
        ref = weakref.ref(data)
        with build_heap(exit_after) as keep_until_exit:
            keep_until_exit(data, [data])
        del data
        assert (ref() is not None) == exit_after  # kept for a process about to exit; else freed


def test_the_program_exits_with_its_code_and_its_output_flushed(tmp_path):
    import subprocess
    import sys

    from sitebuild import ROOT, make_project
    project = make_project(tmp_path / "p")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                        capture_output=True, text=True)
    # the summary's last words (this build ingests the sample pages, so it names the review list)
    assert ok.returncode == 0 and ok.stdout.startswith("built ") and ok.stdout.endswith(" ingest-review.md\n")
    (project / "site.yaml").write_text("title: [\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("error: site.yaml") and bad.stdout == ""
