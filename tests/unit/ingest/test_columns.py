"""Narrow columns as OCR tools give them: wrapped at a fixed count of characters or ragged, with or
without indents, double-spaced; and the credits, datelines and bylines cut at their edge. Pages
written for this test."""

import pytest
from stories import article_ingester, blocks_of, in_columns

from generator.config import Paper


@pytest.fixture(scope="module")
def ingest():
    return article_ingester(Paper(name="晨报", slug="cb", short="晨报", cues=[]), 2)


def test_a_picture_s_credit_wrapped_before_its_source_names_its_photographers(ingest):
    story = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人。",
             "车站还设立了爱心服务台，为有需要的旅客提供轮椅和行李搬运服务。"]
    caption = ["1月28日，湖北省武汉市一处湖泊湿地里，成群的候鸟在水面上嬉戏觅食，吸引不少市民驻足观赏。",
               "刘晓明  张  敏摄影报道（影像中国）"]  # wrapped as '　　刘晓明  张  敏摄影' / '报道（影像中国）'
    page = "\n".join(["铁路春运服务更贴心", "本报记者  韩  雪", *in_columns(story),
                      "湖畔候鸟成群", *in_columns(caption)]) + "\n"
    first, photo = ingest(page)
    assert (first.title, first.authors) == ("铁路春运服务更贴心", ["韩雪"])
    assert (photo.title, photo.photographers) == ("湖畔候鸟成群", ["刘晓明", "张敏"])
    assert "摄影" not in photo.body and "影像中国" not in photo.body


def test_a_stack_wider_than_the_column_under_a_story_s_last_sentence_starts_a_story(ingest):
    # no blank line, no byline, and the story above ends on a full line: on a page wrapped at 13
    # characters, a line of 15 is no paragraph's
    first = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和"
             "常用药品，车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑。",
             "车站还设立了爱心服务台，为老人提供轮椅搬运服务。"]
    second = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融，"
              "园区门口的停车场每到周末都停满了车，附近的农家饭馆也跟着热闹起来。",
              "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    page = "\n".join(["铁路春运服务更贴心", *in_columns(first),
                      "城郊农业园区大力发展采摘观光游", "草莓红了 游客来了", *in_columns(second)]) + "\n"
    a, b = ingest(page)
    assert a.title == "铁路春运服务更贴心" and a.body.endswith("为老人提供轮椅搬运服务。")
    assert (b.kicker, b.title) == ("城郊农业园区大力发展采摘观光游", "草莓红了 游客来了")


def test_a_line_wider_than_a_fixed_column_never_goes_on_with_the_paragraph_above():
    # the story above runs off its column mid-sentence; the headline under it, wider than any line
    # of a paragraph wrapped at 13 characters, is no part of it
    first = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和"
             "常用药品，车站的志愿者也比往年多了一倍，在进站口和候车室为"]
    second = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。"]
    kicker = "城郊农业园区大力发展采摘观光游，带动村民增收"
    blocks = blocks_of("\n".join([*in_columns(first), kicker, "草莓红了 游客来了", *in_columns(second)]) + "\n")
    assert [b.lines for b in blocks][1] == [kicker, "草莓红了 游客来了"] and blocks[1].stacked
    assert [b.text for b in blocks[2:]] == second


def test_a_line_that_fills_the_column_with_its_indent_does_not_end_a_short_paragraph():
    # indented by four spaces, '新型职业农民“新”' fills a column of 13: the subhead goes on under it
    paragraphs = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融，"
                  "园区门口的停车场每到周末都停满了车，附近的农家饭馆也跟着热闹起来。",
                  "新型职业农民“新”在哪？",
                  "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘，"
                  "他打算明年再建两个大棚，种上更多的新品种，让游客一年四季都有果子可摘。"]
    lines = [text[k:k + 13] for p in paragraphs for text in ["    " + p] for k in range(0, len(text), 13)]
    assert "    新型职业农民“新”" in lines and "在哪？" in lines
    assert [b.text for b in blocks_of("\n".join(lines) + "\n")] == paragraphs


