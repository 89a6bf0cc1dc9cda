"""Ingest of pages laid out as OCR tools give them, made from articles written for this test.

The pages go through benchmarks/ingest_eval.py's layouts and scoring, as the real dump does there
(the dump itself is copyrighted and stays out of the repository)."""

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

import ingest_eval  # noqa: E402
from ingest_eval import LAYOUTS, PAPER, TruePage, lay_out, parse_article, score_page  # noqa: E402

from stories import STORIES, STORIES_2, page_ingester  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.ingest.pipeline import make_assembler  # noqa: E402


def _page(stories: dict[str, str]) -> TruePage:
    articles = tuple(parse_article(key, text) for key, text in stories.items())
    assert all(articles)
    return TruePage(dt.date(2025, 3, 5), 4, articles)


@pytest.fixture(scope="module")
def page():
    return _page(STORIES)


@pytest.fixture(scope="module")
def page_2():
    return _page(STORIES_2)


@pytest.fixture(scope="module")
def ingest():
    return page_ingester(PAPER, 4)


def test_the_truth_is_read_from_the_dump_form(page):
    first, second = page.articles[0], page.articles[1]
    assert (first.kicker, first.title, first.reporters, first.dateline) == (
        "河湖治理见成效 滩区群众得实惠", "黄河滩区今春种下万亩防护林", ("林晓舟", "韩雪"), "济南")
    assert (second.subtitle, second.reporters) == ("——三百余支队伍同场竞技", ("宋雨桐",))


# the benchmark's variants (another hand's layouts) that ingest is held to here
HELD = sorted([*LAYOUTS, "centred-heads", "tab-indent", "heads-run-in", "heads-spaced", "wrapped-heads", "wrapped-18",
               "ragged", "flush", "double-spaced", "wrapped-9", "full-width", "heads-broken", "head-inside", "credits-end",
               "head-inside-plain"])


@pytest.mark.parametrize("layout", HELD)
def test_every_article_is_found_whole_and_alone(layout, page, ingest):
    import random
    text, _ = lay_out(layout, page, random.Random(f"test-{layout}"))
    result = ingest(text)
    s = score_page(page, result.articles)
    assert (s.whole, s.exact, s.output) == (4, 4, 4), [a.title for a in result.articles]
    assert s.titles == 4, [a.title for a in result.articles]
    assert s.reporters_found == s.reporters_true == 4
    assert s.datelines_found == s.datelines_true == 3


@pytest.mark.parametrize("layout", HELD)
def test_a_story_in_parts_and_its_photos_stay_one_article(layout, page_2, ingest):
    import random
    text, _ = lay_out(layout, page_2, random.Random(f"test-{layout}"))
    result = ingest(text)
    s = score_page(page_2, result.articles)
    assert (s.whole, s.exact, s.output, s.titles) == (4, 4, 4, 4), [a.title for a in result.articles]
    assert s.reporters_found == s.reporters_true == 2
    assert s.datelines_found == s.datelines_true == 1
    parts, meeting, street, stay = result.articles
    assert parts.photographers == ["吴鲁", "白露"] and "图②：摆渡人在系缆绳。" in parts.body
    assert "地点：河口渡口" in parts.body and "——编" in parts.body
    assert (meeting.title, meeting.subtitle, meeting.authors) == (
        "全省春季植树动员会召开", "省长王立新出席并讲话", ["罗青山", "林晓舟"])
    assert (street.kicker, street.title[:8]) == ("老街区变身文创园", "游客多了，老手艺")


def test_wire_story_gets_its_agency_and_people(page, ingest):
    import random
    result = ingest(lay_out("plain", page, random.Random(0))[0])
    wire = next(a for a in result.articles if a.title == "中学生机器人大赛落幕")
    assert (wire.agency, wire.dateline, wire.authors, wire.subtitle) == ("新华社", "杭州", ["宋雨桐"], "——三百余支队伍同场竞技")
    own = next(a for a in result.articles if a.title == "黄河滩区今春种下万亩防护林")
    assert (own.agency, own.dateline, own.kicker) == ("", "济南", "河湖治理见成效 滩区群众得实惠")
    assert own.body.startswith("记者从省林业部门获悉") and "本报济南" not in own.body


def test_page_head_and_staff_line_are_set_aside(page, ingest):
    import random
    result = ingest(lay_out("furniture", page, random.Random(0))[0])
    reasons = {d.reason for d in result.dropped}
    assert "page furniture" in reasons
    assert not any("星期" in a.title or "版" == a.title[-1:] for a in result.articles)
    assert not any("本版责编" in a.body for a in result.articles)


def test_a_merged_output_is_scored_as_neither_whole_nor_one_article(page, ingest):
    import random
    text = "\n".join(lay_out("plain", TruePage(page.date, page.page, (a,)), random.Random(0))[0]
                     for a in page.articles[:2])
    merged = [a for a in ingest(text).articles]
    s = score_page(page, merged)
    assert s.true == 4 and s.whole <= 2
    assert ingest_eval.letters("“你好，世界！” 2025") == "你好世界2025"


def test_a_photo_credit_the_output_moves_to_the_front_matter_is_not_missing_text(ingest):
    import random
    photo = parse_article("20250305-04-09", "\n图片报道\n\n春节前夕，城东的花卉市场里，蝴蝶兰、金桔等年宵花销售火热，市民们挑选鲜花迎接新春。\n"
                                            "本报记者  林晓舟摄")
    assert ingest_eval.story_text(photo).endswith("迎接新春。")  # the credit is not story text
    page = TruePage(dt.date(2025, 3, 5), 4, (photo,))
    [out] = ingest(lay_out("plain", page, random.Random(0))[0]).articles
    assert out.photographers == ["林晓舟"] and "摄" not in out.body
    s = score_page(page, [out])
    assert (s.whole, s.exact) == (1, 1)


@pytest.mark.parametrize("left, right, joined", [
    ("共同演绎了这台乡村大戏，让更", "多人感受到农民体育的力量。", True),   # 更多: a rarer word across the cut
    ("临清市政府将制定好政策、搭建", "好平台、树立好导向。", True),
    ("聚焦产", "业发展，打造集群。", True),
    ("有效解决了困扰企业多年的难题", "这是我市开展助企工作的一个缩影。", False),  # a lost full stop: two paragraphs
    ("今年以来，全市经济稳中向好。", "下一步，我们将继续努力。", False),
])
def test_a_paragraph_cut_by_a_column_break_is_joined(left, right, joined):
    config = load_config(ROOT / "site.yaml")
    assert make_assembler(config).should_join(left, right) is joined
