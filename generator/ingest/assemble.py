"""From grouped blocks to an article's parts: headline stack, people, body paragraphs, kind."""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from dataclasses import dataclass, field

from generator.ingest.clean import OPEN_END, TERMINAL, clean_heading, clean_text, compact, dictionary_words, ends_sentence, is_cjk, join_lines, squeeze_spaces
from generator.ingest.clean import COLUMN_TAG, JUMP, headline_phrases
from generator.ingest.people import SIGNATURE, Credits, closing_credit, normalise_roles, signature, split_dateline
from generator.ingest.blocks import BULLET, Block, RawArticle

_NOTICE = re.compile(r"启事|公告|通告|征稿|约稿|征集")
_CLOSE_START = set("，。、；：）》”’!?！？,.;:)%％")


@dataclass
class Parts:
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    column: str = ""
    kind: str = "article"
    credits: Credits = field(default_factory=Credits)
    dateline: str = ""  # the place in 本报X讯, 新华社X月X日电
    agency: str = ""  # 新华社 in 新华社X电
    paragraphs: list[str] = field(default_factory=list)
    truncated: bool = False
    derived_title: bool = False
    doubts: list[tuple[float, str]] = field(default_factory=list)  # (how doubtful, 0-1; what to check)


def _open_dash(text: str) -> int | None:
    """Where a '——' outside brackets and quotes is ('X——Y': a kicker run into its title), if anywhere
    ('…（在…指引下——新时代新作为新篇章）' is a column tag's own dash)."""
    depth = 0
    for k, ch in enumerate(text):
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》":
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith("——", k):
            return k
    return None


