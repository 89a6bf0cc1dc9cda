"""The theme: where templates and static files are looked up (the site's overrides, the configured
theme, then the default theme shipped in themes/default).
"""

from __future__ import annotations

from pathlib import Path

from generator.config import SiteConfig

DEFAULT_THEME = Path(__file__).resolve().parents[1] / "themes" / "default"


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Template lookup chain: the site's overrides, the configured theme, the default theme."""
    dirs = [config.path("templates"), config.path("theme") / "templates", DEFAULT_THEME / "templates"]
    out = []
    for d in dirs:
        if d.is_dir() and d not in out:
            out.append(d)
    return out


def static_dirs(config: SiteConfig) -> list[Path]:
    """Static files: the configured theme's first, then the default theme's."""
    out = []
    for d in (config.path("theme") / "static", DEFAULT_THEME / "static"):
        if d.is_dir() and d not in out:
            out.append(d)
    return out
