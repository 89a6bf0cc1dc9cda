"""How an article is cited: the line GB/T 7714-2015 gives a newspaper article, the Highwire
`citation_*` values reference managers read from the page (Zotero's embedded-metadata import), and a
RIS file beside the article page (`<article URL>cite.ris`, type NEWS) for any reference manager.

Must stay true: every value comes from the article's front matter, its URL and its paper's name, and
content never breaks out of where it lands (templates escape the meta tags; RIS values lose their
line breaks, so no text starts a field of its own).
"""

from __future__ import annotations

from generator.base.output import Output
from generator.content.model import Article
from generator.content.site import SiteModel

RIS_FILE = "cite.ris"  # beside the article's index.html
RIS_VERSION = "1"  # bump when ris() makes other bytes from the same article
AUTHORS_LISTED = 3  # GB/T 7714-2015: more than three people: the first three, then "等"


def cited_people(a: Article) -> list[str]:
    """Who wrote it: its reporters and correspondents, or, for a photo story, its photographers."""
    return [*a.authors, *a.correspondents] or list(a.photographers)


def cited_title(a: Article) -> str:
    return f"{a.title}：{a.subtitle}" if a.subtitle else a.title


def gbt7714(a: Article, paper: str) -> str:
    """`作者. 题名[N]. 报纸名, 出版日期(版次).` (GB/T 7714-2015, 4.4 and 8.1: up to three people)."""
    people = cited_people(a)
    who = ", ".join(people[:AUTHORS_LISTED]) + (", 等" if len(people) > AUTHORS_LISTED else "")
    page = f"({a.page})" if a.page else ""
    return f"{who + '. ' if who else ''}{cited_title(a)}[N]. {paper}, {a.date.isoformat()}{page}."


def highwire(a: Article, paper: str, url: str) -> list[tuple[str, str]]:
    """(name, content) of the `citation_*` meta tags, in the order Google Scholar's guidelines list
    them; the page's template escapes them."""
    tags = [("citation_title", cited_title(a))]
    tags += [("citation_author", name) for name in cited_people(a)]
    tags += [("citation_publication_date", a.date.strftime("%Y/%m/%d")), ("citation_journal_title", paper)]
    if a.page:
        tags.append(("citation_firstpage", str(a.page)))
    tags += [("citation_language", "zh"), ("citation_public_url", url)]
    return tags


def ris(a: Article, paper: str, url: str) -> bytes:
    """The RIS record of a newspaper article (TY NEWS), lines ending in CRLF as RIS has them."""
    fields = [("TY", "NEWS"), ("TI", cited_title(a))]
    fields += [("AU", name) for name in cited_people(a)]
    fields += [("T2", paper), ("PY", str(a.date.year)), ("DA", a.date.strftime("%Y/%m/%d"))]
    if a.page:
        fields.append(("SP", str(a.page)))
    fields += [("LA", "zh"), ("UR", url), ("ER", "")]
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in fields).encode("utf-8")


def _one_line(value: str) -> str:
    return " ".join(value.split()) if any(c in value for c in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029") else value


def write_ris_files(site: SiteModel, output: Output) -> None:
    """Every article's RIS file, rewritten only when the article, its URL or its paper's name changed."""
    base = site.config.base_url
    for a in site.articles:
        url = site.urls[a.id]
        paper = site.config.paper(a.paper).name
        # (the source key stands for every field of an article loaded from its file)
        fields = a.source_key or repr((cited_title(a), cited_people(a), a.date, a.page))
        output.write_cached(url + RIS_FILE, f"ris {RIS_VERSION}\0{fields}\0{base}{url}\0{paper}",
                            lambda a=a, url=url, paper=paper: ris(a, paper, base + url), kind="cite")
