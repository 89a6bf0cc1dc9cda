"""Pages of stories written for the tests, in the dump's file form (kicker, title, subtitle, then
paragraphs): what the ingest tests lay out in every layout benchmarks/ingest_eval.py knows; and what
those tests share to ingest a page, cut it into blocks or set it in a narrow column."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_ingester(paper, page: int):
    """A function that ingests the raw text of one page of `paper` (added to the sample site's
    papers) dated 2025-03-05, and returns ingest's PageResult; config and assembler are made once."""
    from generator.analysis.classify import PlaceIndex
    from generator.config import load_config
    from generator.ingest.manifest import PageMeta
    from generator.ingest.pipeline import make_assembler, page_articles
    config = load_config(ROOT / "site.yaml")
    config = replace(config, papers=[*config.papers, paper])
    assembler, places = make_assembler(config), PlaceIndex(config)
    meta = PageMeta(paper.slug, dt.date(2025, 3, 5), page)

    def run(text: str):
        return page_articles(text, f"20250305-{page:02d}.txt", meta, config, assembler, places)
    return run


def article_ingester(paper, page: int):
    """Like page_ingester, returning the articles of the page only."""
    run = page_ingester(paper, page)
    return lambda text: run(text).articles


def blocks_of(text: str):
    """The blocks ingest cuts a page into, before any headline is marked."""
    from generator.config import load_config
    from generator.ingest.blocks import page_blocks
    from generator.ingest.pipeline import make_assembler
    return page_blocks(text, make_assembler(load_config(ROOT / "site.yaml")).boundary_score)[0]


def in_columns(paragraphs: list[str], width: int = 13) -> list[str]:
    """Paragraphs set in a narrow column: indented by two ideographic spaces, wrapped at `width`."""
    lines = []
    for p in paragraphs:
        text = "\u3000\u3000" + p
        lines += [text[k:k + width] for k in range(0, len(text), width)]
    return lines


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
