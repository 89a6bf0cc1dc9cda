"""The search index: built with lunr.py from the article model, read by lunr.js in the browser.

Documents are lists of the words analysis cut. lunr's default trimmer would strip CJK words in
lunr.js, so the index registers two pipeline functions of its own, under the same names here and in
the theme's search.js: newsTrimmer (strips anything but letters and digits from both ends of a word)
and newsStemmer (Porter-stems ASCII words only). A small archive ships one lunr index
(search/index.json, docs.json); past `search.single_index_max` articles the same index is written
in shards (shards.py). Must stay true: the browser's ranking equals lunr.py's.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import re
from dataclasses import dataclass, replace
from typing import Callable

from lunr import __VERSION__ as lunr_version
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stemmer import stemmer as porter_stemmer

from generator.analysis.record import Analysis, load_extras
from generator.base.cache import Cache
from generator.config import SiteConfig
from generator.errors import SiteError, display_path
from generator.content.model import Article
from generator.search.offers import write_offers
from generator.base.output import Output
from generator.theme import static_dirs
from generator.search.codec import SHARDS_FORMAT, json_bytes
from generator.search.shards import write_sharded_index
from generator.search.terms import ASCII_WORD, EDGES
from generator.content.site import SiteModel

# (field, boost): a word in the title weighs most, then people's names, then kicker/subtitle/column,
# then the body; last the character pairs of names jieba cuts one character at a time (analysis/words.py),
# so that an article printing the query as a word ranks before one printing its characters side by side.
FIELDS = (("title", 10), ("people", 3), ("heads", 2), ("body", 1), ("pairs", 0.2))
SEARCH_DIR = "search"
INDEX_FORMAT = "2"  # bump when the index's words or pipeline change



def news_trimmer(token, i=None, tokens=None):
    token.update(lambda s, metadata=None: EDGES.sub("", s))
    return token if str(token) else None


def news_stemmer(token, i=None, tokens=None):
    if ASCII_WORD.fullmatch(str(token)):
        return porter_stemmer(token)
    return token


Pipeline.register_function(news_trimmer, "newsTrimmer")
Pipeline.register_function(news_stemmer, "newsStemmer")


@dataclass
class SearchFiles:
    mode: str  # "single" (one lunr index) or "sharded"
    index_url: str  # site-relative, with a content hash for cache busting; the manifest when sharded
    docs_url: str  # "" when sharded
    documents: int
    simplified_url: str = ""  # the traditional -> simplified character map's folder (see simplified_map)
    pinyin_url: str = ""  # the pinyin offers' folder (see offers.py)


SIMPLIFIED_DIR = f"{SEARCH_DIR}/simplified"
SIMPLIFIED_FILES = 16  # the map is split by code point, so a query fetches the part for its characters


@functools.lru_cache(maxsize=None)
def simplified_map() -> dict[str, str]:
    """Every traditional character OpenCC's t2s conversion turns into one simplified character (~3,750;
    臨 -> 临, 東 -> 东). The browser fetches the part its query needs only for a query with a character
    no indexed word starts with, and searches the query's simplified form. Per character, so that no
    query depends on OpenCC's phrase table; the same for every archive, so a new issue never rewrites it."""
    import opencc

    chars = [chr(c) for start, end in _HAN_BLOCKS for c in range(start, end)]
    converted = opencc.OpenCC("t2s.json").convert("\n".join(chars)).split("\n")
    return {t: s for t, s in zip(chars, converted) if len(s) == 1 and s != t}


_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))  # CJK Ext. A, unified, compatibility


def write_simplified_map(output: Output) -> str:
    """search/simplified/<n>.txt: the pairs ('臨临東东…') of the characters whose code point is n modulo
    SIMPLIFIED_FILES. Returns the folder's URL with a version for cache busting. The map follows from
    OpenCC's version: a build that wrote it with this one skips working it out (~0.2 s)."""
    fingerprint = hashlib.sha256(f"{importlib.metadata.version('opencc')}|{SIMPLIFIED_FILES}|{_HAN_BLOCKS}"
                                 .encode()).hexdigest()

    def part(n: int) -> bytes:
        return "".join(t + s for t, s in simplified_map().items() if ord(t) % SIMPLIFIED_FILES == n).encode()

    for n in range(SIMPLIFIED_FILES):
        output.write_cached(f"{SIMPLIFIED_DIR}/{n}.txt", fingerprint, lambda n=n: part(n), kind="search")
    return f"{SIMPLIFIED_DIR}/?v={fingerprint[:10]}"


def search_mode(config: SiteConfig, articles: int) -> str:
    """One lunr index while the archive is small (it is then smaller than a sharded query), shards past it."""
    if config.search.index != "auto":
        return config.search.index
    return "single" if articles <= config.search.single_index_max else "sharded"


SHARDED_CODE = "search-shards.js"
CODE_FORMAT = re.compile(r'var FORMAT = "([^"]*)";')


