"""Related articles, later coverage, the same story across papers, and in-text place links."""

import dataclasses
import datetime as dt
import re

import pytest

from generator.analysis.record import Packed

from generator.analysis.analyze import analyse_all
from generator.analysis.words import Lexicon

from generator.analysis.sketch import similarity
from generator.build import body_renderer
from generator.base.cache import Cache
from generator.config import load_config
from generator.content.load import load_articles
from generator.links import related as linking
from generator.base import workers
from generator.links.related import cross_links
from sitebuild import ROOT, sample_article_files


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "site.yaml", base_url="https://example.org/archive/")


@pytest.fixture(scope="module")
def samples(config):
    return sorted(load_articles(ROOT / "content", config, only=sample_article_files()), key=lambda a: a.sort_key)


def links_for(articles, config, cache=None):
    articles = sorted(articles, key=lambda a: a.sort_key)
    cache = cache or Cache(None)
    analyses, _ = analyse_all(articles, cache, Lexicon(), workers=1)
    return cross_links(articles, analyses, config.links, cache), analyses


def copy(article, **changes):
    return dataclasses.replace(article, topics=list(article.topics), auto=dict(article.auto), **changes)


def later_issue_of(samples, days):
    """later_issue with ids of its own for each `days`."""
    return [dataclasses.replace(a, id=f"{a.id}-{days}") for a in later_issue(samples, days)]


def later_issue(samples, days=400):
    """A newer issue: the samples again, with other ids, a year later."""
    last = max(a.date for a in samples)
    return [copy(a, id=f"{a.id}-x", date=last + dt.timedelta(days=days)) for a in samples]


def test_related_lists_share_keywords_and_point_back_in_time(samples, config):
    links, analyses = links_for(samples, config)
    by_id = {a.id: a for a in samples}
    assert sum(bool(v) for v in links.related.values()) > len(samples) // 2
    for aid, related in links.related.items():
        assert len(related) <= config.links.related and aid not in related
        for rid in related:
            assert by_id[rid].date <= by_id[aid].date
            assert set(analyses[aid].keywords) & set(analyses[rid].keywords)


def test_adding_newer_articles_keeps_every_related_list_and_fills_later_coverage(samples, config):
    before, _ = links_for(samples, config)
    after, _ = links_for([*samples, *later_issue(samples)], config)
    for a in samples:
        assert after.related[a.id] == before.related[a.id]
    gained = [a.id for a in samples if after.later.get(a.id, []) != before.later.get(a.id, [])]
    assert gained, "the newer articles should show up as later coverage"
    for aid in gained:
        assert any(n.endswith("-x") for n in after.later[aid])


def test_later_coverage_takes_a_follow_up_not_just_a_related_article(samples, config):
    links, analyses = links_for(samples, config)
    index = linking.RelatedIndex(samples, analyses, config.links)
    dates = {a.id: a.date for a in samples}
    pairs = [(a.id, older, score) for i, a in enumerate(samples)
             for older, score in index.score(i)[:linking.LATER_FROM_TOP] if dates[older] < a.date]
    weak = [(newer, older) for newer, older, score in pairs if score < config.links.later_min_score]
    strong = [(newer, older) for newer, older, score in pairs if score >= config.links.later_min_score]
    assert weak and strong, "the samples have newer articles close to older ones, and some only loosely related"
    for newer, older in weak:
        assert older in links.related[newer]  # related coverage...
        assert newer not in links.later.get(older, [])  # ...but not a follow-up
    for newer, older in strong:
        assert newer in links.later[older]


def test_related_lists_come_from_the_cache_when_nothing_older_changed(samples, config):
    cache = Cache(None)
    first, _ = links_for(samples, config, cache)
    assert first.computed == len(samples)
    newer = later_issue(samples)
    second, _ = links_for([*samples, *newer], config, cache)
    assert second.computed == len(newer)  # only the new articles' lists were worked out
    assert all(second.related[a.id] == first.related[a.id] for a in samples)


