"""County and topic assignment from the places and words a story uses (site.yaml driven)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.analysis.words import jieba_idf
from generator.config import SiteConfig
from generator.content.model import AUTO_KEYS, Article
from generator.text import plain_text

TITLE_WEIGHT = 3
LEAD_WEIGHT = 2
SHORT_STORY = 400  # characters; a short story naming a place twice is about it


class PlaceIndex:
    """Finds county names, aliases and gazetteer places in text, longest match first."""

    def __init__(self, config: SiteConfig):
        self.owner: dict[str, str] = {}
        for county in config.counties:
            for key in (county.name, *county.aliases, *county.places):
                self.owner.setdefault(key, county.name)
        keys = sorted(self.owner, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def mentions(self, text: str) -> list[tuple[str, str, int]]:
        """(matched text, county name, position) for each mention."""
        if self.pattern is None:
            return []
        return [(m.group(0), self.owner[m.group(0)], m.start()) for m in self.pattern.finditer(text)]

    def county_of(self, place: str) -> str:
        return self.owner.get(place, "")


def assign_county(config: SiteConfig, places: PlaceIndex, dateline: str, title: str, body: str) -> str:
    """The dateline's county; else the county a story is clearly about; else '' (city-wide)."""
    if dateline:
        found = places.county_of(dateline)
        if found:
            return found
    in_title = {county for _, county, _ in places.mentions(title)}
    if len(in_title) == 1:
        return in_title.pop()
    scores: Counter[str] = Counter()
    last_end: dict[str, int] = {}
    for text, county, start in places.mentions(body):
        if last_end.get(county) != start:  # '东昌府区堂邑镇' is one mention, not two
            scores[county] += 1
        last_end[county] = start + len(text)
    lead = re.split(r"(?<=[。！？])", body, maxsplit=1)[0]
    for county in {county for _, county, _ in places.mentions(lead)}:
        scores[county] += LEAD_WEIGHT  # the place in the lead sentence is what the story is about
    if not scores:
        return ""
    best, score = max(sorted(scores.items()), key=lambda kv: kv[1])
    needed = 2 if len(body) < SHORT_STORY else 3
    if score >= needed and score >= 0.7 * sum(scores.values()):
        return best
    return ""


def keyword_weight(word: str, folder: Path | None = None) -> float:
    """How much one use of a keyword says: jieba's IDF relative to its median, capped at 1.

    Words jieba does not know (often compounds such as 乡村振兴) are as specific as the median word.
    `folder` (the build cache's) keeps jieba's IDF table for the next process.
    """
    idf, median, _ = jieba_idf(folder)
    return min(idf.get(word, median) / median, 1.0)


def topic_scores(config: SiteConfig, title: str, body: str) -> dict[str, float]:
    """TF-IDF weighted keyword uses per 1,000 characters, for every topic the story uses."""
    scores: dict[str, float] = {}
    length = max(len(title) + len(body), 1)
    folder = config.path("cache")
    for topic in config.topics:
        hits = sum((title.count(k) * TITLE_WEIGHT + body.count(k)) * keyword_weight(k, folder) for k in topic.keywords)
        if hits:
            scores[topic.name] = hits * 1000 / length
    return scores


def assign_topics(config: SiteConfig, title: str, body: str) -> list[str]:
    """Up to max_topics topics whose keywords weigh most in the story, none below the threshold."""
    options = config.classify
    ranked = sorted(topic_scores(config, title, body).items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return []
    floor = max(options.topic_threshold, ranked[0][1] * options.topic_relative)
    return [name for name, s in ranked if s >= floor][: options.max_topics]


def classify_article(config: SiteConfig, places: PlaceIndex, article: Article) -> dict:
    """What the classifier says of an article: {'county': ..., 'topics': [...]}."""
    text = plain_text(article.body)
    return {"county": assign_county(config, places, article.dateline, article.title, text),
            "topics": assign_topics(config, article.title, text)}


def reclassify(article: Article, proposed: dict) -> dict[str, tuple]:
    """Apply the classifier's values to the keys it owns; return {key: (old, new)} for changed values.

    A key is the classifier's when `auto` records it with the current value. If the current value
    differs from the recorded one, an editor changed it: the editor's value stays and the key is no
    longer automatic. A file without `auto` whose value is empty gets the classifier's value.
    """
    changes: dict[str, tuple] = {}
    auto = {}
    for key in AUTO_KEYS:
        current = getattr(article, key)
        if article.auto is None:
            owned = current in ("", [])
        else:
            owned = key in article.auto and article.auto[key] == current
        if not owned:
            continue
        new = proposed[key]
        auto[key] = new
        if new != current:
            setattr(article, key, new)
            changes[key] = (current, new)
    if auto != (article.auto or {}):
        changes["auto"] = (article.auto, auto)
        article.auto = auto
    return changes


def classify_content(config: SiteConfig, content_dir: Path, *, dry_run: bool = False) -> list[str]:
    """Re-run classification on every content file; rewrite only the keys the classifier owns."""
    from generator.content.load import load_articles

    from generator.content.frontmatter import set_front_matter

    from generator.base.files import write_text_atomic

    places = PlaceIndex(config)
    report = []
    changed_files = 0
    articles = load_articles(content_dir, config)
    for article in articles:
        changes = reclassify(article, classify_article(config, places, article))
        if not changes:
            continue
        changed_files += 1
        path = content_dir / article.path.split("/", 1)[1]
        shown = {k: v for k, v in changes.items() if k != "auto"}
        if shown:
            report.append(f"{article.path}: " + "; ".join(f"{k} {old or '—'} → {new or '—'}"
                                                          for k, (old, new) in shown.items()))
        if not dry_run:
            text = path.read_text(encoding="utf-8")
            values = {key: getattr(article, key) for key in changes}
            values["auto"] = article.auto
            write_text_atomic(path, set_front_matter(text, values))
    verb = "would change" if dry_run else "changed"
    report.append(f"classified {len(articles)} articles; {verb} {changed_files} files")
    return report
