"""A page's layout: which blocks are headlines, whether headlines are printed before their story or
after it, and the articles the blocks make.

Passes 3 and 4 of reading a page (passes 1 and 2 are blocks.py): headline blocks are recognised by
rules, with a learned model (headlines.py) weighing the evidence where no byline, dateline or mark
decides; then blocks are grouped into articles. Must stay true: every kept block is in one article.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from generator.ingest.blocks import BULLET, LABEL, REGION_GAP, STACKED_LINE, Block, RawArticle
from generator.ingest.clean import CJK, COLUMN_TAG, ends_open, ends_sentence, headline_phrases, squeeze_spaces
from generator.ingest.headlines import Evidence, HeadlineModel, block_features, char_pairs
from generator.ingest.people import is_box_label, is_credit_line

# a photo caption ('图②：…', '图为…', '上图：…') or a source line ('数据来源：…'): never a headline
_CAPTION = re.compile(r"^(?:图\s*[①-⑳\d一二三四五六七八九十]+\s*[:：]?|图为|[上下左右中组]图\s*[:：为]|"
                      r"(?:数据|图片|资料|信息)?来源\s*[:：])")
_ATTRIBUTION = re.compile(r"^[—－-]{1,2}")  # '——@网友': under a headline, a subtitle
_RUNNING = re.compile(rf"[{CJK}]{{2}}")  # running text, not a mark the column wrapped ('”')
_ADDRESS = re.compile(r"[\w.-]+@[\w-]+\.[A-Za-z]{2,}|https?://|www\.", re.ASCII)  # an e-mail or web address
# a kicker that names who speaks, over the title that says what: '国家税务总局：', '外交部驻港公署负责人：'
_LABEL_KICKER = re.compile(rf"[{CJK}\w·]{{2,15}}[：:]")
# a reader's or a writer's signature: '江苏南京市  林小青', '山东惠民县 田晓东'
_PLACE_SIGNATURE = re.compile(rf"^[{CJK}]{{1,10}}?(?:市|县|区|州|旗|盟|镇|乡)[ \t\u3000\u00a0]+[{CJK}·]{{2,3}}$")
_SECTION = re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,4}(?:章|节|部分|篇)")
_SIGNED = re.compile(r"^[—－]{2}[^。，！？]{1,20}$")  # '——编者', '——@网友', '——某馆馆长': who said or wrote it
_EDITORS_SIGNATURE = re.compile(r"^[—－-]{1,2}\s*(?:本报)?(?:编者|编辑部?|作者)$")  # '——编者': never a headline
_SERIES = re.compile(r"^([\u4e00-\u9fff]{2,6}?)[\d①-⑳一二三四五六七八九十]*\s*(?:[:：]|——)")  # '地点：…', '关键词1——'
# -- pass 1: blocks --------------------------------------------------------


# -- pass 2: duplicates and furniture --------------------------------------


# -- pass 3: headlines and layout -----------------------------------------


def headline_shape(b: Block) -> bool:
    """Short, unpunctuated, not a cut sentence: it could be a headline."""
    if b.kind == "heading":
        return True
    if not may_be_headline(b):
        return False
    if b.stacked:  # a kicker, title and subtitle one under another: each line a headline's
        lines = headline_phrases([squeeze_spaces(line) for line in b.lines])
        return all(_headline_text(line, STACKED_LINE, summary=k > 0) or (k and line[0] in "（(" and line[-1] in "）)")
                   or (k == 0 and _LABEL_KICKER.fullmatch(line) is not None) for k, line in enumerate(lines))
    return len(b.lines) <= 3 and _headline_text(squeeze_spaces(b.text), HEADLINE)


def may_be_headline(b: Block) -> bool:
    """Whether a block could be a headline at all: not a credit, a dateline, a signature or a picture's
    source, nor a sentence that ended at the column's edge and goes on at the margin."""
    if (b.kind != "text" or b.dateline or b.closes_photo or _PLACE_SIGNATURE.match(b.text.strip())
            or is_credit_line(b.compact) or _ADDRESS.search(b.text)):
        # (a picture's or a chart's credit, '新华社发', '数据来源：…': a story may end on it; where to
        # write or read more, '投稿邮箱：…@163.com')
        return False
    return not (b.after_full_line and not b.stacked and len(b.lines) > 1)