def test_related_lists_from_worker_processes_equal_one_process(samples, config, monkeypatch):
    articles = sorted([*samples, *later_issue(samples), *later_issue(samples, days=800)], key=lambda a: a.sort_key)
    analyses, _ = analyse_all(articles, Cache(None), Lexicon(), workers=1)
    index = linking.RelatedIndex(articles, analyses, config.links)
    todo = list(range(len(articles)))
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    one = linking.score_many(index, todo)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(linking, "PARALLEL_FROM", 1)
    assert linking.score_many(index, todo) == one
    assert sum(map(bool, one)) > len(articles) // 2


def from_cache_rows(analysis):
    """The analysis as a build reads it from the cache: keywords packed, the rest not decoded."""
    head, rest = analysis.to_rows()
    return type(analysis).from_rows(analysis.key, head, None, rest)


def test_an_index_for_a_few_articles_scores_them_as_the_whole_index_does(samples, config, monkeypatch):
    monkeypatch.setattr(linking, "POSTINGS_SCANNED", 3)  # (so that the samples have words with more postings)
    articles = sorted([*samples, *later_issue(samples), *later_issue(samples, days=800)], key=lambda a: a.sort_key)
    analyses, _ = analyse_all(articles, Cache(None), Lexicon(), workers=1)
    whole = linking.RelatedIndex(articles, analyses, config.links)
    repacked = {aid: from_cache_rows(x) for aid, x in analyses.items()}
    newest, scored = articles[-1].date, set()
    for todo in ([i for i, a in enumerate(articles) if a.date == newest][:6],  # from the newest issue
                 [3, 17, len(articles) - 1]):  # and articles of three dates
        few = linking.RelatedIndex(articles, repacked, config.links, todo)
        assert [few.score(i) for i in todo] == [whole.score(i) for i in todo]
        assert sum(map(bool, (whole.score(i) for i in todo))) > len(todo) // 2
        assert len(few.postings) < len(whole.postings)
        assert sum(len(ids) for ids, _ in few.postings.values()) < sum(len(ids) for ids, _ in whole.postings.values())
        for word, (ids, weights) in few.postings.items():  # the newest part of the whole postings
            assert whole.postings[word][0][-len(ids):] == ids and whole.postings[word][1][-len(ids):] == weights
        scored |= {articles[i].id for i in todo}
    untouched = [x for aid, x in repacked.items() if aid not in scored]
    assert all(isinstance(x.__dict__["_keywords"], Packed) for x in untouched)  # weights read, not unpacked


def rewrite(article, **changes):
    """The same story as another paper prints it: a paragraph left out, one sentence reworded."""
    paragraphs = article.body.split("\n\n")
    body = "\n\n".join(paragraphs[:-1] if len(paragraphs) > 2 else paragraphs)
    body = body.replace("。", "，记者了解到。", 1)
    return copy(article, body=body, **changes)


def test_the_same_story_in_another_paper_is_found_in_both_directions(samples, config):
    story = max(samples, key=lambda a: len(a.body))
    other = "lcrb" if story.paper == "dzrb" else "dzrb"
    twin = rewrite(story, id="twin-story", paper=other, date=story.date + dt.timedelta(days=2),
                   title="另一份报纸的标题")
    links, analyses = links_for([*samples, twin], config)
    assert "twin-story" in links.same_story[story.id]
    assert story.id in links.same_story["twin-story"]
    assert similarity(analyses[story.id], analyses["twin-story"]) >= config.links.same_story_similarity


def test_same_story_pairs_from_the_cache_equal_a_fresh_search_as_stories_arrive(samples, config):
    """Pairs are cached per day; a day whose window gained or lost an article is searched again."""
    story = max(samples, key=lambda a: len(a.body))
    other = "lcrb" if story.paper == "dzrb" else "dzrb"
    twin = rewrite(story, id="twin-story", paper=other, date=story.date, title="另一份")  # a day already cached
    rerun = rewrite(story, id="rerun", date=story.date + dt.timedelta(days=config.links.same_story_days))
    cache = Cache(None)
    steps = [samples, [*samples, twin], [*samples, twin, rerun], [*samples, rerun]]
    for articles in steps:
        cached, _ = links_for(articles, config, cache)
        fresh, _ = links_for(articles, config)
        assert cached.same_story == fresh.same_story
    assert "rerun" in cached.same_story[story.id] and "twin-story" not in cached.same_story[story.id]


