"""Ingest on real pages it was not tuned on, scored against the articles the pages were made from.

DUMP is a folder of one-file-per-article text (`YYYYMMDD-PP-NN.txt`: line 1 kicker, 2 title,
3 subtitle, then paragraphs), or of the monthly 7z archives holding such files. The articles of one
printed page are laid out again as the raw page an OCR tool would give, in each layout below, and
ingested; each output article is then matched to the real ones by the text it holds. LAYOUTS are the
issue's; VARIANTS lay the same conventions out as another hand might. The headline model trains on
three of them (scripts/train_headlines.py) and never sees the others.

    python benchmarks/ingest_eval.py /work/dump --months 2020-02 --pages 150 --seed 1

A dump in this form: the GitHub repository caspiankexin/people-daily-crawler-date, whose history
(from commit d3f8f14) holds monthly 7z archives of 人民日报. Development used 2019-02, 2019-10 and
2020-02 only. The text is copyrighted: nothing read or made here is written anywhere but to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.analysis.classify import PlaceIndex  # noqa: E402
from generator.config import Paper, load_config  # noqa: E402
from generator.ingest.pipeline import make_assembler, page_articles  # noqa: E402
from generator.ingest.manifest import PageMeta  # noqa: E402
from generator.ingest.read import decode_raw  # noqa: E402

PAPER = Paper(name="人民日报", slug="rmrb", short="人民", cues=[])
_NAME_FILE = re.compile(r"(\d{8})-(\d{2})-(\d{2})\.txt$")
_SPACE = " \t\u3000\u00a0\u2002\u2003"


@dataclass(frozen=True)
class TrueArticle:
    """One article of the dump, as its publisher split it."""
    key: str  # YYYYMMDD-PP-NN
    kicker: str
    title: str
    subtitle: str
    paragraphs: tuple[str, ...]
    reporters: tuple[str, ...]  # named in its dateline's credit ('（记者X、Y）')
    dateline: str  # the place of '本报X…电' / '新华社X…电'


@dataclass(frozen=True)
class TruePage:
    date: dt.date
    page: int
    articles: tuple[TrueArticle, ...]


# -- reading the dump ---------------------------------------------------------

_DATELINE = re.compile(r"^(?:据)?(?:本报|新华社|人民日报|中新社)([\u4e00-\u9fff]{1,8}?)(?:\d{1,2}月\d{1,2}日)?电")
_CREDIT = re.compile(r"^[^（(]{0,30}?电[\s\u00a0\u3000]*[（(](?:本报)?记者([^）)]{2,40})[）)]")


def parse_article(key: str, text: str) -> TrueArticle | None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines += [""] * (3 - len(lines))
    kicker, title, subtitle = (line.strip(_SPACE) for line in lines[:3])
    paragraphs = tuple(p for p in (line.strip(_SPACE) for line in lines[3:]) if p)
    body = "".join(paragraphs)
    if not title or len(body) < 20 or len(paragraphs) > 400:
        return None  # a picture page, an empty slot or a table of contents: no article to find
    reporters: tuple[str, ...] = ()
    dateline = ""
    first = paragraphs[0]
    m = _DATELINE.match(first)
    if m:
        dateline = m.group(1)
    c = _CREDIT.match(first)
    if c:
        names = [n for n in re.split(r"[、，,\s\u00a0\u3000]+", c.group(1)) if n]
        if all(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", n) for n in names):
            reporters = tuple(names)
    return TrueArticle(key, kicker, title, subtitle, paragraphs, reporters, dateline)


def read_dump(folder: Path, months: set[str]) -> list[TruePage]:
    """The dump's pages of the given months (YYYY-MM), each with its articles in printed order."""
    texts: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".txt" and (m := _NAME_FILE.search(path.name)):
            if f"{m.group(1)[:4]}-{m.group(1)[4:6]}" in months:
                texts[path.name[:-4]] = path.read_bytes().decode("utf-8", errors="replace")
        elif path.suffix == ".7z":
            texts.update(_from_archive(path, months))
    by_page: dict[tuple[str, int], list[TrueArticle]] = defaultdict(list)
    for key in sorted(texts):
        article = parse_article(key, texts[key])
        if article is not None:
            by_page[(key[:8], int(key[9:11]))].append(article)
    return [TruePage(dt.date(int(d[:4]), int(d[4:6]), int(d[6:])), p, tuple(arts))
            for (d, p), arts in sorted(by_page.items())]