def test_a_column_wrapped_at_a_fixed_width_without_indents_is_cut_where_lines_fall_short():
    # the OCR kept no indent: only a paragraph's last line is short of the column, and no line of
    # one is wider; a headline, short or wide, is no paragraph's line
    story = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水。",
             "车站还设立了爱心服务台，为有需要的旅客提供轮椅和行李搬运服务，志愿者也比往年多了一倍。"]
    other = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。",
             "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    flush = [p[k:k + 13] for p in story for k in range(0, len(p), 13)]
    flush_other = [p[k:k + 13] for p in other for k in range(0, len(p), 13)]
    title = "城郊农业园区大力发展采摘观光游"  # wider than the column
    page = "\n".join(["春运一线", "铁路服务更贴心", *flush, title, "草莓红了 游客来了", *flush_other]) + "\n"
    assert [b.lines for b in blocks_of(page) if b.stacked] == [["春运一线", "铁路服务更贴心"], [title, "草莓红了 游客来了"]]
    assert [b.text for b in blocks_of(page) if not b.stacked] == story + other


def test_a_line_wider_than_the_column_starts_a_story_with_no_byline_and_the_same_subject(ingest):
    # indents lost, no blank line, no byline or dateline, and the next story is about the same
    # trains: only its width tells the headline, and in a narrow column only a headline spans columns
    def flush(paragraphs):
        return [p[k:k + 13] for p in paragraphs for k in range(0, len(p), 13)]
    first = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和常用药品。",
             "车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。"]
    second = ["春节前后，不少车站的客流比平日多出一倍，铁路部门在售票、安检和候车等环节想了不少办法，让旅客少排队、快进站。",
              "车站还在候车室设立了母婴室和爱心服务台，为有需要的旅客提供轮椅和行李搬运服务，受到旅客好评。"]
    headline = "多措并举让旅客少排队快进站（春运观察）"
    page = "\n".join(["铁路春运服务更贴心", *flush(first), headline, *flush(second)]) + "\n"
    assert [b.text for b in blocks_of(page) if b.wide] == [headline]
    a, b = ingest(page)
    assert (a.title, b.title) == ("铁路春运服务更贴心", headline)
    assert a.body.endswith("帮助老人和带孩子的旅客进站上车。") and b.body.startswith("春节前后")


def test_a_subhead_wrapped_at_the_edge_of_a_column_that_does_not_indent_is_one_line(ingest):
    # headlines print wider than the column, so a short line under a full one is the end of a line
    # the column wrapped: the subhead '…脱贫攻坚' / '战' is one line, no kicker over a title
    def flush(paragraphs):
        return [p[k:k + 13] for p in paragraphs for k in range(0, len(p), 13)]
    subhead = "扭住精准，确保打赢脱贫攻坚战"
    story = ["青海人口较少民族聚居的行政村已全部实现村道硬化，通路率、通水率和通电率都达到了百分之百。",
             "过去几年，全省累计投入扶贫资金一百多亿元，帮助五十多万贫困群众摆脱了贫困。",
             subhead,
             "1月15日，海东市乐都区的一百多户群众告别危旧土坯房，搬进了宽敞明亮的新居。",
             "当地干部说，今年还将继续扭住精准二字，把帮扶措施落实到每一户、每一个人身上。"]
    page = "\n".join(["筑牢生态安全屏障 各族群众共享幸福（纪实）", *flush(story)]) + "\n"
    assert subhead in [b.text for b in blocks_of(page)]
    (article,) = ingest(page)
    assert article.title == "筑牢生态安全屏障 各族群众共享幸福（纪实）" and subhead in article.body


def test_a_paragraph_opening_on_what_the_reporter_did_is_no_byline_in_a_column_of_nine(ingest):
    # '记者了解到' / '，现如今…' and '……背着摄' / '影器材，…': a sentence cut at the edge, not a credit
    story = ["景区分长线和短线，由于背着摄影器材，小吴选择了比较省力的短线，徒步到冲古寺。",
             "记者了解到，现如今车站的互联网订餐服务越来越多，旅客在手机上就能点餐。",
             "记者在阿里地区普兰县采访时，看到了成片的树木。"]
    indented = ["    " + p for p in story]  # (four spaces: the first line holds five characters)
    page = "\n".join(["高原上的旅行新体验", *[p[k:k + 9] for p in indented for k in range(0, len(p), 9)]]) + "\n"
    assert "    记者了解到" in page.split("\n") and "和短线，由于背着摄" in page.split("\n")
    (article,) = ingest(page)
    assert article.authors == [] and article.photographers == []
    assert article.body.replace("\n\n", "") == "".join(story)