def _aside(b: Block) -> bool:
    """A sentence, a box's label, a caption, a document's section, a signature in brackets
    ('（郝学兰 中共东阿县委书记）'), or a sentence cut where it cannot stop ('…纾困与创新发展的'; not a
    speaker's kicker, '国台办：'): never a headline, however the model reads where it stands."""
    text = squeeze_spaces(b.text)
    return ("。" in text or is_box_label(text) or _CAPTION.match(text) is not None
            or _SECTION.match(b.compact) is not None or (len(b.lines) == 1 and text[:1] in "（(" and text[-1:] in "）)")
            or (ends_open(text) and not text.endswith(("：", ":", "——"))))


HEADLINE = 40  # characters a headline has at most


def _headline_text(text: str, longest: int, summary: bool = False) -> bool:
    """`summary`: a subtitle under a title, which may sum the story up in clauses ('听取…汇报；部署…')."""
    # (a column tag is the column's name, not the headline's length: '…（深入学习贯彻…思想）')
    if not 2 <= len(COLUMN_TAG.sub("", text)) <= longest or is_box_label(text) or _CAPTION.match(text):
        return False
    # a headline may exclaim or ask ('我爱你，中国！'), once and at its end (before a column tag:
    # '“甜”从哪里来？（新知）'), but not hold a sentence
    inner = re.sub(r"[！？!?]+[”’」）)\"]*$", "", COLUMN_TAG.sub("", text))
    if summary:
        inner = inner.replace("；", "").replace(";", "")
    if any(ch in inner for ch in "。；！？!?") or text.count("，") + text.count(",") > (4 if summary else 2):
        return False
    if text.count("，") + text.count(",") == 2 and len(text) > 24:
        return False
    if (ends_open(text) and not text.endswith("——")) or text[0] in "，。、；：）》”,.;:)":
        return False  # ('全国人大代表陈科含——' is a kicker)
    if text[0] in "（(" and text[-1] in "）)":
        return False  # a signature '（姓名 职务）' or an aside
    for opening, closing in ("“", "”"), ("《", "》"), ("（(", "）)"):  # (the OCR mixes '（' and ')')
        if sum(map(text.count, opening)) != sum(map(text.count, closing)):
            return False  # a quotation cut by the line end
    return not BULLET.match(text)


def _continues(b: Block) -> bool:
    """A block that opens with the tiny end of a sentence ('难题。依托…') continues a cut one
    (a lead's '近日，' does not, nor a quote it opens: '“震撼！”“激动！”…')."""
    m = re.match(rf"^([{CJK}\w”]{{1,4}})[。；！？]", squeeze_spaces(b.text))
    return m is not None


def headline_evidence(blocks: list[Block]) -> Evidence:
    """What a page shows of its headlines (see Evidence)."""
    n = len(blocks)
    label = [b.kind == "text" and LABEL.match(b.text) is not None for b in blocks]
    # lines of a form ('截稿时间：…' after '主办单位：…') are not headlines
    form = [label[i] and ((i > 0 and label[i - 1]) or (i + 1 < n and label[i + 1])) for i in range(n)]
    shape = [(headline_shape(b) and not form[i]) or b.headline for i, b in enumerate(blocks)]
    # a line led by a dash is a subtitle under a headline, else a signature ('——编者')
    shape = [s and (blocks[i].headline or not _ATTRIBUTION.match(blocks[i].compact) or (i > 0 and shape[i - 1]))
             and not _EDITORS_SIGNATURE.match(blocks[i].compact) for i, s in enumerate(shape)]
    # a document's chapters and sections ('第六章 构建…体系', '第四节 扩大社会参与') are its subheads
    shape = [s and _SECTION.match(blocks[i].compact) is None for i, s in enumerate(shape)]
    # the parts of one story in a series ('地点：…' three times, '关键词1——' … '关键词5——') are subheads
    label = [_series_label(b) if shape[i] and not b.headline else None for i, b in enumerate(blocks)]
    counts = Counter(x for x in label if x)
    shape = [s and not (label[i] and counts[label[i]] >= SERIES) for i, s in enumerate(shape)]
    indents = _indents_paragraphs(blocks)
    if indents:  # a short indented line is a paragraph or a subhead; headlines stand at the margin
        shape = [shape[i] and (b.headline or not b.indented) for i, b in enumerate(blocks)]
    return Evidence(shape, indents, _topic_scores(blocks, shape))


SERIES = 3  # subheads that share a label this often are the parts of one story


