"""Pinyin offers: the counties, topics, places and people a reader may type in pinyin on the search page.

Typing `liaocheng`, `dongchangfu` or its initials `dcf` offers the names whose pinyin (pypinyin's
reading of the whole name, so 莘县 is shen xian) or initials start with what was typed; each offer links
to its county or topic page, or to a search for the name. Full-text pinyin search is not offered.
People are offered once printed in one article of every PEOPLE_PER (all of them in a small archive, 5 at
10,000 articles): the list stays small at any size, and few issues change it.
Two files, fetched on a reader's first pinyin query: search/pinyin/names.json (counties, topics, places:
changed only with site.yaml) and people.json (changed only when someone reaches the threshold), each a
list of [name, kind, site-relative URL, pinyin, initials]. Readings are kept in the build cache.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from generator.base.cache import Cache
from generator.base.output import Output
from generator.content.site import SiteModel
from generator.content.urls import SEARCH_URL, county_url, topic_url

PINYIN_DIR = "search/pinyin"
PEOPLE_PER = 2000  # a person is offered once printed in one article of this many
KINDS = ("county", "topic", "place", "person")  # the order offers are listed in
_HAN_NAME = re.compile(r"[\u3400-\u9fff·]{2,12}")


@dataclass(frozen=True)
class Offer:
    name: str
    kind: str  # one of KINDS
    url: str  # site-relative
    pinyin: str  # 'dongchangfuqu'
    initials: str  # 'dcfq'


def reading(name: str) -> tuple[str, str]:
    """(pinyin, initials) of a name, lowercase ASCII, without tones or spaces."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(name.replace("·", "")) if s.isascii() and s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def readings(names: list[str], cache: Cache) -> dict[str, tuple[str, str]]:
    """reading() of each name, from the build cache where an earlier build worked it out."""
    found = {k: tuple(v) for k, v in cache.get_many(READINGS, names).items()}
    missing = {n: reading(n) for n in names if n not in found}
    if missing:
        cache.put_many(READINGS, {n: list(r) for n, r in missing.items()})
    return {**found, **missing}


READINGS = "pinyin"  # the cache table of readings


def offers_of(site: SiteModel, cache: Cache) -> list[Offer]:
    """Every name the archive offers, each once (the first kind that has it wins), sorted."""
    config = site.config
    named: list[tuple[str, str, str]] = []
    for county in config.counties:
        named += [(n, "county", county_url(county.slug)) for n in (county.name, *county.aliases)]
    named += [(t.name, "topic", topic_url(t.slug)) for t in config.topics]
    named += [(p, "place", _search(p)) for county in config.counties for p in county.places]
    printed = Counter(p for a in site.articles for p in set(a.people))
    least = max(1, len(site.articles) // PEOPLE_PER)
    named += [(p, "person", _search(p)) for p in sorted(p for p, n in printed.items() if n >= least)]
    named = [x for x in named if _HAN_NAME.fullmatch(x[0])]
    read = readings(sorted({name for name, _, _ in named}), cache)
    out: dict[str, Offer] = {}
    for name, kind, url in named:
        full, initials = read[name]
        if name not in out and full:
            out[name] = Offer(name, kind, url, full, initials)
    return sorted(out.values(), key=lambda o: (o.pinyin, KINDS.index(o.kind), o.name))


def _search(name: str) -> str:
    return f"{SEARCH_URL}?q={quote(name)}"


def write_offers(site: SiteModel, output: Output, cache: Cache) -> str:
    """Write names.json and people.json; return the folder's URL with a version for cache busting."""
    files: dict[str, list[list[str]]] = {"names": [], "people": []}
    for o in offers_of(site, cache):
        files["people" if o.kind == "person" else "names"].append([o.name, o.kind, o.url, o.pinyin, o.initials])
    digest = hashlib.sha256()
    for name, entries in files.items():
        data = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
        output.write(f"{PINYIN_DIR}/{name}.json", data, kind="search")
        digest.update(data)
    return f"{PINYIN_DIR}/?v={digest.hexdigest()[:10]}"
