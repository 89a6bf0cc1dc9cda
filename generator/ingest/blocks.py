"""A raw page's lines as blocks: paragraph pieces, headings, bylines and headline stacks, split at
blank lines (not the OCR's double spacing), indents, the short and wide lines of a narrow column,
bylines and datelines (pass 1), with repeated blocks and page furniture (running heads, staff lines,
QR prompts) set aside (pass 2). Must stay true: every line of text of the page is in exactly one
block, kept or dropped, and a block's line number is the file's.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from generator.ingest.clean import COLUMN_TAG, OPEN_END, compact, ends_sentence, join_lines, squeeze_spaces
from generator.ingest.people import (DATELINE, Credits, byline, is_box_label, is_picture_source, normalise_roles,
                                     photo_credit, trailing_photographer)

_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_LEAD = re.compile(r"^\s*")
_COLUMNS = {"\t": 4, "\u3000": 2}  # how wide leading white space prints: a tab, an ideographic space
_QR = re.compile(r"扫\s*描.{0,6}二\s*维\s*码|二维码.{0,4}扫")
LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[:：]")  # '截稿时间：…' lines of a notice
_BARE_DATELINE = re.compile(rf"(?:{DATELINE.pattern.lstrip('^')})\s*")  # a dateline with nothing after it
BULLET = re.compile(r"^[■□◆◇●○▲△▶◀►◄]\s*")
REGION_GAP = 3  # this many blank lines separate two regions of the page
# the most a credit wrapped at the column edge carries over: the end of a name, '摄影报道', a source in
# brackets ('报道（影像中国）')
WRAPPED_CREDIT = 16


@dataclass
class Block:
    kind: str  # text | heading | byline | furniture
    lines: list[str]
    line_no: int  # first line in the raw page, 1-based
    level: int = 0  # markdown heading level, 0 when unmarked
    after_blank: bool = True  # a blank line (not only indentation) separates it from the previous block
    gap: int = 1  # blank lines before it; a wide gap (3+) separates regions of the page
    credits: Credits | None = None  # for bylines, and captions ending with a photographer's mark
    closes_photo: bool = False  # a caption that ended with '■ name'
    headline: bool = False
    dateline: bool = False
    indented: bool = False  # its first line starts indented, as the page indents its paragraphs
    indent: int = 0  # columns of white space its first line starts with (a tab is 4, '\u3000' 2)
    run_on: bool = False  # split from the lines above only in case it is a headline: else it goes on
    after_full_line: bool = False  # run on from a line that filled the column: the paragraph may go on
    vertical: bool = False  # a title printed a character a line, joined (the OCR may have lost some)
    stacked: bool = False  # short lines one under another, as a kicker, title and subtitle are printed
    wide: bool = False  # on a page set in a narrow column, a line printed wider than its paragraphs'
    own_lines: bool = False  # the column wraps headlines too and its wraps are joined: each line is the headline's
    weak: bool = False  # a headline with no byline, dateline or mark: the model's word, or a change of subject
    subhead: bool = False  # shaped like a headline, but inside a story

    _made: tuple = field(default=(), repr=False, compare=False)  # (lines, text, compact) last worked out

    @property
    def text(self) -> str:
        return self._texts()[0]

    @property
    def compact(self) -> str:
        return self._texts()[1]

    def _texts(self) -> tuple[str, str]:
        """The block's text, its lines joined, and its compact form: made again only when the lines
        changed since (a block is read far more often than it is built)."""
        lines = tuple(self.lines)
        if not self._made or self._made[0] != lines:
            out = ""
            for line in lines:
                out = join_lines(out, line.strip())
            self._made = (lines, out, compact(out))
        return self._made[1], self._made[2]


@dataclass
class Dropped:
    line_no: int
    reason: str
    text: str


@dataclass
class RawArticle:
    headline: list[Block] = field(default_factory=list)
    bylines: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    line_no: int = 0

    def has_body(self) -> bool:
        return bool(self.body)


def make_blocks(text: str, aside: frozenset[int] = frozenset()) -> list[Block]:
    """The page's blocks; `aside`: indexes of lines to read past (a running head inside the text)."""
    numbered = text.split("\n")
    spacing = _double_spacing(numbered) | aside
    lines = [line for k, line in enumerate(numbered) if k not in spacing]  # (the page's own lines)
    indented = sum(1 for line in lines if line.strip() and indent_width(line) >= 2)
    nonblank = sum(1 for line in lines if line.strip())
    # Indentation marks paragraphs only where some, not all, lines are indented (in a narrow column,
    # long paragraphs indent one line in thirty).
    uses_indent = 0.02 * nonblank < indented < 0.8 * nonblank
    width = _typical_width(lines)
    full = _full_line(lines, nonblank)
    measure = Column(full, full) if full else _ragged_column(lines)  # (the page's column, if narrow)
    # a blank line after most lines: paragraphs a line each, set apart (no wrapped paragraph's lines)
    apart = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and not b.strip()) >= 0.5 * nonblank
    one_per_line = not full and _lines_are_paragraphs(lines)
    paragraph = _paragraph_indent(lines, width)
    column = _column_width(lines, full)

    def centred(line: str) -> bool:  # set in 2+ columns beyond where paragraphs start: a centred headline
        return paragraph > 0 and indent_width(line) > paragraph + 1

    blocks: list[Block] = []
    current: Block | None = None
    blank = True
    gap = 0
    previous = ""  # the last line of text, as printed
    filled = "short"  # how it fills the page's column (_fill)

    def close() -> None:
        nonlocal current
        if current is not None and current.lines:
            blocks.append(current)
        current = None

    for no, raw in enumerate(numbered, start=1):
        if no - 1 in spacing:
            continue
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            close()
            blank = True
            gap += 1
            continue
        heading = _HEADING.match(stripped)
        if heading:
            close()
            blocks.append(Block("heading", [heading.group(2).strip()], no, level=len(heading.group(1)),
                                after_blank=blank, gap=gap))
            blank, gap = False, 0
            continue
        if (current is not None and len(stripped) <= WRAPPED_CREDIT and not blank
                and (current.kind == "byline" or len(current.lines) == 1)):
            # a credit wrapped at the column edge: inside a name ('新华社记者  吴' / '鲁摄'), between
            # two ('本报驻埃及记者  曲翔宇' / '刘慧') or before its source ('张  敏摄影' / '报道（影像中国）')
            last = current.lines[-1].strip()
            tries = (last + stripped, f"{last} {stripped}")
            # (more than a name's end carried over only where the whole is a picture's credit: a byline's
            # names are any few characters, and the first line of a column may follow one)
            joined, whole = next(((c, t) for t in tries if (c := byline(t)) is not None
                                  and (len(stripped) <= 6 or photo_credit(t) is not None)), (None, ""))
            if joined is not None:
                current.lines[-1] = whole
                current.kind = "byline"
                current.credits = byline(" ".join(current.lines)) or joined
                continue
        credits = byline(stripped)
        if credits is not None and current is not None and current.kind == "text" and _left_open(current.lines):
            # (a line that goes on with a sentence or a bracket left open is its text: '春节假期，' /
            # '本报记者走进车站、', '南3月5日电  （' / '记者罗青山、林晓舟' / '）…')
            credits = None
        if credits is not None:
            if current is not None and current.kind == "byline":
                current.lines.append(stripped)
                current.credits.merge(credits)
            else:
                close()
                current = Block("byline", [stripped], no, credits=credits, after_blank=blank, gap=gap)
            blank, gap = False, 0
            continue
        fill = _fill(raw, measure) if measure is not None else ""
        starts_paragraph = (
            current is None
            or current.kind != "text"
            or one_per_line
            or DATELINE.match(normalise_roles(stripped)) is not None
            or (uses_indent and indent_width(line) >= 2
                and not (centred(line) and centred(previous) and not ends_sentence(previous)))
            or _ends_short_paragraph(previous, width)
            or (measure is not None and _column_break(current, previous, filled, stripped, fill, measure))
            or (apart and _heads_so_far(current.lines) and _paragraph_after(current.lines, stripped))  # (run in)
            or (LABEL.match(stripped) is not None and LABEL.match(current.lines[-1]) is not None)
            or _STAFF.match(stripped) is not None or _STAFF.match(current.lines[-1]) is not None
            or is_picture_source(current.lines[-1])  # ('新华社发' under a caption: what follows is not its)
        ) and not (current is not None and current.kind == "text" and stripped[:1] in "（("
                   and _BARE_DATELINE.fullmatch(normalise_roles(current.lines[-1].strip())) is not None)
        # ('据新华社济南3月5日电' / '  （记者…）…': the credit of a dateline wrapped at the column edge)
        # at the margin after a sentence's end, on a page that indents paragraphs: maybe a headline
        at_margin = (uses_indent and not starts_paragraph and indent_width(line) < 2
                     and _ENDS_SENTENCE.search(current.lines[-1]) is not None)
        if starts_paragraph or at_margin:
            close()
            current = Block("text", [], no, after_blank=blank or one_per_line, gap=gap,
                            indent=indent_width(line), run_on=at_margin,
                            after_full_line=at_margin and width <= 40 and len(previous) >= width)
        current.lines.append(stripped)
        current.wide = current.wide or fill == "wide"
        previous = line  # (as printed: a paragraph's first line fills the column with its indent)
        filled = fill
        blank, gap = False, 0
        photo = trailing_photographer(stripped)
        if photo is not None:
            current.lines[-1] = photo[0]
            current.credits = photo[1]
            current.closes_photo = True
            close()
    close()
    for b in blocks:
        if b.kind == "text":
            # (a dateline may be wrapped at the column edge: '据新华社伦敦2月12日' / '电  （记者…）')
            b.dateline = DATELINE.match(normalise_roles("".join(line.strip() for line in b.lines[:2]))) is not None
            b.stacked = _is_stack(b.lines, width, b.wide)
            lines = _unwrapped(b.lines, column) if column and not b.indent else b.lines
            b.own_lines = bool(column) and not b.indent
            if lines != b.lines:  # a headline, or a stack of them, whose long lines the column wrapped
                if _short_lines(lines):
                    b.lines, b.stacked = lines, True
                elif _one_headline_line(lines):
                    b.lines, b.stacked = lines, False
            elif full and not column and not uses_indent and not b.stacked:
                # (where headlines print wider than a column that does not indent, a short line wrapped
                # at its edge is one line of a subhead, not a stack: '扭住精准，确保打赢脱贫攻坚' / '战')
                lines = _unwrapped(b.lines, full)
                if _one_headline_line(lines):
                    b.lines = lines
    for b in blocks:
        b.indented = b.indent >= 2 and not (paragraph and b.indent > paragraph + 1)
    return blocks


