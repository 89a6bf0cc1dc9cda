"""Search index: built from the article model (see the search issue)."""

from __future__ import annotations

from .output import Output
from .site import SiteModel


def write_search_index(site: SiteModel, analyses: dict, output: Output) -> None:
    """Nothing yet: the search page says search is not available."""
