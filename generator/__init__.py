"""news-archive: a static site generator for a Chinese local-news archive."""

__version__ = "0.1.0"
