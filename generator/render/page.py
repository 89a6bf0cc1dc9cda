"""A page of the site as the render stage takes it: its URL, template and context (or how to make the
context, and what it is made from, so that an unchanged page is neither made nor rendered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


class FixedDict(dict):
    """A dict that many pages include and nobody changes once it is made (an article's summary).
    Its repr, which page fingerprints are made of, is computed once instead of once per page."""

    __slots__ = ("_repr",)

    def __repr__(self) -> str:
        try:
            return self._repr
        except AttributeError:
            self._repr = dict.__repr__(self)
            return self._repr


@dataclass
class Page:
    url: str  # site-relative, '' for the home page
    template: str
    kind: str  # the data-page-kind of the body
    context: dict | None
    # Pages made from many small pieces (articles) are built only if they are rendered: `make` builds
    # the context, and the page is fingerprinted by `inputs`, everything the context is made from.
    make: Callable[[], dict] | None = field(default=None, repr=False)
    inputs: tuple | str | None = None

    def data(self) -> dict:
        if self.context is None:
            assert self.make is not None
            self.context = self.make()
        return self.context
