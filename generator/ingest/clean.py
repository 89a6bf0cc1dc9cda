"""Cleaning OCR text: spaces inside CJK text, half-width punctuation, full-width figures and letters,
OCR misreads.

Every function here is idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

# CJK ideographs (with extension A and compatibility ideographs).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation and symbols used in Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u300a\u300b"
_CJK_CHAR = f"[{CJK}]"
_CJK_ANY = f"[{CJK}{CJK_PUNCT}]"

TERMINAL = "。！？…”’」』）)!?;；\""  # ('"': a closing quote where the OCR gives half-width punctuation)
SOFT_END = "，、：；—（(“‘「《,:"
# Characters a sentence or a headline does not end with: the text goes on after them.
OPEN_END = frozenset(SOFT_END + ";") | frozenset("的和与及或在对把将从向为被等是不也都就还而并且之其以于由")

_SPACES = r"[ \t\u3000\u00a0\u2002-\u200b]+"

# Spaces next to CJK characters or punctuation, and inside numbers ("7 . 8").
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK_ANY}){_SPACES}|{_SPACES}(?={_CJK_ANY})")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \t\u3000]*([.．])[ \t\u3000]*(?=\d)")
_SPACE_IN_PERCENT = re.compile(r"(?<=\d)[ \t\u3000]+(?=[%％])")

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# A half-width mark is Chinese punctuation when a CJK character stands on either side
# (spaces between them were removed first). ':' between digits is a time and stays.
_HALF_PUNCT = re.compile(rf"(?<={_CJK_ANY})[,:;!?]|[,:;!?](?={_CJK_ANY})")
_PARENS = re.compile(r"\(([^()]*)\)")
_DASH_RUN = re.compile(r"[—－]{3,}|—\s*—|--+")


# Full-width figures and Latin letters ('２０１９年', 'ＧＤＰ', '６．１％'), as OCR tools often give them:
# Chinese text prints them half-width (GB/T 15835), and a reader searches for them so.
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + k): chr(0x30 + k) for k in range(10)},
                             **{chr(0xFF21 + k): chr(0x41 + k) for k in range(26)},
                             **{chr(0xFF41 + k): chr(0x61 + k) for k in range(26)}, "％": "%"})
_POINT_IN_NUMBER = re.compile(r"(?<=\d)．(?=\d)")


def half_width_figures(text: str) -> str:
    """Full-width figures, Latin letters, percent signs and decimal points become half-width."""
    return _POINT_IN_NUMBER.sub(".", text.translate(_HALF_WIDTH))


def squeeze_spaces(text: str) -> str:
    """Remove spaces that OCR put inside Chinese text and numbers."""
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACE_IN_NUMBER.sub(r"\1", text)
    text = _SPACE_IN_PERCENT.sub("", text)
    return re.sub(r"[ \t\u3000\u00a0]{2,}", " ", text).strip()


def _full_width_parens(text: str) -> str:
    """(…) becomes （…） when it holds Chinese text or stands next to it."""
    def repl(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if re.search(_CJK_ANY, m.group(1) + before + after):
            return f"（{m.group(1)}）"
        return m.group(0)
    return _PARENS.sub(repl, text)


def _quotes(text: str) -> str:
    """Straight quotes in Chinese text become curly ones, alternating open/close."""
    if '"' not in text and "'" not in text:
        return text
    out = []
    double_open = single_open = False
    for i, ch in enumerate(text):
        if ch == '"':
            out.append("”" if double_open else "“")
            double_open = not double_open
        elif ch == "'" and _chinese_context(text, i):
            out.append("’" if single_open else "‘")
            single_open = not single_open
        else:
            out.append(ch)
    return "".join(out)


def _chinese_context(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(re.match(_CJK_ANY, before) or re.match(_CJK_ANY, after))


def full_width_punctuation(text: str) -> str:
    """`, : ; ( ) ! ?` and straight quotes in Chinese context become full width."""
    if re.search(_CJK_CHAR, text) is None:
        return text
    prev = None
    while prev != text:  # each conversion can give the next one a Chinese neighbour
        prev = text
        text = _quotes(text)
        text = _full_width_parens(text)
        # an unmatched half-width parenthesis next to CJK text
        text = re.sub(rf"\((?={_CJK_ANY})", "（", text)
        text = re.sub(rf"(?<={_CJK_ANY})\)", "）", text)
        text = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)
    return _DASH_RUN.sub("——", text)


def apply_corrections(text: str, corrections: Iterable[tuple[str, str]]) -> str:
    for wrong, right in corrections:
        if wrong in text:
            text = text.replace(wrong, right)
    return text


def _to_fixpoint(clean_once, text: str, corrections) -> str:
    """Apply a cleaning pass until nothing changes, so cleaning is idempotent by construction."""
    corrections = list(corrections)
    for _ in range(8):
        cleaned = clean_once(text, corrections)
        if cleaned == text:
            break
        text = cleaned
    return text


def clean_text(text: str, corrections: Iterable[tuple[str, str]] = ()) -> str:
    """Clean one paragraph of body text."""
    return _to_fixpoint(_clean_text_once, text, corrections)


def clean_heading(text: str, corrections: Iterable[tuple[str, str]] = ()) -> str:
    """Clean a headline: spaces between parallel phrases stay, letter-spaced words close up."""
    return _to_fixpoint(_clean_heading_once, text, corrections)


def _clean_text_once(text: str, corrections) -> str:
    text = squeeze_spaces(half_width_figures(text.replace("\n", " ")))
    text = full_width_punctuation(text)
    text = squeeze_spaces(text)  # punctuation may now border spaces that were Latin-side before
    return apply_corrections(text, corrections)


def _clean_heading_once(text: str, corrections) -> str:
    text = re.sub(_SPACES, " ", half_width_figures(text.replace("\n", " "))).strip()
    parts = text.split(" ")
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        text = "".join(parts)  # "便 民 服 务"
    else:
        merged = [parts[0]]
        for part in parts[1:]:
            left = merged[-1]
            # a space is a phrase separator only between two phrases of three or more characters
            if len(left) >= 3 and len(part) >= 3 and re.search(_CJK_CHAR, left[-1] + part[0]):
                merged.append(part)
            elif re.match(r"[A-Za-z0-9]", left[-1:]) and re.match(r"[A-Za-z0-9]", part[:1]):
                merged.append(part)
            else:
                merged[-1] = left + part
        text = " ".join(merged)
    text = _SPACE_IN_NUMBER.sub(r"\1", text)
    text = _SPACE_IN_PERCENT.sub("", text)
    text = full_width_punctuation(text)
    text = re.sub(r"\s*([，。：；！？（）“”—])\s*", r"\1", text)
    text = re.sub(r"^[-－~～]+\s*", "——", text)
    return apply_corrections(text, corrections)


def is_cjk(ch: str) -> bool:
    return bool(ch) and re.match(_CJK_CHAR, ch) is not None


def join_lines(left: str, right: str) -> str:
    """Join two pieces of a hard-wrapped paragraph: no space in Chinese, one space in Latin text."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if re.match(r"[A-Za-z0-9,.;:!?]", a) and re.match(r"[A-Za-z0-9]", b) and not (a.isdigit() and b.isdigit()):
        return f"{left} {right}"
    return left + right


