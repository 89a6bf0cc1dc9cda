"""The cleaner: each rule on its own case, and properties over arbitrary text."""

import pytest
from hypothesis import given, settings, strategies as st

from generator.ingest.clean import (clean_heading, clean_text, ends_open, full_width_punctuation, headline_phrases,
                                    squeeze_spaces)
from generator.ingest.people import byline, closing_credit, is_box_label, signature, split_dateline

CORRECTIONS = [("在平区", "茌平区")]


@pytest.mark.parametrize("raw, clean", [
    ("本 报 记 者", "本报记者"),
    ("涉林产业经济总量达7 . 8亿元", "涉林产业经济总量达7.8亿元"),
    ("4 月 13 日，市政府", "4月13日，市政府"),
    ("我们 厂区内基本上无积水", "我们厂区内基本上无积水"),
    ("为对标找差距, 检阅发展成效; 比增幅: 好!", "为对标找差距，检阅发展成效；比增幅：好！"),
    ("聊城市浙江(温州)商会", "聊城市浙江（温州）商会"),
    ('"今年接连下了好几天雨"', "“今年接连下了好几天雨”"),
    ("加快5G应用, 开发App", "加快5G应用，开发App"),
    ("产值1.15亿元, 占98.6%", "产值1.15亿元，占98.6%"),
    ("在平区排名前三", "茌平区排名前三"),
    ("version 2.0, see (note)", "version 2.0, see (note)"),
    ("２０１９年ＧＤＰ增长６．１％，ＡＰＰ下载量", "2019年GDP增长6.1%，APP下载量"),  # the OCR's full-width figures
    ("第１．", "第1．"),  # (a full-width point after a figure is no decimal point)
])
def test_clean_text(raw, clean):
    assert clean_text(raw, CORRECTIONS) == clean


@pytest.mark.parametrize("raw, clean", [
    ("排忧解难办实事 真情帮扶暖民心", "排忧解难办实事 真情帮扶暖民心"),
    ("便 民 服 务 创 新", "便民服务创新"),
    ("-我市积极构建政企常态化交流机制", "——我市积极构建政企常态化交流机制"),
    ('迎峰度夏交出"漂亮答卷"', "迎峰度夏交出“漂亮答卷”"),
    ("前三季度城镇新增就业１０９７万", "前三季度城镇新增就业1097万"),
])
def test_clean_heading(raw, clean):
    assert clean_heading(raw) == clean


@pytest.mark.parametrize("line, authors, correspondents", [
    ("□ 本 报 记 者  胡磊 薛良诚", ["胡磊", "薛良诚"], []),
    ("□记者 高田 通讯员 张振祥 报道", ["高田"], ["张振祥"]),
    ("■ 本报记者 尹腾淑 本报通讯员 马翼", ["尹腾淑"], ["马翼"]),
    ("本报通讯员 商贺 刘森", [], ["商贺", "刘森"]),
    ("本报驻开罗记者  程远 苏畅", ["程远", "苏畅"], []),  # posted abroad, sent, or special
    ("本报赴老挝特派记者 孟川", ["孟川"], []),
    ("新华社特约记者 方舟", ["方舟"], []),
    ("本报记者 江南 王子江", ["江南", "王子江"], []),  # a name may be a word, or open with one
])
def test_bylines(line, authors, correspondents):
    credits = byline(line)
    assert (credits.authors, credits.correspondents) == (authors, correspondents)


def test_names_alone_are_a_byline_under_a_square_or_with_a_credit_word():
    assert byline("■ 商景豪").unlabelled == ["商景豪"]
    assert byline("◆ 孙伟 付研 报道").unlabelled == ["孙伟", "付研"]
    assert byline("◆ 孙伟 付研") is None  # a list's item under a bullet