def _series_label(b: Block) -> str | None:
    m = _SERIES.match(b.compact)
    return m.group(1) if m else None


def headings_mark_headlines(blocks: list[Block]) -> bool:
    """The page marks its headlines as headings: two or more, or one at the top (a page of one story).
    Then the marks decide, and the headline model is not asked (nor trained on such pages)."""
    headings = sum(1 for b in blocks if b.kind == "heading")
    return headings >= 2 or (headings == 1 and blocks[0].kind == "heading")


def mark_headlines(blocks: list[Block], model: HeadlineModel | None = None) -> str:
    """Mark headline blocks and return the layout: 'before' or 'after' (headlines follow their story)."""
    n = len(blocks)
    anchor = [b.kind == "byline" or b.dateline for b in blocks]
    if headings_mark_headlines(blocks):
        for b in blocks:
            if b.kind == "heading":
                b.headline = True
        # unmarked lines inside a stack of marked headings belong to it ("明确4类14项重点任务")
        shaped = [b.kind == "text" and headline_shape(b) for b in blocks]
        for i, b in enumerate(blocks):
            if shaped[i] and not b.headline:
                # (not the first of two such lines under a heading: '2019春运一线' / '新技术' /
                # '航班行李可全程追踪' is the headline of a part)
                before = i > 0 and blocks[i - 1].kind == "heading" and not (i + 1 < n and shaped[i + 1])
                after = i + 1 < n and blocks[i + 1].kind == "heading"
                if before or after:
                    b.headline = True
                else:
                    b.subhead = True
        _unmarked_headlines(blocks, model)
        return "before"

    evidence = headline_evidence(blocks)
    shape, indents, topic = evidence.shape, evidence.indents, evidence.topic
    apart = sum(b.after_blank for b in blocks) >= 0.8 * n  # blank lines set its paragraphs apart
    if model is not None:  # the learned evidence stands in for the change of subject alone
        learned = model.probabilities(block_features(blocks, evidence))
        # (where neither blank lines nor indents set paragraphs apart, the model lacks its best cues:
        # there a clear change of subject splits whatever it says)
        bare = not apart and not indents
        breaks = [p >= LIKELY or (bare and t is not None and t < CLEAR_BREAK) for p, t in zip(learned, topic)]
        # a stack whose kicker runs long in clauses, or whose subtitle sums the story up at length, is
        # no headline's shape; the model, seeing where it stands, may still be sure of it
        shape = [s or (p >= SURE and may_be_headline(b) and not _aside(b)) for s, p, b in zip(shape, learned, blocks)]
    else:
        learned = None
        breaks = [t is not None and t < TOPIC_BREAK for t in topic]

    def follows_end(i: int) -> bool:
        if i == 0:
            return True
        prev = blocks[i - 1]
        return (prev.kind != "text" or prev.headline or shape[i - 1] or ends_sentence(prev.text) or prev.closes_photo
                or _PLACE_SIGNATURE.match(prev.text.strip()) is not None or is_credit_line(prev.compact)
                or _ADDRESS.search(prev.text) is not None
                or _SIGNED.match(prev.compact) is not None)

    # from the end: a headline is followed by an anchor, another headline, or the page end
    after_ok = [False] * n
    for i in range(n - 1, -1, -1):
        nxt_ok = i + 1 >= n or anchor[i + 1] or after_ok[i + 1] or blocks[i + 1].kind == "heading"
        after_ok[i] = shape[i] and nxt_ok and follows_end(i)
    # (on a page that indents its paragraphs, a line at the margin need not follow a sentence's end:
    # the story above may run off its column mid-sentence)
    # (nor need a line printed wider than a narrow column's paragraphs: only a headline spans columns)
    before_ok = [shape[i] and ((i + 1 < n and anchor[i + 1]) or
                               # (nor a line that ends its own: '…（军运纵横）' / '敬礼！')
                               ((follows_end(i) or indents or blocks[i].wide)
                                and (i + 1 >= n or ends_sentence(blocks[i].text) or not _continues(blocks[i + 1]))
                                # (on a page that indents, a line that filled the column with the text
                                # going on at the margin under it is a paragraph's: a story starts indented)
                                and not (indents and i + 1 < n and blocks[i + 1].after_full_line
                                         and not shape[i + 1] and _RUNNING.search(blocks[i + 1].text)
                                         and not blocks[i].wide)))
                 for i in range(n)]
    # A stack not followed by a byline or dateline needs more evidence of being a headline: its shape
    # and place (_stands_out, the margin of an indented page) unless the model finds it unlikely, or
    # else the model's word (without a model: a change of subject around it).
    rescued = [False] * n  # kept on the model's word, or on the change of subject, alone
    anchored_at = [False] * n  # in a stack a byline or dateline follows
    stacks = _runs(before_ok)
    # stacks of STACK lines or more, with nothing under them, that the model doubts: typeset alike
    # more than once on a page, they are the parts of one package
    doubted = sum(1 for i, j in stacks if learned is not None and STACK <= j + 1 - i <= LIST
                  and not (j + 1 < n and anchor[j + 1]) and max(learned[i:j + 1]) < PACKAGE_DOUBT)
    for i, j in stacks:
        anchored = j + 1 < n and anchor[j + 1]
        anchored_at[i:j + 1] = [anchored] * (j + 1 - i)
        # (a dateline under it, or under its byline, starts a story: only a byline may sign a part)
        dated = anchored and (blocks[j + 1].dateline or (j + 2 < n and blocks[j + 2].dateline))
        # (one line at the margin under a line that filled the column may be the rest of its paragraph)
        doubt = LIKELY if i == j and blocks[i].after_full_line else _doubt(j + 1 - i, anchored, doubted >= 2)
        # (a line wider than the column's paragraphs is typesetting the model has no evidence of)
        unlikely = (learned is not None and not dated and not any(b.headline or b.wide for b in blocks[i:j + 1])
                    and (j + 1 - i > LIST or all(learned[k] < doubt for k in range(i, j + 1))))
        if unlikely or not anchored and not indents and not _stands_out(blocks, i, j):
            # (a part of a package or a list may change subject: only the model's word keeps a line)
            part = unlikely and (anchored or j + 1 - i >= STACK)
            for k in range(i, j + 1):
                keep = learned[k] >= LIKELY if part else breaks[k]
                before_ok[k] = blocks[k].headline or keep
                rescued[k] = keep and not blocks[k].headline

    first_text = next((i for i, b in enumerate(blocks) if b.kind != "byline"), None)
    # (a page that opens on a headline the model is sure of reads top-down, whatever it ends with)
    starts_with_headline = first_text == 0 and before_ok[0] and n > 1 and (
        anchor[1] or shape[1] or (learned is not None and learned[0] >= LIKELY))
    ends_with_headline = n > 0 and after_ok[-1] and not blocks[-1].headline or (n > 0 and blocks[-1].headline)
    layout = "after" if ends_with_headline and not starts_with_headline else "before"
    # doubtful: with a model, any unanchored headline it is not sure of; without, one kept on the
    # change of subject alone
    weak = rescued if learned is None else \
        [before_ok[i] and not anchored_at[i] and learned[i] < UNSURE for i in range(n)]
    chosen = list(after_ok if layout == "after" else before_ok)
    if layout == "before" and apart and any(b.stacked for b in blocks):
        # a page that sets paragraphs apart but prints a headline's lines together: a line set apart
        # under a headline is the story's first subhead ('奋斗新时代' / '江西井冈山——' …)
        # (under a headline the model is sure of: not under a story's last line, '统筹：郭雪岩')
        for i, j in _runs(chosen):
            if learned is None or learned[i] < LIKELY:
                continue
            for k in range(i + 1, j + 1):
                if blocks[k].after_blank and blocks[k].kind == "text" and not blocks[k].stacked:
                    chosen[k] = False
    for i, b in enumerate(blocks):
        if chosen[i]:
            b.headline = True
            b.weak = layout == "before" and weak[i]
        else:
            b.subhead = b.kind == "text" and headline_shape(b)
    return layout


