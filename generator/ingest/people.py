"""Bylines, datelines and signatures: who wrote a story and where it was filed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ingest.clean import CJK, dictionary_words

NAME = rf"[{CJK}·]{{2,4}}"
_ROLE_WORDS = {
    "本报记者": "authors", "记者": "authors", "本报通讯员": "correspondents", "通讯员": "correspondents",
    "摄影": "photographers", "摄": "photographers", "图": "photographers", "文": "authors",
}
_MARK = r"[□■◇◆●○▲△▼▽☆★]"
_SPACED_ROLE = [(re.compile(rf"本报(?:(?:驻|赴)[{CJK}]{{1,8}}?)?(?:特派|特约)?记者(?=\s|[{CJK}])"), "本报记者"),
                (re.compile(r"(?:新华社|中新社|人民日报)(?:特派|特约)?记者"), "记者"),
                (re.compile(r"本\s*报\s*记\s*者"), "本报记者"), (re.compile(r"本\s*报\s*通\s*讯\s*员"), "本报通讯员"),
                (re.compile(r"通\s*讯\s*员"), "通讯员"), (re.compile(r"记\s*者"), "记者"), (re.compile(r"报\s*道$"), "报道")]

# The lead of a story: 本报讯, 本报临清讯, 本报北京1月9日电, 新华社北京1月9日电, 据新华社东京1月9日电
_AGENCIES = "新华社|中新社|人民日报|光明日报|经济日报|大众日报|央视|中央广播电视总台"
_DATE = r"(?:\d{1,2}月\d{1,2}日|\d{1,2}日)"
DATELINE = re.compile(rf"^(据)?(本报|{_AGENCIES})\s*(?!记者|通讯员|评论员|特约)([{CJK}·]{{1,10}}?)?\s*(?:{_DATE})?\s*(讯|电)")
# 本报讯（记者 苑莘）, 本报讯 （刘桐 周君）, 本报北京1月9日电 （记者冯春梅）, 新华社北京1月9日电（记者X、Y）
DATELINE_CREDIT = re.compile(DATELINE.pattern + r"\s*[（(]([^（）()]{2,40})[）)]\s*")


@dataclass
class Credits:
    authors: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)  # names with no role word

    def merge(self, other: "Credits") -> None:
        for key in ("authors", "correspondents", "photographers", "unlabelled"):
            mine = getattr(self, key)
            mine.extend(n for n in getattr(other, key) if n not in mine)

    def __bool__(self) -> bool:
        return bool(self.authors or self.correspondents or self.photographers or self.unlabelled)


def normalise_roles(text: str) -> str:
    for rx, word in _SPACED_ROLE:
        text = rx.sub(word, text)
    return text


def _roles_apart(text: str) -> str:
    """Role words glued to the names after them set apart: '本报记者胡磊' -> '本报记者 胡磊'."""
    return re.sub(r"(本报记者|本报通讯员|通讯员|记者)(?=\S)", r"\1 ", text)


def parse_credits(text: str) -> Credits | None:
    """Names by role from a byline body ('记者 胡磊 通讯员 张振祥 报道'); None if it is not one."""
    text = normalise_roles(text.replace("\u3000", " "))
    text = re.sub(r"(报道|摄影报道|摄)$", "", text.strip()).strip()
    text = _roles_apart(text)
    tokens = [t for part in re.split(r"[，,、]+", text) for t in _join_split_names(part.split())]
    if not tokens:
        return None
    credits = Credits()
    role = "unlabelled"
    for token in tokens:
        if token in _ROLE_WORDS:
            role = _ROLE_WORDS[token]
            continue
        if not re.fullmatch(NAME, token) or not may_be_name(token):
            return None
        getattr(credits, role).append(token)
    return credits if credits else None


# characters that open a clause, never a name: no surname is one ('记者了解到', '记者在阿里' are a
# sentence's first line cut at a narrow column's edge, not a reporter)
_NOT_SURNAME = frozenset("在了是的把被对跟与就都也还又而并所因据让给使着等或已")
COMMON_WORD = 1000  # jieba's frequency above which a name's first two characters are a word of the text


def may_be_name(token: str) -> bool:
    """Whether a token of a credit can be a person's name: not opened by a function character, and,
    three characters or more, not opened by a common word ('跟随扎', '由于背着'; a name of two may
    be a word: '江南', '高山')."""
    if token[0] in _NOT_SURNAME:
        return False
    return len(token) < 3 or "·" in token or dictionary_words().get(token[:2], 0) <= COMMON_WORD


def _join_split_names(tokens: list[str]) -> list[str]:
    """A name is never one character: '吴 焰' (spaced to the width of three) or '吴 晶' (an OCR space
    at a line join) is one name."""
    out: list[str] = []
    for token in tokens:
        if out and token not in _ROLE_WORDS and out[-1] not in _ROLE_WORDS and re.fullmatch(NAME, out[-1] + token) \
                and (len(token) == 1 or len(out[-1]) == 1):
            out[-1] += token
        else:
            out.append(token)
    return out


_SPACED_NAME = re.compile(rf"(?<![{CJK}])([{CJK}])\s+([{CJK}]{{1,2}})(?=\s|$|摄|[、，,）)])")


# What every byline or credit line holds one of.
_MAY_CREDIT = re.compile(rf"{_MARK}|记\s*者|通\s*讯\s*员|摄|[文图]")


# Labels of a box or a part of the page, printed like a headline or a credit: never either.
BOX_LABELS = frozenset("""核心阅读 编者按 编者的话 小贴士 链接 相关链接 延伸阅读 背景链接 背景 记者手记 短评
    新闻链接 数据 数读 观点 声音 速览 简讯 快讯 资料 知识链接 特别策划 记者观察 图为 亲历者说 编后 编后语
    名词解释 专家点评 点评 温馨提示 小资料 相关新闻 新闻背景 贴士 提示""".split())


def is_box_label(text: str) -> bool:
    return re.sub(rf"^{_MARK}\s*|[\s:：]+$", "", text.strip()) in BOX_LABELS


# a picture's source, naming no one, under its caption: '新华社发', '（中新社发）', '人民视觉', '资料图片',
# '图片来源：视觉中国', 'X公司供图'
_PICTURE_SOURCE = re.compile(r"^[（(]?(?:(?:新华|中新)社发|人民视觉|视觉中国|资料图片|(?:图片来源|图片提供)[:：]\s*[^，。：:]{2,16}"
                             r"|[^，。：:\s]{2,12}供图)[）)]?$")


def is_picture_source(text: str) -> bool:
    return _PICTURE_SOURCE.match(re.sub(r"\s+", "", text)) is not None


# who drew, shot or put together a page's pieces, or where a chart's figures come from: '制图：蔡华伟',
# '剧照摄影：刘海栋', '统筹：郭雪岩', '数据来源：水利部'
_SOURCE_CREDIT = re.compile(r"^(?:制图|绘图|插图|漫画|配图|[^，。：:]{0,4}摄影|统筹|策划|(?:图表|资料|数据)?来源|(?:资料)?整理)"
                            r"[:：][^。]{1,40}$")


def is_credit_line(text: str) -> bool:
    """A line that credits the picture or the chart above it, not the story: its source, or who drew or
    compiled it."""
    packed = re.sub(r"\s+", "", text)
    return _PICTURE_SOURCE.match(packed) is not None or _SOURCE_CREDIT.match(packed) is not None


# A photo credit line: '罗大富摄（影像中国）', '本报记者 张三摄', '新华社记者 李四 摄', '文/图 王五', '银燕 牟健摄影报道'
_CREDIT_LINE = re.compile(rf"^(?:(?:本报|新华社)?记者\s*)?({NAME}(?:[\s、，,]+{NAME}){{0,3}})\s*(?:摄影报道|摄)"
                          rf"(?:\s*[（(][^（）()]{{1,12}}[）)])?$")
_TEXT_AND_PHOTO = re.compile(rf"^文\s*[/／]\s*图\s*[:：]?\s*({NAME}(?:[\s、，,]+{NAME}){{0,3}})$")
# '曹一图 羽生文', '张三文 李四图': a drawing or picture and the text beside it, by two people
_PICTURE_AND_TEXT = re.compile(rf"^({NAME})\s*([图文])\s*({NAME})\s*([图文])$")


def photo_credit(line: str) -> Credits | None:
    """The photographers of a credit line under a picture, or None if the line is not one."""
    # (a role glued to a spaced name, as a credit wrapped at the column edge is put back: '记者吴  鲁摄')
    text = _SPACED_NAME.sub(r"\1\2", _roles_apart(normalise_roles(line.strip())))
    if m := _TEXT_AND_PHOTO.match(text):
        names = [n for n in re.split(r"[\s、，,]+", m.group(1)) if n]
        return Credits(authors=list(names), photographers=list(names))
    if (m := _PICTURE_AND_TEXT.match(text)) and m.group(2) != m.group(4):
        drawn, written = (m.group(1), m.group(3)) if m.group(2) == "图" else (m.group(3), m.group(1))
        return Credits(authors=[written], photographers=[drawn])
    if m := _CREDIT_LINE.match(text):
        names = [n for n in re.split(r"[\s、，,]+", m.group(1)) if n]
        return Credits(photographers=names) if all(map(may_be_name, names)) else None
    return None


def byline(line: str) -> Credits | None:
    """A byline line: '□ 本报记者 胡磊 孙亚飞', '□记者 高田 通讯员 张振祥 报道', '本报通讯员 商贺 刘森'."""
    if len(line) > 80 or not _MAY_CREDIT.search(line):
        return None  # (most lines: this is read for every line of every page)
    if is_box_label(line):
        return None
    if (credit := photo_credit(line)) is not None:
        return credit
    text = normalise_roles(line.strip())
    marked = re.match(rf"^{_MARK}\s*", text)
    if marked:
        text = text[marked.end():]
    elif not re.match(r"^(本报记者|本报通讯员|记者|通讯员)", text):
        return None
    if len(text) > 60:
        return None
    credits = parse_credits(text)
    if credits is None:
        return None
    if not marked and not (credits.authors or credits.correspondents):
        return None
    if marked and credits.unlabelled and not (credits.authors or credits.correspondents):
        # names alone: '□孙伟 付研 报道', '■ 商景豪'; not '■ 深入实施 工程', nor a list's item under a
        # bullet, '◆选桩 粗细匀' (a byline's mark is a square)
        byline_mark = marked.group().strip() in "□■"
        if len(credits.unlabelled) > 6 or not (re.search(r"(报道|摄)$", line.strip())
                                                or (byline_mark and all(len(n) <= 3 for n in credits.unlabelled))):
            return None
    return credits


def trailing_photographer(line: str) -> tuple[str, Credits] | None:
    """A caption ending with a photographer's mark: '…营收额3.09亿元。 ■ 商景豪'."""
    m = re.search(rf"\s*{_MARK}\s*((?:本报记者|记者)?\s*{NAME}(?:\s+{NAME}){{0,3}})\s*$", line)
    if not m or m.start() == 0:
        return None
    before = line[: m.start()].rstrip()
    if not before or before[-1] not in "。！？”）)":
        return None
    credits = parse_credits(m.group(1))
    if credits is None:
        return None
    credits.photographers.extend(credits.unlabelled + credits.authors)
    credits.unlabelled, credits.authors = [], []
    return before, credits