@pytest.mark.parametrize("line", ["■ 深入实施 工程", "本报讯 近日，我市召开会议。", "今年以来，全市经济稳中向好。",
                                  "本报驻村工作队 进村入户",
                                  # a sentence's first line cut at a narrow column's edge: no name opens so
                                  "记者了解到", "记者在阿里", "记者跟随扎", "和短线，由于背着摄",
                                  "◆选桩 粗细匀", "● 选盆 够大够"])  # a list's items under bullets
def test_not_bylines(line):
    assert byline(line) is None


def test_dateline_with_credits():
    d = split_dateline("本报临清讯（记者 苑莘）4月13日，会议召开。")
    assert (d.lead, d.place, d.agency, d.credits.authors, d.rest) == ("本报临清讯", "临清", "", ["苑莘"], "4月13日，会议召开。")
    assert split_dateline("本报讯 近日，会议召开。").rest == "近日，会议召开。"


@pytest.mark.parametrize("paragraph, lead, place, agency, authors, rest", [
    ("本报北京1月9日电 （记者冯春梅）国务院召开会议。", "本报北京1月9日电", "北京", "", ["冯春梅"], "国务院召开会议。"),
    ("新华社北京1月9日电\u00a0（记者吴晶、王迪）会议召开。", "新华社北京1月9日电", "北京", "新华社", ["吴晶", "王迪"], "会议召开。"),
    ("据新华社东京1月9日电 日本政府宣布……", "据新华社东京1月9日电", "东京", "新华社", [], "日本政府宣布……"),
    ("本报北京1月9日电 （记者吴 晶、王 迪）会议召开。", "本报北京1月9日电", "北京", "", ["吴晶", "王迪"], "会议召开。"),
    ("新华社北京1月9日电（新华社记者 张三）会议召开。", "新华社北京1月9日电", "北京", "新华社", ["张三"], "会议召开。"),
    ("本报讯(记者 谢榕 通讯员 陈清辉)迎峰度夏。", "本报讯", "", "", ["谢榕"], "迎峰度夏。"),
])
def test_datelines_in_every_standard_form(paragraph, lead, place, agency, authors, rest):
    d = split_dateline(paragraph)
    assert (d.lead, d.place, d.agency, d.credits.authors if d.credits else [], d.rest) == (lead, place, agency, authors, rest)


@pytest.mark.parametrize("paragraph", ["本报记者从市电力公司获悉，今年用电量增长。", "新华社记者近日走进社区。",
                                       "本报评论员文章指出，要坚持。"])
def test_not_datelines(paragraph):
    assert split_dateline(paragraph) is None


@pytest.mark.parametrize("line, photographers, authors", [
    ("罗大富摄（影像中国）", ["罗大富"], []),
    ("本报记者 张三摄", ["张三"], []),
    ("新华社记者 李四 摄", ["李四"], []),
    ("银燕 牟健摄影报道", ["银燕", "牟健"], []),
    ("文/图 王五", ["王五"], ["王五"]),
    ("曹一图 羽生文", ["曹一"], ["羽生"]),
    ("本报记者\u00a0\u00a0吴\u00a0\u00a0焰摄", ["吴焰"], []),
    ("袁  云摄（人民视觉）", ["袁云"], []),
    ("新华社记者吴  鲁摄", ["吴鲁"], []),  # put back together from '新华社记者' / '吴  鲁摄'
])
def test_photo_credits_are_bylines_of_photographers(line, photographers, authors):
    credits = byline(line)
    assert (credits.photographers, credits.authors) == (photographers, authors)


@pytest.mark.parametrize("line", ["核心阅读", "■小贴士", "编者按：", "□ 链接"])
def test_box_labels_are_neither_bylines_nor_headlines(line):
    assert byline(line) is None and is_box_label(line)


def test_signature():
    assert signature("（郝学兰 中共东阿县委书记）") == "郝学兰"
    assert signature("（聊城市卫生健康委党组书记、主任，市中医药管理局局长 张月莲）") == "张月莲"
    assert signature("（右图）") is None


