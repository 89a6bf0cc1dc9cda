"""County and topic assignment from the places and words a story uses (site.yaml driven)."""

from __future__ import annotations

import re
from collections import Counter

from .config import SiteConfig

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


def assign_topics(config: SiteConfig, title: str, body: str) -> list[str]:
    """Up to max_topics topics whose keywords the story uses most (title counts more)."""
    scores: dict[str, float] = {}
    length = max(len(title) + len(body), 1)
    for topic in config.topics:
        hits = sum(title.count(k) * TITLE_WEIGHT + body.count(k) for k in topic.keywords)
        if hits:
            scores[topic.name] = hits * 1000 / length
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    chosen = [name for name, s in ranked if s >= config.classify.topic_threshold][: config.classify.max_topics]
    return chosen
