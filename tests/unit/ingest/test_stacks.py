"""Headline stacks and the lines around them, on pages written for this test (a stand-in for the
headline model gives chosen probabilities where a test is about the rules, not the model)."""

import pytest
from stories import article_ingester, blocks_of, in_columns, page_ingester

from generator.config import Paper
from generator.ingest.clean import compact
from generator.ingest.layout import group_articles, mark_headlines


@pytest.fixture(scope="module")
def ingest():
    return article_ingester(Paper(name="晨报", slug="cb", short="晨报", cues=[]), 2)


def test_a_dash_inside_a_column_tag_does_not_split_the_title(ingest):
    page = """坚持生态优先 走好绿色发展路（在新思想指引下——新时代新作为）
——江西落实全会精神纪实

本报南昌3月4日电（记者 林晓舟）春日的赣江两岸，新栽的树苗连成一片。近年来，江西把生态优先写进发展规划，沿江的化工企业陆续搬进园区，腾出的岸线种上了树。

全省森林覆盖率稳定在六成以上，山区群众吃上了“生态饭”，不少村子办起了民宿和农家乐，游客一年比一年多。

“过去守着青山没饭吃，现在青山就是饭碗。”一位村支书说，村里的年轻人回来了，有的开网店卖山货，有的当起了导游。

下一步，江西将继续推进流域综合治理，让更多的绿水青山变成群众手里的“金山银山”。
"""
    [a] = ingest(page)
    assert (a.kicker, a.title, a.subtitle) == (
        "", "坚持生态优先 走好绿色发展路（在新思想指引下——新时代新作为）", "——江西落实全会精神纪实")


def test_a_kicker_run_into_its_title_is_split_at_its_dash(ingest):
    page = """全国人大代表陈明远——为山区孩子多修几所学校

本报北京3月4日电（记者 韩雪）“山里的孩子上学路远，我想再为他们多跑几趟。”来自西部山区的陈明远代表说，这是他第五次带着乡村教育的建议上会。

今年他带来的建议，仍是关于乡村学校的：寄宿制学校的宿舍、食堂和校车，一样都不能少。

会前，他又回到家乡的几所学校，同校长和老师们一一座谈，把大家的意见记了满满一本，又请教育部门的同志帮着算了账。

“建议写得实，落实才有底。”陈明远说，他会一直盯着这件事，直到山里的孩子都能在家门口上好学。
"""
    [a] = ingest(page)
    assert (a.kicker, a.title) == ("全国人大代表陈明远", "为山区孩子多修几所学校")



PACKAGE = """节前菜市场见闻
——四地春节菜篮子探访

春节临近，各地菜价怎么样？供应足不足？本报记者走进三座城市的农贸市场，看一看节前的菜篮子。

河北石家庄加大储备
蔬菜价格基本平稳
本报记者 田野

“白菜还是那个价，西红柿比上周便宜了两毛。”在石家庄桥西区的一家农贸市场，摊主老周一边码菜一边说。

据市商务部门介绍，今年全市储备了三万吨冬春蔬菜，节日期间每天投放市场，价格比去年同期略有下降。

山西太原畅通运销
外地菜当天就上架
本报记者 白杨

凌晨四点，太原的蔬菜批发市场已是灯火通明，一辆辆货车从山东、河南开来，卸下的青菜上还带着露水。

“从地头到摊头不超过一天。”市场负责人说，今年新开了三条直通运输线路，运费也降了下来。
"""


class Probabilities:
    """A stand-in for the headline model that gives each block, by its text, a set probability."""

    def __init__(self, blocks, chosen: dict[str, float]):
        chosen = {compact(text): p for text, p in chosen.items()}
        self.values = [chosen.get(b.compact, 0.0) for b in blocks]

    def probabilities(self, features):
        assert len(features) == len(self.values)
        return self.values


def _marked(text: str, chosen: dict[str, float]):
    blocks = blocks_of(text)
    layout = mark_headlines(blocks, Probabilities(blocks, chosen))
    return blocks, group_articles(blocks, layout)


TOP, FIRST, SECOND = "节前菜市场见闻——四地春节菜篮子探访", "河北石家庄加大储备蔬菜价格基本平稳", "山西太原畅通运销外地菜当天就上架"


def test_a_stack_signed_by_a_byline_alone_is_a_part_where_the_model_finds_it_unlikely():
    blocks, articles = _marked(PACKAGE, {TOP: 0.99, FIRST: 0.2, SECOND: 0.25})
    assert len(articles) == 1
    assert [b.compact for b in blocks if b.subhead] == [FIRST, SECOND]
    assert [b.compact for b in articles[0].bylines] == ["本报记者田野", "本报记者白杨"]


def test_a_stack_signed_by_a_byline_stays_a_headline_where_the_model_finds_it_likely():
    _, articles = _marked(PACKAGE, {TOP: 0.99, FIRST: 0.2, SECOND: 0.6})
    assert [[b.compact for b in a.headline] for a in articles] == [[TOP], [SECOND]]


def test_a_stack_over_a_dateline_is_a_headline_whatever_the_model_says():
    dated = PACKAGE.replace("本报记者 白杨\n\n凌晨四点", "本报太原2月1日电（记者 白杨）凌晨四点")
    _, articles = _marked(dated, {TOP: 0.99, FIRST: 0.2})
    assert [[b.compact for b in a.headline] for a in articles] == [[TOP], [SECOND]]



def test_an_editors_signature_does_not_make_a_headline_stack_of_the_lines_around_it():
    page = """博物馆里过大年

春节到了，故宫等各地博物馆推出了年味十足的文物展览，过年的老传统在展览里有了新讲法，观众可以看文物、品年味。

这个春节，一起去博物馆里过大年吧！

——编者

来故宫品年味儿

大年初一的故宫，红墙映雪，游人如织。今年的贺岁大展集中展出了数百件与春节有关的文物，从宫廷的春联到百姓的年画。

讲解员说，展览特意复原了旧时宫中过年的陈设，观众可以看到当年怎样挂灯、怎样贴福字。
"""
    blocks, articles = _marked(page, {"博物馆里过大年": 0.99})
    assert len(articles) == 1
    assert not any(b.headline for b in blocks if b.compact in ("——编者", "来故宫品年味儿"))


