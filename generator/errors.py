"""One error type that carries its context, printed by the CLI as one line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One problem found while loading or validating input."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message


class SiteError(Exception):
    """A user-facing error: bad input, bad config, an unwritable output.

    It may carry several problems at once (a config file with three bad keys
    reports all three).
    """

    def __init__(self, message: str | None = None, *, path: str | Path | None = None,
                 line: int | None = None, problems: list[Problem] | None = None):
        if problems is None:
            problems = [Problem(message or "error", str(path) if path else None, line)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_path(path: str | Path) -> str:
    """A path as the user typed it, relative to the working folder when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
