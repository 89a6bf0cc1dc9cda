"""The build pipeline: ingest -> load -> model -> render -> search index -> write."""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from generator.config import SiteConfig
from generator.errors import SiteError, display_path
from generator.content.load import load_articles
from generator.ingest.pipeline import ingest_pending, write_review
from generator.base.output import Output, SiteListing
from generator.render.pages import PageBuilder
from generator.analysis.record import Analysis
from generator.analysis.analyze import AnalysisWorker, analyse_all
from generator.analysis.words import Lexicon
from generator.base.cache import Cache
from generator.render.citations import write_ris_files
from generator.render.data import write_bulk_data
from generator.render.feeds import write_feeds, write_sitemap
from generator.base.heap import build_heap, long_lived
from generator.base.progress import Counter, Progress
from generator.analysis.classify import PlaceIndex
from generator.links.related import cross_links
from generator.render.body import BodyRenderer
from generator.render.templates import Renderer, render_pages
from generator.theme import static_dirs
from generator.search.index import check_search_code, write_search_index
from generator.content.site import SiteModel, build_model
from generator.content.urls import county_url
from generator.base.workers import ForkedCall, can_fork


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    articles: int = 0
    pages: int = 0
    rendered: int = 0
    reused: int = 0
    ingested: int = 0
    analysed: int = 0
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    beside: dict[str, float] = field(default_factory=dict)  # stages of a process beside this one
    review: tuple[str, int] | None = None  # the editor's review list of this build's ingest, and its length
    progress: Progress = field(default_factory=Progress.silent)  # what the build shows while it runs

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Counter]:
        start = time.perf_counter()
        try:
            with self.progress.stage(name, total, unit) as counter:
                yield counter
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())
        if self.beside:
            stages += "; beside links and render, in a second process: " + ", ".join(
                f"{k} {v * 1000:.0f} ms" for k, v in self.beside.items())
        ingested = f"ingested {self.ingested} new articles; " if self.ingested else ""
        size = sum(self.bytes_by_kind.values()) / 1_000_000
        review = f"; {self.review[1]} ingest decisions to check in {self.review[0]}" if self.review else ""
        return (f"{ingested}{self.articles} articles, {self.pages} pages ({self.rendered} rendered, {self.reused} unchanged), "
                f"{size:,.1f} MB; {stages}{review}")