def test_a_running_head_the_ocr_put_inside_a_column_is_set_aside(ingest):
    # read out of order, the running head's parts come between two lines of a paragraph; a letter's
    # date, with no weekday, under its signature stays the letter's
    story = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和常用药品。",
             "车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。"]
    lines = in_columns(story)
    page = "\n".join(["铁路春运服务更贴心", *lines[:4], "春城晨报", "2025年1月21日  星期二", "第2版", *lines[4:],
                      "　　春运指挥部", "　　2025年1月20日"]) + "\n"
    (article,) = ingest(page)
    assert article.title == "铁路春运服务更贴心"
    assert "星期二" not in article.body and "第2版" not in article.body and "春城晨报" not in article.body
    assert "".join(story) in article.body.replace("\n", "") and article.body.endswith("2025年1月20日")


def test_a_column_the_ocr_double_spaced_reads_as_the_column_itself():
    story = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水。",
             "车站还设立了爱心服务台，为有需要的旅客提供轮椅和行李搬运服务，志愿者也比往年多了一倍。"]
    other = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。",
             "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    lines = ["春运一线", "铁路服务更贴心", *in_columns(story), "", "草莓红了 游客来了", *in_columns(other)]
    single = blocks_of("\n".join(lines) + "\n")
    # a blank line after every line, two where the page had one
    double = blocks_of("".join(line + "\n\n" if line else "\n" for line in lines))
    assert [(b.lines, b.gap > 0) for b in double] == [(b.lines, b.gap > 0) for b in single]
    assert [b.text for b in double] == ["春运一线铁路服务更贴心", *story, "草莓红了 游客来了", *other]
    assert double[3].line_no == 2 * lines.index("草莓红了 游客来了")  # lines of the file as it is


def test_a_list_set_apart_by_blank_lines_keeps_them():
    names = ["张明远 市第一人民医院主任医师", "李秀英 城关镇中心小学教师", "王建国 公交公司驾驶员",
             "赵丽华 社区卫生服务站护士", "陈志强 消防救援支队队长", "刘芳 街道办事处干部"]
    blocks = blocks_of("第五批岗位学雷锋标兵名单\n\n" + "\n\n".join(names) + "\n")
    assert [b.text for b in blocks] == ["第五批岗位学雷锋标兵名单", *names]


def _ragged(paragraphs: list[str], widths=(12, 14, 11, 13)) -> list[str]:
    """Paragraphs as a printed column's OCR gives them: indented, lines of 11 to 14 characters."""
    lines, k = [], 0
    for p in paragraphs:
        text, at = "\u3000\u3000" + p, 0
        while at < len(text):
            lines.append(text[at:at + widths[k % len(widths)]])
            at, k = at + widths[k % len(widths)], k + 1
    return lines


def test_a_headline_wider_than_a_ragged_column_starts_a_story_under_a_line_cut_off():
    # the story above runs off its column mid-sentence; no blank line, no indent tells where the next
    # starts, but its headline prints wider than any line of the column
    first = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和"
             "常用药品，车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑。",
             "车站还设立了爱心服务台，为老人提供轮椅和行李搬运服务，方便他们进站上车，不少老人专门来"
             "道谢，说今年回家的路比往年顺多了，车站的工作人员也说"]
    second = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融，"
              "园区门口的停车场每到周末都停满了车，附近的农家饭馆也跟着热闹起来。",
              "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    title = "城郊草莓园迎来采摘高峰游客络绎不绝"
    body = _ragged(first) + [title] + [line.lstrip("\u3000") for line in _ragged(second)]
    blocks = blocks_of("\n".join(["铁路春运服务更贴心", *body]) + "\n")
    assert [b.text for b in blocks] == ["铁路春运服务更贴心", *first, title, *second]


def test_a_line_of_figures_long_in_characters_but_not_in_print_stays_in_its_paragraph():
    story = ["今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还为他们准备了热水和"
             "常用药品，车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑。",
             "车站还设立了爱心服务台，为老人提供轮椅和行李搬运服务，方便他们进站上车，不少老人专门来"
             "道谢，说今年回家的路比往年顺多了。"]
    more = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融，"
            "园区门口的停车场每到周末都停满了车，附近的农家饭馆也跟着热闹起来。",
            "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘，"
            "他打算明年再建两个大棚，种上更多的新品种，让游客一年四季都有果子可摘。"]
    lines = _ragged(story + more)  # (enough lines to tell the column's width)
    # 19 characters that print as 15, where the column's lines print as 11 to 14
    lines[2:2] = ["全年累计服务旅客20190000人次，"]
    blocks = blocks_of("\n".join(["铁路春运服务更贴心", *lines]) + "\n")
    assert [b.text for b in blocks][:2] == ["铁路春运服务更贴心", "".join(lines[:8]).lstrip("\u3000")]


