"""An article's markdown body as HTML (markdown-it-py, with raw HTML escaped), made on first use so that
a page whose fingerprint is unchanged never renders its body.
"""

from __future__ import annotations

import hashlib
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.content.model import Article


class LazyHtml:
    """HTML made on first use (jinja2 and markupsafe call __html__); fingerprinted by its key."""

    def __init__(self, key: str, produce: Callable[[], str]):
        self.key = key
        self._produce = produce
        self._html: str | None = None

    def __repr__(self) -> str:  # what a page's fingerprint sees of it
        return f"LazyHtml({self.key!r})"

    def __html__(self) -> str:
        if self._html is None:
            self._html = self._produce()
        return self._html


class BodyRenderer:
    """Article bodies to HTML (CommonMark, raw HTML disabled: content is untrusted), linking the first
    mention of each county (or one of its places) to the county page. Nothing else becomes a link."""

    VERSION = "1"  # bump when the HTML made from the same body changes

    def __init__(self, find_places: Callable[[str], list[tuple[str, str, int]]], county_href: Callable[[str], str],
                 signature: str = ""):
        self.md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        self.find_places = find_places
        self.county_href = county_href
        self.signature = signature  # everything besides the body the HTML depends on (places, links)

    def signature_of_output(self) -> str:
        """What the HTML made from a body depends on besides the body."""
        return f"{self.VERSION}\0{self.signature}"

    def lazy(self, article: Article) -> "LazyHtml":
        """The article body's HTML, made only if a page that shows it is rendered, so an unchanged
        article's body is not even read again. Its key, which a fingerprint holds instead of the HTML,
        is a hash of the body (or of the article's source key, which stands for its body); article
        pages hold the source key itself and signature_of_output() (see PageBuilder.article_inputs)."""
        source_key = article.source_key
        what = f"\1{source_key}" if source_key else f"\0{article.body}"  # (a body cannot pass for a key)
        key = hashlib.sha256(f"{self.signature_of_output()}{what}".encode()).hexdigest()
        return LazyHtml(key, lambda: self(article.body))

    def __call__(self, body: str) -> str:
        env: dict = {}
        tokens = self.md.parse(body, env)
        linked: set[str] = set()
        for token in tokens:
            if token.type == "inline" and token.children:
                token.children = self._link_places(token.children, linked)
        return self.md.renderer.render(tokens, self.md.options, env)

    def _link_places(self, children: list[Token], linked: set[str]) -> list[Token]:
        out: list[Token] = []
        depth = 0  # inside a link written in the content
        for child in children:
            depth += child.type == "link_open"
            depth -= child.type == "link_close"
            if child.type != "text" or depth:
                out.append(child)
                continue
            text, pos = child.content, 0
            for found, county, start in self.find_places(text):
                if county in linked:
                    continue
                linked.add(county)
                if start > pos:
                    out.append(_text(text[pos:start]))
                link = Token("link_open", "a", 1)
                link.attrs = {"href": self.county_href(county), "class": "place"}
                out.extend([link, _text(found), Token("link_close", "a", -1)])
                pos = start + len(found)
            if pos < len(text):
                out.append(_text(text[pos:]))
        return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
