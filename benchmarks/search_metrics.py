"""Search cost as a reader meets it: bytes fetched before the first result and time to it.

    python benchmarks/search_metrics.py SITE_DIR [--query 发展] [--runs 5]

Serves SITE_DIR under /archive/ (as GitHub Pages serves a project site), opens the search page with
?q= in Debian's Chromium, and reports every file the page fetched (raw and gzip bytes, since Pages
serves gzip) and the median time from navigation start to the first result on screen.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM, SiteServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="发展")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--recall", type=Path, metavar="CONTENT_DIR",
                    help="also run known-item searches for (up to 100 of) the articles in CONTENT_DIR")
    args = ap.parse_args()
    with SiteServer(args.site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        times, fetched = [], []
        for _ in range(args.runs):
            page = browser.new_page()
            fetched = []
            page.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path))
            page.goto(f"{server.url}search/?q={quote(args.query)}")
            page.wait_for_selector("[data-search-results] a")
            times.append(page.evaluate("performance.now()"))
            page.close()
        browser.close()
    raw = gz = 0
    for path in fetched:
        local = args.site / path.removeprefix("/archive/")
        if local.is_dir():
            local = local / "index.html"
        data = local.read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 6))
        print(f"  {path}: {len(data) / 1024:.1f} KB, gzip {len(gzip.compress(data, 6)) / 1024:.1f} KB")
    if args.recall:
        known_items(args.site, args.recall)
    print(f"before the first result: {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzip; "
          f"time to first result: median {statistics.median(times):.0f} ms over {args.runs} runs "
          f"(query {args.query!r})")
    return 0


def known_items(site: Path, content: Path, limit: int = 100) -> None:
    """Recall of known-item searches: exact title -> rank 1; a distinctive body word -> top 10."""
    import re

    import jieba

    from generator.config import load_config
    from generator.content import load_articles
    from generator.text import plain_text

    config = load_config(content.parent / "site.yaml")
    articles = sorted(load_articles(content, config), key=lambda a: a.sort_key)
    sample = articles[:: max(1, len(articles) // limit)][:limit]
    texts = [plain_text(a.body) for a in articles]
    title_hits = word_hits = 0
    with SiteServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{server.url}search/")
        page.wait_for_selector("[data-search-ready]", state="attached")

        def search(q):
            page.fill("#q", q)
            page.press("#q", "Enter")
            return page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => a.getAttribute('href'))")

        for a in sample:
            url = f"/archive/{a.date:%Y/%m/%d}/{a.paper}/{a.id}/"
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
