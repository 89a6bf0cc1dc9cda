"""A deterministic synthetic archive: content files shaped like the real ones, at any size.

    python benchmarks/corpus.py OUT_DIR --articles 10000 [--seed 1] [--start 2015-01-01]

Articles are ~1,500 characters of sentences drawn from jieba's dictionary with a Zipf distribution,
over a vocabulary that keeps growing with the corpus (Heaps' law, like real news: new names and
places keep appearing), plus the counties, towns and topic keywords of site.yaml so that
classification, cross-links and facets have realistic work. Two papers, ~50 articles per issue
spread over pages, dates over ten years. The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.content import article_path, format_article  # noqa: E402
from generator.model import Article  # noqa: E402

ARTICLE_CHARS = 1500
PER_ISSUE = 50
PAPERS = ("lcrb", "dzrb")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉力鹏飞宇晨浩然志红玉梅丹萍"


def dictionary_words() -> list[str]:
    """jieba's dictionary words of 2-4 Chinese characters, most frequent first."""
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    words = [(f, w) for w, f in jieba.dt.FREQ.items()
             if f > 0 and 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)]
    return [w for _, w in sorted(words, key=lambda fw: (-fw[0], fw[1]))]


class Writer:
    def __init__(self, seed: int, total: int):
        self.rng = random.Random(seed)
        self.words = dictionary_words()
        self.total = total
        # Zipf weights over the vocabulary, as a cumulative table for fast sampling.
        self.cum = list(itertools.accumulate(1.0 / (r + 10) for r in range(len(self.words))))
        config = load_config(ROOT / "site.yaml")
        self.counties = config.counties
        self.topics = config.topics

    def vocabulary_size(self, n: int) -> int:
        """Heaps' law: the words in use grow with the square root of the corpus."""
        return min(len(self.words), int(4000 + 300 * (n + 1) ** 0.5))

    def word(self, limit: int) -> str:
        x = self.rng.random() * self.cum[limit - 1]
        return self.words[bisect.bisect_left(self.cum, x, hi=limit - 1)]

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def sentence(self, limit: int, flavour: list[str]) -> str:
        parts = []
        for _ in range(self.rng.randint(6, 14)):
            parts.append(self.rng.choice(flavour) if self.rng.random() < 0.12 else self.word(limit))
            if self.rng.random() < 0.15:
                parts.append("，")
        return "".join(parts).strip("，") + self.rng.choice("。。。。！？")

    def article(self, n: int, date: dt.date, paper: str, page: int, pos: int) -> Article:
        limit = self.vocabulary_size(n)
        county = self.rng.choice(self.counties) if self.rng.random() < 0.6 else None
        topics = self.rng.sample(self.topics, self.rng.randint(1, 2))
        flavour = [k for t in topics for k in t.keywords]
        if county:
            flavour += [county.name, *county.places[:6]] * 2
        paragraphs, size = [], 0
        target = int(self.rng.gauss(ARTICLE_CHARS, 300))
        while size < target:
            p = "".join(self.sentence(limit, flavour) for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(p)
            size += len(p)
        title = "".join(self.word(limit // 4) for _ in range(self.rng.randint(3, 6)))
        if county:
            title = county.name + title
        return Article(
            id=f"{paper}-{date:%Y%m%d}-p{page:02d}-{pos:02d}", title=title, date=date, paper=paper, page=page,
            authors=[self.person() for _ in range(self.rng.randint(1, 2))],
            correspondents=[self.person()] if self.rng.random() < 0.5 else [],
            county=county.name if county else "", topics=[t.name for t in topics],
            auto={"county": county.name if county else "", "topics": [t.name for t in topics]},
            source=f"synthetic-{paper}-{date:%Y%m%d}-{page:02d}.txt", body="\n\n".join(paragraphs) + "\n",
        )


def issues(start: dt.date, total: int):
    """(date, paper) of each issue: two papers, spread over ten years whatever the size."""
    count = max(1, -(-total // PER_ISSUE))
    step = max(1, 3650 // max(1, count // len(PAPERS)))
    for k in range(count):
        yield start + dt.timedelta(days=(k // len(PAPERS)) * step), PAPERS[k % len(PAPERS)]


def generate(out: Path, articles: int, seed: int = 1, start: dt.date = dt.date(2015, 1, 1)) -> list[Path]:
    """Write a corpus of `articles` articles into out/; return the files, oldest first."""
    writer = Writer(seed, articles)
    written = []
    n = 0
    for date, paper in issues(start, articles):
        for pos in range(min(PER_ISSUE, articles - n)):
            written.append(write(out, writer.article(n, date, paper, page=1 + pos // 8, pos=pos % 8 + 1)))
            n += 1
    return written


def add_issue(out: Path, after: dt.date, paper: str = "lcrb", seed: int = 99, size: int = 10_000) -> list[Path]:
    """One new issue of PER_ISSUE articles the day after `after` (what CI builds when a paper arrives)."""
    writer = Writer(seed, size)
    date = after + dt.timedelta(days=1)
    return [write(out, writer.article(size + pos, date, paper, page=1 + pos // 8, pos=pos % 8 + 1))
            for pos in range(PER_ISSUE)]


def write(out: Path, article: Article) -> Path:
    path = out / article_path(article)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_article(article), encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files = generate(args.out, args.articles, args.seed)
    print(f"wrote {len(files)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