# words that end on a function character and still leave the sentence open
_OPEN_WORDS = frozenset("以及 并且 而且 或者 还是 但是 而是 因为 由于 为了 对于 关于 以便 从而 进而 通过 随着".split())


def ends_open(text: str) -> bool:
    """The text stops where its sentence cannot: on a comma, an opening mark, or a function word
    ('…我们要把', '…以及'); not on a word that ends with a function character ('作为', '触手可及')."""
    text = text.rstrip()
    if not text or text[-1] not in OPEN_END:
        return False
    if text[-1] in SOFT_END or text[-1] == ";":
        return True
    if text[-1] == "的" and "是" in text[:-1]:
        return False  # '…伎俩完全是徒劳的': the 是…的 of a whole sentence
    words = dictionary_words()
    return not any(words.get(text[-k:]) and text[-k:] not in _OPEN_WORDS for k in (4, 3, 2) if len(text) >= k)


@functools.cache
def dictionary_words() -> dict[str, int]:
    """jieba's dictionary, word -> frequency (0 for a prefix that is no word); read once, never changed."""
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt.FREQ


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if text.endswith(".") and text[-2:-1] in TERMINAL:
        text = text[:-1]  # a stray point after the sentence's own mark ('…办法来。”.')
    return bool(text) and text[-1] in TERMINAL


def compact(text: str) -> str:
    """A form of text for comparing copies: no spaces, punctuation folded to full width."""
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）",
                                         "!": "！", "?": "？", '"': "“", "”": "“"}))


# a story continued on another page: '（下转第2版）' where it breaks off, '（上接第1版）' where it goes on
JUMP = re.compile(r"[（(]\s*(上接|接|下转|转)\s*(?:第\s*)?([0-9一二三四五六七八九十]{1,3})\s*版\s*[）)]")

# a column tag closing a title: '（人民论坛）', '（长三角见证高质量发展·上海篇（下））'
COLUMN_TAG = re.compile(r"[（(](?:[^（）()]|[（(][^（）()]{1,6}[）)]){2,40}[）)]$")


# a headline line that cannot end there: on a comma, or leaving a quote, a title mark or a bracket open
_PAIRS = (("“", "”"), ("《", "》"), ("（(", "）)"), ("「", "」"))
# a line that is only a column's tag, no date: '（人民论坛）', not '（二〇一九年二月三日）'
_TAG_ONLY = re.compile(r"[（(][^（）()\d〇]{2,20}[）)]")


def headline_phrases(lines: list[str]) -> list[str]:
    """A headline's lines as its phrases: a line set where the headline's box ran out, mid-phrase, is
    joined to the next ('让更多国家人民，' / '有更多获得感', '…发展成果（在…指引下' / '——新时代新作为）'),
    and a line that is only a column's tag goes with the line above ('…好战士' / '（强军思想）')."""
    out: list[str] = []
    for line in lines:
        if out and continues_headline(out[-1], line):
            out[-1] = join_lines(out[-1], line)
        else:
            out.append(line)
    return out


def continues_headline(above: str, line: str) -> bool:
    """Whether a headline line goes on from the one above it (see headline_phrases)."""
    return _open_phrase(above) or _TAG_ONLY.fullmatch(line.strip()) is not None


def _open_phrase(text: str) -> bool:
    text = text.rstrip()
    return text[-1:] in "，、,“《（(「" or any(sum(map(text.count, a)) > sum(map(text.count, b)) for a, b in _PAIRS)
