"""Python's cycle collector during a build.

The build makes millions of small, long-lived objects and almost no reference cycles, so the stages
from load to render run with the collector paused and freeze what each made (gc.freeze), out of the
sight of later collections and of forked workers. Must stay true: nothing leaks; a frozen object is
freed as soon as nothing refers to it, and everything is handed back (gc.unfreeze) when the build
ends. Why: docs/architecture.md, "Memory".
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def long_lived() -> Iterator[None]:
    """Pause the collector while the block builds long-lived data, then freeze what it built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


_LEFT_TO_EXIT: list = []  # see build_heap(exit_after=True)


@contextmanager
def build_heap(exit_after: bool = False) -> Iterator[Callable[..., None]]:
    """Around a whole build: hand everything frozen back to the collector at the end (a process that
    builds many times, a test run or `serve`, then frees the previous build's cycles as usual).

    It gives the build a function to hand its big data to. With `exit_after` (the process exits as
    soon as the build is done: `news-archive build`), that data is kept until the exit, which frees
    it all at once, instead of being freed object by object when the build returns (~0.5 s at
    100,000 articles); otherwise the function does nothing."""
    def keep_until_exit(*objects: object) -> None:
        if exit_after:
            _LEFT_TO_EXIT.append(objects)

    try:
        yield keep_until_exit
    finally:
        gc.unfreeze()


def worker_collects() -> None:
    """In a worker forked while the collector was paused: collect the worker's own garbage as usual."""
    gc.enable()