class Assembler:
    def __init__(self, corrections: list[tuple[str, str]], columns: list[str], subjects: list[str]):
        self.corrections = corrections
        self.columns = {compact(_unquote(c)): c for c in columns}
        self.subjects = sorted(set(subjects), key=len, reverse=True)
        self._jieba = None
        self._headlines = None

    @property
    def headline_model(self):
        """The learned headline model (generator/ingest/headlines.py), loaded on first use."""
        if self._headlines is None:
            from generator.ingest.headlines import HeadlineModel
            self._headlines = HeadlineModel()
        return self._headlines

    @headline_model.setter
    def headline_model(self, model) -> None:  # (a stand-in, in tests)
        self._headlines = model

    # -- joining ---------------------------------------------------------
    def boundary_score(self, left: str, right: str) -> int:
        """1 when a dictionary word spans the cut between `left` and `right` ('聚焦产|业发展')."""
        a, b = left.rstrip()[-4:], right.lstrip()[:4]
        if not a or not b or not (is_cjk(a[-1]) and is_cjk(b[0])):
            return 0
        # any dictionary word of 2-4 characters across the cut, even one jieba's best cut passes
        # by ('让更|多人': 更多); then a longer one its cut finds
        words = dictionary_words()
        if any(words.get(a[-k:] + b[:m], 0) > 0 and all(map(is_cjk, a[-k:] + b[:m]))
               for k in (1, 2, 3) for m in (1, 2, 3) if k + m <= 4 and k <= len(a) and m <= len(b)):
            return 1
        return 1 if spanning_word(a, b, self.cut) else 0

    def cut(self, text: str) -> list[str]:
        """jieba's words of a text (its dictionary only), loaded on first use."""
        return self._loaded().lcut(text, HMM=False)

    def _loaded(self):
        if self._jieba is None:
            import jieba
            jieba.setLogLevel(60)
            self._jieba = jieba
        return self._jieba

    def should_join(self, left: str, right: str) -> bool:
        left, right = left.rstrip(), right.lstrip()
        if not left or not right or left[-1] in TERMINAL:
            return False
        if left[-1] in OPEN_END or right[0] in _CLOSE_START:
            return True
        return self.boundary_score(left, right) == 1

    def paragraphs(self, blocks: list[Block]) -> list[str]:
        out: list[str] = []
        for b in blocks:
            text = b.text
            if out and b.run_on:
                out[-1] = join_lines(out[-1], text)
            elif out and b.after_blank and self.should_join(out[-1], text):
                out[-1] = join_lines(out[-1], text)
            else:
                out.append(text)
        return out

    def clean_paragraph(self, text: str) -> str:
        m = SIGNATURE.match(text.strip())
        if m:  # '(郝学兰 中共东阿县委书记)': the space between name and role stays
            inner = " ".join(clean_text(t, self.corrections) for t in m.group(1).split())
            return f"（{inner}）"
        return clean_text(text, self.corrections)

    # -- the headline stack ---------------------------------------------
    def headline(self, blocks: list[Block], parts: Parts) -> None:
        lines = [(clean_heading(line, self.corrections), b.level) for b in blocks for line in b.lines]
        own = all(b.own_lines for b in blocks)  # (a short line is no title broken: the column wraps at full lines)
        lines = _phrases([(t, lvl) for t, lvl in lines if t])
        rest = []
        for text, level in lines:
            if not parts.column and compact(_unquote(text)) in self.columns:
                parts.column = self.columns[compact(_unquote(text))]
            else:
                rest.append((text, level))
        if not rest:
            return
        marked = [lvl for _, lvl in rest if lvl]
        if marked:
            top = min(marked)
            t = next(i for i, (_, lvl) in enumerate(rest) if lvl == top)
        else:
            t = self._unmarked_title_index(rest, parts, own)
        parts.kicker = " ".join(x for x, _ in rest[:t])
        parts.title = rest[t][0]
        parts.subtitle = " ".join(x for x, _ in rest[t + 1:])
        if (parts.subtitle and not own and len(parts.title) <= 8 and " " not in parts.title + parts.subtitle
                and not parts.subtitle.startswith(("——", "（", "(")) and len(parts.title + parts.subtitle) <= 24):
            # a short title continued on the next line: '“两长七员一站”' / '助推基层治理提质增效'
            parts.title, parts.subtitle = join_lines(parts.title, parts.subtitle), ""
        dash = _open_dash(parts.title)
        if not parts.kicker and dash is not None:
            head, tail = parts.title[:dash], parts.title[dash + 2:]
            if len(head) >= 4 and len(tail) >= 4:
                parts.kicker, parts.title = head.rstrip("，,"), tail

    def _unmarked_title_index(self, rest: list[tuple[str, int]], parts: Parts, own: bool) -> int:
        if len(rest) == 1:
            return 0
        first, second = rest[0][0], rest[1][0]
        if second.startswith("——") or (second[:1] in "（(" and second[-1:] in "）)"):
            return 0  # a subtitle led by a dash, or a line in brackets ('（2019年1月3日）'): never a title
        if len(rest) >= 3 or first.endswith("——"):
            return 1  # '全国人大代表陈科含——' / '为保障职工权益找办法'
        tagged = [COLUMN_TAG.search(x) is not None for x in (first, second)]
        if tagged[0] != tagged[1]:
            return 0 if tagged[0] else 1  # a column tag '（人民论坛）' follows the title
        if _DIGIT.search(first) and _DIGIT.search(second) and "，" not in first:
            return 0  # two lines of figures: '1月CPI同比上涨1.7%' / 'PPI同比上涨0.1%'
        if _INTRODUCES.search(first):
            return 1  # '胡春华强调' / '坚决如期攻克深度贫困堡垒'
        if _SUMS_UP.search(second):
            return 0  # the title, then who attended ('王沪宁出席并讲话'), a note or the points of the story
        if len(compact(second)) > LONG_SECOND:
            return 0  # longer than a title runs: it sums the story up ('代表习近平总书记和党中央向…致以…祝福')
        if " " in first and " " not in second:
            return 1
        s1, s2 = self._has_subject(first), self._has_subject(second)
        if s2 and not s1:
            return 1
        if s1 and not s2:
            return 0
        label = first.endswith(("：", ":"))  # '泰兴：' / '“亲情廉线”向基层延伸'
        phrases = " " in second.strip()  # '跆拳道项目' / '高手云集 竞争激烈': a title of its own
        if len(compact(first + second)) <= 24 and not s1 and not s2 and not label and not phrases and (
                (len(compact(first)) <= 8 and not own) or _cut_phrase(first, second, own)):
            # one title broken over two lines
            rest[0:2] = [(join_lines(first, second), 0)]
            return 0
        if parts.column:
            return 0  # under a column's label: the headline, then a line that explains it
        return 1  # else a kicker over its title: the commoner stack of two lines

    def _has_subject(self, text: str) -> bool:
        text = text.lstrip("“\"")
        return any(text.startswith(s) for s in self.subjects)

    # -- the whole article -------------------------------------------------
    def assemble(self, raw: RawArticle) -> Parts:
        parts = Parts()
        for b in raw.bylines:
            parts.credits.merge(b.credits)
        for b in raw.body:
            if b.credits is not None:
                parts.credits.merge(b.credits)
        paragraphs = self.paragraphs(raw.body)
        if paragraphs:
            # (the lead, under the points a headline's deck may list with bullets: '■到2025年，…')
            k = next((k for k, p in enumerate(paragraphs) if not BULLET.match(p.lstrip())), 0)
            lead = split_dateline(normalise_roles(paragraphs[k].lstrip()))
            if lead is not None:
                parts.dateline, parts.agency = squeeze_spaces(lead.place), lead.agency
                if lead.credits is not None:
                    parts.credits.merge(lead.credits)
                paragraphs[k] = lead.rest
            for b in raw.body[1:]:  # the part of a story in parts filed with its own dateline
                part = split_dateline(normalise_roles(b.text.lstrip())) if b.dateline else None
                if part is not None and part.credits is not None:
                    parts.credits.merge(part.credits)
        paragraphs = [p for p in map(self.clean_paragraph, paragraphs) if p]
        if len(paragraphs) > 1 and (closing := closing_credit(paragraphs[-1])) is not None:
            parts.credits.merge(closing)  # '（记者 韩雪 通讯员 王明）' at the end: the front matter's, as a dateline's
            paragraphs = paragraphs[:-1]
        parts.paragraphs = paragraphs
        self.headline(raw.headline, parts)
        self._kind(raw, parts)
        vertical = {clean_heading(b.text, self.corrections) for b in raw.headline if b.vertical}
        if parts.title in vertical:
            completed = complete_title(parts.title, "".join(paragraphs), self.cut)
            if completed != parts.title:
                parts.doubts.append((0.6, f"title completed from the text: OCR read '{parts.title}'"))
                parts.title = completed
            else:
                parts.doubts.append((0.7, "title printed a character a line: the OCR may have lost some"))
        if not parts.title:
            parts.title = derive_title(paragraphs)
            parts.derived_title = True
            parts.doubts.append((0.8, "no headline found: the title is the story's first words"))
        elif raw.headline and all(b.weak for b in raw.headline):
            parts.doubts.append((0.5, "split from the story above with no byline, dateline or heading mark"))
        came = JUMP.match(paragraphs[0]) if paragraphs else None
        if came is not None and came.group(1) in ("上接", "接"):
            parts.doubts.append((0.75, f"the rest of a story from page {came.group(2)}: join it to its start there"))
        goes = _JUMP_AT_END.search(paragraphs[-1]) if paragraphs else None
        if goes is not None and goes.group(1) in ("下转", "转"):
            parts.doubts.append((0.45, f"goes on on page {goes.group(2)}: its rest is an article there"))
        parts.truncated = bool(paragraphs) and not ends_sentence(paragraphs[-1])
        if parts.truncated:
            parts.doubts.append((0.4, "runs off the page edge: text may be lost"))
        if parts.kind == "article" and not parts.derived_title and sum(map(len, paragraphs)) < 80:
            parts.doubts.append((0.3, "shorter than a story under a headline: a subhead taken for one?"))
        return parts

    def _kind(self, raw: RawArticle, parts: Parts) -> None:
        c = parts.credits
        short = len(parts.paragraphs) <= 2 and sum(len(p) for p in parts.paragraphs) <= 300
        photo_mark = any(b.closes_photo for b in raw.body + raw.bylines)
        if _NOTICE.search(parts.title):
            parts.kind = "notice"
        elif parts.paragraphs and (name := signature(parts.paragraphs[-1])):
            parts.kind = "opinion"
            if name not in c.authors:
                c.authors.append(name)
        elif short and not parts.dateline and (photo_mark or raw.bylines or "图为" in "".join(parts.paragraphs)):
            parts.kind = "photo"
        if parts.kind == "photo":
            credited_after = [n for b in raw.bylines if b.closes_photo for n in b.credits.authors]
            c.authors = [n for n in c.authors if n not in credited_after]  # '■ 本报记者 X' under a caption
            for n in [*c.unlabelled, *credited_after]:
                if n not in c.photographers:
                    c.photographers.append(n)
        else:
            c.authors.extend(n for n in c.unlabelled if n not in c.authors)
        c.unlabelled = []




