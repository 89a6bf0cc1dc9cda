"""What long work shows while it runs, on stderr (stdout keeps a command's result).

On a terminal, each stage is a live tqdm bar: its count, rate and time left. Elsewhere (CI logs), one
line per stage as it finishes: `build: render 10,150 pages in 2.31 s`. A stage that fails shows
nothing, so a failed command's stderr ends with its errors alone. Progress.silent() shows nothing: a
library call, a test, a forked strand (which hands its finished stages back for replay())."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


class _Bar(tqdm):
    monitor_interval = 0  # no monitor thread: a build forks, and a fork copies no other thread


@dataclass(frozen=True)
class Finished:
    """A stage that finished: what it counted (None: nothing) and how long it took."""
    name: str
    count: int | None
    unit: str
    seconds: float

    def line(self, command: str) -> str:
        unit = self.unit[:-1] if self.count == 1 and self.unit.endswith("s") else self.unit  # (1 file, 2 files)
        counted = f" {self.count:,} {unit}" if self.count is not None else ""
        return f"{command}: {self.name}{counted} in {self.seconds:.2f} s"


class Counter:
    """The count of a running stage; advance() moves its live bar, if it has one."""

    def __init__(self, bar: tqdm | None = None):
        self.count = 0
        self.bar = bar

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)

    def expect(self, total: int) -> None:
        """The count the stage will reach (for the time left)."""
        if self.bar is not None:
            self.bar.total = total
            self.bar.refresh()

    def counting(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.advance()  # (before it is handed on: a consumer may stop at the last one)
            yield item


@dataclass
class Progress:
    command: str = ""
    stream: TextIO | None = None  # None: show nothing
    live: bool = False  # bars that move (a terminal), else a line per finished stage
    finished: list[Finished] = field(default_factory=list)

    @classmethod
    def on_stderr(cls, command: str) -> "Progress":
        stream = sys.stderr
        return cls(command, stream, live=_is_terminal(stream))

    @classmethod
    def silent(cls) -> "Progress":
        return cls()

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Counter]:
        """A stage: the caller advances its counter when it counts `unit`s (else only its time shows)."""
        bar = None
        if self.live and self.stream is not None:
            bar = _Bar(total=total, desc=name, unit=f" {unit}" if unit else "", file=self.stream, leave=True,
                       dynamic_ncols=True, bar_format=None if unit else "{desc}: {elapsed}")
        counter = Counter(bar)
        start = time.perf_counter()
        try:
            yield counter
        except BaseException:
            if bar is not None:
                bar.leave = False  # a failed stage leaves no bar: the errors follow
                bar.close()
            raise
        done = Finished(name, counter.count if unit else None, unit, time.perf_counter() - start)
        self.finished.append(done)
        if bar is not None:
            bar.close()
        elif self.stream is not None:
            print(done.line(self.command), file=self.stream, flush=True)

    def replay(self, finished: list[Finished]) -> None:
        """Show stages that finished elsewhere (in a forked strand), as finished here."""
        for done in finished:
            self.finished.append(done)
            if self.stream is None:
                continue
            if self.live:
                _Bar.write(done.line(self.command), file=self.stream)
            else:
                print(done.line(self.command), file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    """Whether bars can move on `stream`: a terminal that has a size (tqdm shows nothing in one of no rows)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb" and size.columns > 0 and size.lines > 0
