"""Learned evidence of headlines: which blocks of a page without marked headings start a story.

A linear-chain CRF (python-crfsuite) labels each block H (a kicker, title or subtitle) or B (anything
else) from typesetting alone: a block's length against the page's paragraphs, its closing mark, its
indentation against the page's, blank lines, its neighbours, and how the words of the text around it
change. scripts/train_headlines.py makes the model file beside this module from pages laid out anew
from a public dump; FEATURES_VERSION names the features a model was trained on, and is in its file name.
The model is read-only and deterministic: the same blocks get the same probabilities.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.ingest.blocks import Block
from generator.ingest.clean import CJK, COLUMN_TAG, OPEN_END, TERMINAL, squeeze_spaces
from generator.ingest.people import is_box_label

FEATURES_VERSION = "10"
MODEL_FILE = Path(__file__).with_name(f"headlines-{FEATURES_VERSION}.crfsuite")

_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．]|[●■□◆▲★☆])")
_CJK_RUN = re.compile(rf"[{CJK}]{{2,}}")
_SPACED_PHRASES = re.compile(r"\S{2}\s+\S{2}")  # parallel phrases: '共担新使命 同谱新篇章'


def _bucket(n: float, edges: tuple[float, ...]) -> int:
    return next((k for k, edge in enumerate(edges) if n < edge), len(edges))


def _end(text: str) -> str:
    if text.endswith("——"):
        return "dash"
    if COLUMN_TAG.search(text):
        return "tag"
    last = text[-1:]
    if last in "！？!?":
        return "exclaim"
    if last in "”’」\"":
        return "quote"
    if last in TERMINAL:
        return "stop"
    if last in OPEN_END:
        return "open"
    return "word"


# '（记者 张三）', '（新华社记者 李四摄）', '（作者为…）', '（郝学兰 中共东阿县委书记）' closing a story
_SIGN_OFF = re.compile(r"[（(][^（）()]*(?:记者|电|摄|作者|来源|编译|书记|主任|教授|研究员|\s)[^（）()]*[）)]$")


_EDITORS_NOTE = re.compile(r"^[【\[]?(?:编者的话|编者按|编辑的话|开栏的话|编后)")


def _form(text: str) -> tuple[str, int]:
    """A headline line's form: how it ends and its length, bucketed."""
    return _end(text), _bucket(len(text), (6, 10, 16, 25))


def _run(texts: list[str], shape: list[bool], order: range) -> int:
    """Characters of text from a block's side up to the next headline-shaped block."""
    total = 0
    for k in order:
        if shape[k]:
            break
        total += len(texts[k])
    return total


def char_pairs(text: str) -> Counter:
    """The pairs of adjacent Chinese characters of a text, counted: the words of a text that jieba
    need not cut (a subject's names repeat as pairs whatever they are)."""
    return Counter(run[k:k + 2] for run in _CJK_RUN.findall(text) for k in range(len(run) - 1))


def _near_text(texts: list[str], order: range, size: int) -> str:
    out, n = [], 0
    for k in order:
        out.append(texts[k])
        n += len(out[-1])
        if n >= size:
            break
    return "".join(out)


@dataclass(frozen=True)
class Evidence:
    """What a page shows of its headlines before anything is decided (segment.headline_evidence)."""
    shape: list[bool]  # per block: could be a headline (short, no sentence inside, not a cut one)
    indents: bool  # the page indents its paragraphs, so headlines stand at the margin
    topic: list[float | None]  # per shaped block: how much the text before and after it shares


