"""Per-article analysis and its cache: what comes back from the cache equals what was computed."""

import dataclasses
import datetime as dt
import json
import random

import pytest

from generator.analysis.record import LEAD_CHARS, Packed, DeferredRest, keywords_among, pack_keywords, pack_sketch, unpack_keywords, unpack_sketch

from generator.analysis.analyze import analyse, analyse_all, analysis_key
from generator.analysis.words import Lexicon
from generator.base.cache import Cache
from generator.content.model import Article


PLAIN = Lexicon()  # jieba's words alone


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
        fresh, analysed = analyse_all(articles, cache, PLAIN, workers=1)
        assert fresh["a1"]._extra is None  # the big parts went to the cache, not kept in memory
        want = {a.id: snapshot(fresh[a.id]) for a in articles}
    assert want == {a.id: snapshot(analyse(a, PLAIN, analysis_key(a, PLAIN))) for a in articles}  # as computed
    assert analysed == 2 and len(want["a2"]["text"]) > LEAD_CHARS > len(want["a1"]["text"])
    assert want["a2"]["starts"][2] == want["a2"]["text"][:LEAD_CHARS + 100]
    with Cache(tmp_path / "cache.sqlite") as cache:
        cached, analysed = analyse_all(articles, cache, PLAIN, workers=1)
        assert analysed == 0
        assert {a.id: snapshot(cached[a.id]) for a in articles} == want
        assert "茌平" in cached["a1"].words["body"].split() and cached["a1"].description.endswith("。")


def test_jieba_idf_table_is_the_one_jieba_analyse_uses():
    """The IDF table is read from jieba's files directly (importing jieba.analyse costs ~0.6 s more);
    it must be exactly what jieba.analyse's default TF-IDF extractor holds."""
    from jieba.analyse import default_tfidf

    from generator.analysis.words import jieba_idf

    idf, median, stop = jieba_idf()
    assert idf == default_tfidf.idf_freq and len(idf) > 100_000
    assert median == default_tfidf.median_idf
    assert stop == frozenset(default_tfidf.stop_words) and "the" in stop


def test_new_articles_go_to_the_worker_and_an_entry_the_cache_cannot_give_back_is_analysed_again(tmp_path):
    from generator.analysis.analyze import AnalysisWorker

    articles = [article(1, 2), article(2, 3), article(3, 4)]
    with Cache(tmp_path / "cache.sqlite") as cache:
        want = {k: snapshot(v) for k, v in analyse_all(articles[:2], cache, PLAIN, workers=1)[0].items()}
    with Cache(tmp_path / "cache.sqlite") as cache, AnalysisWorker(Lexicon.of((), tmp_path)) as worker:
        # a damaged cache: a1's row is there, but not the rest of its analysis
        cache.db.execute("DELETE FROM analysis_rest WHERE key = ?", (analysis_key(articles[0], PLAIN),))
        cache.db.commit()
        jobs = []
        map_async = worker.map_async
        worker.map_async = lambda given: jobs.extend(given) or map_async(given)
        got, analysed = analyse_all(articles, cache, PLAIN, workers=1, pool=worker)
        assert [a.id for a, _ in jobs] == ["a3"] and analysed == 2  # a3 in the worker, a1 again here
        assert {k: snapshot(got[k]) for k in ("a1", "a2")} == want and got["a3"].description
        assert cache.get_many("analysis_rest", [analysis_key(articles[0], PLAIN)], decode=False)  # put back


def test_keywords_and_sketch_come_back_from_their_packed_form_exactly_or_stay_plain():
    rng = random.Random(7)
    words = ["聊城", "茌平区", "乡村振兴", "GDP", "5G", "c++", "黄河", "ü", "二〇二四"]
    for _ in range(2000):
        chosen = rng.sample(words, rng.randint(0, len(words)))
        keywords = {w: rng.choice([round(rng.random(), 4), rng.random(), 1e-9 * rng.random(), 1.0, 0.0])
                    for w in chosen}
        sketch = [rng.choice([-1, rng.randrange(2**26)]) for _ in range(64)]
        packed_k, packed_s = pack_keywords(keywords), pack_sketch(sketch)
        assert isinstance(packed_k, list) and isinstance(packed_s, str)
        back_k = unpack_keywords(json.loads(json.dumps(packed_k)))
        assert back_k == keywords and list(back_k) == list(keywords)  # same words, weights and order
        assert unpack_sketch(json.loads(json.dumps(packed_s))) == sketch
    # what packing cannot carry exactly is kept as it is, and read back the same
    for keywords in ({"两 个": 0.5}, {"": 0.5}, {"全角\u3000空格": 0.5}, {"聊城": float("inf")}, {"聊城": float("nan")}):
        assert pack_keywords(keywords) == keywords and unpack_keywords(keywords) == keywords
    assert pack_sketch([2**31, -1]) == [2**31, -1] and unpack_sketch([2**31, -1]) == [2**31, -1]


