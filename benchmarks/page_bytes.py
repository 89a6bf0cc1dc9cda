"""Where a built site's bytes go, per article: article pages part by part, other pages, search files.

    python benchmarks/page_bytes.py /tmp/news-archive-bench/archive-100000/_site [--sample 3000]

The site-wide split reads every file's size (and the start of every HTML file, for its page kind).
The parts of an article page are averaged over a random sample of article pages (seeded, so a run is
repeatable): each part is found by the default theme's markup and counted once (the body's text is
also shown on its own, within the body), and what no part claims is the page's frame (doctype, html,
body, main and article tags, newlines).

It also prints what the sampled pages would weigh without the parts of their markup that no issue asks
for by name (see without_optional): the most that trimming the markup, short of taking out something
an issue asks for, could take off the site's bytes per article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections import Counter
from pathlib import Path

PAGE_KIND = re.compile(rb'<body data-page-kind="([a-z-]+)"')

# (part, pattern), in the order they are taken out of the page; a part may sit inside a later one.
PARTS = [
    ("JSON-LD", r'<script type="application/ld\+json">.*?</script>\n?'),
    ("Open Graph", r'<meta property="[^"]*" content="[^"]*">\n?'),
    ("rest of <head>", r"<head>.*?</head>\n?"),
    ("site header and search box", r'<a class="skip".*?</header>\n?'),
    ("breadcrumbs", r'<nav class="breadcrumbs.*?</nav>\n?'),
    ("article heading and byline", r'<header class="article-head">.*?</header>\n?'),
    ("body", r'<div class="body">.*?</div>\n?'),
    ("source and citation", r'<footer class="source">.*?</footer>\n?'),
    ("same story", r'<section class="links" data-same-story.*?</section>\n?'),
    ("related", r'<section class="links" data-related.*?</section>\n?'),
    ("later coverage", r'<section class="links" data-later.*?</section>\n?'),
    ("previous / next", r'<nav class="prev-next".*?</nav>\n?'),
    ("site footer", r'<footer class="site-footer">.*?</footer>\n?'),
]
TAG = re.compile(r"<[^>]*>")

# Markup no issue asks for by name: the feed link in every head; Open Graph beyond og:title, og:type and
# og:url; JSON-LD beyond headline, datePublished, author, publisher, about and contentLocation; the
# breadcrumbs' last item (the page's own title); the paper and date after each related link.
OPTIONAL_OG = ("og:site_name", "og:locale", "og:description", "article:published_time", "article:tag")
OPTIONAL_JSON_LD = ("url", "isPartOf", "pageStart", "inLanguage")


def site_split(site: Path) -> tuple[Counter, list[Path]]:
    """Bytes by kind of file, and the article pages."""
    sizes: Counter = Counter()
    articles = []
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            size = path.stat().st_size
            rel = path.relative_to(site).as_posix()
            if rel.startswith("search/") and not name.endswith(".html"):  # (the search page is a page)
                sizes["search files"] += size
            elif name.endswith(".html"):
                with open(path, "rb") as f:
                    kind = PAGE_KIND.search(f.read(8192))
                if kind and kind.group(1) == b"article":
                    sizes["article pages"] += size
                    articles.append(path)
                else:
                    sizes["other pages"] += size
            else:
                sizes["feeds, sitemap, static files"] += size
    return sizes, articles


def page_parts(text: str) -> Counter:
    parts: Counter = Counter()
    for name, pattern in PARTS:
        for found in re.findall(pattern, text, re.S):
            parts[name] += len(found.encode())
            if name == "body":
                parts["body: its text"] += len(TAG.sub("", found).strip().encode())
        text = re.sub(pattern, "", text, flags=re.S)
    parts["frame"] += len(text.encode())
    return parts


def without_optional(text: str) -> str:
    text = re.sub(r'<link rel="alternate"[^>]*>\n?', "", text)
    for prop in OPTIONAL_OG:
        text = re.sub(rf'<meta property="{prop}"[^>]*>\n?', "", text)

    def trimmed_json_ld(found: re.Match) -> str:
        data = json.loads(found.group(1))
        for key in OPTIONAL_JSON_LD:
            data.pop(key, None)
        if isinstance(data.get("contentLocation"), dict):
            data["contentLocation"].pop("containedInPlace", None)
        return ('<script type="application/ld+json">' +
                json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "</script>")

    text = re.sub(r'<script type="application/ld\+json">(.*?)</script>', trimmed_json_ld, text, flags=re.S)
    text = re.sub(r'<li aria-current="page">.*?</li>', "", text)
    return re.sub(r" <small>.*?</small>", "", text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a built site folder")
    ap.add_argument("--sample", type=int, default=3000, help="article pages to take apart")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sizes, articles = site_split(args.site)
    if not articles:
        raise SystemExit(f"{args.site}: no article pages")
    n = len(articles)
    total = sum(sizes.values())
    print(f"{args.site}: {n:,} articles, {total / 1e6:,.1f} MB = {total / n:,.0f} bytes per article")
    for kind, size in sizes.most_common():
        print(f"  {kind:40s} {size / n:8,.0f}")
    sample = random.Random(args.seed).sample(articles, min(args.sample, n))
    parts: Counter = Counter()
    page_bytes = lean_bytes = 0
    for path in sample:
        text = path.read_text(encoding="utf-8")
        page_bytes += len(text.encode())
        lean_bytes += len(without_optional(text).encode())
        parts += page_parts(text)
    m = len(sample)
    print(f"an article page, averaged over {m:,}: {page_bytes / m:,.0f} bytes")
    for name, size in parts.most_common():
        print(f"  {name:40s} {size / m:8,.0f}")
    saved = (page_bytes - lean_bytes) / m
    print(f"without the markup no issue asks for by name: {lean_bytes / m:,.0f} bytes a page, "
          f"{(total / n - saved):,.0f} bytes per article for the whole site")


if __name__ == "__main__":
    main()