def _from_archive(path: Path, months: set[str]) -> dict[str, str]:
    import tempfile

    import py7zr  # only for a dump kept as its 7z archives
    out = {}
    with py7zr.SevenZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        names = [n for n in archive.getnames() if (m := _NAME_FILE.search(n))
                 and f"{m.group(1)[:4]}-{m.group(1)[4:6]}" in months]
        if names:
            archive.extract(path=tmp, targets=names)
            for name in names:
                out[Path(name).name[:-4]] = (Path(tmp) / name).read_bytes().decode("utf-8", errors="replace")
    return out


# -- laying a page out --------------------------------------------------------

WEEKDAYS = "一二三四五六日"


Line = tuple[str, str]  # a line of the page and what it is: head (kicker, title, subtitle), body, furniture, ''
Layout = Callable[[TruePage, random.Random], list[Line]]  # (the page, the layout's own random draws)


def header(page: TruePage) -> list[Line]:
    d = page.date
    return [(f"{PAPER.name}  {d.year}年{d.month}月{d.day}日  星期{WEEKDAYS[d.weekday()]}  第{page.page}版", "furniture")]


def footer(rng: random.Random) -> list[Line]:
    names = ["王小明", "李华", "张伟", "刘洋", "陈静", "杨帆"]
    return [("", ""), (f"本版责编：{rng.choice(names)}  {rng.choice(names)}", "furniture")]


def headline_lines(a: TrueArticle) -> list[tuple[str, str]]:
    return [(role, text) for role, text in (("kicker", a.kicker), ("title", a.title), ("subtitle", a.subtitle)) if text]


def heads(a: TrueArticle, mark: dict[str, str] | None = None) -> list[Line]:
    return [(f"{mark[role]} {text}" if mark else text, "head") for role, text in headline_lines(a)]


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    text = indent + text
    return [text[i:i + width] for i in range(0, len(text), width)]


BLANK: Line = ("", "")


def layout_markdown(page: TruePage, rng: random.Random) -> list[Line]:
    out: list[Line] = []
    for a in page.articles:
        out += heads(a, {"kicker": "###", "title": "#", "subtitle": "####"}) + [BLANK]
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
        out += [BLANK]
    return out


def layout_plain(page: TruePage, rng: random.Random) -> list[Line]:
    out: list[Line] = []
    for a in page.articles:
        out += heads(a) + [BLANK]
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
    return out


def indent(rng: random.Random) -> str:
    """How a page indents its paragraphs: two ideographic spaces mostly, else ASCII spaces."""
    return rng.choice(["\u3000\u3000", "\u3000\u3000", "\u3000\u3000", "    ", "  "])


def layout_wrapped(page: TruePage, rng: random.Random, width: int = 13) -> list[Line]:
    out: list[Line] = []
    first = indent(rng)
    for a in page.articles:
        if rng.random() < 0.5:
            out.append(BLANK)
        out += heads(a)
        for p in a.paragraphs:
            out += [(line, "body") for line in wrap(p, width, first)]
    return out


def layout_indented(page: TruePage, rng: random.Random) -> list[Line]:
    out: list[Line] = []
    first = indent(rng)
    gap = rng.random() < 0.3  # some pages leave a blank line between stories
    for k, a in enumerate(page.articles):
        if gap and k:
            out.append(BLANK)
        out += heads(a) + [(first + p, "body") for p in a.paragraphs]
    return out