def test_the_keywords_among_some_words_come_in_the_analysis_order_packed_or_not(tmp_path):
    fresh = analyse(article(1, 3), PLAIN, analysis_key(article(1, 3), PLAIN))
    with Cache(tmp_path / "cache.sqlite") as cache:
        analyse_all([article(1, 3)], cache, PLAIN, workers=1)
        packed = analyse_all([article(1, 3)], cache, PLAIN, workers=1)[0]["a1"]
    words = list(fresh.keywords)
    assert isinstance(packed.__dict__["_keywords"], Packed) and len(words) >= 4
    for wanted in (set(), {"不在其中"}, {words[2]}, {words[3], words[0], "不在其中"}, set(words)):
        expected = [(w, fresh.keywords[w]) for w in words if w in wanted]
        assert keywords_among(fresh, wanted) == expected
        assert keywords_among(packed, wanted) == expected
    assert isinstance(packed.__dict__["_keywords"], Packed)  # (read without unpacking every weight)


def test_a_cached_analysis_unpacks_its_keywords_and_sketch_only_when_they_are_used(tmp_path):
    fresh = analyse(article(1, 3), PLAIN, analysis_key(article(1, 3), PLAIN))
    with Cache(tmp_path / "cache.sqlite") as cache:
        analyse_all([article(1, 3)], cache, PLAIN, workers=1)
    with Cache(tmp_path / "cache.sqlite") as cache:
        cached = analyse_all([article(1, 3)], cache, PLAIN, workers=1)[0]["a1"]
        assert isinstance(cached.__dict__["_keywords"], Packed) and isinstance(cached.__dict__["_sketch"], DeferredRest)
        assert cached.sketch == fresh.sketch and cached.__dict__["_sketch"] is cached.sketch  # unpacked once, kept
        assert isinstance(cached.__dict__["_keywords"], Packed)  # still packed: not used yet
        assert cached.keywords == fresh.keywords and list(cached.keywords) == list(fresh.keywords)
        assert snapshot(cached) == snapshot(fresh)


def test_new_analyses_go_to_the_cache_as_they_come_and_are_kept_packed(tmp_path, monkeypatch):
    """A cold build analyses every article: each batch of new analyses is written to the cache before
    the next ones are made, and what stays in memory is the packed form a cached build reads."""
    import generator.analysis.analyze as analyze

    monkeypatch.setattr(analyze, "STORE_BATCH", 2)
    articles = [article(n, 2) for n in range(1, 8)]
    rows_before = []
    with Cache(tmp_path / "cache.sqlite") as cache:
        def counting(a, lexicon, key):
            rows_before.append(cache.rows("analysis"))
            return analyse(a, lexicon, key)
        monkeypatch.setattr(analyze, "analyse", counting)
        got, analysed = analyse_all(articles, cache, PLAIN, workers=1)
        assert analysed == 7 and rows_before == [0, 0, 2, 2, 4, 4, 6]
        assert all(x._extra is None and isinstance(x.__dict__["_keywords"], Packed) and
                   isinstance(x.__dict__["_sketch"], DeferredRest) for x in got.values())
        assert {k: snapshot(x) for k, x in got.items()} == {a.id: snapshot(analyse(a, PLAIN, analysis_key(a, PLAIN)))
                                                             for a in articles}


@pytest.mark.parametrize("form", ["one JSON object, unpacked", "two lines"])
def test_an_analysis_cached_in_an_older_form_still_reads_and_is_split_once(tmp_path, form):
    articles = [article(1, 3)]
    with Cache(tmp_path / "cache.sqlite") as cache:
        fresh = analyse_all(articles, cache, PLAIN, workers=1)[0]["a1"]
        want, (head, rest) = snapshot(fresh), fresh.to_rows()
        assert cache.get_many("analysis", [fresh.key], decode=False)[fresh.key] == head
        if form == "two lines":
            old_form = head + b"\n" + rest
        else:  # as rows were written before packing and before the rest had its own table
            old_form = json.dumps({"keywords": fresh.keywords, "sketch": fresh.sketch, "shingles": fresh.shingles,
                                   "description": fresh.description, "lead": fresh.lead}).encode()
        cache.db.execute("UPDATE analysis SET data = ? WHERE key = ?", (old_form, fresh.key))
        cache.db.execute("DELETE FROM analysis_rest")
        cache.db.commit()
    with Cache(tmp_path / "cache.sqlite") as cache:
        again, analysed = analyse_all(articles, cache, PLAIN, workers=1)
        assert analysed == 0
        assert snapshot(again["a1"]) == want and list(again["a1"].keywords) == list(fresh.keywords)
        assert cache.get_many("analysis", [fresh.key], decode=False)[fresh.key] == head  # split
        assert cache.get_many("analysis_rest", [fresh.key], decode=False)[fresh.key] == rest
    with Cache(tmp_path / "cache.sqlite") as cache:
        third = analyse_all(articles, cache, PLAIN, workers=1)[0]["a1"]
        assert snapshot(third) == want  # its big part (words, text) kept