def _unmarked_headlines(blocks: list[Block], model: HeadlineModel | None) -> None:
    """On a page whose headings mark its headlines, the stacks they left unmarked: an OCR tool may
    mark only the bigger type. A run of headline-shaped lines (read as subheads so far) after the end
    of a story is a headline where the model is all but certain of it. (A byline or a dateline under
    it is no evidence here, nor a column's tag: the parts of a package are filed so under their
    unmarked subheads.)"""
    if model is None or not any(b.subhead for b in blocks):
        return
    learned = model.probabilities(block_features(blocks, headline_evidence(blocks)))
    for i, j in _runs([b.subhead for b in blocks]):
        prev = blocks[i - 1] if i > 0 else None
        if j + 1 - i > LIST or (prev is not None and prev.kind == "text" and not prev.headline
                                and not ends_sentence(prev.text)):
            continue
        if max(learned[i:j + 1]) >= UNMARKED_SURE:
            for b in blocks[i:j + 1]:
                b.headline, b.subhead = True, False


def _runs(marks: list[bool]) -> list[tuple[int, int]]:
    """The first and last index of each run of marked items."""
    runs, i = [], 0
    while i < len(marks):
        if marks[i]:
            j = i
            while j + 1 < len(marks) and marks[j + 1]:
                j += 1
            runs.append((i, j))
            i = j
        i += 1
    return runs


