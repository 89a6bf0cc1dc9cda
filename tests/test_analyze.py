"""Per-article analysis and its cache: what comes back from the cache equals what was computed."""

import dataclasses
import datetime as dt

from generator.analyze import LEAD_CHARS, analyse_all
from generator.cache import Cache
from generator.model import Article


def article(n: int, paragraphs: int) -> Article:
    body = "\n\n".join(f"第{n}篇第{k}段。聊城市茌平区推进乡村振兴，村民收入稳步增长。" for k in range(paragraphs))
    return Article(id=f"a{n}", title=f"茌平区乡村振兴报道{n}", date=dt.date(2024, 1, 1 + n), paper="lcrb",
                   authors=["王小明"], body=body + "\n")


def snapshot(x):
    small = {f.name: getattr(x, f.name) for f in dataclasses.fields(x) if not f.name.startswith("_")}
    return {**small, "text": x.text, "words": x.words,
            "starts": [x.text_start(n) for n in (10, LEAD_CHARS, LEAD_CHARS + 100, 10_000)]}


def test_an_analysis_from_the_cache_equals_the_fresh_one_short_and_long(tmp_path):
    articles = [article(1, 2), article(2, 60)]  # the second is longer than the lead kept in the small part
    with Cache(tmp_path / "cache.sqlite") as cache:
        fresh, analysed = analyse_all(articles, cache, workers=1)
        assert fresh["a1"]._extra is None  # the big parts went to the cache, not kept in memory
        want = {a.id: snapshot(fresh[a.id]) for a in articles}
    assert analysed == 2 and len(want["a2"]["text"]) > LEAD_CHARS > len(want["a1"]["text"])
    assert want["a2"]["starts"][2] == want["a2"]["text"][:LEAD_CHARS + 100]
    with Cache(tmp_path / "cache.sqlite") as cache:
        cached, analysed = analyse_all(articles, cache, workers=1)
        assert analysed == 0
        assert {a.id: snapshot(cached[a.id]) for a in articles} == want
        assert "茌平" in cached["a1"].words["body"].split() and cached["a1"].description.endswith("。")