SERIES = """乡村振兴看变化

这个冬天，记者走进黄河岸边的两个村庄，看产业怎样兴起来，村容怎样美起来，村民的日子怎样好起来。

产业篇

大棚建起来

村民腰包鼓起来

村东头的二十多座大棚里，西红柿、黄瓜长势正旺。合作社理事长说，去年大棚收入比种粮多了三倍。

镇里请来农技员，手把手教村民管棚、育苗、防病，村民们说，这样的课听得懂、用得上。

村容篇

垃圾分起来

街巷净起来

走进村子，街道干净整洁，每户门前摆着两个垃圾桶。保洁员每天上门收一次，分好类的垃圾直接运走。

村里还把空闲地改成了小游园，傍晚时分，老人们在这里下棋，孩子们在这里玩耍。
"""


def test_stacks_a_page_repeats_and_the_model_doubts_are_the_parts_of_one_story():
    blocks, articles = _marked(SERIES, {"乡村振兴看变化": 0.99, "产业篇": 0.08, "村容篇": 0.05})
    assert len(articles) == 1
    assert [b.compact for b in blocks if b.subhead] == ["产业篇", "大棚建起来", "村民腰包鼓起来",
                                                         "村容篇", "垃圾分起来", "街巷净起来"]


def test_one_stack_of_three_lines_is_a_headline_however_the_model_doubts_it():
    one = SERIES[:SERIES.index("村容篇")]
    _, articles = _marked(one, {"乡村振兴看变化": 0.99, "产业篇": 0.01})
    assert [[b.compact for b in a.headline] for a in articles] == [
        ["乡村振兴看变化"], ["产业篇", "大棚建起来", "村民腰包鼓起来"]]


def test_a_run_of_short_lines_longer_than_a_headline_stack_is_a_list():
    names = "\n\n".join(["滨河社区志愿服务队", "城南中学青年教师团队", "市人民医院急诊科", "东关街道便民服务中心",
                         "市图书馆流动服务站"])
    page = (SERIES[:SERIES.index("产业篇")] + "获奖集体名单\n\n" + names +
            "\n\n以上集体将在下月举行的表彰大会上受到表彰，获奖集体的事迹还将在本报陆续刊出，敬请关注。\n\n"
            "全市文明素养提升行动启动\n\n本报讯 昨天，全市文明素养提升行动启动，将用一年时间开展文明交通、"
            "文明旅游、文明餐桌等十项活动。\n")
    blocks, articles = _marked(page, {"乡村振兴看变化": 0.99, "获奖集体名单": 0.1, "全市文明素养提升行动启动": 0.9})
    assert [[b.compact for b in a.headline] for a in articles] == [["乡村振兴看变化"], ["全市文明素养提升行动启动"]]
    assert not any(b.headline for b in blocks if "服务" in b.compact)


def test_a_page_that_opens_on_a_sure_headline_reads_top_down_whatever_it_ends_with():
    page = """农村交通设施应提升

笔者春节返乡时看到，越来越多的乡亲开上了私家车，加上外地返乡的车流，村里的道路一到节日就堵得水泄不通。

建议在乡村建设中提前规划停车场地，拓宽进村道路，节日期间安排专人疏导交通。

山东惠民县 田晓东

引导孩子用好压岁钱

春节期间，长辈都要给孩子压岁钱，这寄托着美好心愿。但从孩子成长的角度看，压岁钱怎样用，家长要用心引导。

可以和孩子一起记账，把一部分钱存起来，一部分用来买书，让孩子从小学会规划。

陕西咸阳市 周晓光
"""
    _, articles = _marked(page, {"农村交通设施应提升": 0.99, "引导孩子用好压岁钱": 0.9})
    assert [[b.compact for b in a.headline] for a in articles] == [["农村交通设施应提升"], ["引导孩子用好压岁钱"]]


JOINED = """部队开训见闻

新年开训第一天，记者来到北方某训练场，寒风中，官兵们早已列队完毕，一场实战化演练即将展开。

{line}

演练开始后，红蓝双方在复杂地形中展开对抗，指挥员根据战场态势不断调整部署，官兵们说，这样练才有底气。

训练结束后，部队立即组织复盘，把发现的问题逐条列出，明确整改时限和责任人。
"""


@pytest.mark.parametrize("line, headline", [
    ("“没有真本事的队员在关键时刻 能顶得上去吗”", False),  # a subhead the OCR joined at the column width
    ("练兵备战不停步 实战实训见真章", True),  # parallel phrases: a headline's typesetting
])
def test_a_space_makes_parallel_phrases_only_between_short_phrases(line, headline):
    _, articles = _marked(JOINED.format(line=line), {"部队开训见闻": 0.99, line: 0.1})
    assert len(articles) == (2 if headline else 1)


TWO_STACKS = """前三季度全市新增就业三万余人，就业形势总体平稳
企业招工难题怎么解？（数据解读）

本报北京10月20日电（记者 韩雪）前三季度，全国城镇新增就业一千多万人，完成全年目标的九成以上，调查失业率保持在较低水平，就业形势总体平稳。

专家分析，服务业吸纳就业的能力不断增强，新业态新模式创造了大量灵活就业岗位，高校毕业生就业也好于预期。

市税务局：
零申报不影响纳税信用

本报讯（记者 林晓舟）近期，不少纳税人来电咨询，个人所得税零申报会不会影响纳税记录。市税务局有关负责人表示，零申报不影响纳税记录的连续性。

这位负责人提醒，纳税人应如实申报收入，不要为了凑记录而虚假申报，以免影响个人纳税信用。
"""