text_strategy = st.text(alphabet=st.sampled_from(list("聊城市茌平区在平 记者,.:;()!?\"'　\t12345.%AppG—-“”（）。，１２．％Ｇｐ") + ["\n"]),
                        max_size=200) | st.text(max_size=200)


@settings(max_examples=600, deadline=None)
@given(text_strategy)
def test_cleaning_never_crashes_and_is_idempotent(text):
    once = clean_text(text, CORRECTIONS)
    assert clean_text(once, CORRECTIONS) == once
    heading = clean_heading(text, CORRECTIONS)
    assert clean_heading(heading, CORRECTIONS) == heading


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_squeeze_and_punctuation_keep_every_letter(text):
    kept = [ch for ch in full_width_punctuation(squeeze_spaces(text)) if ch.isalnum()]
    assert kept == [ch for ch in text if ch.isalnum()]


@pytest.mark.parametrize("text, open_", [
    ("今年以来，全市的", True), ("我们要把", True), ("文化和旅游部以及", True), ("新闻发言人表示，", True),
    ("让青年在乡村振兴中担当作为", False),  # a word that ends on a function character
    ("优质医疗服务触手可及", False), ("市民：这样的担心完全是多余的", False), ("群众办事有了新方向", False), ("全市经济稳中向好。", False),
])
def test_a_line_ends_open_on_a_comma_or_a_dangling_function_word(text, open_):
    assert ends_open(text) is open_


@pytest.mark.parametrize("lines, phrases", [
    (["让更多国家人民，", "有更多获得感"], ["让更多国家人民，有更多获得感"]),  # set where its box ran out
    (["“让更多国家人民", "有更多获得感”"], ["“让更多国家人民有更多获得感”"]),
    (["筑牢生态安全屏障（在习近平新时代", "中国特色社会主义思想指引下）"], ["筑牢生态安全屏障（在习近平新时代中国特色社会主义思想指引下）"]),
    (["从小学先锋 长大做先锋", "（强军思想引领新征程）"], ["从小学先锋 长大做先锋（强军思想引领新征程）"]),
    # a kicker over its title, a title over its subtitle or its date: lines of their own
    (["国办印发意见", "切实支持小微企业"], ["国办印发意见", "切实支持小微企业"]),
    (["全国人大代表陈科含——", "为保障职工权益找办法"], ["全国人大代表陈科含——", "为保障职工权益找办法"]),
    (["在二〇一九年春节团拜会上的讲话", "（二〇一九年二月三日）"], ["在二〇一九年春节团拜会上的讲话", "（二〇一九年二月三日）"]),
    (["国家税务总局：", "减税降费红利持续释放"], ["国家税务总局：", "减税降费红利持续释放"]),
])
def test_a_headline_set_on_lines_mid_phrase_is_read_as_its_phrases(lines, phrases):
    assert headline_phrases(lines) == phrases


@pytest.mark.parametrize("paragraph, authors, correspondents", [
    ("（记者 韩雪 林晓舟）", ["韩雪", "林晓舟"], []),
    ("（本报记者江琳、蒋升阳、汪志球）", ["江琳", "蒋升阳", "汪志球"], []),
    ("（记者 韩雪 通讯员 王明）", ["韩雪"], ["王明"]),
    ("(新华社记者 张远)", ["张远"], []),
])
def test_a_story_s_reporters_named_in_brackets_at_its_end(paragraph, authors, correspondents):
    credits = closing_credit(paragraph)
    assert (credits.authors, credits.correspondents) == (authors, correspondents)


def test_a_photographer_named_in_brackets_at_a_story_s_end():
    credits = closing_credit("（新华社记者 李贺摄）")
    assert (credits.authors, credits.photographers) == ([], ["李贺"])


@pytest.mark.parametrize("paragraph", ["（郝学兰 中共东阿县委书记）", "（韩雪）", "（记者了解到的情况）",
                                       "（本报记者韩雪采写的报道获奖，详见第二版。）"])
def test_brackets_that_name_no_reporter(paragraph):
    assert closing_credit(paragraph) is None