def layout_bylines(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain lines, with the credit of a story's dateline printed as a byline under its headline
    ('□本报记者 张三 李四', '本报记者  张三'), as local papers print it."""
    out: list[Line] = []
    mark = rng.choice(["□", "■ ", ""])
    for a in page.articles:
        out += heads(a) + [BLANK]
        paragraphs = list(a.paragraphs)
        credit = _CREDIT.match(paragraphs[0]) if a.reporters else None
        if credit:
            out += [(f"{mark}本报记者 {' '.join(a.reporters)}", "byline"), BLANK]
            lead = _DATELINE.match(paragraphs[0])
            paragraphs[0] = (lead.group(0) if lead else "") + " " + paragraphs[0][credit.end():].lstrip()
        for p in paragraphs:
            out += [(p, "body"), BLANK]
    return out


def layout_credits_end(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain lines, with the reporters of a story's dateline named in brackets at its end instead
    ('（记者 张三 李四）', '（本报记者张三、李四）'), as many stories close."""
    out: list[Line] = []
    for a in page.articles:
        out += heads(a) + [BLANK]
        paragraphs = list(a.paragraphs)
        credit = _CREDIT.match(paragraphs[0]) if a.reporters else None
        if credit:
            lead = _DATELINE.match(paragraphs[0])
            paragraphs[0] = (lead.group(0) if lead else "") + paragraphs[0][credit.end():].lstrip()
            names = rng.choice([f"记者 {' '.join(a.reporters)}", f"本报记者{'、'.join(a.reporters)}"])
            paragraphs.append(f"（{names}）")
        for p in paragraphs:
            out += [(p, "body"), BLANK]
    return out


_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?", "“": '"', "”": '"'})


def layout_half_width(page: TruePage, rng: random.Random) -> list[Line]:
    return [(text.translate(_HALF), role) for text, role in layout_plain(page, rng)]


_FULL = str.maketrans({**{chr(0x30 + k): chr(0xFF10 + k) for k in range(10)},
                       **{chr(0x41 + k): chr(0xFF21 + k) for k in range(26)},
                       **{chr(0x61 + k): chr(0xFF41 + k) for k in range(26)}, "%": "％"})


def layout_full_width(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain, with figures and Latin letters full-width, as many OCR tools give them ('２０１９年')."""
    return [(text.translate(_FULL), role) for text, role in layout_plain(page, rng)]


def layout_ocr_spaces(page: TruePage, rng: random.Random) -> list[Line]:
    """Printed lines of 14-22 characters joined back into paragraphs with a space at each join."""
    out: list[Line] = []
    for a in page.articles:
        out += heads(a) + [BLANK]
        width = rng.randint(14, 22)
        for p in a.paragraphs:
            out += [(" ".join(wrap(p, width)), "body"), BLANK]
    return out


def layout_gb18030_crlf(page: TruePage, rng: random.Random) -> list[Line]:
    lines = layout_indented(page, rng)
    text = "\r\n".join(text for text, _ in lines)
    decoded = decode_raw(text.encode("gb18030", errors="replace"), "page").split("\n")  # as ingest reads it
    return list(zip(decoded, (role for _, role in lines)))


def layout_furniture(page: TruePage, rng: random.Random) -> list[Line]:
    return [*header(page), BLANK, *layout_plain(page, rng), *footer(rng)]


def lay_out(layout: str, page: TruePage, rng: random.Random) -> tuple[str, list[str]]:
    """The raw page of `page` in a layout, and what each of its lines is."""
    lines = ALL_LAYOUTS[layout](page, rng)
    return "\n".join(text for text, _ in lines), [role for _, role in lines]


LAYOUTS = {
    "markdown": layout_markdown,
    "plain": layout_plain,
    "wrapped": layout_wrapped,
    "indented": layout_indented,
    "half-width": layout_half_width,
    "ocr-spaces": layout_ocr_spaces,
    "gb18030-crlf": layout_gb18030_crlf,
    "furniture": layout_furniture,
    "bylines": layout_bylines,
}


# The same conventions as another hand would lay them out. Those the headline model never trains on
# (all but heads-run-in, heads-spaced and wrapped-heads) measure ingest on layouts it never saw.


def layout_centred_heads(page: TruePage, rng: random.Random) -> list[Line]:
    """Paragraphs a line each and indented; headlines centred, set in further than a paragraph."""
    first = indent(rng)
    out: list[Line] = []
    for a in page.articles:
        out += [(rng.choice([" " * rng.randint(6, 16), "\u3000" * rng.randint(3, 8)]) + text, role)
                for text, role in heads(a)]
        out += [(first + p, "body") for p in a.paragraphs]
    return out


def layout_tab_indent(page: TruePage, rng: random.Random) -> list[Line]:
    """Paragraphs a line each, indented with a tab."""
    out: list[Line] = []
    for a in page.articles:
        out += heads(a) + [("\t" + p, "body") for p in a.paragraphs]
    return out


def layout_heads_run_in(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain, with no blank line between the headlines and the story."""
    out: list[Line] = []
    for a in page.articles:
        out += heads(a)
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
    return out


def layout_heads_spaced(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain, with a blank line after each headline line too."""
    out: list[Line] = []
    for a in page.articles:
        for line in heads(a):
            out += [line, BLANK]
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
    return out


_PHRASE_END = re.compile(r"[ \u3000]+|[，：、]|——")


def layout_heads_broken(page: TruePage, rng: random.Random) -> list[Line]:
    """Plain, with half the headline lines longer than 12 characters set on two lines where a phrase
    ends (after a comma, a colon or a space, or before a column tag), as a headline's box sets them."""
    out: list[Line] = []
    for a in page.articles:
        for text, role in heads(a):
            cuts = [m.end() for m in _PHRASE_END.finditer(text) if 4 <= m.end() <= len(text) - 3]
            cuts += [m.start() for m in re.finditer(r"[（(]", text) if m.start() >= 4]
            if len(text) > 12 and cuts and rng.random() < 0.5:
                k = rng.choice(sorted(cuts))
                out += [(text[:k].strip(), role), (text[k:].strip(), role)]
            else:
                out.append((text, role))
        out.append(BLANK)
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
    return out


def layout_head_inside(page: TruePage, rng: random.Random, base: Layout = layout_wrapped) -> list[Line]:
    """Column-wrapped (or another `base` layout), with the running head's parts on lines of their own
    between two lines of the page, where an OCR tool that read the columns out of order puts it."""
    lines = base(page, rng)
    d = page.date
    head = [(PAPER.name, "furniture"), (f"{d.year}年{d.month}月{d.day}日  星期{WEEKDAYS[d.weekday()]}", "furniture"),
            (f"第{page.page}版", "furniture")]
    k = rng.randrange(len(lines) // 3, 2 * len(lines) // 3 + 1)
    return lines[:k] + head + lines[k:]


def layout_wrapped_heads(page: TruePage, rng: random.Random) -> list[Line]:
    """Column-wrapped at 13 characters, headlines wrapped with the column."""
    out: list[Line] = []
    first = indent(rng)
    for a in page.articles:
        if rng.random() < 0.5:
            out.append(BLANK)
        for text, role in heads(a):
            out += [(line, role) for line in wrap(text, 13)]
        for p in a.paragraphs:
            out += [(line, "body") for line in wrap(p, 13, first)]
    return out


def layout_ragged(page: TruePage, rng: random.Random, flush: bool = False) -> list[Line]:
    """Column-wrapped as a printed column's OCR gives it: 11 to 14 characters a line, not one count;
    `flush`: the indents lost too."""
    out: list[Line] = []
    first = "" if flush else indent(rng)
    for a in page.articles:
        if rng.random() < 0.5:
            out.append(BLANK)
        out += heads(a)
        for p in a.paragraphs:
            text, k = first + p, 0
            while k < len(text):
                width = rng.randint(11, 14)
                out.append((text[k:k + width], "body"))
                k += width
    return out


def layout_flush(page: TruePage, rng: random.Random) -> list[Line]:
    """Column-wrapped at 13 characters, the indents lost: a paragraph ends where a line falls short."""
    out: list[Line] = []
    for a in page.articles:
        if rng.random() < 0.5:
            out.append(BLANK)
        out += heads(a)
        for p in a.paragraphs:
            out += [(line, "body") for line in wrap(p, 13)]
    return out


def layout_double_spaced(page: TruePage, rng: random.Random) -> list[Line]:
    """Column-wrapped, and a blank line after every line (two where the page has one)."""
    out: list[Line] = []
    for line in layout_wrapped(page, rng):
        out += [line, BLANK] if line[0] else [BLANK]
    return out


def layout_headings_some(page: TruePage, rng: random.Random) -> list[Line]:
    """Markdown, as a tool that marks only the bigger type gives it: about half the stories' headlines
    marked as headings, the others plain lines."""
    out: list[Line] = []
    for a in page.articles:
        marks = {"kicker": "###", "title": "#", "subtitle": "####"} if rng.random() < 0.5 else None
        out += heads(a, marks) + [BLANK]
        for p in a.paragraphs:
            out += [(p, "body"), BLANK]
    return out


VARIANTS = {
    "centred-heads": layout_centred_heads,
    "tab-indent": layout_tab_indent,
    "heads-run-in": layout_heads_run_in,
    "heads-spaced": layout_heads_spaced,
    "wrapped-heads": layout_wrapped_heads,
    "wrapped-9": lambda page, rng: layout_wrapped(page, rng, 9),
    "wrapped-18": lambda page, rng: layout_wrapped(page, rng, 18),
    "ragged": layout_ragged,
    "flush": layout_flush,
    "double-spaced": layout_double_spaced,
    "ragged-flush": lambda page, rng: layout_ragged(page, rng, flush=True),
    "full-width": layout_full_width,
    "heads-broken": layout_heads_broken,
    "head-inside": layout_head_inside,
    "head-inside-plain": lambda page, rng: layout_head_inside(page, rng, layout_plain),
    "credits-end": layout_credits_end,
    "headings-some": layout_headings_some,
}
ALL_LAYOUTS = {**LAYOUTS, **VARIANTS}


# -- scoring --------------------------------------------------------------------

_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
SHINGLE = 6


def letters(text: str) -> str:
    """Text without spaces and punctuation: what survives any layout and cleaning."""
    return "".join(_KEEP.findall(text))


def shingles(text: str) -> set[str]:
    t = letters(text)
    return {t[i:i + SHINGLE] for i in range(max(len(t) - SHINGLE + 1, 1))} if t else set()


def norm_title(text: str) -> str:
    return re.sub(rf"[{_SPACE}]", "", text.translate(_HALF)).replace("——", "—")


@dataclass
class Score:
    pages: int = 0
    true: int = 0
    output: int = 0
    whole: int = 0  # real articles some output article is, whole and alone
    exact: int = 0  # output articles that are one whole real article
    titles: int = 0
    reporters_true: int = 0
    reporters_found: int = 0
    datelines_true: int = 0
    datelines_found: int = 0
    ms: list[float] = field(default_factory=list)
    misses: Counter = field(default_factory=Counter)

    def add(self, other: "Score") -> None:
        for k in ("pages", "true", "output", "whole", "exact", "titles", "reporters_true", "reporters_found",
                  "datelines_true", "datelines_found"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.ms += other.ms
        self.misses.update(other.misses)

    def row(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else float("nan")
        return {"whole": ratio(self.whole, self.true), "precision": ratio(self.exact, self.output),
                "titles": ratio(self.titles, self.whole), "reporters": ratio(self.reporters_found, self.reporters_true),
                "datelines": ratio(self.datelines_found, self.datelines_true),
                "ms": statistics.median(self.ms) if self.ms else float("nan")}


PURE, COVERS = 0.95, 0.90


# a photo's or a drawing's credit, a paragraph of its own: '本报记者  于洋摄', '牟健为摄（人民视觉）', 'X  Y摄影报道',
# '曹  一图  杨立新文'
_PHOTO_CREDIT = re.compile(r"^[^。，！？：]{2,30}?(?:摄|摄影|摄影报道|制图)(?:[（(][^（）()]{1,12}[）)])?$|^[^。，！？：]{2,24}[图文]$")


def story_text(a: TrueArticle) -> str:
    """An article's text without its dateline and credits, which ingest moves to the front matter."""
    first = a.paragraphs[0]
    lead = _CREDIT.match(first) or _DATELINE.match(first)
    rest = [p for p in a.paragraphs[1:] if not _PHOTO_CREDIT.match(p.strip())]
    return "".join([first[lead.end():] if lead else first, *rest])


def score_page(page: TruePage, articles: list) -> Score:
    """Match output articles to real ones by their 6-character shingles.

    An output article *is* a real article when at least 95 % of its shingles come from that article
    and it holds at least 90 % of that article's shingles (datelines and credits it took out, and
    OCR-cleaned punctuation, cost a few)."""
    s = Score(pages=1, true=len(page.articles), output=len(articles))
    true_sh = [shingles(story_text(a)) for a in page.articles]
    owner: dict[str, set[int]] = defaultdict(set)
    for i, sh in enumerate(true_sh):
        for x in sh:
            owner[x].add(i)
    matched: dict[int, object] = {}
    for out in articles:
        sh = shingles(out.body.replace("\\", ""))
        counts = Counter(i for x in sh for i in owner.get(x, ()))
        if not counts:
            s.misses["no real text"] += 1
            continue
        best, n = counts.most_common(1)[0]
        pure = n / len(sh) if sh else 0
        covers = n / len(true_sh[best]) if true_sh[best] else 0
        if pure >= PURE and covers >= COVERS:
            s.exact += 1
            matched.setdefault(best, out)
        elif pure < PURE:
            s.misses["merged"] += 1
        else:
            s.misses["part of one"] += 1
    s.whole = len(matched)
    for i, out in matched.items():
        t = page.articles[i]
        if norm_title(out.title) == norm_title(t.title):
            s.titles += 1
        else:
            s.misses["title"] += 1
        if t.reporters:
            s.reporters_true += len(t.reporters)
            people = set(out.authors) | set(out.correspondents)
            s.reporters_found += sum(1 for r in t.reporters if r in people)
        if t.dateline:
            s.datelines_true += 1
            s.datelines_found += out.dateline == t.dateline
    return s


def evaluate(pages: list[TruePage], layouts: list[str], seed: int, show_misses: int = 0) -> dict[str, Score]:
    config = load_config(ROOT / "site.yaml")
    config = replace(config, papers=[*config.papers, PAPER])
    assembler, places = make_assembler(config), PlaceIndex(config)
    page_articles("预热\n\n本报北京1月1日电（记者张三）预热。", "warm.txt",
                  PageMeta(PAPER.slug, dt.date(2020, 1, 1), 1), config, assembler, places)  # start-up
    scores = {}
    for name in layouts:
        total = Score()
        for page in pages:
            rng = random.Random(f"{seed}-{name}-{page.date}-{page.page}")
            text, _ = lay_out(name, page, rng)
            meta = PageMeta(PAPER.slug, page.date, page.page)
            start = time.perf_counter()
            result = page_articles(text, f"{page.date:%Y%m%d}-{page.page:02d}.txt", meta, config, assembler, places)
            elapsed = (time.perf_counter() - start) * 1000
            s = score_page(page, result.articles)
            s.ms.append(elapsed)
            if show_misses and s.whole < s.true:
                _show(name, page, result.articles, s)
                show_misses -= 1
            total.add(s)
        scores[name] = total
    return scores


def _show(layout: str, page: TruePage, articles: list, s: Score) -> None:
    print(f"--- {layout} {page.date} p{page.page}: {s.whole}/{s.true} whole, {len(articles)} out", file=sys.stderr)
    for a in page.articles:
        print(f"  TRUE  {a.kicker!r:.30} | {a.title!r:.40} | {len(a.paragraphs)} paras", file=sys.stderr)
    for a in articles:
        print(f"  OUT   {a.kicker!r:.30} | {a.title!r:.40} | {a.body[:30]!r}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", type=Path, help="folder of the dump's article files or its monthly 7z archives")
    ap.add_argument("--months", default="2020-02", help="comma-separated YYYY-MM (default 2020-02)")
    ap.add_argument("--pages", type=int, default=150, help="pages drawn at random per run (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layouts", default=",".join(ALL_LAYOUTS))
    ap.add_argument("--show", type=int, default=0, help="print this many pages that were not found whole")
    args = ap.parse_args()
    pages = read_dump(args.dump, set(args.months.split(",")))
    if not pages:
        sys.exit(f"{args.dump}: no article files of {args.months}")
    if args.pages and len(pages) > args.pages:
        pages = sorted(random.Random(args.seed).sample(pages, args.pages), key=lambda p: (p.date, p.page))
    layouts = args.layouts.split(",")
    if unknown := [n for n in layouts if n not in ALL_LAYOUTS]:
        ap.error(f"unknown layouts: {', '.join(unknown)} (known: {', '.join(ALL_LAYOUTS)})")
    scores = evaluate(pages, layouts, args.seed, args.show)
    n = sum(len(p.articles) for p in pages)
    print(f"{len(pages)} pages, {n} articles of {args.months} (seed {args.seed})")
    print("| layout | articles found whole | output articles that are one real article | titles | "
          "reporters | datelines | ms a page (median) |")
    print("|---|---|---|---|---|---|---|")
    for name, s in scores.items():
        r = s.row()
        print(f"| {name} | {r['whole']:.3f} | {r['precision']:.3f} | {r['titles']:.3f} | {r['reporters']:.3f} | "
              f"{r['datelines']:.3f} | {r['ms']:.1f} |")
    for name, s in scores.items():
        print(f"{name}: {dict(s.misses.most_common())}", file=sys.stderr)


if __name__ == "__main__":
    main()