def test_stacks_whose_title_asks_or_whose_kicker_names_a_speaker(ingest):
    first, second = ingest(TWO_STACKS)
    assert (first.kicker, first.title) == ("前三季度全市新增就业三万余人，就业形势总体平稳", "企业招工难题怎么解？（数据解读）")
    assert (second.kicker, second.title, second.authors) == ("市税务局：", "零申报不影响纳税信用", ["林晓舟"])


def test_a_kicker_about_as_wide_as_the_column_is_still_a_stack_over_a_wider_title(ingest):
    body = ["本报讯 这个冬天，城郊的滑雪场迎来了不少第一次滑雪的市民，教练们说，初学者最怕的是摔跤。",
            "“只要掌握要领、做好防护，滑雪并没有想象中那么危险。”一位教练说，雪场还为初学者开设了免费的体验课。",
            "记者看到，不少家长带着孩子来上课，孩子们摔倒了又爬起来，笑声在雪道上此起彼伏。"]
    page = "\n".join(["滑冰，看着容易，练起来不简单", "多一点耐心 添一分乐趣（运动健康）", *in_columns(body)]) + "\n"
    [a] = ingest(page)
    assert (a.kicker, a.title) == ("滑冰，看着容易，练起来不简单", "多一点耐心 添一分乐趣（运动健康）")


LONG_HEADS = """继续把我们的城市建设好管理好（深入学习贯彻全会精神·城市工作谈）

本报讯（记者 韩雪）城市工作千头万绪，归根到底是为了让群众生活得更方便、更舒心。近年来，我市把城市更新和精细管理结合起来，一批老旧小区焕然一新。

城市管理部门负责人说，下一步将继续推进背街小巷整治，让城市既有颜值又有温度。

市政府召开常务会议
听取减税降费政策落实情况汇报，要求确保为企业减负担；部署进一步优化营商环境

本报讯（记者 林晓舟）市长主持召开市政府常务会议，听取全市减税降费政策落实情况汇报，部署进一步优化营商环境工作。

会议指出，今年以来，全市减税降费政策落地见效，为企业减轻负担数十亿元，市场主体活力明显增强。
"""


def test_a_title_with_a_long_column_tag_and_a_subtitle_that_sums_up(ingest):
    first, second = ingest(LONG_HEADS)
    assert first.title == "继续把我们的城市建设好管理好（深入学习贯彻全会精神·城市工作谈）"
    assert (second.title, second.subtitle) == (
        "市政府召开常务会议", "听取减税降费政策落实情况汇报，要求确保为企业减负担；部署进一步优化营商环境")


def test_a_story_closing_on_a_half_width_quote_ends_before_the_next_headline(ingest):
    page = """老街焕新颜(城市更新)

本报讯 (记者 韩雪) 经过一年改造,城东老街重新开街,青石板路、老字号招牌和新开的文创小店吸引了不少游客.

"街还是那条街,可走起来舒服多了."一位老住户说,"这样的改造,我们举双手赞成。"

不懂装懂与懂装不懂(人民论坛)

古人读书,讲究不懂就问.今天的一些干部,却有两种毛病:一种是不懂装懂,一种是懂装不懂,都要不得.

不懂装懂,往往是怕丢面子;懂装不懂,往往是怕担责任.克服这两种毛病,关键在于实事求是.
"""
    first, second = ingest(page)
    assert (first.title, second.title) == ("老街焕新颜（城市更新）", "不懂装懂与懂装不懂（人民论坛）")


def test_parts_filed_under_their_own_subheads_and_datelines_stay_one_story(ingest):
    page = "# 节前菜市场见闻\n\n" + PACKAGE.split("\n\n", 2)[2].replace(
        "本报记者 田野\n\n“白菜", "本报石家庄2月1日电（记者 田野）“白菜").replace(
        "本报记者 白杨\n\n凌晨", "本报太原2月1日电（记者 白杨）凌晨").replace(
        "储备\n蔬菜", "储备\n\n蔬菜").replace("运销\n外地", "运销\n\n外地") + "\n# 全市文明素养提升行动启动\n\n本报讯 昨天，全市文明素养提升行动启动，将开展文明交通、文明旅游等十项活动。\n"
    first, second = ingest(page)
    assert (first.kicker, first.title, first.subtitle) == ("", "节前菜市场见闻", "")
    assert first.authors == ["田野", "白杨"] and "外地菜当天就上架" in first.body
    assert second.title == "全市文明素养提升行动启动"


def test_a_paragraph_going_on_at_the_margin_after_a_sentence_that_filled_the_column():
    lead = "本报讯 春节将至，城里的年货市场一天比一天热闹，前来采购的市民络绎不绝。"
    last = "市场负责人介绍，今年的年货品种比往年更多，价格总体平稳。"
    # '。' ends a line that fills the column; the paragraph goes on at the margin for two lines
    going_on = "街头巷尾挂起红灯笼的景象让人感到温暖……"
    lines = ["年货市场人气旺", *in_columns([lead, "春节前夕，年味渐浓了。" + going_on, last])]
    assert lines[4] == "\u3000\u3000春节前夕，年味渐浓了。" and lines[5] + lines[6] == going_on
    blocks, articles = _marked("\n".join(lines) + "\n", {"年货市场人气旺": 0.99, going_on: 0.9})
    assert len(articles) == 1 and not any(b.headline for b in blocks[1:])
    # one line at the margin there is a headline only on the model's word, however it stands out
    one = ["年货市场人气旺", *in_columns([lead, "春节前夕，年味渐浓了。"]), "花市开张（新春见闻）", *in_columns([last])]
    assert len(_marked("\n".join(one) + "\n", {"年货市场人气旺": 0.99, "花市开张（新春见闻）": 0.3})[1]) == 1
    assert len(_marked("\n".join(one) + "\n", {"年货市场人气旺": 0.99, "花市开张（新春见闻）": 0.9})[1]) == 2


