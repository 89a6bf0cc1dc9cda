"""A deterministic synthetic archive: content files shaped like the real ones, at any size.

    python benchmarks/corpus.py OUT_DIR --articles 10000 [--seed 1] [--start 2015-01-01]

Articles are ~1,500 characters of sentences drawn from jieba's dictionary with a Zipf distribution,
over a vocabulary that keeps growing with the corpus (Heaps' law, like real news: new names and
places keep appearing), plus the counties, towns and topic keywords of site.yaml so that
classification, cross-links and facets have realistic work. Two papers, ~50 articles per issue
spread over pages, dates over ten years. The same arguments always give the same files.

Words are bursty, as in real news rather than in independent draws: outside the language's most
common words, each word belongs to one topic's stock (or to the general stock), and an article draws
from the general stock and its own topics' stocks only, and often uses a word again; each article
also has a few words of its own (its story's names, places and terms), used again and again. A
quarter of the articles follow up a story of the last FOLLOW_UP_DATES publication dates: they share
its county, topics and own words. (The first version drew every word from one distribution: 学生 was
in 72% of the articles and 8% of the real samples, and any two articles of a topic looked alike: the
closest earlier article of nearly every article scored 0.75-1.0, against 0.11-0.39 for 80% of the
samples.)
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.content.frontmatter import article_path, format_article  # noqa: E402
from generator.content.model import Article  # noqa: E402

ARTICLE_CHARS = 1500  # the mean length of an article's text (the samples' is ~590; their median ~490)
PER_ISSUE = 50
PAPERS = ("lcrb", "dzrb")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉力鹏飞宇晨浩然志红玉梅丹萍"

ZIPF_OFFSET = 60  # a word's weight is 1 / (rank + ZIPF_OFFSET): the head as flat as in news text
COMMON_WORDS = 50  # the language's most common words (一个, 我们, 发展, 工作...) are all general
GENERAL_SHARE = 35  # % of the other words that any article may use; the rest belong to one topic each
OWN_WORDS = (8, 14)  # an article's own words (its story's names, places and terms): how many
OWN_RANKS = (2000, 60000)  # ... drawn from these ranks of the dictionary
FOLLOW_UP = 0.25  # share of articles that follow up an earlier story
FOLLOW_UP_DATES = 10  # ... printed on one of the last 10 dates with an issue
FOLLOW_UP_NEW_WORDS = 3  # a follow-up uses the followed article's own words and this many new ones
# what the words of a sentence are: the article's own words, its county's and topics' keywords, a word
# the article used already, its topics' stocks; the rest from the general stock
OWN_SHARE, FLAVOUR_SHARE, AGAIN_SHARE, TOPIC_SHARE = 0.08, 0.06, 0.35, 0.15


def dictionary_words() -> list[str]:
    """jieba's dictionary words of 2-4 Chinese characters, most frequent first."""
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    words = [(f, w) for w, f in jieba.dt.FREQ.items()
             if f > 0 and 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)]
    return [w for _, w in sorted(words, key=lambda fw: (-fw[0], fw[1]))]


def stable_hash(text: str) -> int:
    return zlib.crc32(text.encode())


class Stock:
    """Some words of the dictionary (by rank), drawn with Zipf weights among those in use."""

    def __init__(self, ranks: list[int]):
        self.ranks = ranks
        self.cum = list(itertools.accumulate(1.0 / (r + ZIPF_OFFSET) for r in ranks))

    def draw(self, rng: random.Random, limit: int) -> int:
        """The rank of a word among the first `limit` of the dictionary."""
        k = max(1, bisect.bisect_left(self.ranks, limit))
        return self.ranks[bisect.bisect_left(self.cum, rng.random() * self.cum[k - 1], hi=k - 1)]


