"""Worker processes: forked helpers that never outlive the build that started them."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from typing import Callable, Iterable

from generator.errors import SiteError
from generator.base.heap import worker_collects
from generator.base.progress import Counter

PR_SET_PDEATHSIG = 1


BACKGROUND_NICENESS = 10


def run_in_background() -> None:
    """Call in a helper process whose work is not awaited right away (listing the previous site,
    loading jieba in case there is text to analyse): on a machine with fewer free cores than busy
    processes, the build's own process, which every later stage waits for, gets the CPU first."""
    try:
        os.nice(BACKGROUND_NICENESS)
    except (OSError, AttributeError):  # not allowed, or not on this system: run as it is
        pass


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


def fork_map(function: Callable, shared, items: Iterable, workers: int, chunksize: int,
             counter: Counter | None = None) -> list:
    """[function(shared, item) for item in items] in forked workers. `shared` (the site model, an
    index) reaches them by the fork itself, not pickled; items and results are pickled. `counter`
    counts the results as they come."""
    global _SHARED
    _SHARED = (function, shared)
    counter = counter or Counter()
    try:
        with mp.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            return list(counter.counting(pool.imap(_call_shared, items, chunksize=chunksize)))
    finally:
        _SHARED = None


def _start_worker(parent: int) -> None:
    die_with_parent(parent)
    worker_collects()


def _call_shared(item):
    assert _SHARED is not None
    function, shared = _SHARED
    return function(shared, item)


def can_fork() -> bool:
    """Whether a ForkedCall may fork here: the platform can, and no other thread runs (a fork copies
    no other thread, nor releases a lock one of them holds)."""
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


class ForkedCall:
    """function() in a child process forked now, while this process goes on with other work; result()
    waits for it and returns what it returned (pickled through a pipe) or raises its error here. What
    the function needs reaches the child by the fork itself. Where it cannot fork (see can_fork: in
    `serve`, whose web server runs in threads), or with `parallel` False, the function is called here
    and now. Use as a context manager: leaving it by an error stops the child."""

    def __init__(self, function: Callable[[], object], parallel: bool = True):
        self.pid: int | None = None
        self.pipe: int | None = None
        self.value: object = None
        self.answered = False  # the child has sent its outcome
        self.forked = False
        if not parallel or not can_fork():
            self.value = function()
            return
        read, write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _run_forked(function, write, parent)  # does not return
        os.close(write)
        self.pid, self.pipe, self.forked = pid, read, True

    def result(self) -> object:
        if self.pid is None or self.answered:
            return self.value
        with os.fdopen(self.pipe, "rb") as pipe:
            self.pipe = None
            data = pipe.read()
        try:
            kind, value = pickle.loads(data)  # (a child that stopped while writing sent a truncated pickle)
        except Exception:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            raise SiteError(f"a build process forked beside this one stopped unexpectedly "
                            f"(exit status {os.waitstatus_to_exitcode(status)})") from None
        # All is said: the child is left to exit (a big process takes a while to) and reaped by stop().
        self.answered = True
        if kind == "error":
            raise value
        if kind == "bug":
            raise RuntimeError(value)
        self.value = value
        return value

    def stop(self) -> None:
        """Reap the child; one that has not answered yet is killed first."""
        if self.pid is not None:
            if not self.answered:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None

    def __enter__(self) -> "ForkedCall":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _run_forked(function: Callable[[], object], pipe: int, parent: int) -> None:
    """In the forked child: run, send (kind, value) to the parent, and leave without running anything
    of the parent's at exit (its atexit handlers, destructors, buffered output)."""
    code = 1
    try:
        die_with_parent(parent)
        try:
            outcome = ("ok", function())
        except SiteError as err:
            outcome = ("error", err)
        except BaseException:
            outcome = ("bug", "in a build process forked beside the build:\n" + traceback.format_exc())
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value or an error that cannot be pickled: a bug, said as text
            data = pickle.dumps(("bug", "in a build process forked beside the build, its outcome cannot be "
                                        f"sent back ({outcome[0]}: {outcome[1]!r:.200}):\n{traceback.format_exc()}"))
        with os.fdopen(pipe, "wb") as out:
            out.write(data)
        code = 0
    finally:
        os._exit(code)