STACK_ROLES = """2025年全省中学生篮球联赛第三轮
市一中队78比65胜实验中学队（赛场速递）

本报讯（记者 韩雪）昨天，全省中学生篮球联赛第三轮在省体育馆进行，市一中队以七十八比六十五战胜实验中学队，取得三连胜。

比赛中，市一中队的快攻屡屡得手，第三节一度领先二十分。主教练说，球队将总结经验，备战下一轮比赛。

市领导看望慰问一线环卫工人
代表市委市政府向奋战在一线的全市环卫工人致以节日问候和良好祝愿

本报讯（记者 林晓舟）春节前夕，市领导来到城区环卫作业一线，看望慰问环卫工人，为他们送去米面油等慰问品。

在环卫工人休息点，市领导同大家拉家常，询问工作和生活情况，叮嘱有关部门做好后勤保障。
"""


def test_a_stack_s_column_tag_and_a_long_second_line_tell_the_title(ingest):
    match, visit = ingest(STACK_ROLES)
    assert (match.kicker, match.title) == ("2025年全省中学生篮球联赛第三轮", "市一中队78比65胜实验中学队（赛场速递）")
    assert (visit.title, visit.subtitle) == ("市领导看望慰问一线环卫工人", "代表市委市政府向奋战在一线的全市环卫工人致以节日问候和良好祝愿")


def test_a_short_title_keeps_its_bracketed_date_line_as_a_subtitle(ingest):
    page = STACK_ROLES.split("市领导看望")[0] + """全市的水资源
（2025年3月）

水是生命之源、生产之要、生态之基。多年来，全市坚持节水优先，水资源管理水平不断提高，用水效率稳步提升。

本文从水资源状况、节约用水、水生态保护三个方面，介绍全市水资源工作的进展和成效。
"""
    paper = ingest(page)[-1]
    assert (paper.title, paper.subtitle) == ("全市的水资源", "（2025年3月）")


def test_a_page_indents_its_paragraphs_though_some_run_on_at_the_margin():
    # in a narrow column a sentence may end where a line does; the paragraph then runs on at the
    # margin, and that piece is no evidence that the page does not indent its paragraphs (which lets
    # a headline follow a story that ran off its column mid-sentence)
    ends_at_edge = ["今年以来，老城区共有四十二个单元加装了电梯，一千多户居民告别了爬楼的日子，不少老人都说出门方便多了。",
                    "电梯加装由社区牵头、居民协商、财政补贴，每部电梯平均用时三个月，施工期间楼道正常通行，不会打扰住户。"]
    runs_on = ["为了让更多的单元加装上电梯，街道还请来了专业的设计团队，逐栋查看楼道的宽度和管线的走向，拿出一楼一策的方案。",
               "居民们在议事会上算了一笔账，补贴之外每户只需出一万元左右，绝大多数人家都表示愿意，签字率超过了九成以上。"]
    lines = ["老城区加装电梯惠及千户居民",
             *in_columns([ends_at_edge[0] + runs_on[0], ends_at_edge[1] + runs_on[1],
                        "社区负责人说，下一步将把加装电梯和老旧小区改造结合起来，让更多"]),
             "", "春耕备耕有序展开（农事）",
             *in_columns(["连日来，各地农民抢抓农时，整地、施肥、育秧，田间地头一派繁忙景象，农资供应充足价格平稳。",
                        "农业部门组织技术人员深入田间指导，帮助农民选好种子、用好农机，确保今年粮食生产开个好头。"])]
    assert all(line.endswith("。") and len(line) == 13 for line in (lines[4], lines[13]))
    blocks, articles = _marked("\n".join(lines) + "\n", {"老城区加装电梯惠及千户居民": 0.99, "春耕备耕有序展开（农事）": 0.9})
    assert sum(b.run_on for b in blocks) == 2
    assert [a.headline[0].text for a in articles] == ["老城区加装电梯惠及千户居民", "春耕备耕有序展开（农事）"]


def test_paragraphs_long_enough_to_indent_few_lines_still_start_at_their_indent():
    # a headline that fills the column, over a paragraph whose first line is no dateline: only the
    # indent tells them apart, on a page whose paragraphs are so long that few lines are indented
    title, second = "市公交线网优化调整方案公布", "市公交线网优化调整方案解读"
    paragraph = "".join(f"第{k}条线路将调整走向，新增站点{k % 5 + 2}个，首末班时间各延长半小时，方便沿线居民通勤。"
                        for k in range(1, 13))
    lines = [title, *in_columns([paragraph]), second, *in_columns([paragraph.replace("线路", "专线")])]
    indented = sum(line.startswith("\u3000") for line in lines)
    assert 0.02 < indented / len(lines) < 0.05 and len(title) == len(second) == 13
    blocks = blocks_of("\n".join(lines) + "\n")
    assert [b.text for b in blocks if b.text.startswith("市公交")] == [title, second]


def test_a_quoted_word_at_the_column_edge_does_not_end_the_paragraph():
    # '“海绵垫”' closes a quote, not a sentence: the line after it at the margin goes on with the paragraph
    lead = "本报讯 一条纵贯南北的铁路日前全线贯通，沿线群众盼了多年的出行难题终于解开了，大家都很高兴。"
    lines = ["南北大通道全线贯通", *in_columns([lead, "建设者们迎难而上，在风沙地里铺好轨，在“海绵垫”上立柱",
                                        "铁路通车后，沿线的煤炭和农产品可以更快运出去，乡亲们的日子更有奔头了。"])]
    assert lines[6:8] == ["沙地里铺好轨，在“海绵垫”", "上立柱"]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert "在“海绵垫”上立柱" in next(b.text for b in blocks if "铺好轨" in b.text)


PHOTO_NEWS = """湖畔候鸟成群

1月28日，湖北省武汉市一处湖泊湿地里，成群的候鸟在水面上嬉戏觅食。

{source}

小区菜店开到家门口

本报讯（记者 韩雪）记者从市商务局获悉，今年全市将新建社区菜店一百家，居民步行十分钟就能买到新鲜蔬菜。

菜店由商务部门统一规划，企业运营，菜价不高于周边农贸市场。
"""