@dataclass(frozen=True)
class Dateline:
    """What a story's lead paragraph opens with, taken out of its text."""
    lead: str  # '本报临清讯', '新华社北京1月9日电'
    place: str  # '临清', '北京'; '' for 本报讯
    agency: str  # the wire service a story came from ('新华社'); '' for the paper's own
    credits: Credits | None
    rest: str  # the paragraph after the lead


def split_dateline(paragraph: str) -> Dateline | None:
    """The dateline a lead paragraph opens with, or None if it has none."""
    m = DATELINE_CREDIT.match(paragraph)
    credits = parse_credits(m.group(5)) if m else None
    if credits is None:
        m = DATELINE.match(paragraph)
        if m is None:
            return None
    rest = paragraph[m.end():].lstrip(" \u3000\u00a0:：，,")
    source, place = m.group(2), m.group(3) or ""
    lead = re.sub(r"\s+", "", paragraph[:m.end(4)])
    return Dateline(lead, place, "" if source == "本报" else source, credits, rest)


_TITLE_WORDS = ("书记", "主任", "局长", "市长", "县长", "区长", "主席", "董事长", "经理", "部长", "校长", "院长",
                "委员", "处长", "科长", "社长", "会长", "秘书长", "专家", "教授", "研究员", "负责人", "干部", "记者")
