"""Worker processes: forked helpers that never outlive the build that started them."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import threading
import time
from typing import Callable, Iterable

from .heap import worker_collects

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Call first thing in a worker, with the build's pid: if the build is killed, its workers go too
    (they would otherwise wait forever for work and keep the build's lock file open)."""
    if os.getppid() != parent:
        os._exit(1)  # already gone
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # not Linux: look for a new parent now and then
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def fork_workers(jobs: int, minimum: int) -> int:
    """How many forked workers `jobs` jobs call for: one per core, or 0 (do them here) when they are
    fewer than `minimum`, there is one core, or the platform cannot fork."""
    workers = os.cpu_count() or 1
    if jobs < minimum or workers < 2 or "fork" not in mp.get_all_start_methods():
        return 0
    return workers


_SHARED: tuple | None = None  # (function, shared) as forked workers inherit them


def fork_map(function: Callable, shared, items: Iterable, workers: int, chunksize: int) -> list:
    """[function(shared, item) for item in items] in forked workers. `shared` (the site model, an
    index) reaches them by the fork itself, not pickled; items and results are pickled."""
    global _SHARED
    _SHARED = (function, shared)
    try:
        with mp.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            return pool.map(_call_shared, items, chunksize=chunksize)
    finally:
        _SHARED = None


def _start_worker(parent: int) -> None:
    die_with_parent(parent)
    worker_collects()


def _call_shared(item):
    assert _SHARED is not None
    function, shared = _SHARED
    return function(shared, item)