def test_a_cached_analysis_decodes_sketch_shingles_and_lead_only_when_one_is_used(tmp_path):
    fresh = analyse(article(1, 3), PLAIN, analysis_key(article(1, 3), PLAIN))
    with Cache(tmp_path / "cache.sqlite") as cache:
        analyse_all([article(1, 3)], cache, PLAIN, workers=1)
    with Cache(tmp_path / "cache.sqlite") as cache:
        cached = analyse_all([article(1, 3)], cache, PLAIN, workers=1)[0]["a1"]
        assert cached.description == fresh.description and cached.key == fresh.key
        rests = [cached.__dict__[f"_{name}"] for name in ("sketch", "shingles", "lead")]
        assert all(isinstance(r, DeferredRest) and r.raw is None for r in rests)  # not even read from the cache
        asked = []
        get = cache.get_many
        cache.get_many = lambda table, *args, **kw: asked.append(table) or get(table, *args, **kw)
        assert cached.lead == fresh.lead  # one field used: the rest of the row is read and decoded, once
        assert cached.shingles == fresh.shingles and cached.sketch == fresh.sketch and asked == ["analysis_rest"]
        assert snapshot(cached) == snapshot(fresh)


def test_a_cache_row_is_read_as_json_and_a_row_with_more_after_it_is_refused():
    from generator.analysis.record import _compact_json, _read_row

    value = [["聊城", 1.5, "a\"b"], "说明\u2028"]
    assert _read_row(_compact_json(value)) == value
    for bad in (_compact_json(value) + b"x", _compact_json(value) + b" ", b""):
        with pytest.raises(json.JSONDecodeError):
            _read_row(bad)


def test_characters_cut_one_by_one_are_indexed_as_adjacent_pairs():
    words, pairs = PLAIN.cut_words("作为聊城东元公司，山东时风（集团）年产")
    assert "公司" in words and "东元" not in words  # jieba does not know the company…
    assert pairs == ["东元", "时风"]  # …its characters side by side are found; never across a comma or word


def test_the_sites_own_places_are_cut_as_words_and_key_the_analysis():
    from generator.analysis.words import site_vocabulary
    from generator.config import load_config
    from pathlib import Path
    config = load_config(Path(__file__).resolve().parents[3] / "site.yaml")
    assert {"茌平区", "堂邑镇", "东昌府", "乡村振兴"} <= set(site_vocabulary(config))
    site = Lexicon.of(site_vocabulary(config))  # (Lexicon.for_site would keep jieba's files in .cache/)
    a = article(1, 1)
    assert PLAIN.cut_words("茌平区大数据赋能")[0][:2] == ["茌平", "区大"]
    assert site.cut_words("茌平区大数据赋能")[0][:3] == ["茌平区", "大", "数据"]
    assert site.cut_words("东昌府区堂邑镇中心小学") == (["东昌府区", "堂邑镇", "中心小学"], [])
    assert analysis_key(a, site) != analysis_key(a, PLAIN)  # other words: analysed again
    assert analysis_key(a, site) == analysis_key(a, Lexicon.of(reversed(site_vocabulary(config))))
    assert PLAIN.cut_words("茌平区大数据赋能")[0][:2] == ["茌平", "区大"]  # each lexicon cuts its own way


def test_added_words_make_a_new_dictionary_and_leave_jiebas_alone():
    from generator.analysis.dictionaries import Words
    words = Words({"茌": None, "茌平": -10.0, "区": -8.0}, -18.0)
    more = words.with_words(("茌平区", "茌平"))
    assert more.is_word("茌平区") and not words.is_word("茌平区")
    assert more.logp["茌平"] == -10.0  # a word jieba has keeps its frequency
    assert words.with_words(("茌平",)) is words


def test_keywords_keep_jiebas_words_where_the_site_adds_its_own():
    """Related articles are found by keywords: 茌平区 (a site word) still shares 茌平 with 茌平."""
    from generator.analysis.words import site_vocabulary
    from generator.config import load_config
    from pathlib import Path
    config = load_config(Path(__file__).resolve().parents[3] / "site.yaml")
    a = article(1, 3)
    plain = analyse(a, PLAIN).keywords
    with_site = analyse(a, Lexicon.of(site_vocabulary(config)))
    assert "茌平区" in with_site.words["body"].split()
    assert with_site.keywords == plain and "茌平" in plain
