"""Bylines, datelines and signatures: who wrote a story and where it was filed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import CJK

NAME = rf"[{CJK}·]{{2,4}}"
_ROLE_WORDS = {
    "本报记者": "authors", "记者": "authors", "本报通讯员": "correspondents", "通讯员": "correspondents",
    "摄影": "photographers", "摄": "photographers", "图": "photographers", "文": "authors",
}
_MARK = r"[□■◇◆●○▲△▼▽☆★]"
_SPACED_ROLE = [(re.compile(r"本\s*报\s*记\s*者"), "本报记者"), (re.compile(r"本\s*报\s*通\s*讯\s*员"), "本报通讯员"),
                (re.compile(r"通\s*讯\s*员"), "通讯员"), (re.compile(r"记\s*者"), "记者"), (re.compile(r"报\s*道$"), "报道")]

DATELINE = re.compile(rf"^本报([{CJK}]{{1,6}}?)?讯")
# 本报讯（记者 苑莘）, 本报讯 （刘桐 周君）, 本报讯(记者 谢榕 通讯员 陈清辉)
DATELINE_CREDIT = re.compile(rf"^(本报(?:[{CJK}]{{1,6}}?)?讯)\s*[（(]([^（）()]{{2,40}})[）)]\s*")


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


def parse_credits(text: str) -> Credits | None:
    """Names by role from a byline body ('记者 胡磊 通讯员 张振祥 报道'); None if it is not one."""
    text = normalise_roles(text.replace("\u3000", " "))
    text = re.sub(r"(报道|摄影报道|摄)$", "", text.strip()).strip()
    # role words glued to names: '本报记者胡磊' -> '本报记者 胡磊'
    text = re.sub(r"(本报记者|本报通讯员|通讯员|记者)(?=\S)", r"\1 ", text)
    tokens = [t for t in re.split(r"[\s，,、]+", text) if t]
    if not tokens:
        return None
    credits = Credits()
    role = "unlabelled"
    for token in tokens:
        if token in _ROLE_WORDS:
            role = _ROLE_WORDS[token]
            continue
        if not re.fullmatch(NAME, token):
            return None
        getattr(credits, role).append(token)
    return credits if credits else None


def byline(line: str) -> Credits | None:
    """A byline line: '□ 本报记者 胡磊 孙亚飞', '□记者 高田 通讯员 张振祥 报道', '本报通讯员 商贺 刘森'."""
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
        # names alone: '□孙伟 付研 报道', '■ 商景豪'; not '■ 深入实施 工程'
        if len(credits.unlabelled) > 6 or not (re.search(r"(报道|摄)$", line.strip())
                                                or all(len(n) <= 3 for n in credits.unlabelled)):
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


def split_dateline(paragraph: str) -> tuple[str, str, Credits | None, str]:
    """('本报临清讯', place, credits, rest) from a lead paragraph; ('', '', None, paragraph) if none."""
    m = DATELINE_CREDIT.match(paragraph)
    if m:
        credits = parse_credits(m.group(2))
        if credits is not None:
            rest = paragraph[m.end():].lstrip()
            lead = m.group(1)
            return lead, _place(lead), credits, rest
    m = DATELINE.match(paragraph)
    if m:
        rest = paragraph[m.end():].lstrip(" \u3000:：，,")
        return m.group(0), _place(m.group(0)), None, rest
    return "", "", None, paragraph


def _place(lead: str) -> str:
    return lead[2:-1]


_TITLE_WORDS = ("书记", "主任", "局长", "市长", "县长", "区长", "主席", "董事长", "经理", "部长", "校长", "院长",
                "委员", "处长", "科长", "社长", "会长", "秘书长", "专家", "教授", "研究员", "负责人", "干部", "记者")
SIGNATURE = re.compile(r"^[（(]([^（）()]{3,60})[）)]$")


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