@dataclass(frozen=True)
class Column:
    """The lines of a paragraph in a page's narrow column, but its last: from `full` long up to `wide`.
    Where the page wraps at a fixed count of characters both are that count; where the lines vary, as
    a printed column's OCR does, they are measured as printed and `full` is 0: a short line is not
    told from theirs."""
    full: int
    wide: float

    @property
    def exact(self) -> bool:
        return self.full > 0


def _printed_width(text: str) -> float:
    """How many characters wide a text prints: a half-width figure, letter or mark is half of one."""
    return len(text) - 0.5 * sum(1 for ch in text if ch < "\x7f")


def _ragged_column(lines: list[str]) -> Column | None:
    """The column of a page set in one narrow column whose lines vary in length: as wide as most lines
    that go on to the next print (the widest 5 % aside), and two characters more. None where most
    do not share a width."""
    inner = [_printed_width(a.rstrip()) for a, b in zip(lines, lines[1:])
             if b.strip() and len(a.strip()) >= 6 and not ends_sentence(a.strip())]
    if len(inner) < 20:
        return None
    middle = statistics.median(inner)
    near = sorted(n for n in inner if abs(n - middle) <= max(2, 0.15 * middle))
    if middle > 40 or len(near) < 0.8 * len(inner):
        return None
    return Column(0, near[-1 - len(near) // 20] + 2)


def _fill(line: str, column: Column) -> str:
    """How a line fills the page's column: 'wide' (its text is longer than a paragraph's lines are),
    'full' (with its indent and any white space the OCR left, it is as long as they are) or 'short'."""
    text = line.strip()
    if (len(text) if column.exact else _printed_width(text)) > column.wide:
        return "wide"
    return "full" if len(line.rstrip("\r\n")) >= column.full else "short"


def _column_break(current: Block, previous: str, filled: str, line: str, fill: str, column: Column) -> bool:
    """Whether `line`, that fills its column so (_fill), starts a block under `previous`, filled so, on
    a page set in a narrow column. There no line of a paragraph is wide: a wide line, a headline's,
    goes on only a stack of headline lines at the margin, and under it a line of running text starts
    the story. Where the column is exact, only a paragraph's last line is short: a line that is not
    full ends its paragraph, and a short headline line goes on only with such a stack."""
    stack = (current.kind == "text" and not current.indent and _heads_so_far(current.lines)
             and not ends_sentence(previous.strip()))
    if fill == "wide":
        return not (stack and filled != "full")
    if not column.exact:
        return filled == "wide" and _STOPS.search(line) is not None
    return filled != "full" and not (stack and fill == "short")


def _left_open(lines: list[str]) -> bool:
    """Whether a paragraph's lines so far stop where a sentence cannot, or leave a bracket open: the
    next line goes on with them ('，', '、', '的' at the end; '…电  （' with its names to come)."""
    text = "".join(lines).rstrip()
    return text[-1:] in OPEN_END or text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _full_line(lines: list[str], nonblank: int) -> int:
    """The length of a full line where a page is wrapped at a fixed count of characters: most lines
    at the margin have it, and they are a good share of all. 0 where their lengths vary, as the OCR
    of a printed column's do, or where the lines at the margin are a few headlines."""
    widths = Counter(len(line.strip()) for line in lines if len(line.strip()) >= 6 and indent_width(line) == 0)
    if not widths:
        return 0
    width, count = widths.most_common(1)[0]
    return width if count >= 0.5 * widths.total() and count >= 0.3 * nonblank else 0


def _column_width(lines: list[str], full: int) -> int:
    """The full line's length where the page wraps its headlines too: no line is longer."""
    return full if full and not any(len(line.strip()) > full for line in lines) else 0


def _unwrapped(lines: list[str], width: int) -> list[str]:
    """Lines exactly as long as a full line joined to the line after them: a hard-wrapped headline's
    (not to a line led by a dash: a subtitle starts its own, '——写在…之际')."""
    out: list[str] = []
    carry = False
    for line in lines:
        if carry and not line.startswith(("——", "－－")):
            out[-1] = join_lines(out[-1], line)
        else:
            out.append(line)
        carry = len(line) == width
    return out


def indent_width(line: str) -> int:
    """Columns of white space a line starts with."""
    return sum(_COLUMNS.get(c, 1) for c in _LEAD.match(line).group())


def _paragraph_indent(lines: list[str], width: int) -> int:
    """The indent the page's paragraphs start with, in columns: the commonest of its long lines' (0
    if they are not indented; a long line fills a narrow column). A line set in two columns or more
    further (a headline centred over its column) is no paragraph's first line, and a block starting
    with it is not indented (one column more may be a stray space the OCR put before a paragraph)."""
    long = min(40, max(8, int(0.8 * width)))
    widths = Counter(w for line in lines if len(line.strip()) >= long and (w := indent_width(line)) >= 2)
    return widths.most_common(1)[0][0] if widths else 0


# a line that closes a sentence ('…开幕。', '…他说。”'); a headline may end '！', '？' or on a quote
# (and a line that ends one: a quote closes a sentence only after its mark, not '…“海绵垫”')
_ENDS_SENTENCE = re.compile(r"(?:[。！？!?…；;][”’」』\"]*|[）)])\s*$")
_CLOSES_SENTENCE = re.compile(r"[。；;…][”’」』）)]*\s*$")


def _heads_so_far(lines: list[str]) -> bool:
    """Up to three short lines, none ending a sentence: a headline stack so far. On a page of
    paragraphs set apart by blank lines, a paragraph's line right under it starts the story
    (see _paragraph_after)."""
    return len(lines) <= 3 and not any(len(line) > STACKED_LINE or _CLOSES_SENTENCE.search(line) for line in lines)


def _paragraph_after(lines: list[str], line: str) -> bool:
    """A line too long for the stack above it, a sentence of 20 characters or more, longer than any
    of its lines, or one a full stop closes under a stack not led by a bullet (not the end of a
    wrapped notice: '◀ 扫描' / '二维码, 进入大众日报' / '客户端, 查看详细内容。'); or a box's label
    under the headline ('核心阅读')."""
    return (len(line) > STACKED_LINE or is_box_label(line)
            or (_CLOSES_SENTENCE.search(line) is not None
                and ((len(line) >= 20 and len(line) > max(len(x) for x in lines))
                     or (line.rstrip().endswith("。") and len(line) >= 8 and not BULLET.match(lines[0])))))


def _short_lines(lines: list[str]) -> bool:
    """Two to four short lines, none ending a sentence."""
    return 2 <= len(lines) <= 4 and not any(
        len(line) > STACKED_LINE or _CLOSES_SENTENCE.search(COLUMN_TAG.sub("", line)) for line in lines)


def _one_headline_line(lines: list[str]) -> bool:
    """One line, no longer than a stack's lines, closing no sentence."""
    return len(lines) == 1 and len(lines[0]) <= STACKED_LINE and not _CLOSES_SENTENCE.search(lines[0])


def _is_stack(lines: list[str], width: int, wide: bool) -> bool:
    """Two to four short lines, none ending a sentence, not a paragraph wrapped at the column width:
    a kicker, title and subtitle printed one under another. In a narrow column no line of a paragraph
    is wide (`wide`: a line of them prints wider than the column's paragraphs, Block.wide)."""
    if not _short_lines(lines):
        return False
    # (a wrapped paragraph's lines fill the column, its last may be shorter, and none is longer)
    slack = max(2, 0.2 * width)
    return (width > 40 or any(abs(len(line) - width) > slack for line in lines[:-1])
            or len(lines[-1]) > width + slack
            or wide)


def page_blocks(text: str, boundary_score) -> tuple[list[Block], list[Dropped]]:
    """Passes 1 and 2: a page's blocks, and what was set aside (duplicates and furniture, in line
    order), with vertical titles joined. Ingest and the headline model's training both start here."""
    lines = text.split("\n")
    heads = _running_head_lines(lines)
    blocks = make_blocks(text, heads)
    blocks, duplicates = drop_duplicates(blocks, boundary_score)
    blocks, furniture = drop_furniture(blocks)
    inside = [Dropped(k + 1, "page furniture", lines[k].strip()) for k in sorted(heads)]
    return merge_vertical_titles(blocks), inside + duplicates + furniture


def _running_head_lines(lines: list[str]) -> frozenset[int]:
    """The lines of a running head the OCR put inside the text (read out of order): up to three
    lines, each a part of one ('人民日报' / '2019年10月5日  星期六' / '第5版'), with text above or below
    them, no blank line between. The text goes on across them. (Set apart by blank lines, they are a
    block of furniture.)"""
    out: set[int] = set()
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and j - k < 3 and lines[j].strip() and _RUNNING_HEAD_PART.fullmatch(squeeze_spaces(lines[j])):
            j += 1
        touches = (k > 0 and lines[k - 1].strip()) or (j < len(lines) and lines[j].strip())
        if j > k and touches and _running_head(lines[k:j]):
            out.update(range(k, j))
        k = max(j, k + 1)
    return frozenset(out)


_STOPS = re.compile(r"[，。、；：,;:]")


def _double_spacing(lines: list[str]) -> set[int]:
    """The blank lines an OCR tool put after every line of a column (a blank line between paragraphs
    a line each is the page's own): one after each line of text, where nearly every line has one and
    the lines are a narrow column's of running text, most stopping mid-sentence. A wider gap keeps a
    blank line."""
    text = [k for k, line in enumerate(lines) if line.strip()]
    after = [k + 1 for k in text if k + 1 < len(lines) and not lines[k + 1].strip()]
    ends = [ends_sentence(lines[k]) for k in text if len(lines[k].strip()) >= 10]
    if (len(text) < 6 or len(after) < 0.9 * len(text) or not ends or sum(ends) > 0.3 * len(ends)
            or _typical_width([lines[k] for k in text]) > 40
            or sum(1 for k in text if _STOPS.search(lines[k])) < 0.4 * len(text)):  # (not a list's lines)
        return set()
    return set(after)


def _lines_are_paragraphs(lines: list[str]) -> bool:
    """A page printed one paragraph a line: the lines that run on into the next one mostly end a
    sentence (in hard-wrapped columns they mostly stop mid-sentence)."""
    ends = [ends_sentence(a) for a, b in zip(lines, lines[1:]) if len(a.strip()) >= 10 and b.strip()]
    return len(ends) >= 3 and sum(ends) >= 0.6 * len(ends)


def _typical_width(lines: list[str]) -> int:
    lengths = [len(line.strip()) for line in lines if len(line.strip()) >= 6]
    return int(statistics.median(lengths)) if lengths else 0


def _ends_short_paragraph(previous: str, width: int) -> bool:
    """In hard-wrapped columns, a line ending a sentence well short of the column width ends a paragraph.
    The line is measured as printed, its indent too: a subhead's first line that fills the column with
    its indent ('    新型职业农民“新”' / '在哪？') goes on."""
    return width <= 40 and ends_sentence(previous.strip()) and len(previous.rstrip()) < 0.7 * width


def drop_duplicates(blocks: list[Block], boundary_score) -> tuple[list[Block], list[Dropped]]:
    """Set aside text the layout printed twice; keep the copy in its right place.

    A block whose text stands inside a longer block is a stray copy. Of identical
    blocks, the one that best continues the text before it is kept.
    """
    texts = [b.compact if b.kind == "text" else "" for b in blocks]
    drop: set[int] = set()
    for i, t in enumerate(texts):
        if len(t) < 12 or not _sentence_like(t):
            continue
        for j, other in enumerate(texts):
            if i != j and len(other) > len(t) and t in other:
                drop.add(i)
                break
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        if len(t) >= 12 and _sentence_like(t) and i not in drop:
            groups.setdefault(t, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        def score(i: int) -> tuple:
            prev = next((blocks[k] for k in range(i - 1, -1, -1) if k not in drop and blocks[k].kind == "text"), None)
            return (boundary_score(prev.text, blocks[i].text) if prev is not None and not ends_sentence(prev.text) else 0, i)
        keep = max(members, key=score)
        drop.update(m for m in members if m != keep)
    kept = [b for i, b in enumerate(blocks) if i not in drop]
    dropped = [Dropped(blocks[i].line_no, "duplicate", blocks[i].text) for i in sorted(drop)]
    return kept, dropped


def _sentence_like(text: str) -> bool:
    """Body text, not a headline: headlines repeat in the text they head and must stay."""
    return len(text) >= 30 or any(ch in text for ch in "，。；、")


def drop_furniture(blocks: list[Block]) -> tuple[list[Block], list[Dropped]]:
    """QR-code prompts and infographic fragments are not articles: set them aside. A fragment is a
    bullet's few words with no sentence in them ('■ 深入实施 工程'); a bullet that says something
    ('■到今年底，…'), leads a headline or stands alone (a subhead, '●信息化建设推动智慧法院跃升'), is text."""
    kept: list[Block] = []
    dropped: list[Dropped] = []
    bullets = [b.kind == "text" and BULLET.match(b.lines[0]) is not None and _is_fragment(b) for b in blocks]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        reason = page_furniture(b, i, len(blocks))
        if reason:
            dropped.append(Dropped(b.line_no, reason, b.text))
            i += 1
            continue
        if b.kind == "text" and _QR.search(b.text) and len(squeeze_spaces(b.text)) <= 40:
            dropped.append(Dropped(b.line_no, "QR-code prompt", b.text))
            i += 1
            continue
        if bullets[i]:
            # a run of bullet fragments, with the short captions between them
            j = i
            while j < len(blocks) and (bullets[j] or (blocks[j].kind in ("text", "heading") and _is_fragment(blocks[j]))):
                j += 1
            run = blocks[i:j]
            if sum(bullets[i:j]) >= 2:
                dropped.extend(Dropped(x.line_no, "infographic fragment", x.text) for x in run)
                i = j
                continue
        kept.append(b)
        i += 1
    return kept, dropped


# Who made the page, not an article: '本版责编：X', '版式设计：X', '本版制图：X', '组版：X', '校对：X'.
_STAFF = re.compile(r"^(?:(?:本版|本期)(?:责编|编辑|主编|统筹|制图|设计)|责编|责任编辑|编辑|主编|版式设计|版式|美编|美术编辑|"
                    r"组版|排版|责任校对|校对|审读|图表制作|制图)\s*[:：]")


# The page's running head: '人民日报 2020年1月8日 星期三 第4版', '第4版：要闻'.
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_PAGE_HEAD = re.compile(rf"{_DATE}.{{0,16}}星期[一二三四五六日天]|"
                        r"^第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版|星期[一二三四五六日天].{0,16}第\s*\d{1,3}\s*版")


# The parts of a running head, each a line of its own wherever the OCR put it: a paper's name, the
# date with its weekday, the page ('人民日报' / '2019年10月5日  星期六' / '第5版：要闻'). A date with no
# weekday goes only with a name or a page: alone it may be a letter's.
_MASTHEAD = r"[\u4e00-\u9fff]{2,8}(?:日报|晚报|晨报|时报|商报|周报)"
_PAGE_NO = r"第\s*[0-9０-９]{1,3}\s*版(?:\s*[:：]\s*[\u4e00-\u9fff]{2,6})?"
_RUNNING_HEAD_PART = re.compile(rf"(?:{_MASTHEAD}\s*)?(?:{_DATE}\s*(?:星期[一二三四五六日天])?\s*)?(?:{_PAGE_NO})?")
_WEEKDAY_DATE = re.compile(rf"{_DATE}\s*星期[一二三四五六日天]")


def _running_head(lines: list[str]) -> bool:
    parts = [squeeze_spaces(line) for line in lines]
    return (all(p and _RUNNING_HEAD_PART.fullmatch(p) for p in parts)
            and any(re.fullmatch(_MASTHEAD, p) or re.search(_PAGE_NO, p) or _WEEKDAY_DATE.search(p) for p in parts))


def page_furniture(b: Block, i: int, n: int) -> str:
    """Why a block is the page's furniture (running head, staff credits), or ''."""
    text = squeeze_spaces(b.text)
    if b.kind == "heading" and b.level or len(text) > 60:
        return ""
    if _STAFF.match(text) and len(text) <= 40:
        return "page furniture"
    if (i < 3 or i >= n - 3) and _PAGE_HEAD.search(text) and not ends_sentence(text):
        return "page furniture"
    if b.kind == "text" and len(b.lines) <= 3 and _running_head(b.lines):
        return "page furniture"
    return ""


def _is_fragment(b: Block) -> bool:
    text = squeeze_spaces(b.text)
    return len(text) <= 20 and not any(ch in text for ch in "，。；！？")


def merge_vertical_titles(blocks: list[Block]) -> list[Block]:
    """A title printed one character per line comes as a run of one- or two-character blocks."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].kind == "text" and len(blocks[j].text.strip()) <= 2:
            j += 1
        if j - i >= 3:
            merged = Block("text", ["".join(b.text.strip() for b in blocks[i:j])], blocks[i].line_no,
                           headline=True, vertical=True)
            out.append(merged)
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


STACKED_LINE = 60  # characters a line of a headline stack has at most (a subtitle that sums up the story)