class Writer:
    def __init__(self, seed: int, total: int, chars: int = ARTICLE_CHARS):
        self.rng = random.Random(seed)
        self.chars = chars
        self.words = dictionary_words()
        self.total = total
        config = load_config(ROOT / "site.yaml")
        self.counties = config.counties
        self.topics = config.topics
        stocks: list[list[int]] = [[] for _ in range(len(self.topics) + 1)]  # 0: general
        for rank, word in enumerate(self.words):
            if rank < COMMON_WORDS or stable_hash(word) % 100 < GENERAL_SHARE:
                stocks[0].append(rank)
            else:
                stocks[1 + stable_hash(word + "#") % len(self.topics)].append(rank)
        self.general = Stock(stocks[0])
        self.topic_stock = {t.name: Stock(ranks) for t, ranks in zip(self.topics, stocks[1:])}
        self.recent: list[tuple[dt.date, list[str]]] = []  # ids of the last dates' articles, for follow-ups

    def vocabulary_size(self, n: int) -> int:
        """Heaps' law: the words in use grow with the square root of the corpus."""
        return min(len(self.words), int(4000 + 300 * (n + 1) ** 0.5))

    def story(self, article_id: str):
        """What an article is about, from its id alone (so that a later issue can follow it up):
        county (or none), topics, and its own words."""
        rng = random.Random(stable_hash(article_id))
        county = rng.choice(self.counties) if rng.random() < 0.6 else None
        topics = rng.sample(self.topics, rng.randint(1, 2))
        own = [self.words[rng.randrange(*OWN_RANKS)] for _ in range(rng.randint(*OWN_WORDS))]
        return county, topics, own

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def word(self, limit: int, topics, own: list[str], flavour: list[str], used: list[str]) -> str:
        x = self.rng.random()
        if x < OWN_SHARE:
            return self.rng.choice(own)
        x -= OWN_SHARE
        if x < FLAVOUR_SHARE:
            return self.rng.choice(flavour)
        x -= FLAVOUR_SHARE
        if x < AGAIN_SHARE and used:
            return self.rng.choice(used)
        x -= AGAIN_SHARE
        stock = self.topic_stock[self.rng.choice(topics).name] if x < TOPIC_SHARE else self.general
        word = self.words[stock.draw(self.rng, limit)]
        used.append(word)
        return word

    def sentence(self, limit: int, topics, own: list[str], flavour: list[str], used: list[str]) -> str:
        parts = []
        for _ in range(self.rng.randint(6, 14)):
            parts.append(self.word(limit, topics, own, flavour, used))
            if self.rng.random() < 0.15:
                parts.append("，")
        return "".join(parts).strip("，") + self.rng.choice("。。。。！？")

    def followed(self, date: dt.date) -> str | None:
        """An article of the last FOLLOW_UP_DATES dates before `date` that this one follows up, or None."""
        if self.rng.random() >= FOLLOW_UP:
            return None
        earlier = [aid for day, ids in self.recent[-FOLLOW_UP_DATES - 1:] if day < date for aid in ids]
        return self.rng.choice(earlier) if earlier else None

    def remember(self, date: dt.date, article_id: str) -> None:
        if not self.recent or self.recent[-1][0] != date:
            self.recent.append((date, []))
            del self.recent[:-FOLLOW_UP_DATES - 1]
        self.recent[-1][1].append(article_id)

    def article(self, n: int, date: dt.date, paper: str, page: int, pos: int) -> Article:
        limit = self.vocabulary_size(n)
        article_id = f"{paper}-{date:%Y%m%d}-p{page:02d}-{pos:02d}"
        county, topics, own = self.story(article_id)
        earlier = self.followed(date)
        if earlier:  # (the story its id gives; if it followed another up itself, not all of what it used)
            county, topics, their_own = self.story(earlier)
            own = their_own + own[:FOLLOW_UP_NEW_WORDS]
        flavour = [k for t in topics for k in t.keywords]
        if county:
            flavour += [county.name, *county.places[:6]] * 2
        paragraphs, size, used = [], 0, []
        target = int(self.rng.gauss(self.chars, self.chars / 5))
        while size < target:
            p = "".join(self.sentence(limit, topics, own, flavour, used) for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(p)
            size += len(p)
        title = "".join(self.rng.choice(own) if self.rng.random() < 0.4  # a title names its story
                        else self.word(limit // 4, topics, own, flavour, [])
                        for _ in range(self.rng.randint(3, 6)))
        if county:
            title = county.name + title
        self.remember(date, article_id)
        return Article(
            id=article_id, title=title, date=date, paper=paper, page=page,
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


def generate(out: Path, articles: int, seed: int = 1, start: dt.date = dt.date(2015, 1, 1),
             chars: int = ARTICLE_CHARS) -> list[Path]:
    """Write a corpus of `articles` articles of ~`chars` characters into out/; return the files, oldest first."""
    writer = Writer(seed, articles, chars)
    written = []
    n = 0
    for date, paper in issues(start, articles):
        for pos in range(min(PER_ISSUE, articles - n)):
            written.append(write(out, writer.article(n, date, paper, page=1 + pos // 8, pos=pos % 8 + 1)))
            n += 1
    return written


def add_issue(out: Path, after: dt.date, paper: str = "lcrb", seed: int = 99, size: int = 10_000,
              chars: int = ARTICLE_CHARS) -> list[Path]:
    """One new issue of PER_ISSUE articles the day after `after` (what CI builds when a paper arrives)."""
    writer = Writer(seed, size, chars)
    date = after + dt.timedelta(days=1)
    writer.recent = recent_articles(out, date)
    return [write(out, writer.article(size + pos, date, paper, page=1 + pos // 8, pos=pos % 8 + 1))
            for pos in range(PER_ISSUE)]


def recent_articles(out: Path, date: dt.date) -> list[tuple[dt.date, list[str]]]:
    """The ids of the articles in out/ of the FOLLOW_UP_DATES dates with articles before `date`, by date."""
    found = []
    for year in sorted((p for p in out.iterdir() if p.name.isdigit()), reverse=True):
        for day in sorted(year.glob("*/*"), reverse=True):
            when = dt.date(int(year.name), int(day.parent.name), int(day.name))
            ids = sorted(path.stem for path in day.glob("*.md"))
            if when < date and ids:
                found.append((when, ids))
                if len(found) == FOLLOW_UP_DATES:
                    return found[::-1]
    return found[::-1]


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
    ap.add_argument("--chars", type=int, default=ARTICLE_CHARS, help="mean characters of an article's text")
    args = ap.parse_args()
    files = generate(args.out, args.articles, args.seed, chars=args.chars)
    print(f"wrote {len(files)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
