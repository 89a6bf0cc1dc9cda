"""Time the rebuild of a big open search segment, on a project run.py left.

The segment of whole 4,096s (generator/shards.py) is rebuilt every 4,096 articles, one new issue in
~80, with 4,096 to 28,672 articles; sealing a block takes 32,768. Growing a project to those points
takes hundreds of issues, so this builds such a segment directly from the project's build cache
(the articles from 32,768 on, as many as asked, numbered as the build numbers them), into a scratch
folder, and times it:

    python benchmarks/segment_rebuild.py /tmp/news-archive-bench/archive-100000 4096 12288 28672 32768

Each size is timed twice: with nothing of the segment in the cache (every block's term tables
counted, as the first rebuild after an upgrade does), and after the rebuild before it (4,096 fewer
articles) kept its blocks' tables there (as each later rebuild finds them). Nothing in the project
changes: its cache is only read; what the segment keeps goes to a scratch cache. The time is the
search strand's extra work in that issue's build, which runs beside the cross-links and article pages
(~4 s at 100k).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.search import segments, shards  # noqa: E402
from generator.analysis.analyze import analyse_all  # noqa: E402
from generator.analysis.words import Lexicon  # noqa: E402
from generator.base.cache import Cache  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.content.load import load_articles  # noqa: E402
from generator.base.heap import long_lived  # noqa: E402
from generator.base.output import Output  # noqa: E402
from generator.search.index import FIELDS  # noqa: E402
from generator.content.site import build_model  # noqa: E402

START = segments.LEVELS[0]  # after the first sealed block, as the open segments are


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path, help="a project folder a build left its cache in")
    ap.add_argument("sizes", type=int, nargs="+", help="articles in the segment")
    args = ap.parse_args()
    config = load_config(args.project / "site.yaml")
    lexicon = Lexicon.for_site(config)  # the site's words, as the build cuts them
    with Cache(config.path("cache") / "build.sqlite") as cache:
        cache.put_many = lambda *a, **k: None  # read only: the project's cache stays as it is
        with long_lived():
            site = build_model(config, load_articles(config.path("content"), config, cache))
            analyses, analysed = analyse_all(site.articles, cache, lexicon)
        if analysed:
            raise SystemExit(f"{analysed} articles were not in the cache: build the project first")
        fields = [name for name, _ in FIELDS]
        scratch = Path(tempfile.mkdtemp())

        def build_segment(size: int, kept: Cache) -> tuple[float, int]:
            seg = segments.Segment(START, START + size, "large")
            with Output(scratch / f"site-{size}", scratch / "output-cache") as output:
                start = time.perf_counter()
                with long_lived():  # as the build's search stage runs (no cycle collection)
                    order = segments.segment_order(site.articles, seg, analyses, fields, kept, release=False)
                    shards.write_segment(seg, [site.articles[p] for p in order], analyses, fields, output, kept)
                took = time.perf_counter() - start
            return took, len(output.staged)

        try:
            for size in args.sizes:
                if START + size > len(site.articles):
                    raise SystemExit(f"the project has {len(site.articles)} articles, not {START} + {size}")
                with Cache(scratch / f"counted-{size}.sqlite") as kept:
                    counted, files = build_segment(size, kept)
                with Cache(scratch / f"kept-{size}.sqlite") as kept:
                    if size > segments.LEVELS[1]:
                        build_segment(size - segments.LEVELS[1], kept)  # the rebuild before: its blocks kept
                    from_cache, _ = build_segment(size, kept)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{size} articles: {counted:.1f} s counting every block, {from_cache:.1f} s with the blocks "
                      f"of the rebuild before from the cache; {files} files (peak RSS so far {peak:.0f} MB)", flush=True)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