def test_a_line_going_on_with_a_sentence_or_an_open_bracket_is_no_byline():
    # in a column of 9, a sentence's next line may read as a byline ('本报记者走进车站、'), and so may
    # the names inside a dateline's bracket
    note = "春节假期，本报记者走进车站、渡口和田间地头，记录下那些坚守岗位的身影。"
    lead = "据新华社济南3月5日电  （记者罗青山、林晓舟）全省春季植树动员会5日召开，部署今年的国土绿化工作。"
    lines = ["    春节假期，", "本报记者走进车站、", "渡口和田间地头，记", "录下那些坚守岗位的", "身影。",
             "全省春季植树动员会召开", "    据新华社济", "南3月5日电  （", "记者罗青山、林晓舟",
             "）全省春季植树动员", "会5日召开，部署今", "年的国土绿化工作。"]
    blocks = blocks_of("\n".join(lines) + "\n")
    assert [b.kind for b in blocks] == ["text", "text", "text"]
    assert [b.text for b in blocks] == [note, "全省春季植树动员会召开", lead] and blocks[2].dateline


def test_names_under_a_line_cut_after_a_function_word_are_the_sentence_s():
    # '…到车站采访的' / '本报记者韩雪、林晓舟' / '发现…': the names read as a byline, but the line above
    # stops where no sentence can
    text = "今年春节，到车站采访的本报记者韩雪、林晓舟发现，返乡的旅客比往年多了不少，车站也增开了售票窗口。"
    lines = ["    今年春节，到车站采访的", "本报记者韩雪、林晓舟", "发现，返乡的旅客比往年多了不少，", "车站也增开了售票窗口。"]
    blocks = blocks_of("\n".join(["春运见闻", *lines]) + "\n")
    assert [b.kind for b in blocks] == ["text", "text"] and blocks[1].text == text


def test_where_the_column_wraps_headlines_too_a_short_headline_line_is_a_line_of_its_own(ingest):
    # the column cuts a long headline where its lines are full; a line short of it ends where the
    # headline's own line does: a kicker over the title, not the start of a title run on
    story = ["新编京剧在省大剧院首演，剧场座无虚席，演出结束时观众起立鼓掌，掌声持续了好几分钟。",
             "主创团队说，这部戏保留了传统唱腔和程式，又在舞美、灯光和节奏上做了新的尝试，想让更多年轻人走进剧场。"]
    other = ["连日来，城郊的草莓园迎来了采摘高峰，不少市民带着孩子前来体验，一家人边摘边尝，其乐融融。",
             "园主说，今年的草莓个头大、口感甜，每天能接待游客两百多人，周末还要提前预约才能进园采摘。"]
    title = "城郊农业园区大力发展采摘观光游览项目"  # longer than the column: cut at its edge
    page = "\n".join(["京剧《孙尚香》", "传统底色与现代点染", *in_columns(story),
                      "", title[:13], title[13:], *in_columns(other)]) + "\n"
    first, second = ingest(page)
    assert (first.kicker, first.title) == ("京剧《孙尚香》", "传统底色与现代点染")
    assert (second.kicker, second.title) == ("", title)


def test_a_line_filling_an_indented_column_with_the_sentence_going_on_under_it_is_no_headline(ingest):
    # a sentence ended where the line did; the next, full, goes on at the margin: a story would have
    # started indented, so it is the paragraph's line, however like a headline it reads
    story = ["近年来，山东持续优化营商环境，加快转变政府职能，为社会资本参与公共服务打下了良好的基础。",
             "“我国的项目多是综合性项目，覆盖了经济社会各种民生工程和细分行业等方面。”山东省政府投融资（PPP）"
             "管理中心副主任王文胜说，这对企业的社会责任和建设能力提出了更高的要求。",
             "截至目前，山东以民营资本为主要社会资本方的项目有251个，占落地项目的近一半，涉及教育、养老和市政道路。",
             "在山东菏泽，曹县利用八百多个行政村的闲置地块，采用使用者付费的方式，建起了一批乡村幼儿园。"]
    lines = in_columns(story)
    assert "山东省政府投融资（PPP）" in lines and lines[lines.index("山东省政府投融资（PPP）") - 1].endswith("。”")
    [article] = ingest("\n".join(["公共产品吃香 社会资本抢滩", *lines]) + "\n")
    assert article.title == "公共产品吃香 社会资本抢滩"
    assert article.body.split("\n\n") == story
