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


def test_an_analysis_from_the_cache_equals_the_fresh_one_short_and_long(tmp_path):
    articles = [article(1, 2), article(2, 60)]  # the second is longer than the lead kept in the small part
    with Cache(tmp_path / "cache.sqlite") as cache:
        fresh, analysed = analyse_all(articles, cache, workers=1)
    assert analysed == 2 and len(fresh["a2"].text) > LEAD_CHARS > len(fresh["a1"].text)
    with Cache(tmp_path / "cache.sqlite") as cache:
        cached, analysed = analyse_all(articles, cache, workers=1)
        assert analysed == 0
        for a in articles:
            one, two = fresh[a.id], cached[a.id]
            small = {f.name: getattr(one, f.name) for f in dataclasses.fields(one) if not f.name.startswith("_")}
            assert small == {name: getattr(two, name) for name in small}
            assert two.text == one.text and two.words == one.words  # read from the cache on first use
            for chars in (10, LEAD_CHARS, LEAD_CHARS + 100, 10_000):
                assert two.text_start(chars) == one.text[:chars]
        assert "茌平" in cached["a1"].words["body"].split() and cached["a1"].description.endswith("。")