def _doubt(size: int, anchored: bool, package: bool) -> float:
    """The learned probability under which a stack of `size` lines is not a headline after all: a
    stack of STACK lines is a paper's own typesetting, which the model, trained on another paper's
    pages, does not overrule unless the page repeats it (a package); a stack signed by a byline alone
    may sign a part of a story. (A run longer than LIST is a list, whose lines only the model keeps.)"""
    if size >= STACK:
        return PACKAGE_DOUBT if package else 0.0
    if anchored:
        return ANCHORED_DOUBT
    return VETO if size == 1 else LIKELY


ANCHORED_DOUBT = 0.3  # a stack over a byline alone, less likely than this, is a part of a story
PACKAGE_DOUBT = 0.1  # stacks of three lines or more the model finds less likely than this
LIST = 4  # lines a headline stack has at most (kicker, title, subtitle, and a column's label)
STACK = 3  # a stack of this many lines or more is typesetting no subhead gets (see _doubt)
VETO = 0.02  # a line the rules let stand on shape alone, that the model finds this unlikely, is not one
LIKELY = 0.5  # the learned probability that makes a headline of a stack the rules leave open
SURE = 0.8  # the learned probability that makes a headline of a block whatever its shape
UNMARKED_SURE = 0.97  # the learned probability that makes a headline of a stack a page's headings left out
UNSURE = 0.75  # a headline less likely than this, with no byline or dateline under it, is doubtful
_NOTICE = re.compile(r"启事|公告|通告|征稿|约稿")


def _indents_paragraphs(blocks: list[Block]) -> bool:
    """Most paragraphs of the page start indented: then a headline is a line at the margin. (A block
    that runs on at the margin after a sentence's end is no evidence: it may be the rest of a paragraph.)"""
    long = [b.indented for b in blocks if b.kind == "text" and len(b.compact) >= 40 and not b.run_on]
    return len(long) >= 3 and sum(long) >= 0.8 * len(long)


CLEAR_BREAK = 0.01  # so little shared that the text changes subject (on a page that gives the model few cues)
TOPIC_BREAK = 0.045  # weighted share of character pairs the text before and after a line have in common
_WINDOW = 600
TOPIC_SIDE = 40  # characters of text a side needs for what it shares to mean anything


def _topic_scores(blocks: list[Block], shape: list[bool]) -> list[float | None]:
    """For each block of headline shape, how much the text before and after it shares (None where
    there is no text on a side): a subhead sits inside one story and the text around it shares its
    words; a headline starts another story (below TOPIC_BREAK)."""
    sizes = [len(b.compact) for b in blocks]
    grams = [char_pairs(b.compact) if b.kind == "text" and not shape[i] else Counter() for i, b in enumerate(blocks)]
    seen: Counter = Counter()
    for g in grams:
        seen.update(g.keys())
    weight = {g: math.log((len(blocks) + 1) / (k + 1)) for g, k in seen.items()}
    out = []
    for i in range(len(blocks)):
        if not shape[i] or (i > 0 and shape[i - 1]):
            out.append(None)
            continue
        before, before_size = _window(grams, sizes, range(i - 1, -1, -1), shape)
        after, after_size = _window(grams, sizes, range(i + 1, len(blocks)), shape)
        if min(before_size, after_size) < TOPIC_SIDE:  # ('——编者' alone shares nothing with anything)
            out.append(None)
            continue
        shared = sum(min(before[g], after[g]) * weight[g] for g in before if g in after)
        scale = min(sum(k * weight[g] for g, k in before.items()), sum(k * weight[g] for g, k in after.items()))
        out.append(shared / scale if before and after and scale > 0 else None)
    return out


