"""Ingest of pages laid out as OCR tools give them, made from articles written for this test.

The pages go through benchmarks/ingest_eval.py's layouts and scoring, as the real dump does there
(the dump itself is copyrighted and stays out of the repository)."""

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import ingest_eval  # noqa: E402
from ingest_eval import LAYOUTS, PAPER, TruePage, lay_out, parse_article, score_page  # noqa: E402

from generator.analysis.classify import PlaceIndex  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.ingest.pipeline import make_assembler, page_articles  # noqa: E402
from generator.ingest.manifest import PageMeta  # noqa: E402

# Four stories of one page, in the dump's file form: kicker, title, subtitle, then paragraphs.
STORIES = {
    "20250305-04-01": """河湖治理见成效 滩区群众得实惠
黄河滩区今春种下万亩防护林

　　本报济南3月4日电  （记者林晓舟、韩雪）记者从省林业部门获悉，黄河滩区今春已栽种防护林一万余亩，涉及沿河十二个乡镇。
　　据介绍，今年的防护林以速生杨和柳树为主，间种部分果树，既能固土防沙，又能为群众带来收入。
　　“过去一刮风，沙子就往屋里灌。”滩区村民周桂芳说，林子长起来以后，村里的空气明显好多了。
　　省林业部门负责人表示，下一步将加强管护，确保栽一棵活一棵，让滩区逐步变成绿色长廊。
""",
    "20250305-04-02": """
中学生机器人大赛落幕
——三百余支队伍同场竞技
　　新华社杭州3月4日电  （记者宋雨桐）第七届全国中学生机器人创意大赛4日在杭州闭幕，来自各地的三百余支队伍参加了比赛。
　　本届大赛设置了物流搬运、智能救援和创意设计三个项目。参赛学生需要在规定时间内完成编程、搭建和调试。
　　评委会主任介绍，今年参赛作品中使用开源硬件的比例明显提高，不少作品已经具备了走进课堂的条件。
""",
    "20250305-04-03": """
社区食堂办到家门口（民生观察）

　　中午十一点半，老城区槐树巷社区食堂里已经坐满了人。一荤两素加一碗汤，老年人只需付十二元。
　　这家食堂由街道出场地、企业来运营，开业半年来每天接待就餐居民四百多人次。行动不便的老人还可以预约送餐。
　　七十八岁的钱大爷是食堂的常客。“饭菜软和，价钱也公道，比自己开火省心多了。”他笑着说。
　　街道办事处主任表示，今年将在辖区再开三家社区食堂，让更多老人在家门口吃上热乎饭。
""",
    "20250305-04-04": """
冰雪运动进校园

　　本报哈尔滨3月4日电  （记者罗青山）哈尔滨市今年已有两百所中小学开设了滑冰课，每周至少一节。
　　为解决场地不足的问题，不少学校在操场上浇筑了临时冰场，并聘请退役运动员担任教练。
　　学生家长李女士说，孩子上了滑冰课以后，身体比以前结实了，寒假还主动要求去冰场练习。
""",
}

# A second page of what real pages hold and the first lacks: a story in parts under labelled
# subheads, with an editor's note, photo captions and credits; a title over who attended; a kicker
# over a title with a long column tag; a column tag the OCR closed with a half-width bracket.
STORIES_2 = {
    "20250306-05-01": """
春风里的节日坚守

　　春节假期，本报记者走进车站、渡口和田间地头，记录下那些坚守岗位的身影。
　　——编者
　　地点：城南公交站
　　凌晨五点，公交驾驶员马春来已经在检查车辆。他说，过年坐车的人多，第一班车不能晚一分钟。
　　调度室里，值班员把当天的排班表又核对了一遍，确保每条线路都有人顶岗。
　　地点：河口渡口
　　江面上起了风，摆渡人赵守田把缆绳又系紧了一道。过年这几天，过江走亲戚的人比平时多了一倍。
　　他在渡口干了二十多年，没在家里吃过一顿年夜饭。“大家过年，我们过关。”他笑着说。
　　地点：东关村大棚
　　棚里的草莓正红，农技员吕秀云蹲在垄间查看长势。她说，节前节后正是草莓上市的好时候，管护一点不能松。
　　图①：公交驾驶员在检查车辆。
　　新华社记者  吴  鲁摄
　　图②：摆渡人在系缆绳。
　　本报记者  白  露摄
""",
    "20250306-05-02": """
全省春季植树动员会召开
省长王立新出席并讲话
　　据新华社济南3月5日电  （记者罗青山、林晓舟）全省春季植树动员会5日召开，部署今年的国土绿化工作。
　　会议要求，各地要因地制宜选好树种，把造林和管护结合起来，确保成活率。
　　今年全省计划完成造林一百二十万亩，其中黄河沿岸防护林二十万亩。
""",
    "20250306-05-03": """老街区变身文创园
游客多了，老手艺有了新买主（城市更新观察·我们身边的老街区改造故事）

　　走进西关老街，青砖灰瓦间开出了二十多家文创小店，剪纸、面塑、木版年画摆满了货架。
　　两年前，这里还是一片待拆的旧房。区里决定保留街巷格局，引进文创企业，让老手艺人入驻经营。
　　面塑艺人孙巧云的小店每天能卖出上百件作品。“以前只能赶集卖，现在游客上门来买。”她说。
""",
    "20250306-05-04": """
在民宿体验年味儿（新春新年俗)

　　寻找最浓的年味儿，是很多家庭共同的心愿。乡村民宿提供了更宽敞的空间，也提供了包饺子、写春联的机会。
　　在南山脚下的一家民宿里，十几户人家一起贴窗花、放烟花，孩子们玩得不亦乐乎。
　　民宿主人说，春节期间房间早在一个月前就订满了，不少客人已经预订了明年的房间。
""",
}


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
    config = load_config(ROOT / "site.yaml")
    config = replace(config, papers=[*config.papers, PAPER])
    assembler, places = make_assembler(config), PlaceIndex(config)

    def run(text: str):
        meta = PageMeta(PAPER.slug, dt.date(2025, 3, 5), 4)
        return page_articles(text, "20250305-04.txt", meta, config, assembler, places)
    return run


def test_the_truth_is_read_from_the_dump_form(page):
    first, second = page.articles[0], page.articles[1]
    assert (first.kicker, first.title, first.reporters, first.dateline) == (
        "河湖治理见成效 滩区群众得实惠", "黄河滩区今春种下万亩防护林", ("林晓舟", "韩雪"), "济南")
    assert (second.subtitle, second.reporters) == ("——三百余支队伍同场竞技", ("宋雨桐",))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_article_is_found_whole_and_alone(layout, page, ingest):
    import random
    text, _ = lay_out(layout, page, random.Random(f"test-{layout}"))
    result = ingest(text)
    s = score_page(page, result.articles)
    assert (s.whole, s.exact, s.output) == (4, 4, 4), [a.title for a in result.articles]
    assert s.titles == 4, [a.title for a in result.articles]
    assert s.reporters_found == s.reporters_true == 4
    assert s.datelines_found == s.datelines_true == 3


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
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
