"""Page metadata: paper, issue date and page number of each raw page.

From the manifest beside the raw pages (`pages.yaml`), or, for a page missing
from it, inferred from the text (with a warning).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.config import SiteConfig
from generator.errors import Problem, SiteError, display_path
from generator.schema import Int, Record, Str

MANIFEST_NAME = "pages.yaml"


@dataclass(frozen=True)
class PageMeta:
    paper: str  # slug
    date: dt.date
    page: int | None
    inferred: bool = False


_ENTRY = Record(fields={
    "paper": Str(required=True, allow_empty=False),
    "date": Str(required=True, pattern=r"\d{4}-\d{2}-\d{2}", hint="YYYY-MM-DD"),
    "page": Int(min=1, max=999),
})


def load_manifest(folder: Path, config: SiteConfig) -> dict[str, PageMeta]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    shown = display_path(path)
    try:
        node_lines = {}
        text = path.read_text(encoding="utf-8-sig")
        for i, line in enumerate(text.split("\n"), start=1):
            m = re.match(r"^(\S[^:]*?)\s*:", line)
            if m:
                node_lines[m.group(1).strip("'\"")] = i
        data = yaml.load(text, Loader=yaml.BaseLoader)  # everything as text: dates are checked here
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SiteError(f"YAML error: {getattr(exc, 'problem', None) or exc}", path=shown,
                        line=mark.line + 1 if mark else None) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"cannot read: {exc}", path=shown) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SiteError("expected a mapping of raw page file names to {paper, date, page}", path=shown, line=1)
    out: dict[str, PageMeta] = {}
    problems: list[Problem] = []
    for name, entry in data.items():
        line = node_lines.get(name)
        local: list[Problem] = []
        if isinstance(entry, dict) and "page" in entry and isinstance(entry["page"], str) and entry["page"].isdigit():
            entry = {**entry, "page": int(entry["page"])}
        values = _ENTRY.check(entry, name, local)
        if values is not None:
            paper = config.paper(values["paper"])
            if paper is None:
                local.append(Problem(f"{name}.paper: unknown paper {values['paper']!r}"))
            try:
                date = dt.date.fromisoformat(values["date"])
            except ValueError:
                local.append(Problem(f"{name}.date: {values['date']} is not a real date"))
        if local:
            problems.extend(Problem(p.message, shown, line) for p in local)
            continue
        out[name] = PageMeta(paper.slug, date, values["page"])
    if problems:
        raise SiteError(problems=problems)
    return out


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)年")
_FULL_DATE_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)年\s*(?:1[0-2]|0?[1-9])\s*月")
_MONTH_DAY = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月\s*([12]\d|3[01]|0?[1-9])\s*日")


def infer_meta(text: str, config: SiteConfig) -> PageMeta | None:
    """Guess paper and issue date from the text: reporting cues, years and dates mentioned."""
    scores = {p.slug: sum(text.count(cue) for cue in p.cues) for p in config.papers}
    if not scores or max(scores.values()) == 0:
        return None
    paper = max(sorted(scores), key=lambda s: scores[s])
    years = Counter(int(y) for y in _YEAR.findall(text))
    for y in _FULL_DATE_YEAR.findall(text):
        years[int(y)] += 2  # a full date is stronger evidence than a target year ("到2035年")
    days = [(int(m), int(d)) for m, d in _MONTH_DAY.findall(text)]
    if not years or not days:
        return None
    year = max(years, key=lambda y: (years[y], y))
    # the month most events happen in, and the latest day reported in it
    months = Counter(m for m, _ in days)
    month = max(months, key=lambda m: (months[m], m))
    day = max(d for m, d in days if m == month)
    try:
        latest = dt.date(year, month, day)
    except ValueError:
        return None
    return PageMeta(paper, latest + dt.timedelta(days=1), None, inferred=True)