def block_features(blocks: list["Block"], evidence: Evidence) -> list[dict[str, float]]:
    """The features of every block of a page, for the model (and for training it)."""
    shape, indents, topic = evidence.shape, evidence.indents, evidence.topic
    n = len(blocks)
    texts = [squeeze_spaces(b.text) for b in blocks]
    packed = [re.sub(r"\s+", "", t) for t in texts]
    body = [len(t) for t, b in zip(texts, blocks) if b.kind == "text" and len(t) >= 20]
    typical = statistics.median(body) if body else 60
    own = [{} for _ in range(n)]
    forms = Counter(_form(t) for t, s in zip(texts, shape) if s and t)
    note = False  # an editors' note ('编者的话') opened a package of stories, and no dated story followed
    for i, (b, text) in enumerate(zip(blocks, texts)):
        if b.dateline:
            note = False
        f: dict[str, float] = {"bias": 1, f"kind={b.kind}": 1, f"lines={min(len(b.lines), 3)}": 1,
                               f"len={_bucket(len(text), (3, 6, 9, 13, 18, 25, 33, 45, 80))}": 1,
                               f"end={_end(text) if text else 'none'}": 1,
                               "len_ratio": min(len(text) / typical, 3.0)}
        if shape[i]:
            f["shape"] = 1
        if b.dateline:
            f["dateline"] = 1
        if indents:
            f["margin" if not b.indented else "indented"] = 1
        elif b.indented:
            f["indented_alone"] = 1
        if b.after_blank:
            f["blank_before"] = 1
        if b.gap >= 2:
            f["gap"] = 1
        if text.startswith("——"):
            f["dash_start"] = 1
        if len(text) <= 45 and _SPACED_PHRASES.search(b.text.strip()):
            f["spaced"] = 1
        if is_box_label(text):
            f["box"] = 1
        if note:
            f["after_note"] = 1
        if _EDITORS_NOTE.match(text):
            note = True
        if shape[i] and text and forms[_form(text)] >= 3:
            f["repeated_form"] = 1  # one of several stacks of the same form: the parts of a package
        if _NUMBERED.match(text):
            f["numbered"] = 1
        f[f"commas={min(text.count('，') + text.count(','), 3)}"] = 1
        if topic[i] is not None:
            f["topic"] = min(topic[i] * 10, 3.0)
            f[f"topic<{_bucket(topic[i], (0.02, 0.045, 0.08, 0.15))}"] = 1
        if shape[i]:
            mine = char_pairs(text).keys()
            if mine:
                after = char_pairs(_near_text(packed, range(i + 1, n), 200)).keys()
                before = char_pairs(_near_text(packed, range(i - 1, -1, -1), 200)).keys()
                f["lead_overlap"] = len(mine & after) / len(mine)
                f["prev_overlap"] = len(mine & before) / len(mine)
        if i == 0:
            f["first"] = 1
        if i == n - 1:
            f["last"] = 1
        if i > 0 and _SIGN_OFF.search(texts[i - 1]):
            f["after_sign_off"] = 1  # the story above closed with its credit or signature
        if shape[i]:  # how much text since the last headline-shaped line, and until the next
            f[f"since={_bucket(_run(packed, shape, range(i - 1, -1, -1)), (1, 100, 300, 800, 2000))}"] = 1
            f[f"until={_bucket(_run(packed, shape, range(i + 1, n)), (1, 100, 300, 800, 2000))}"] = 1
        own[i] = f
    out = []
    for i in range(n):
        f = dict(own[i])
        for d in (-2, -1, 1, 2):
            j = i + d
            if not 0 <= j < n:
                f[f"{d}:none"] = 1
                continue
            for key in own[j]:
                if key.startswith(("kind=", "len=", "end=", "shape", "dateline", "margin", "indented", "blank_before")):
                    f[f"{d}:{key}"] = 1
        out.append(f)
    return out


class HeadlineModel:
    """The trained model: for each block of a page, the probability that it is a headline."""

    def __init__(self, path: Path = MODEL_FILE):
        import pycrfsuite
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def probabilities(self, features: list[dict[str, float]]) -> list[float]:
        if not features:
            return []
        self._tagger.set(features)
        if "H" not in self._tagger.labels():
            return [0.0] * len(features)
        return [self._tagger.marginal("H", i) for i in range(len(features))]


def labels_of(blocks: list["Block"], roles: list[str]) -> list[str]:
    """Training labels: H for a block whose first line is a headline line of the laid-out page."""
    return ["H" if roles[b.line_no - 1] == "head" else "B" for b in blocks]

