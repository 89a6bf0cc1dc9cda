"""Content files: YAML front matter + markdown body, parsed into an Article and written back.

Every error names the file and, where there is one, the line. Must stay true: format_article's
output parses back to the same article, and set_front_matter changes only the keys it is given.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from generator.config import SiteConfig
from generator.content.model import AUTO_KEYS, FRONT_MATTER_KEYS, KINDS, Article
from generator.errors import Problem, SiteError
from generator.schema import Bool, Int, ListOf, Option, Record, Str, type_name
from generator.text import strip_controls

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text, so a bad date is our message, not a crash."""


class _Date(Option):
    required = True
    default = None

    def check(self, value, path, problems):
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(f"{path}: {value} is not a real date"))
                return None
        problems.append(Problem(f"{path}: expected a date as YYYY-MM-DD, got {value!r}"))
        return None


_NAMES = ListOf(item=Str(allow_empty=False))


class _Auto(Option):
    """The values the classifier set: a mapping with some of the keys in AUTO_KEYS."""

    default = None  # no `auto` in the file

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(Problem(f"{path}: expected a mapping of {', '.join(AUTO_KEYS)} to the values "
                                    f"the classifier set, got {type_name(value)}"))
            return None
        out = {}
        for key, item in value.items():
            if key not in AUTO_KEYS:
                problems.append(Problem(f"{path}.{key}: unknown key (known keys: {', '.join(AUTO_KEYS)})"))
            else:
                out[key] = (Str() if key == "county" else _NAMES).check(item, f"{path}.{key}", problems)
        return out


FRONT_MATTER = Record(fields={
    "id": Str(required=True, pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*",
              hint="use lowercase ASCII letters, digits and '-'"),
    "title": Str(required=True, allow_empty=False),
    "kicker": Str(default=""),
    "subtitle": Str(default=""),
    "column": Str(default=""),
    "date": _Date(),
    "paper": Str(required=True, allow_empty=False),
    "page": Int(min=1, max=999),
    "kind": Str(default="article", choices=KINDS),
    "authors": _NAMES,
    "correspondents": _NAMES,
    "photographers": _NAMES,
    "dateline": Str(default=""),
    "agency": Str(default=""),
    "county": Str(default=""),
    "topics": _NAMES,
    "source": Str(default=""),
    "truncated": Bool(default=False),
    "auto": _Auto(),
})


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}




assert tuple(FRONT_MATTER.fields) == FRONT_MATTER_KEYS


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """Return (front matter text, body, line number where the body starts)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    front, start, end = front_matter_bounds(text, shown)
    body_line = text[:start].count("\n") + 1
    return front, text[start:end] + "\n" if end > start else "", body_line


def front_matter_bounds(text: str, shown: str) -> tuple[str, int, int]:
    """(front matter, start, end) of a file's text with "\n" line ends: the body, without the blank
    lines around it, is text[start:end] (empty when start == end)."""
    if not text.startswith("---\n"):
        raise SiteError("missing front matter: the file must start with a '---' line", path=shown, line=1)
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.M)
    if end is None:
        raise SiteError("front matter is not closed by a '---' line", path=shown, line=1)
    front = text[4:4 + end.start()]
    start = 4 + end.end()
    while text.startswith("\n", start):
        start += 1
    rest = text[start:].rstrip()
    return front, start, start + len(rest) if rest.strip() else start


def _key_lines(front: str) -> dict[str, int]:
    """1-based line (within the file) of each top-level key."""
    lines = {}
    for i, line in enumerate(front.split("\n")):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            lines.setdefault(m.group(1), i + 2)  # +1 for 1-based, +1 for the opening '---'
    return lines


def parse_article(text: str, shown: str, config: SiteConfig) -> Article:
    """Parse one content file; raise SiteError naming the file and line."""
    front, body, _ = split_front_matter(text, shown)
    try:
        data = yaml.load(front, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise SiteError(f"YAML error in front matter: {getattr(exc, 'problem', None) or exc}",
                        path=shown, line=line) from None
    if not isinstance(data, dict):
        raise SiteError("front matter must be a mapping of keys to values", path=shown, line=2)
    problems: list[Problem] = []
    values = FRONT_MATTER.check(data, "", problems)
    if values is not None:
        _check_names(values, config, problems)
    if problems:
        lines = _key_lines(front)
        raise SiteError(problems=[
            Problem(p.message, shown, lines.get(re.split(r"[.\[:]", p.message, maxsplit=1)[0]))
            for p in problems
        ])
    paper = config.paper(values["paper"])
    values["paper"] = paper.slug
    if values["county"]:
        values["county"] = config.county(values["county"]).name
    values["topics"] = [config.topic(t).name for t in values["topics"]]
    values["auto"] = None if values["auto"] is None else dict(values["auto"])
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = strip_controls(value)
        elif isinstance(value, list):
            values[key] = [strip_controls(v) if isinstance(v, str) else v for v in value]
    return Article(**values, body=strip_controls(body))


def _check_names(values: dict, config: SiteConfig, problems: list[Problem]) -> None:
    if config.paper(values["paper"]) is None:
        known = ", ".join(p.slug for p in config.papers)
        problems.append(Problem(f"paper: unknown paper {values['paper']!r} (site.yaml papers: {known})"))
    if values["county"] and config.county(values["county"]) is None:
        problems.append(Problem(f"county: unknown county {values['county']!r} (not in site.yaml counties)"))
    for topic in values["topics"]:
        if config.topic(topic) is None:
            problems.append(Problem(f"topics: unknown topic {topic!r} (not in site.yaml topics)"))


def _dump_value(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_dump_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_dump_value(v)}" for k, v in value.items()) + "}"
    return _dump_scalar(value)


def _dump_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style=None, width=10_000)
    dumped = dumped.removesuffix("\n...\n").rstrip("\n")
    return dumped


def format_article(article: Article) -> str:
    """The content file text of an article: stable key order, empty optional keys left out."""
    lines = ["---"]
    for key in FRONT_MATTER_KEYS:
        value = getattr(article, key)
        if key not in ("id", "title", "date", "paper", "kind") and value in ("", None, [], {}, False):
            continue
        lines.append(f"{key}: {_dump_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + article.body.rstrip("\n") + "\n"


def article_path(article: Article) -> str:
    """Where an article lives below the content folder."""
    d = article.date
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}/{article.id}.md"


def set_front_matter(text: str, values: dict) -> str:
    """Replace (or add) top-level keys of a content file's front matter, leaving every other
    line, comment and the body exactly as they were. An empty value removes the key."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if re.fullmatch(r"---[ \t]*", lines[i]))
    front = lines[1:end]
    for key, value in values.items():
        line = None if value in ("", None, []) else f"{key}: {_dump_value(value)}"  # `auto: {}` stays
        start = next((i for i, text_line in enumerate(front) if re.match(rf"{re.escape(key)}\s*:", text_line)), None)
        if start is None:
            if line is not None:
                front.append(line)
            continue
        stop = start + 1
        while stop < len(front) and (front[stop].startswith((" ", "\t", "-")) or not front[stop].strip()):
            stop += 1  # a block-style value continues on indented lines
        front[start:stop] = [line] if line is not None else []
    return "\n".join([lines[0], *front, *lines[end:]])