@pytest.mark.parametrize("source", ["新华社发", "（中新社发）", "人民视觉", "资料图片", "图片来源：视觉中国", "市园林局供图"])
def test_a_picture_s_source_naming_no_one_ends_its_story_and_is_never_a_headline(source):
    page = PHOTO_NEWS.format(source=source)
    blocks, articles = _marked(page, {"湖畔候鸟成群": 0.99, source: 0.9, "小区菜店开到家门口": 0.8})
    assert [a.headline[0].text for a in articles] == ["湖畔候鸟成群", "小区菜店开到家门口"]
    assert source in [b.text for b in articles[0].body]  # kept with the picture it credits


def test_a_picture_s_source_closes_its_caption_s_paragraph_in_a_narrow_column():
    caption = "1月28日，湖北省武汉市一处湖泊湿地里，成群的候鸟在水面上嬉戏觅食。"
    lines = ["湖畔候鸟成群", *in_columns([caption, "新华社发"]), "小区菜店开到家门口",
             *in_columns(["本报讯（记者 韩雪）记者从市商务局获悉，今年全市将新建社区菜店一百家。"])]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert "小区菜店开到家门口" in [b.text for b in blocks]


def test_a_byline_wrapped_between_two_names_keeps_both(ingest):
    body = in_columns(["除夕傍晚，记者来到城郊的建设工地，工人们正忙着包饺子，准备在工地上过年。",
                     "项目经理说，工程进入关键阶段，大家轮流回家，留下来的人一起守岁。"])
    page = "\n".join(["工地上的年夜饭", "本报驻埃及记者  曲翔宇", "刘慧", *body]) + "\n"
    [a] = ingest(page)
    assert (a.title, a.authors) == ("工地上的年夜饭", ["曲翔宇", "刘慧"])


LONG_KICKER = """老城区加装电梯惠及千户居民

本报讯（记者 韩雪）今年以来，老城区共有四十二个单元加装了电梯，一千多户居民告别了爬楼的日子。

社区负责人说，下一步将把加装电梯和老旧小区改造结合起来。

{aside}

{kicker}
春耕备耕有序展开（农事）

连日来，各地农民抢抓农时，整地、施肥、育秧，田间地头一派繁忙景象。

农业部门组织技术人员深入田间指导，帮助农民选好种子、用好农机。
"""
KICKER = "整地、施肥、育秧，抢农时，保供应，促增收，各地农民忙起来"


@pytest.mark.parametrize("p, headline", [(0.9, True), (0.6, False)])
def test_a_stack_of_no_headline_s_shape_is_one_where_the_model_is_sure(p, headline):
    # a kicker in clauses is longer and more punctuated than a headline's shape allows
    page = LONG_KICKER.format(aside="居民们纷纷点赞", kicker=KICKER)
    blocks, articles = _marked(page, {"老城区加装电梯惠及千户居民": 0.99, KICKER + "春耕备耕有序展开（农事）": p})
    assert len(articles) == (2 if headline else 1)


@pytest.mark.parametrize("aside", ["（王芳 市住建局局长）", "核心阅读", "图为新安装的电梯。", "居民们纷纷点赞。"])
def test_a_signature_a_box_label_a_caption_or_a_sentence_is_never_a_headline_however_sure_the_model(aside):
    page = LONG_KICKER.format(aside=aside, kicker=KICKER)
    blocks, articles = _marked(page, {"老城区加装电梯惠及千户居民": 0.99, aside: 0.99, KICKER + "春耕备耕有序展开（农事）": 0.9})
    assert articles[0].headline[0].text == "老城区加装电梯惠及千户居民"
    assert compact(aside) in [b.compact for b in articles[0].body]


EXCLAIMS = """老城区加装电梯惠及千户居民

本报讯（记者 韩雪）今年以来，老城区共有四十二个单元加装了电梯，一千多户居民告别了爬楼的日子。

{title}

{lead}

运动会开幕那天，体育场里座无虚席，各国运动员依次入场，看台上掌声一阵接着一阵。
"""


@pytest.mark.parametrize("title, lead", [("盛会精彩纷呈（赛场纵横）", "敬礼！"),
                                         ("一场难忘的开幕式", "“震撼！”“激动！”走出体育场，观众们仍在议论。")])
def test_a_lead_that_opens_on_an_exclamation_or_a_quote_does_not_continue_the_headline(title, lead):
    blocks, articles = _marked(EXCLAIMS.format(title=title, lead=lead), {"老城区加装电梯惠及千户居民": 0.99, title: 0.9})
    assert [a.headline[0].text for a in articles] == ["老城区加装电梯惠及千户居民", title]


def test_the_tiny_end_of_a_cut_sentence_still_continues_the_line_above():
    page = EXCLAIMS.format(title="电梯装好以后出门再也不发", lead="愁了。大家都说好。")
    blocks, articles = _marked(page, {"老城区加装电梯惠及千户居民": 0.99, "电梯装好以后出门再也不发": 0.9})
    assert len(articles) == 1


@pytest.mark.parametrize("credit", ["图表来源：市统计局", "数据来源：市统计局", "资料整理：韩雪"])
def test_a_chart_s_credit_ends_its_story_and_is_never_a_headline(credit):
    page = PHOTO_NEWS.format(source=credit).replace("本报讯（记者 韩雪）", "")  # (no dateline to anchor the next)
    for p in (0.0, 0.9):  # (the model's word for the credit line does not matter)
        blocks, articles = _marked(page, {"湖畔候鸟成群": 0.99, credit: p, "小区菜店开到家门口": 0.8})
        assert [a.headline[0].text for a in articles] == ["湖畔候鸟成群", "小区菜店开到家门口"]