def build(config: SiteConfig, *, content_dir: Path | None = None, out_dir: Path | None = None,
          ingest: bool = True, strict: bool = False, exit_after: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """The whole pipeline. With `strict`, any warning stops the build before anything is written.
    With `exit_after`, the caller exits right after: the build's data is left for the exit to free
    (see heap.build_heap). `progress` shows the stages as they run (default: nothing shown)."""
    report = BuildReport(progress=progress or Progress.silent())
    content_dir = content_dir or config.path("content")
    out_dir = out_dir or config.path("output")
    lexicon = Lexicon.for_site(config)  # jieba's words and the site's places and topics

    # While this process reads the content, other processes list the previous site and load jieba.
    with SiteListing.start(out_dir, config.path("cache")) or nullcontext() as listing, \
            build_heap(exit_after) as keep_until_exit, AnalysisWorker(lexicon) as jieba_worker:
        with Cache(config.path("cache") / "build.sqlite") as cache:
            with report.stage("load", unit="files") as counter, long_lived():
                articles = load_articles(content_dir, config, cache, counter=counter)
            if ingest:  # the raw pages no loaded article came from (so no content file is read twice)
                with report.stage("ingest", unit="articles") as counter:
                    result = ingest_pending(config, content_dir, {a.source for a in articles}, strict=strict,
                                            cache=cache)
                    counter.advance(result.written)
                    report.ingested = result.written
                    report.warnings.extend(result.warnings)
                    review = write_review(config, result, content_dir)
                    if review is not None:
                        report.review = (display_path(review), len(result.doubts))
                if result.written_paths:
                    with report.stage("load", unit="files") as counter, long_lived():
                        articles += load_articles(content_dir, config, cache, only=result.written_paths,
                                                  counter=counter)
            with report.stage("model"), long_lived():
                site = build_model(config, articles)
                check_search_code(config, len(site.articles))
            report.articles = len(site.articles)
            with report.stage("analyse", unit="articles") as counter, long_lived():
                analyses, report.analysed = analyse_all(site.articles, cache, lexicon, pool=jieba_worker,
                                                        counter=counter)
            jieba_worker.stop()
            write_site(config, site, analyses, out_dir, report, cache, listing, keep_until_exit, strict=strict)
            cache.drop_unused()
            keep_until_exit(articles, site, analyses)
    return report


# A build that renders few pages (a new issue: an incremental build) spends most of its time on
# per-article bookkeeping in two independent strands, cross-links then article pages, and search
# index then every other page. They run side by side in two processes when at most this many
# articles were analysed anew; a bigger build keeps one strand at a time (and its memory bounded).
BESIDE_UP_TO = 2000


def write_site(config: SiteConfig, site: SiteModel, analyses: dict[str, Analysis], out_dir: Path,
               report: BuildReport, cache: Cache, listing: SiteListing | None = None,
               keep_until_exit: Callable[..., None] = lambda *objects: None, strict: bool = False) -> None:
    """Cross-link, render, index and write into a staging folder that replaces the site only if
    all succeeds (and, with `strict`, only if it is not too big to publish). `keep_until_exit` is handed what
    this made that is big (see heap.build_heap)."""
    with Output(out_dir, config.path("cache"), listing) as output:
        with report.stage("static"):
            assets = copy_static(config, output)
        renderer = Renderer(config, assets)
        markdown = body_renderer(config)
        descriptions = {aid: x.description for aid, x in analyses.items()}
        # One builder for both strands (its refs are per article): the search page needs the search
        # files, the article pages the links; each strand sets what it made before it renders.
        pages = PageBuilder(site, markdown, descriptions=descriptions)

        def search_and_site_pages() -> list[str]:
            with report.stage("search", unit="articles") as counter, long_lived():
                search = write_search_index(site, analyses, output, cache)
                counter.advance(search.documents)
            with report.stage("pages", unit="pages") as counter, long_lived():
                pages.search = {"mode": search.mode, "index": search.index_url, "docs": search.docs_url,
                                "simplified": search.simplified_url, "pinyin": search.pinyin_url}
                urls = render_pages(counter.counting(pages.site_pages()), renderer, output)
            with report.stage("feeds"):  # (what machines read: feeds and bulk data)
                write_feeds(site, output, descriptions)
                if config.publish.bulk_data:
                    write_bulk_data(site, output, cache)
            return urls

        parallel = bool(output.live) and cache.path is not None and report.analysed <= BESIDE_UP_TO
        with ForkedStrand(search_and_site_pages, parallel, output, cache, report) as other_strand:
            with report.stage("links", unit="lists") as counter, long_lived():
                links = cross_links(site.articles, analyses, config.links, cache, counter=counter)
            with report.stage("render", len(site.articles), unit="pages") as counter, long_lived():
                pages.links = links
                page_urls = render_pages(counter.counting(pages.article_pages()), renderer, output)
                write_ris_files(site, output)  # (here, not beside: that strand would hand back 100,000 entries)
            page_urls += other_strand.result()
            report.pages = len(page_urls)
            with report.stage("sitemap"):
                write_sitemap(page_urls, config.base_url, output)
            output.write(".nojekyll", b"")
            too_big = site_size_warning(config, sum(output.bytes_by_kind.values()))
            if too_big and strict:
                raise SiteError(f"{too_big}; with --strict the site is not written", path=display_path(out_dir))
            if too_big:
                report.warnings.append(f"{display_path(out_dir)}: {too_big}")
            with report.stage("write"):
                output.commit()
            keep_until_exit(output, links, pages, page_urls, descriptions)
    report.rendered, report.reused = output.rendered, output.reused
    report.bytes_by_kind = dict(output.bytes_by_kind)


def site_size_warning(config: SiteConfig, size: int) -> str | None:
    """A warning for a site over publish.max_site_mb (GitHub Pages publishes sites of at most 1 GB)."""
    limit = config.publish.max_site_mb
    if not limit or size <= limit * 1_000_000:
        return None
    return (f"the site is {size / 1_000_000:,.0f} MB, over publish.max_site_mb ({limit:,g} MB): GitHub Pages "
            f"publishes sites of at most 1 GB, and may refuse or stop serving a bigger one")


class ForkedStrand:
    """`work` in a process forked beside this one (or here and now, if not `parallel`). What it
    writes and keeps in the output, uses and puts in the cache, and its stages' times are handed
    back with its result, and taken in here by result()."""

    def __init__(self, work: Callable[[], list[str]], parallel: bool, output: Output, cache: Cache,
                 report: BuildReport):
        self.output, self.cache, self.report = output, cache, report
        if not (parallel and can_fork()):
            self.call = ForkedCall(work, parallel=False)
            return
        mark = output.mark()

        def in_child() -> tuple:
            cache.in_forked_child()
            report.timings, report.progress = {}, Progress.silent()  # (its stages are shown when taken in)
            urls = work()
            return urls, output.effects_since(mark), cache.effects(), report.timings, report.progress.finished

        self.call = ForkedCall(in_child)

    def result(self) -> list[str]:
        if not self.call.forked:
            return self.call.result()
        urls, output_effects, cache_effects, timings, finished = self.call.result()
        self.output.apply_effects(output_effects)
        self.cache.apply_effects(cache_effects)
        self.report.beside = timings
        self.report.progress.replay(finished)
        return urls

    def __enter__(self) -> "ForkedStrand":
        return self

    def __exit__(self, *exc) -> None:
        self.call.stop()


def body_renderer(config: SiteConfig) -> BodyRenderer:
    places = PlaceIndex(config)
    slugs = {c.name: c.slug for c in config.counties}
    signature = json.dumps([sorted(places.owner.items()), slugs, config.base_path], ensure_ascii=False, sort_keys=True)
    return BodyRenderer(places.mentions, lambda county: config.base_path + county_url(slugs[county]),
                        hashlib.sha256(signature.encode()).hexdigest())


def copy_static(config: SiteConfig, output: Output) -> dict[str, str]:
    """Copy theme assets to static/; return name -> URL with a content hash for cache busting."""
    assets: dict[str, str] = {}
    for directory in static_dirs(config):
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            name = path.relative_to(directory).as_posix()
            if name in assets:
                continue  # the configured theme overrides the default theme's file
            data = path.read_bytes()
            output.write(f"static/{name}", data, kind="static")
            assets[name] = f"static/{name}?v={hashlib.sha256(data).hexdigest()[:10]}"
    return assets