def check_search_code(config: SiteConfig, articles: int) -> None:
    """The search-shards.js a site ships must read the search files this generator writes. A theme
    copied into a project keeps its copy when the generator is upgraded; a stale one would build
    without complaint and fail in every reader's browser, so the build stops before writing."""
    if search_mode(config, articles) != "sharded":
        return
    path = next((d / SHARDED_CODE for d in static_dirs(config) if (d / SHARDED_CODE).is_file()), None)
    if path is None:
        raise SiteError(f"the theme has no static/{SHARDED_CODE}, which a sharded search index needs",
                        path=display_path(config.path("theme")))
    found = CODE_FORMAT.search(path.read_text(encoding="utf-8", errors="replace"))
    want = "shards-" + SHARDS_FORMAT
    if not found or found.group(1) != want:
        said = f"reads search files of format {found.group(1)}" if found else "says no search file format"
        raise SiteError(f"{said}, but this generator writes {want}: copy {SHARDED_CODE} from the "
                        f"generator's default theme into this theme (or delete this copy)", path=display_path(path))


def make_builder() -> Builder:
    builder = Builder()
    builder.pipeline.add(news_trimmer, news_stemmer)
    builder.search_pipeline.add(news_stemmer)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    return builder


def build_index(site: SiteModel, analyses: dict[str, Analysis]):
    """A lunr.py Index over every article; refs are positions in docs.json."""
    builder = make_builder()
    load_extras([analyses[a.id] for a in site.articles])  # every article's words, in one read of the cache
    for n, a in enumerate(site.articles):
        words = analyses[a.id].words
        builder.add({"ref": str(n), **{name: words[name].split() for name, _ in FIELDS}})
    return builder.build()


def documents(site: SiteModel, analyses: dict[str, Analysis], config: SiteConfig) -> list[list]:
    """What a search result shows, one compact row per article, in ref order."""
    return [make() for _, make in document_rows(site, analyses, config)]


DOCS_VERSION = "1"  # bump when document_row makes a different row from the same inputs


def document_rows(site: SiteModel, analyses: dict[str, Analysis],
                  config: SiteConfig) -> list[tuple[str, Callable[[], list]]]:
    """Per article in ref order: (a fingerprint of its result row, how to make the row). The
    fingerprint of an article loaded from a file hashes its source key (its front matter), its
    analysis key (its text), its URL and its paper's name, so a build makes only the rows of new
    and changed articles; without a source key, it hashes the row itself."""
    head = f"{DOCS_VERSION}\0{config.search.snippet_chars}\0"
    out = []
    for a in site.articles:
        url, paper, analysis = site.urls[a.id], config.paper(a.paper).name, analyses[a.id]
        make = functools.partial(document_row, a, url, paper, analysis, config.search.snippet_chars)
        inputs = f"{a.source_key}\0{analysis.key}\0{url}\0{paper}" if a.source_key else json_bytes(make()).decode("utf-8")
        out.append((hashlib.sha256(f"{head}{inputs}".encode()).hexdigest(), make))
    return out


def document_row(a: Article, url: str, paper: str, analysis: Analysis, snippet_chars: int) -> list:
    # the browser shows a window of the text's first characters around the first match
    text = analysis.text_start(snippet_chars).replace("\n", " ")
    return [a.title, url, a.date.isoformat(), paper, a.county, a.topics, a.kind, text]


DOC_FIELDS = ["title", "url", "date", "paper", "county", "topics", "kind", "text"]


def write_search_index(site: SiteModel, analyses: dict[str, Analysis], output: Output, cache: Cache) -> SearchFiles:
    """Write the search files in the mode the archive's size calls for."""
    return replace(_write_index(site, analyses, output, cache), simplified_url=write_simplified_map(output),
                   pinyin_url=write_offers(site, output, cache))


def _write_index(site: SiteModel, analyses: dict[str, Analysis], output: Output, cache: Cache) -> SearchFiles:
    if search_mode(site.config, len(site.articles)) == "sharded":
        manifest = write_sharded_index(site, analyses, list(FIELDS),
                                       {"fields": DOC_FIELDS, "rows": document_rows(site, analyses, site.config)},
                                       output, cache)
        data = json_bytes(manifest)
        version = hashlib.sha256(data).hexdigest()[:10]
        output.write(f"{SEARCH_DIR}/manifest.json", data, kind="search")
        return SearchFiles("sharded", f"{SEARCH_DIR}/manifest.json?v={version}", "", len(site.articles))
    return write_single_index(site, analyses, output)


def write_single_index(site: SiteModel, analyses: dict[str, Analysis], output: Output) -> SearchFiles:
    """Write index.json and docs.json; when no searchable text or result data changed since the
    previous build, the previous files are kept without rebuilding the lunr index."""
    docs = json_bytes({"fields": DOC_FIELDS, "docs": documents(site, analyses, site.config)})
    inputs = hashlib.sha256(json.dumps([INDEX_FORMAT, lunr_version, FIELDS, [analyses[a.id].key for a in site.articles]])
                            .encode())
    inputs.update(docs)
    fingerprint = inputs.hexdigest()
    output.write_cached(f"{SEARCH_DIR}/index.json", fingerprint, lambda: json_bytes(build_index(site, analyses).serialize()),
                        kind="search")
    output.write_cached(f"{SEARCH_DIR}/docs.json", fingerprint, lambda: docs, kind="search")
    version = fingerprint[:10]  # the files' content follows from the fingerprint: a valid cache buster
    return SearchFiles("single", f"{SEARCH_DIR}/index.json?v={version}", f"{SEARCH_DIR}/docs.json?v={version}",
                       len(site.articles))
