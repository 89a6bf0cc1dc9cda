"""Time, in one process, the per-article work every build repeats for the articles it already has.

At 100,000 articles a new issue's build is mostly bookkeeping over every article (loading them from
the build cache, their analyses, their cross-links, the fingerprints of their pages and of the listing
pages, the search files' inputs), and the machine's noise is of the same size as the changes worth
making there. This times those passes in a process of its own, each several times over the same
data, on a project run.py left that is built and up to date (so that nothing is new):

    python benchmarks/stage_times.py /tmp/news-archive-bench/archive-100000 --runs 5

It also times the one pass of a new issue's build that grows with the archive besides those: the
postings its related lists read (here for the newest issue's articles, as if they were new).

Compare two checkouts by running each one's copy of this script on the same project, alternating.
The site is not written (the search pass stages nothing when nothing is new, and its staging folder is
removed); the build cache is only read, but for entries the passes would rewrite as they are.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.analysis.analyze import analyse_all  # noqa: E402

from generator.analysis.words import Lexicon  # noqa: E402
from generator.build import body_renderer  # noqa: E402
from generator.base.cache import Cache  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.content.load import load_articles  # noqa: E402
from generator.links.related import RelatedIndex, cross_links  # noqa: E402
from generator.base.output import Output, safe_relpath  # noqa: E402
from generator.render.pages import PageBuilder  # noqa: E402
from generator.render.templates import Renderer  # noqa: E402
from generator.search.index import write_search_index  # noqa: E402
from generator.content.site import build_model  # noqa: E402
from generator.content.urls import page_file  # noqa: E402


def timed(runs: int, work) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path, help="a built project folder (with site.yaml, content/, .cache/, _site/)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.chdir(args.project)
    gc.disable()  # as the build's stages run (heap.long_lived)
    config = load_config(Path("site.yaml"))
    lexicon = Lexicon.for_site(config)  # the site's words, as the build cuts them
    results: dict[str, list[float]] = {}
    with Cache(config.path("cache") / "build.sqlite") as cache:
        state: dict = {}

        def load() -> None:
            state["articles"] = load_articles(config.path("content"), config, cache)

        def model() -> None:
            state["site"] = build_model(config, state["articles"])

        def analyse() -> None:
            state["analyses"], new = analyse_all(state["site"].articles, cache, lexicon)
            if new:
                raise SystemExit(f"{new} articles were analysed: build the project before timing it")

        def links() -> None:
            state["links"] = cross_links(state["site"].articles, state["analyses"], config.links, cache)

        def newest_issue_index() -> None:
            """What a new issue's related lists read: the postings of its articles' keywords."""
            articles = state["site"].articles
            newest = [i for i, a in enumerate(articles) if a.date == articles[-1].date]
            RelatedIndex(articles, state["analyses"], config.links, newest)

        results["load"] = timed(args.runs, load)
        results["model"] = timed(args.runs, model)
        results["analyse"] = timed(args.runs, analyse)
        results["links"] = timed(args.runs, links)
        results["postings for the newest issue (links)"] = timed(args.runs, newest_issue_index)
        site, analyses = state["site"], state["analyses"]
        renderer = Renderer(config, {})
        descriptions = {aid: x.description for aid, x in analyses.items()}

        def builder() -> PageBuilder:
            pages = PageBuilder(site, body_renderer(config), descriptions=descriptions)
            pages.links, pages.search = state["links"], {"mode": "sharded", "index": "", "docs": ""}
            return pages

        def article_fingerprints() -> None:
            for page in builder().article_pages():
                safe_relpath(page_file(page.url)), renderer.page_fingerprint(page)

        def site_page_fingerprints() -> None:
            for page in builder().site_pages():
                safe_relpath(page_file(page.url)), renderer.page_fingerprint(page)

        def search() -> float:
            """The search stage's time (the output's reading of the previous site's files is not in it)."""
            output = Output(config.path("output"), config.path("cache"))
            try:
                with output:
                    start = time.perf_counter()
                    write_search_index(site, analyses, output, cache)
                    took = time.perf_counter() - start
                    if output.staged:
                        raise SystemExit("the search files changed: build the project before timing it")
            finally:
                shutil.rmtree(output.staging, ignore_errors=True)
            return took

        results["article pages' fingerprints (render)"] = timed(args.runs, article_fingerprints)
        results["other pages' fingerprints (pages)"] = timed(args.runs, site_page_fingerprints)
        results["search files, nothing new (search)"] = [search() for _ in range(args.runs)]
    print(f"{len(site.articles):,} articles, {args.runs} runs each, seconds:")
    for name, times in results.items():
        print(f"  {name:40s} median {statistics.median(times):6.3f}  ({min(times):.3f}-{max(times):.3f})")


if __name__ == "__main__":
    main()
