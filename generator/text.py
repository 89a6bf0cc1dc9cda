"""Plain text of an article body (markdown), for classification, keywords and search."""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def plain_text(body: str) -> str:
    """The words of a markdown body, one paragraph per line, without markup or escapes."""
    paragraphs = []
    for token in _parser().parse(body):
        if token.type == "inline" and token.children is not None:
            parts = []
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            paragraphs.append("".join(parts))
        elif token.type in ("code_block", "fence"):
            paragraphs.append(token.content.rstrip("\n"))
    return "\n".join(p for p in paragraphs if p)


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """Drop control characters (keeping tab and line breaks): they are invalid in HTML and XML and
    never part of a printed newspaper."""
    return _CONTROLS.sub("", text)


def first_sentence(text: str, limit: int = 120) -> str:
    """The article's first sentence (for descriptions and feed summaries), at most `limit` characters."""
    text = " ".join(text.split())
    m = re.search(r"^.+?[。！？!?](?=.)", text)
    sentence = m.group(0) if m else text
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"