def test_a_rerun_too_far_apart_is_not_the_same_story(samples, config):
    story = max(samples, key=lambda a: len(a.body))
    twin = rewrite(story, id="old-rerun", date=story.date - dt.timedelta(days=config.links.same_story_days + 1))
    links, _ = links_for([*samples, twin], config)
    assert "old-rerun" not in links.same_story


def test_the_samples_hold_one_story_printed_by_both_papers(samples, config):
    # 大众日报 2024-08-16 and 聊城日报 2024-09-04 both ran the story of the city's 助企专员 (checked by hand).
    links, _ = links_for(samples, config)
    assert links.same_story == {"dzrb-20240816-s6c8250-01": ["lcrb-20240904-s91a5d2-01"],
                                "lcrb-20240904-s91a5d2-01": ["dzrb-20240816-s6c8250-01"]}


def test_different_stories_on_the_same_subject_are_not_the_same_story(samples, config):
    links, analyses = links_for(samples, config)
    rural = [a for a in samples if "乡村振兴" in a.topics]
    assert len(rural) >= 3
    scores = [similarity(analyses[a.id], analyses[b.id]) for a in rural for b in rural if a.id < b.id]
    assert max(scores) < config.links.same_story_similarity / 2


def test_first_mention_of_each_county_links_to_its_page(config):
    render = body_renderer(config)
    html = render("刘垓子镇的大棚喜获丰收，临清市农业部门介绍，刘垓子镇今年还将扩种。\n\n冠县、[莘县](https://example.org/x)也在推广。")
    links = re.findall(r'<a href="([^"]+)" class="place">([^<]+)</a>', html)
    assert links == [("/archive/county/linqing/", "刘垓子镇"),
                     ("/archive/county/guanxian/", "冠县")]
    assert html.count("刘垓子镇") == 2 and html.count("刘垓子镇</a>") == 1  # later mentions stay text
    assert "临清市农业部门" in html  # the county itself was already linked through its town
    assert '<a href="https://example.org/x">莘县</a>' in html  # an editor's link is left alone


def test_place_links_escape_the_text_around_them(config):
    html = body_renderer(config)("\\<b\\>冠县\\</b\\> & 临清")
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html


def test_related_lists_come_back_from_the_cache_exactly(samples, config):
    cache = Cache(None)
    cache.db.execute("CREATE TABLE related (key TEXT PRIMARY KEY, data BLOB, extra BLOB)")  # as kept before
    first, _ = links_for(samples, config, cache)
    assert first.computed == len(samples) and sum(map(bool, first.related.values())) > len(samples) // 2
    assert not cache.db.execute("SELECT name FROM sqlite_master WHERE name = 'related'").fetchall()
    again, analyses = links_for(samples, config, cache)
    assert again.computed == 0 and again.related == first.related and again.later == first.later
    kept, fresh = (linking.related_lists(samples, analyses, config.links, c) for c in (cache, Cache(None)))
    assert kept.scored == fresh.scored and (kept.computed, fresh.computed) == (0, len(samples))
    cache.db.execute("UPDATE related_state SET data = ?", (b"damaged",))
    damaged, _ = links_for(samples, config, cache)
    assert damaged.computed == len(samples) and damaged.related == first.related


def _edit_text(article):
    return copy(article, text_digest="", body=article.body.replace("。", "。另据了解，该项目位于黄河岸边的生态园区。", 1) + "\n生态园区\n")