def _window(grams: list[Counter], sizes: list[int], order: range, shape: list[bool]) -> tuple[Counter, int]:
    """The character pairs of up to _WINDOW characters of body text, from the side `order` walks,
    and how many characters they came from."""
    out: Counter = Counter()
    size = 0
    for k in order:
        if shape[k] and size:
            break
        if shape[k]:
            continue
        out.update(grams[k])
        size += sizes[k]
        if size >= _WINDOW:
            break
    return out, size


def _stands_out(blocks: list[Block], i: int, j: int) -> bool:
    """An unanchored headline stack: several lines, parallel phrases, a column tag, a wide gap, a line
    wider than a narrow column's, after a signature."""
    run = blocks[i:j + 1]
    if len(run) >= 2 or run[0].stacked or blocks[i].gap >= REGION_GAP or any(b.headline or b.wide for b in run):
        return True
    text = squeeze_spaces(run[0].text)
    if COLUMN_TAG.search(text) and not text.startswith(("（", "(")):
        return True
    if _PARALLEL.fullmatch(run[0].text.strip()) or _NOTICE.search(text):
        return True
    prev = blocks[i - 1].text.strip() if i > 0 else ""
    return i == 0 or (prev[:1] in "（(" and prev[-1:] in "）)")


# phrases set apart by a space, each short: '共担新使命 同谱新篇章', '价格稳 品种多 供应足' (not a line the
# OCR joined at the column width: '“没有两把真刷子的干部在关键时刻 能带兵打仗吗”')
_PARALLEL = re.compile(r"\S{2,12}(?: \S{2,12})+")


# -- pass 4: articles --------------------------------------------------------

def _has_story(article: RawArticle) -> bool:
    """Body enough to be a story: a dateline after it starts the next one (not after a lead that
    only repeats the headline, nor after the points a headline's deck lists under bullets)."""
    if any(b.dateline for b in article.body):
        return True
    heads = {b.compact for b in article.headline}
    return sum(len(b.compact) for b in article.body
               if b.compact not in heads and not BULLET.match(b.compact)) >= 40


def group_articles(blocks: list[Block], layout: str) -> list[RawArticle]:
    articles: list[RawArticle] = []
    current: RawArticle | None = None

    def start(b: Block) -> RawArticle:
        nonlocal current
        if current is not None:
            articles.append(current)
        current = RawArticle(line_no=b.line_no)
        return current

    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.headline:
            if layout == "after" and current is not None and current.has_body():
                current.headline.append(b)
                if not (nxt is not None and nxt.headline):
                    articles.append(current)
                    current = None
            elif current is None or current.has_body() or (current.headline and not current.bylines and
                                                            layout == "after"):
                start(b).headline.append(b)
            else:
                current.headline.append(b)
        elif b.kind == "byline":
            if current is not None and current.has_body():
                photo_credit = (not current.bylines and not any(x.dateline for x in current.body)
                                and (nxt is None or nxt.headline or nxt.kind == "byline"))
                under_caption = (b.credits.photographers and not b.credits.authors
                                 and _CAPTION.match(current.body[-1].compact) is not None)
                if under_caption:
                    current.bylines.append(b)  # '图①：…' / 'X摄': a photo of this story
                elif photo_credit:
                    b.closes_photo = True
                    current.bylines.append(b)
                    articles.append(current)
                    current = None
                elif current.headline and not current.bylines and not b.credits.photographers:
                    current.bylines.append(b)  # a byline under a box or a subhead of the story
                elif i > 0 and blocks[i - 1].subhead and not b.credits.photographers:
                    current.bylines.append(b)  # the byline of one part of a story, under its subhead
                else:
                    start(b).bylines.append(b)
            elif current is None:
                start(b).bylines.append(b)
            else:
                current.bylines.append(b)
        else:  # body text
            region_break = b.gap >= REGION_GAP and layout == "before"
            if current is None and articles and _CAPTION.match(b.compact):
                current = articles.pop()  # the next photo's caption ('图②：…'): the same story's
            elif current is None or (region_break and current.has_body()) or (
                    b.dateline and _has_story(current) and not (i > 0 and blocks[i - 1].subhead)):
                # (a dateline under a subhead files one part of a story in parts: '2019春运一线' /
                # '新技术' / '航班行李可全程追踪' / '本报上海2月10日电…')
                start(b)
            current.body.append(b)
            if b.closes_photo:
                articles.append(current)
                current = None
        i += 1
    if current is not None:
        articles.append(current)
    return articles