@pytest.mark.parametrize("signed", ["——编  者", "——@网友小李"])
def test_a_story_may_end_on_who_said_or_wrote_it(signed):
    page = PHOTO_NEWS.format(source=signed).replace("本报讯（记者 韩雪）", "")
    blocks, articles = _marked(page, {"湖畔候鸟成群": 0.99, "小区菜店开到家门口": 0.8})
    assert [a.headline[0].text for a in articles] == ["湖畔候鸟成群", "小区菜店开到家门口"]


@pytest.mark.parametrize("title", ["“有你们来，才有我们的今天！”（人民论坛）", '"有你们来,才有我们的今天!"(人民论坛)'])
def test_a_quoted_cry_is_a_headline_in_full_or_half_width_punctuation(title):
    page = EXCLAIMS.format(title=title, lead="运动会开幕前，志愿者们早早来到体育场，为观众指路。")
    blocks, articles = _marked(page, {"老城区加装电梯惠及千户居民": 0.99, title: 0.6})
    assert [a.headline[0].text for a in articles] == ["老城区加装电梯惠及千户居民", title]


DOCUMENT = """全市文明行为促进办法

本报讯 市政府日前印发《全市文明行为促进办法》，全文如下。

第一章 总则

为了培育和践行社会主义核心价值观，引导和促进文明行为，根据有关法律法规，制定本办法。

第二章 文明行为规范

公民应当遵守社会公德，维护公共秩序，爱护公共环境，文明出行，文明就餐。
"""


def test_a_document_s_chapters_are_its_subheads_however_sure_the_model():
    blocks, articles = _marked(DOCUMENT, {"全市文明行为促进办法": 0.99, "第一章 总则": 0.9, "第二章 文明行为规范": 0.9})
    assert len(articles) == 1
    assert [b.text for b in blocks if b.subhead] == ["第一章 总则", "第二章 文明行为规范"]


def test_a_column_narrower_than_its_headlines_is_not_a_page_of_one_paragraph_a_line():
    # in a column of 9 characters no line of a paragraph is long; the lines longer than the column are
    # headlines, and that some end on a bracket makes no page of one paragraph a line
    first = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人。",
             "车站还设立了爱心服务台，为有需要的旅客提供轮椅和行李搬运服务。"]
    second = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验。",
              "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人。"]
    third = ["这个冬天，城郊的滑雪场迎来了不少第一次滑雪的市民，教练们说初学者最怕摔跤。",
             "滑雪场开设了免费的体验课，每天三场，每场可容纳五十人。"]
    lines = ["铁路春运服务更贴心（民生观察）", *in_columns(first, 9),
             "城郊草莓园迎来采摘高峰（田间地头）", *in_columns(second, 9),
             "市民体验冬季冰雪运动（健身）", *in_columns(third, 9)]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert [b.text for b in blocks][:3] == ["铁路春运服务更贴心（民生观察）", first[0], first[1]]
    assert len(blocks) == 9


def test_a_headline_centred_over_indented_paragraphs_is_not_indented():
    body = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，园主说今年的草莓个头大、口感甜。",
            "园主说，今年每天能接待游客两百多人，周末还要预约才能进园采摘，不少家庭提前一周就订好了时间。",
            "这个冬天，城郊的滑雪场也迎来了不少第一次滑雪的市民，教练们说，初学者最怕的是摔跤，要先学会刹车。"]
    page = "\n".join(["        城郊草莓园", "      迎来采摘高峰", *in_columns(body)]) + "\n"
    head, *paragraphs = blocks_of(page)
    assert head.lines == ["城郊草莓园", "迎来采摘高峰"] and not head.indented
    assert [b.text for b in paragraphs] == body and all(b.indented for b in paragraphs)
    # a stray space the OCR put before one paragraph's indent does not set it in as a headline
    page = "\n".join(["        城郊草莓园", "      迎来采摘高峰", *in_columns(body[:2]), " " + in_columns(body[2:])[0],
                      *in_columns(body[2:])[1:]]) + "\n"
    head, *paragraphs = blocks_of(page)
    assert [b.text for b in paragraphs] == body and all(b.indented for b in paragraphs)


def test_a_headline_wrapped_with_its_column_is_joined_where_the_page_wraps_every_line():
    title = "城郊草莓园迎来采摘高峰游客络绎不绝"  # 17 characters: longer than the column of 13
    paragraphs = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。",
                  "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要预约才能进园采摘。"]
    lines = [title[:13], title[13:], *in_columns(paragraphs)]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert blocks[0].lines == [title]
    # where headlines stand whole (a line longer than the column), a line as wide as it is no piece
    kicker = "城郊草莓园迎来采摘高峰游客多"  # 13 characters, over a title of its own
    blocks = blocks_of("\n".join([kicker, "周末采摘需预约", *in_columns(paragraphs), title, *in_columns(paragraphs)]) + "\n")
    assert blocks[0].lines == [kicker, "周末采摘需预约"]
    # a line led by a dash is a subtitle's, never the rest of the line above, however wide that is
    title, subtitle = "城郊草莓园迎来了采摘高峰期", "——写在城郊草莓采摘节开幕之际"  # 13 and 15 characters
    lines = [title, subtitle[:13], subtitle[13:], *in_columns(paragraphs)]
    assert blocks_of("\n".join(lines) + "\n")[0].lines == [title, subtitle]


def test_a_line_set_apart_under_a_headline_is_the_story_s_first_subhead(ingest):
    # the page sets paragraphs apart with blank lines but prints a headline's lines together (the
    # first story's kicker and title): a short line set apart under a headline opens its story
    page = "\n\n".join([
        "春运首日客流平稳有序\n铁路部门多措并举让旅客回家路更顺",
        "本报北京1月20日电  （记者韩雪）今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，"
        "还为他们准备了热水和常用药品。",
        "车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。",
        "乡村年味浓 年货市场旺（新春走基层）",
        "赶大集",
        "腊月以来，镇上的年货大集一天比一天热闹，卖对联的、卖糖果的、卖鞭炮的摊位从街头排到街尾，赶集的村民络绎不绝。",
        "摊主们说，今年的生意比往年好做，不少在外打工的年轻人回乡过年，买起年货来也更舍得花钱。",
    ]) + "\n"
    first, second = ingest(page)
    assert (first.kicker, first.title) == ("春运首日客流平稳有序", "铁路部门多措并举让旅客回家路更顺")
    assert (second.title, second.subtitle) == ("乡村年味浓 年货市场旺（新春走基层）", "")
    assert second.body.startswith("赶大集")