# Edits of the archive that a later build meets: each applied to the samples and two newer issues.
ARCHIVE_EDITS = {
    "text of an early article": lambda arts: [_edit_text(a) if n == 4 else a for n, a in enumerate(arts)],
    "county": lambda arts: [copy(a, county="冠县") if n == 7 else a for n, a in enumerate(arts)],
    "topics": lambda arts: [dataclasses.replace(a, topics=["教育", "民生"]) if n == 9 else a for n, a in enumerate(arts)],
    "notice": lambda arts: [copy(a, kind="notice") if n == 11 else a for n, a in enumerate(arts)],
    "from notice": lambda arts: [copy(a, kind="article") if a.kind == "notice" and n < 60 else a
                                 for n, a in enumerate(arts)],
    "removed": lambda arts: [a for n, a in enumerate(arts) if n != 6],
    "date": lambda arts: [copy(a, date=arts[40].date) if n == 3 else a for n, a in enumerate(arts)],
    "added back in time": lambda arts: [*arts, copy(_edit_text(arts[5]), id="back-1")],
    "several": lambda arts: [_edit_text(a) if n in (2, 60) else copy(a, county="") if n == 30 else a
                             for n, a in enumerate(arts) if n != 90],
}


@pytest.mark.parametrize("edit", sorted(ARCHIVE_EDITS))
def test_related_lists_after_an_edit_are_those_worked_out_from_nothing(samples, config, monkeypatch, edit):
    """The lists a build keeps and works out again after an edit are those of a build without cache;
    it works out fewer than all of them (POSTINGS_SCANNED is small, so that windows end within the samples)."""
    monkeypatch.setattr(linking, "POSTINGS_SCANNED", 3)
    archive = sorted([*samples, *(a for days in (400, 800, 1200, 1600) for a in later_issue_of(samples, days))],
                     key=lambda a: a.sort_key)
    cache = Cache(None)
    links_for(archive, config, cache)
    edited = ARCHIVE_EDITS[edit](archive)
    kept, _ = links_for(edited, config, cache)
    fresh, _ = links_for(edited, config)
    assert kept.related == fresh.related and kept.later == fresh.later
    assert sum(map(bool, fresh.related.values())) > len(edited) // 2
    assert 0 < kept.computed < len(edited) * 2 // 3


def test_an_article_moved_within_its_date_reorders_the_lists_that_tie_it(samples, config):
    """Equal scores rank the later article (in site order: date, paper, page, id) first, so an article
    moved to another page of its date can swap places with its twin in other articles' lists."""
    twin_of = samples[5]
    twins = [copy(twin_of, id="zz-twin-a", page=1), copy(twin_of, id="zz-twin-b", page=2)]
    archive = sorted([*samples, *twins, *later_issue(samples)], key=lambda a: a.sort_key)
    cache = Cache(None)
    before, _ = links_for(archive, config, cache)
    tied = [aid for aid, ids in before.related.items() if "zz-twin-a" in ids and "zz-twin-b" in ids]
    assert tied  # lists that show both twins, one right after the other
    moved = [copy(a, page=3) if a.id == "zz-twin-a" else a for a in archive]
    kept, _ = links_for(moved, config, cache)
    fresh, _ = links_for(moved, config)
    assert kept.related == fresh.related
    assert any(kept.related[aid] != before.related[aid] for aid in tied)


def test_related_lists_after_many_edits_are_those_worked_out_from_nothing(samples, config, monkeypatch):
    """More than MANY_CHANGES changed articles: every list from the earliest change on."""
    monkeypatch.setattr(linking, "POSTINGS_SCANNED", 3)
    monkeypatch.setattr(linking, "MANY_CHANGES", 5)
    archive = sorted([*samples, *later_issue(samples)], key=lambda a: a.sort_key)
    cache = Cache(None)
    links_for(archive, config, cache)
    edited = [dataclasses.replace(a, topics=["教育"]) if 10 <= n < 20 else a for n, a in enumerate(archive)]
    kept, _ = links_for(edited, config, cache)
    fresh, _ = links_for(edited, config)
    assert kept.related == fresh.related and kept.later == fresh.later
    first = min(a.date for a in edited[10:20])
    assert kept.computed == sum(a.date >= first for a in edited)