SIGNATURE = re.compile(r"^[（(]([^（）()]{3,60})[）)]$")


def closing_credit(paragraph: str) -> Credits | None:
    """The reporters of a story named in brackets at its end: '（记者 韩雪 通讯员 王明）', '（本报记者江琳、
    蒋升阳）', or its photographers ('（新华社记者 李贺摄）'); None for anything else (a writer's
    signature '（郝学兰 中共东阿县委书记）' has no role)."""
    text = normalise_roles(paragraph.strip())
    if len(text) > 80 or text[:1] not in "（(" or text[-1:] not in "）)" or not re.match(r"[（(]\s*\S{0,10}?(?:记者|通讯员)", text):
        return None
    if re.search(r"摄(?:影(?:报道)?)?\s*$", text[1:-1]):
        return photo_credit(text[1:-1])  # ('（新华社记者 李贺摄）': a picture's, its photographers)
    credits = parse_credits(text[1:-1])
    return credits if credits is not None and (credits.authors or credits.correspondents) else None


def signature(paragraph: str) -> str | None:
    """The writer of an opinion piece from a closing '（郝学兰 中共东阿县委书记）'."""
    m = SIGNATURE.match(paragraph.strip())
    if not m:
        return None
    tokens = [t for t in re.split(r"[\s\u3000]+", m.group(1).strip()) if t]
    if len(tokens) < 2:
        return None
    for token in (tokens[0], tokens[-1]):
        if re.fullmatch(NAME, token) and not token.endswith(_TITLE_WORDS):
            others = [t for t in tokens if t is not token]
            if any(t.endswith(_TITLE_WORDS) or len(t) > 4 for t in others):
                return token
    return None
