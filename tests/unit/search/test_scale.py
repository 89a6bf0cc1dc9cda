"""The sharded index ranks as lunr does on a 2,000-article archive, where one lunr index still works.

A synthetic archive (benchmarks/corpus.py) is analysed once; lunr.py builds its standard index over
it, and the same articles are written as shards. Chromium runs each query through the shards and
the top 10 must be lunr.py's top 10: same documents, same order, same scores (documents with equal
scores may come in either order).
"""

import json
import sys

import pytest
from playwright.sync_api import sync_playwright

from browser import SiteServer, launch_chromium
from generator.analysis.analyze import analyse_all
from generator.analysis.words import Lexicon
from generator.base.cache import Cache
from generator.config import load_config
from generator.content.load import load_articles
from generator.base.output import Output
from generator.search.index import DOC_FIELDS, FIELDS, build_index, document_rows
from generator.search import postings, segments
from generator.search.shards import write_sharded_index
from generator.content.site import build_model
from sitebuild import ROOT
from browser import assert_same_ranking

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402

ARTICLES = 2000
# words of the synthetic vocabulary's head, counties and topic words, and lunr syntax over them
QUERIES = ["聊城", "发展 企业", "茌平", "乡村 振兴", "东阿县 黄河", "教育", "项目 建设 推进", "title:聊城",
           "+企业 +服务", "发展 -经济", "乡村*", "聊城~1", "医疗^5 服务", "people:王*", "body:文化 旅游"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    where = tmp_path_factory.mktemp("scale")
    generate(where / "content", ARTICLES)
    (where / "site.yaml").write_bytes((ROOT / "site.yaml").read_bytes())
    config = load_config(where / "site.yaml")
    site = build_model(config, load_articles(where / "content", config))
    analyses, _ = analyse_all(site.articles, Cache(None), Lexicon())
    return where, config, site, analyses, build_index(site, analyses)  # (lunr.py's, made once)


# 2,000 articles make segments of 1,024 and 768 articles and pieces: neither is made of whole blocks
# of 4,096, so their documents are in site order; with LEVELS shrunk, the same articles make a sealed
# segment and a large one whose documents are ordered by body length in blocks of 256
SEGMENTINGS = {"site order": None, "by length in blocks": (1024, 256, 64, 16)}


@pytest.fixture(scope="module", params=list(SEGMENTINGS))
def archive(corpus, request):
    where, config, site, analyses, index = corpus
    out = where / request.param.replace(" ", "-")
    with Output(out, where / ".cache") as output, pytest.MonkeyPatch.context() as patch:
        # with these thresholds halved, both big segments give common words files of their own and
        # keep their lengths apart, as the segments of a large archive do (by default from 1,000
        # postings and 1,024 articles)
        patch.setattr(postings, "OWN_FILE_FROM", postings.OWN_FILE_FROM // 2)
        patch.setattr(postings, "DENSE_MIN_DOCS", postings.DENSE_MIN_DOCS // 2)
        if SEGMENTINGS[request.param]:
            patch.setattr(segments, "LEVELS", SEGMENTINGS[request.param])
        docs = {"fields": DOC_FIELDS, "rows": document_rows(site, analyses, config)}
        manifest = write_sharded_index(site, analyses, list(FIELDS), docs, output, Cache(None))
        output.write("search/manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
        static = ROOT / "themes" / "default" / "static"
        output.write("lunr.js", (static / "vendor" / "lunr" / "lunr.min.js").read_bytes())
        output.write("search-shards.js", (static / "search-shards.js").read_bytes())
        output.write("search.js", (static / "search.js").read_bytes())  # registers the pipeline functions
        output.write("index.html", b'<!doctype html><meta charset="utf-8"><script src="lunr.js"></script>'
                                   b'<script src="search-shards.js"></script><script src="search.js"></script>')
        output.commit()
    return out, index, manifest, [site.urls[a.id] for a in site.articles]


def url_of_ref(site_dir, ref):
    """The URL of the article a search ref names, from its result row."""
    row = json.loads((site_dir / "search" / "d" / f"{ref}.json").read_text(encoding="utf-8"))[0]
    return row[DOC_FIELDS.index("url")]


def test_the_sharded_index_gives_lunr_py_top_ten_on_2000_articles(archive):
    site, index, manifest, urls = archive
    assert manifest["documents"] == ARTICLES and len(manifest["segments"]) >= 2  # more than one segment
    assert any(seg["lengths"] for seg in manifest["segments"])  # common terms keep their lengths apart
    sorted_by = [seg.get("sortedBy") for seg in manifest["segments"][:2]]
    assert sorted_by == ([None, None] if site.name == "site-order" else [3, 3])
    with SiteServer(site) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server.url)
        got = page.evaluate("""async (queries) => {
            const pipeline = new lunr.Pipeline();
            pipeline.add(lunr.Pipeline.registeredFunctions.newsStemmer);
            const idx = await NewsShardedIndex.load('search/manifest.json', pipeline);
            const out = [];
            for (const q of queries) {
                out.push((await idx.query(query => new lunr.QueryParser(q, query).parse())).map(r => [r.ref, r.score]));
            }
            return out;
        }""", QUERIES)
        fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        browser.close()
    assert any("/search/l/" in url for url in fetched)  # length tables were read
    if site.name == "site-order":  # and a common word's own column; and tail pieces' common files
        assert any(url.endswith("-lengths.json") for url in fetched)
        assert any(seg.get("common") for seg in manifest["segments"] if seg["count"] < 256)
        assert any(url.endswith("-common.json") for url in fetched)
    full_pages = 0
    for query, results in zip(QUERIES, got):
        # the same articles (lunr.py's refs are positions in site order; the shards' name result rows)
        want = [(urls[int(r["ref"])], r["score"]) for r in index.search(query)]
        full_pages += len(want) >= 10
        assert_same_ranking([(url_of_ref(site, ref), score) for ref, score in results[:40]], want[:40], query, top=10)
    assert full_pages >= 10  # most queries have a whole first page to compare


def in_browser(site_dir, body: str, n: int):
    """`body` (JavaScript, with the sharded index `idx` and `refs`, every ref in order) run in Chromium."""
    with SiteServer(site_dir) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server.url)
        got = page.evaluate("""async (n) => {
            const idx = await NewsShardedIndex.load('search/manifest.json', new lunr.Pipeline());
            const refs = Array.from({length: n}, (_, i) => String(i));
            %s
        }""" % body, n)
        browser.close()
    return got


def test_the_browser_reads_every_documents_facets_as_the_articles_have_them(archive, corpus):
    site_dir, _, manifest, urls = archive
    _, config, site, _, _ = corpus
    by_url = {site.urls[a.id]: a for a in site.articles}
    n = len(site.articles)
    got = in_browser(site_dir, "return idx.facets(refs.slice().reverse());", n)
    assert manifest["metaChunks"] >= 2  # the last chunk is a short one
    named = [by_url[url_of_ref(site_dir, ref)] for ref in reversed(range(n))]  # each ref's result row
    assert len({a.id for a in named}) == n  # every article has one ref
    want = [{"county": a.county, "paper": config.paper(a.paper).name, "year": str(a.date.year),
             "topics": sorted(a.topics, key=manifest["topics"].index)} for a in named]
    assert got == want


def test_the_browser_reads_every_documents_date_and_each_chunk_names_its_span(archive, corpus):
    site_dir, _, manifest, _ = archive
    _, _, site, _, _ = corpus
    by_url = {site.urls[a.id]: a for a in site.articles}
    n = len(site.articles)
    dates, spans = in_browser(site_dir, "return [await idx.dates(refs), refs.map(r => idx.span(r))];", n)
    want = [by_url[url_of_ref(site_dir, ref)].date.isoformat() for ref in range(n)]
    assert dates == want and len({d[:4] for d in dates}) > 1
    size = manifest["metaChunk"]
    chunks = [want[k:k + size] for k in range(0, n, size)]
    assert spans == [[min(chunks[k // size]), max(chunks[k // size])] for k in range(n)]
