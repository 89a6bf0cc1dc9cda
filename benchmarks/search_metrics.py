"""Search cost as a reader meets it: bytes fetched before the first result and time to it.

    python benchmarks/search_metrics.py SITE_DIR [--query 发展 ...] [--runs 5] [--recall CONTENT_DIR] [--base /]

Serves SITE_DIR under /archive/ (as GitHub Pages serves a project site; `--base /` for a site built
for the root, as benchmarks/run.py builds it) and, for each query, opens
the search page with ?q= in Debian's Chromium with a cold cache. It reports the bytes fetched until
the results are on screen (raw and gzip, since Pages serves gzip: the page, its code and the search
files), the median time from navigation start to the results, the worst query, and the size of all
search files against the HTML.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "helpers"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM, SiteServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


# a common word, county and topic words, a rare phrase, the worst case (three words of nearly every
# article), an exact phrase (its results' pages are fetched to check it) and traditional characters
DEFAULT_QUERIES = ["发展", "聊城 乡村振兴", "茌平区", "黄河生态保护", "教育 学生 学校", "营商环境", "我们 发展 工作",
                   '"经济发展"', "鄉村振興", "臨清市"]


FACET_PARAM = re.compile(r"(?:^|&)(?:county|topic|paper|year)=")


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def fetched_bytes(site: Path, paths: list[str], base: str) -> tuple[int, int, list[str]]:
    raw = gz = 0
    lines = []
    for path in paths:
        local = site / path.removeprefix(base)
        if local.is_dir():
            local = local / "index.html"
        data = local.read_bytes()
        raw += len(data)
        gz += gzip_size(data)
        lines.append(f"    {path}: {len(data) / 1024:.1f} KB, gzip {gzip_size(data) / 1024:.1f} KB")
    return raw, gz, lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", action="append", help="a query (repeatable); default: a fixed mixed set")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--verbose", action="store_true", help="list every file fetched")
    ap.add_argument("--base", default="/archive/", help="the path the site was built for (default /archive/)")
    ap.add_argument("--also", default="", metavar="PARAMS",
                    help="more of the search URL after the query, e.g. 'sort=new' or 'from=2020-01&to=2020-06'")
    ap.add_argument("--recall", type=Path, metavar="CONTENT_DIR",
                    help="also run known-item searches for (up to 100 of) the articles in CONTENT_DIR")
    args = ap.parse_args()
    queries = args.query or DEFAULT_QUERIES
    worst = worst_whole = 0
    with SiteServer(args.site, args.base) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for query in queries:
            times, fetched = [], []
            for _ in range(args.runs):
                context = browser.new_context()  # a cold browser cache every time
                page = context.new_page()
                fetched, held, released = [], [], []
                page.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path))
                # results are listed ("shown"), then the facets of every result are counted ("done"); facet
                # rows are held back until the results are on screen, so that the two are counted apart
                if not FACET_PARAM.search(args.also):  # (a facet chosen in the URL needs them to list results)
                    page.route("**/search/m/*", lambda route: route.continue_() if released else held.append(route))
                page.goto(f"{server.url}search/?q={quote(query)}" + (f"&{args.also}" if args.also else ""))
                page.wait_for_selector("[data-search][data-search-state=shown], [data-search][data-search-state=done]",
                                       state="attached")
                times.append(page.evaluate("performance.now()"))
                first = list(fetched)
                found = page.text_content("#search-status")
                released.append(True)
                for route in held:
                    route.continue_()
                page.wait_for_selector("[data-search][data-search-state=done]", state="attached")
                context.close()
            raw, gz, lines = fetched_bytes(args.site, first, args.base)
            _, whole, _ = fetched_bytes(args.site, fetched, args.base)
            worst, worst_whole = max(worst, gz), max(worst_whole, whole)
            print(f"{query!r}: {len(first)} files, {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzip before the "
                  f"first result; {whole / 1024:.0f} KB gzip with the facets ({len(fetched)} files); "
                  f"median {statistics.median(times):.0f} ms to the results; {found}")
            if args.verbose:
                print("\n".join(lines))
        browser.close()
    search = [p for p in (args.site / "search").rglob("*") if p.is_file()]
    html = [p for p in args.site.rglob("*.html")]
    search_bytes = sum(p.stat().st_size for p in search)
    html_bytes = sum(p.stat().st_size for p in html)
    print(f"worst query: {worst / 1024:.0f} KB gzip before the first result, {worst_whole / 1024:.0f} KB gzip in all "
          f"(page, code and search files); search files: "
          f"{len(search)} files, {search_bytes / 1e6:.1f} MB ({search_bytes / html_bytes:.2f}x the HTML, "
          f"{html_bytes / 1e6:.1f} MB)")
    if args.recall:
        known_items(args.site, args.recall, args.base)
    return 0


def known_items(site: Path, content: Path, base: str, limit: int = 100) -> None:
    """Recall of known-item searches: exact title -> rank 1; a distinctive body word -> top 10."""
    import re

    import jieba

    from generator.config import load_config
    from generator.content.load import load_articles
    from generator.text import plain_text

    config = load_config(content.parent / "site.yaml")
    articles = sorted(load_articles(content, config), key=lambda a: a.sort_key)
    sample = articles[:: max(1, len(articles) // limit)][:limit]
    texts = [plain_text(a.body) for a in articles]
    title_hits = word_hits = 0
    with SiteServer(site, base) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{server.url}search/")
        page.wait_for_selector("[data-search-ready]", state="attached")

        def search(q):
            page.fill("#q", q)
            page.press("#q", "Enter")
            page.wait_for_selector("[data-search][data-search-state=done]", state="attached")
            return page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => a.getAttribute('href'))")

        for a in sample:
            url = f"{base}{a.date:%Y/%m/%d}/{a.paper}/{a.id}/"
            title_hits += search(a.title)[:1] == [url]
            words = sorted({w for w in jieba.lcut(plain_text(a.body)) if 2 <= len(w) <= 4
                            and re.fullmatch(r"[\u4e00-\u9fff]+", w)})
            word = min(words, key=lambda w: sum(w in t for t in texts))
            word_hits += url in search(word)[:10]
        browser.close()
    print(f"known items ({len(sample)} articles): title at rank 1 {title_hits / len(sample):.0%}; "
          f"distinctive body word in top 10 {word_hits / len(sample):.0%}")


if __name__ == "__main__":
    sys.exit(main())