# a subtitle: who attended ('汪洋主持', '胡春华宣读习近平主席贺信并致辞'), a note in brackets
# ('（2019年10月26日…通过）'), or the story's points as bullets
# a second line that sums the story up: who attended, a note, the points, clauses ('…汇报；部署…')
_SUMS_UP = re.compile(r"出席|主持|讲话|致辞|宣读|会见|看望|慰问|^[（(].*[）)]$|^[●■◆]|[；;]")


_DIGIT = re.compile(r"\d")
_JUMP_AT_END = re.compile(rf"(?:{JUMP.pattern})$")
LONG_SECOND = 26  # characters a title under a kicker seldom exceeds; a longer second line is a subtitle
_INTRODUCES = re.compile(r"(?:强调|指出|表示|要求|印发|提出|寄语)[：:]?$")  # a kicker that introduces its title


def _phrases(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A headline's (line, heading level) pairs with a line set mid-phrase joined to the next line of
    its level (clean.headline_phrases, by level)."""
    return [(text, level) for level, run in groupby(lines, key=lambda line: line[1])
            for text in headline_phrases([t for t, _ in run])]


def _cut_phrase(first: str, second: str, own: bool) -> bool:
    """Two headline lines that are one phrase: the first cannot end there, or (unless the lines are
    the headline's `own`) is a quoted name."""
    if first[-1:] in OPEN_END or second[:1] in _CLOSE_START:
        return True
    return not own and (first[-1:] in "”》" or second[:1] in "“《")


def _unquote(text: str) -> str:
    return re.sub(r"[“”\"「」]", "", text)


def spanning_word(left: str, right: str, cut) -> str:
    """The part of `right` that a word begun at the end of `left` takes ('乡村振' + '兴成果' -> '兴')."""
    pos = 0
    for word in cut(left + right):
        if pos < len(left) < pos + len(word):
            return word[len(left) - pos:]
        pos += len(word)
    return ""


def complete_title(title: str, body: str, cut) -> str:
    """A title printed a character a line, with characters the OCR lost restored where the story
    repeats its words: a quoted term the title begins inside ('“村舞”' for '舞解锁…'), and the end of
    a word the title stops inside ('乡村振' -> '乡村振兴'). Unchanged where the text says nothing."""
    terms = Counter(re.findall(r"“([^“”]{2,8})”", body))
    heads = [(k, n, term) for term, n in terms.items() if n >= 2
             for k in range(1, min(len(term), len(title))) if term.endswith(title[:k])]
    out = title
    if heads and not title.startswith(("“", "\"")):
        k, _, term = max(heads)
        out = f"“{term}”{title[k:]}"
    for size in (4, 3, 2):
        tail = title[-size:]
        found = Counter(w for m in re.finditer(re.escape(tail), body)
                        if (w := spanning_word(tail, body[m.end():m.end() + 3], cut)))
        if found:
            out += max(sorted(found), key=lambda w: found[w])
            break
    return out


_LEADING_DATE = re.compile(r"^(图为)?(\d{4}年)?\d{1,2}月\d{1,2}日(上午|下午|晚|晚上)?[，,]\s*")


def derive_title(paragraphs: list[str], limit: int = 40) -> str:
    """A title for a story printed without one: its first sentence, without a leading date or the
    page it is continued from ('（上接第1版）')."""
    if not paragraphs:
        return "（无标题）"
    lead = paragraphs[0]
    came = JUMP.match(lead)
    first = re.split(r"(?<=[。！？])", lead[came.end():].lstrip() if came else lead)[0]
    first = _LEADING_DATE.sub("", first).rstrip("。！？")
    if len(first) > limit:
        cut = max(first.rfind("，", 0, limit), first.rfind("、", 0, limit))
        first = first[:cut] if cut >= 8 else first[:limit]
    return first or "（无标题）"