def test_a_title_set_on_two_lines_mid_phrase_is_one_title(ingest):
    # the headline's box ran out inside a quotation, and a column tag stands on a line of its own
    body = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。",
            "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    other = ["本报北京1月20日电  （记者韩雪）今年春运，铁路部门在各大车站增开了临时售票窗口，方便老人购票。",
             "车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。"]
    page = "\n\n".join(["“草莓红了，游客\n来了”（乡村振兴进行时）", *body, "铁路春运服务更贴心\n（春运观察）", *other]) + "\n"
    first, second = ingest(page)
    assert (first.kicker, first.title) == ("", "“草莓红了，游客来了”（乡村振兴进行时）")
    assert (second.kicker, second.title, second.subtitle) == ("", "铁路春运服务更贴心（春运观察）", "")


def test_a_short_sentence_or_a_box_label_run_in_under_a_headline_starts_the_story(ingest):
    # paragraphs set apart by blank lines, the story run in under its headline with no blank line:
    # under the first headline a lead shorter than it, under the second the label of a box
    first = ["古田镇，常年游人如织。",
             "每逢节假日，来自各地的参观者排起长队，走进会址，重温当年那段历史，不少人还带着孩子一起来。"]
    second = ["城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验。",
              "连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。"]
    page = "\n\n".join(["浴火古田，人民军队重整行装再出发（强军思想引领新征程）\n" + first[0], first[1],
                         "草莓红了 游客来了\n核心阅读", *second]) + "\n"
    a, b = ingest(page)
    assert (a.title, b.title) == ("浴火古田，人民军队重整行装再出发（强军思想引领新征程）", "草莓红了 游客来了")
    assert a.body.startswith("古田镇，常年游人如织。") and "核心阅读" in b.body and not b.subtitle


def test_reporters_named_at_a_story_s_end_are_its_authors_not_a_signature(ingest):
    page = "\n\n".join(["铁路春运服务更贴心", "今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人。",
                         "车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路。", "（记者 韩雪 通讯员 王明）"]) + "\n"
    (article,) = ingest(page)
    assert (article.kind, article.authors, article.correspondents) == ("article", ["韩雪"], ["王明"])
    assert article.body.endswith("为旅客指路。")


DECK = """国务院办公厅印发意见
织密养老服务网 兜牢民生底线

■到2025年，每个街道至少建成一所综合养老服务机构，社区养老服务设施覆盖率达到九成以上

■对经济困难的高龄、失能老人给予护理补贴，符合条件的纳入特困人员救助供养范围

新华社北京3月4日电 经国务院同意，国务院办公厅日前印发《关于完善养老服务体系的意见》，对今后一个时期的养老服务工作作出部署。

意见提出，要发展社区嵌入式养老，支持物业企业、家政企业上门为老人提供助餐、助浴和陪诊服务，让老人在熟悉的环境里安度晚年。

意见要求，各地要把养老服务设施纳入城市更新规划，新建小区按标准配建，老旧小区通过购置、置换、租赁等方式补齐短板。
"""


def test_the_points_a_headline_lists_under_bullets_open_its_story_above_the_dateline(ingest):
    # a deck's points say something: they are the story's, not an infographic's fragments, and the
    # dateline under them is the story's lead, not the start of another
    [a] = ingest(DECK)
    assert (a.kicker, a.title) == ("国务院办公厅印发意见", "织密养老服务网 兜牢民生底线")
    assert (a.agency, a.dateline) == ("新华社", "北京")
    paragraphs = a.body.split("\n\n")
    assert [p[:6] for p in paragraphs[:3]] == ["■到2025", "■对经济困难", "经国务院同意"]


def test_a_subhead_under_a_bullet_stays_in_its_story(ingest):
    page = """小镇的老茶馆

清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。

茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。

●一壶茶里的人情味

老人们在这里聊庄稼、聊孙辈，也聊镇上的新鲜事。谁家有了难处，往往在茶桌上就有人搭把手，帮着出主意、想办法。

前些年镇上修路，茶馆差点搬走，是老茶客们一起出面，才把这间老屋留了下来。
"""
    [a] = ingest(page)
    assert a.title == "小镇的老茶馆"
    assert "\n\n●一壶茶里的人情味\n\n老人们" in a.body


def test_an_infographic_s_bullet_fragments_between_stories_are_set_aside():
    # a chart's labels, each a bullet's few words: not a story, nor part of the one around them
    run = page_ingester(Paper(name="晨报", slug="cb", short="晨报", cues=[]), 2)
    graphic = "\n\n".join(["■ 深入实施质量基础设施建设工程", "■ 深入实施品牌高端化建设工程", "■ 深入实施 工程"])
    result = run(DECK + "\n" + graphic + "\n")
    [a] = result.articles
    assert "深入实施" not in a.body
    assert [d.reason for d in result.dropped] == ["infographic fragment"] * 3


