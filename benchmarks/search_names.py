"""Names printed in an archive's articles, chosen by a rule, to measure search's known-item recall.

    python benchmarks/search_names.py PROJECT_DIR [--site SITE_DIR] [--base /archive/] [--all-runs]

Two kinds of name, neither picked by hand:
- the site's own gazetteer: every county name, alias and place of site.yaml printed in an article;
- company, village, town and programme names jieba does not know: a run of 2-5 characters that
  jieba cuts into single characters, printed right before a word that names what it is (公司, 村,
  镇, 项目…), e.g. 东元 in 聊城东元公司. `--all-runs` takes every such run, whatever follows it.

A name is found when the search page's first 10 results are its articles: all of them if it is
printed in 10 or fewer, else 10 of them. With --site, the queries are run in Debian's Chromium on
the built site (served under --base) and the recall is printed with the names it missed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.text import plain_text  # noqa: E402

# words that say what the name before them names
SUFFIXES = frozenset("""公司 集团 村 镇 乡 街道 社区 合作社 项目 工程 计划 行动 工作室 中心 基地 园区 厂 品牌
    学校 小学 中学 医院 银行 协会 商会 酒店 超市 农场 景区""".split())
_ONE_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUNCTION = frozenset("的了是在和与及等也都就还而并且之其以于由把被将对从向为们这那个着过让给到")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,5}")


@dataclass(frozen=True)
class Name:
    text: str
    kind: str  # "gazetteer" | "unknown to jieba"
    articles: frozenset[str]  # ids of the articles that print it


def article_text(article) -> str:
    return " ".join([article.title, article.kicker, article.subtitle, plain_text(article.body)])


def single_character_runs(text: str, names_only: bool = True) -> list[str]:
    """Runs of 2-5 characters jieba cuts into single characters; with `names_only`, those that name
    something: followed by a word of SUFFIXES (东元 / 公司), also in brackets (时风 / （集团）), or
    ending in one (堂邑镇)."""
    import jieba
    words = jieba.lcut(text) + ["", ""]
    out = []
    run: list[str] = []
    for i, w in enumerate(words):
        if _ONE_HAN.fullmatch(w):
            run.append(w)
            continue
        while run and run[0] in _FUNCTION:  # a name does not start with 在, 的, 们…
            run.pop(0)
        name = "".join(run)
        if 2 <= len(run) <= 5 and (not names_only or w in SUFFIXES or (w in "（(" and words[i + 1] in SUFFIXES)
                                    or (len(run) >= 3 and run[-1] in SUFFIXES)):
            out.append(name)
        run = []
    return out


def printed_names(articles: list, config, all_runs: bool = False) -> list[Name]:
    texts = {a.id: article_text(a) for a in articles}

    def printed_in(name: str) -> frozenset[str]:
        return frozenset(i for i, t in texts.items() if name in t)

    names: dict[str, Name] = {}
    for county in config.counties:
        for text in [county.name, *county.aliases, *county.places]:
            found = printed_in(text)
            if found and _HAN_NAME.fullmatch(text):
                names.setdefault(text, Name(text, "gazetteer", found))
    for a in articles:
        for run in single_character_runs(texts[a.id], names_only=not all_runs):
            names.setdefault(run, Name(run, "unknown to jieba", printed_in(run)))
    return sorted(names.values(), key=lambda n: (n.kind, n.text))


def found(name: Name, results: list[str], url_of) -> bool:
    """The first 10 results are the name's articles: all of them, or 10 of them."""
    want = {url_of(i) for i in name.articles}
    top = results[:10]
    return want <= set(top) if len(want) <= 10 else len(top) == 10 and set(top) <= want


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path, help="the project folder (site.yaml, content/)")
    ap.add_argument("--site", type=Path, help="the built site to search (default: only list the names)")
    ap.add_argument("--base", default="/archive/", help="the path the site was built for")
    ap.add_argument("--all-runs", action="store_true", help="every run of single characters, not only names")
    args = ap.parse_args()

    from generator.config import load_config
    from generator.content.load import load_articles
    config = load_config(args.project / "site.yaml")
    articles = load_articles(args.project / "content", config)
    names = printed_names(articles, config, args.all_runs)
    by_id = {a.id: a for a in articles}
    if not args.site:
        for n in names:
            print(f"{n.kind}\t{n.text}\t{len(n.articles)}")
        return 0

    sys.path.insert(0, str(ROOT / "tests" / "helpers"))
    from urllib.parse import quote

    from browser import SiteServer, launch_chromium
    from playwright.sync_api import sync_playwright

    def url_of(article_id: str) -> str:
        a = by_id[article_id]
        return f"{args.base}{a.date:%Y/%m/%d}/{a.paper}/{a.id}/"

    misses = []
    with SiteServer(args.site, args.base) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        for n in names:
            page.goto(f"{server.url}search/?q={quote(n.text)}")
            page.wait_for_selector("[data-search][data-search-state=done]", state="attached")
            results = page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => a.getAttribute('href'))")
            if not found(n, results, url_of):
                misses.append(n)
        browser.close()
    for kind in sorted({n.kind for n in names}):
        of_kind = [n for n in names if n.kind == kind]
        missed = [n.text for n in misses if n.kind == kind]
        print(f"{kind}: {len(of_kind) - len(missed)}/{len(of_kind)} found "
              f"({(len(of_kind) - len(missed)) / len(of_kind):.3f}); missed: {' '.join(missed) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