@pytest.mark.parametrize("last", ["统筹：郭雪岩", "剧照摄影：刘海栋", "“这件事，我们还要继续做下去。”."])
def test_a_headline_under_a_staff_credit_or_a_stray_point_starts_a_story(ingest, last):
    # a story may end on who put it together ('统筹：X') or on a sentence the OCR gave a stray point
    page = f"""省内多所高校开设戏曲选修课
戏曲进校园 青春遇经典

这学期，省里的几所大学把戏曲课排进了选修课表，京剧、豫剧、黄梅戏的名家轮流走上讲台，给学生们讲唱腔、讲身段。

选课名额一放出来就被抢光了，不少学生说，原来只在电视里见过的戏，如今能跟着老师学上几句，才知道其中的讲究。

{last}

老手艺的新传人（谈艺录）

城南的老街上，有一家开了六十多年的木雕铺子。铺子里的年轻师傅今年二十八岁，跟着师父学艺已有十个年头。

他说，木雕急不得，一刀下去就改不了，心要静，手要稳。如今他的作品上了网店，订单排到了明年春天。
"""
    first, second = ingest(page)
    assert first.title == "戏曲进校园 青春遇经典" and second.title == "老手艺的新传人（谈艺录）"
    assert last.rstrip(".") in first.body
    assert second.body.startswith("城南的老街上")


def test_a_clear_change_of_subject_splits_against_the_model_only_where_the_page_gives_it_few_cues():
    # blank lines set the paragraphs apart: the model's word keeps a line it finds unlikely in the
    # story; in a column that wraps them with no indent and no blank line, the model lacks its best
    # cues, and the change of subject that is plain to see splits the page there
    before = ["清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。",
              "茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。"]
    after = ["春运期间，铁路部门在各大车站增开临时售票窗口，还为旅客准备了热水和常用药品，志愿者在进站口为旅客指路。",
             "今年春运预计发送旅客人数同比增长一成，铁路部门将加开夜间高铁和临时列车，满足返乡和返岗出行需要。"]
    line = "车站服务更贴心"
    chosen = {"小镇的老茶馆": 0.99, line: 0.1}
    apart = "\n\n".join(["小镇的老茶馆", *before, line, *after]) + "\n"
    assert len(_marked(apart, chosen)[1]) == 1

    def flush(paragraphs):
        return [p[k:k + 13] for p in paragraphs for k in range(0, len(p), 13)]
    bare = "\n".join(["小镇的老茶馆", *flush(before), line, *flush(after)]) + "\n"
    blocks, articles = _marked(bare, chosen)
    assert [[b.compact for b in a.headline] for a in articles] == [["小镇的老茶馆"], [line]]


def test_a_line_giving_an_address_is_no_headline_and_ends_the_story_above(ingest):
    # a column closes on where to write to it: the story's last line, not the next one's kicker
    page = """小镇的老茶馆（一线行走）

清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。

茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。

栏目投稿邮箱：yxxz2025@163.com

铁路部门春运期间增开临时列车
返乡返岗出行更方便

本报讯（记者 韩雪）春运期间，铁路部门在各大车站增开临时售票窗口，还为旅客准备了热水和常用药品。

今年春运预计发送旅客人数同比增长一成，铁路部门将加开夜间高铁和临时列车，满足返乡和返岗出行需要。
"""
    first, second = ingest(page)
    assert first.body.endswith("yxxz2025@163.com")
    assert (second.kicker, second.title) == ("铁路部门春运期间增开临时列车", "返乡返岗出行更方便")


def test_a_headline_a_marked_page_left_unmarked_is_one_where_the_model_is_all_but_certain():
    # an OCR tool that marks only the bigger type: the marks decide, and a stack they left out is a
    # headline only on the model's near certainty (less, and it is a subhead, as a package's are)
    page = """# 小镇的老茶馆

清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。

茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。

社区食堂办到家门口（民生观察）

中午十一点半，老城区槐树巷社区食堂里已经坐满了人。一荤两素加一碗汤，老年人只需付十二元。

这家食堂由街道出场地、企业来运营，开业半年来每天接待就餐居民四百多人次。

# 冰雪运动进校园

本报哈尔滨3月4日电（记者 罗青山）哈尔滨市今年已有两百所中小学开设了滑冰课，每周至少一节。
"""
    line = "社区食堂办到家门口（民生观察）"
    blocks, articles = _marked(page, {line: 0.99})
    assert [[b.compact for b in a.headline] for a in articles] == [["小镇的老茶馆"], [compact(line)], ["冰雪运动进校园"]]
    blocks, articles = _marked(page, {line: 0.9})
    assert len(articles) == 2 and [b.compact for b in blocks if b.subhead] == [compact(line)]


@pytest.mark.parametrize("where", ["under a paragraph", "over a headline"])
def test_a_running_head_against_a_paragraph_or_a_headline_is_set_aside(where):
    # read out of order onto a page of one paragraph a line: a blank line on one side of it only
    run = page_ingester(Paper(name="晨报", slug="cb", short="晨报", cues=[]), 2)
    head = "春城晨报\n2025年1月21日  星期二\n第2版"
    first = """小镇的老茶馆

清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。

茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。"""
    second = """铁路春运服务更贴心

本报讯（记者 韩雪）今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还准备了热水。

车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。
"""
    page = first + "\n" + head + "\n\n" + second if where == "under a paragraph" else first + "\n\n" + head + "\n" + second
    result = run(page)
    assert [a.title for a in result.articles] == ["小镇的老茶馆", "铁路春运服务更贴心"]
    assert not any(x in a.body + a.kicker + a.subtitle for a in result.articles for x in ("星期二", "第2版", "春城晨报"))
    assert [d.reason for d in result.dropped] == ["page furniture"] * 3


def test_the_staff_lines_a_local_paper_prints_under_its_last_story_are_set_aside():
    # who edited, set and proofread the page: not the story's last lines, nor the next one's kicker
    run = page_ingester(Paper(name="晨报", slug="cb", short="晨报", cues=[]), 2)
    page = """小镇的老茶馆

清晨六点，镇上的老茶馆就开了门。炉子上的水壶咕嘟咕嘟响着，几位老人已经坐在靠窗的老位置上，等着泡上一壶茶。

茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。

编辑：王晓东

组版：李  娜

校对：张  伟
"""
    result = run(page)
    [a] = result.articles
    assert a.body.endswith("他心里都有数。")
    assert [d.reason for d in result.dropped] == ["page furniture"] * 3
