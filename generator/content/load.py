"""Content files: YAML front matter + markdown body, parsed into `Article`s.

Every error names the file and, where there is one, the line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from generator.config import SiteConfig
from generator.errors import Problem, SiteError
from generator.content.model import AUTO_KEYS, FRONT_MATTER_KEYS, KINDS, Article, text_digest
from generator.text import strip_controls
from generator.schema import Bool, Int, ListOf, Option, Record, Str, type_name

if TYPE_CHECKING:
    from collections.abc import Collection

    from generator.base.cache import Cache

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text, so a bad date is our message, not a crash."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def content_files(content_dir: Path) -> list[tuple[str, bool]]:
    """All markdown files below the content folder: (path relative to it, POSIX; whether it is a
    symlink), in a sorted walk: a folder's files, then its subfolders in turn. Hidden folders and
    symlinked folders are not entered; a folder that cannot be listed is passed over (as os.walk)."""
    out: list[tuple[str, bool]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            if _is_dir(entry):
                if not entry.name.startswith(".") and not entry.is_symlink():
                    folders.append(entry)
            elif entry.name.endswith(".md"):
                out.append((prefix + entry.name, entry.is_symlink()))  # the listing knows: no stat per file
        for entry in folders:
            walk(entry.path, f"{prefix}{entry.name}/")

    if content_dir.is_dir():
        walk(str(content_dir), "")
    return out


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # as os.walk: what cannot be asked is taken for a file
        return False


PARSE_VERSION = "4"  # bump when parse_article makes a different Article from the same file, or cache_entry changes


def load_articles(content_dir: Path, config: SiteConfig, cache: "Cache | None" = None,
                  only: Collection[Path] | None = None) -> list[Article]:
    """Load every article (or `only` these files of the content folder: files just written, which git
    does not know); every bad file is reported together.

    With a build cache, a file parsed before (with the same papers, counties and topics in site.yaml)
    comes from the cache instead of being parsed again, and its body is read only if something uses
    it. A file is known by a hash of its bytes, or, when git tracks it and it is unchanged in the
    working tree, by git's id of its bytes and its size: then it is not read at all."""
    articles: list[Article] = []
    problems: list[Problem] = []
    root = content_dir.resolve()
    names = hashlib.sha256(f"{PARSE_VERSION} {marshal.version}{config.papers!r}{config.counties!r}{config.topics!r}".encode()).digest()
    known_to_git = git_unchanged(content_dir) if cache is not None and only is None else {}
    if only is None:
        listing = content_files(content_dir)
    else:  # files just written (by ingest, into this folder): no walk of the others
        listing = sorted((Path(p).relative_to(content_dir).as_posix(), Path(p).is_symlink()) for p in only)
    files: list[tuple[str, str, bytes | None, str]] = []  # (shown, path, bytes if read, cache key)
    folder = os.fspath(content_dir).rstrip("/") or "/"  # (joined by hand: os.path.join costs 0.1 s at 100k)
    top = content_dir.name
    for rel, is_link in listing:
        path = f"{folder}/{rel}"
        shown = f"{top}/{rel}"
        data = None
        try:
            if is_link and not Path(path).resolve().is_relative_to(root):
                raise SiteError("symlink points outside the content folder", path=shown)
            known = None if is_link else known_to_git.get(rel)
            if known is not None:
                blob, size = known
                stamp = f"git {blob} {os.stat(path).st_size if size is None else size}".encode()
            else:
                data = stamp = read_bytes(path, shown)
        except SiteError as err:
            problems.extend(err.problems)
            continue
        except OSError as exc:
            problems.append(Problem(f"cannot read: {exc.strerror}", shown))
            continue
        key = hashlib.sha256(names + shown.encode() + (b"\1" if data is None else b"\0") + stamp).hexdigest()
        files.append((shown, path, data, key))
    parsed = cache.get_many("articles", [key for *_, key in files], decode=False) if cache is not None else {}
    fresh = {}
    for shown, path, data, key in files:
        entry = parsed.get(key)
        known = entry and read_entry(entry)
        if known and known[1] is not None:
            # parsed before, and its body is a plain slice of the file's bytes: read when needed
            values, span, digest = known
            articles.append(article_from_entry(values, BodySlice(path, shown, *span), key, digest))
            continue
        try:
            if data is None:
                data = read_bytes(path, shown)
            try:
                text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text does
            except UnicodeDecodeError as exc:
                raise SiteError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=shown) from None
            if known:  # front matter checked before: take the body again
                body = strip_controls(split_front_matter(text, shown)[1])
                articles.append(article_from_entry(known[0], body, key, known[2]))
                continue
            article = parse_article(text, shown, config)
        except SiteError as err:
            problems.extend(err.problems)
            continue
        article.path, article.source_key = shown, key
        article.text_digest = text_digest(article)
        articles.append(article)
        span = body_span(data, text, article.body)
        fresh[key] = cache_entry(article, span and [*span, len(data)])
    if problems:
        raise SiteError(problems=problems)
    if cache is not None:
        cache.put_many("articles", fresh)
    return articles


def read_bytes(path: str, shown: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise SiteError(f"cannot read: {exc.strerror}", path=shown) from None


class BodySlice:
    """An article's body read from its content file when first used: the bytes start:end of a file of
    `size` bytes, plus a final line end. A file whose size is not that any more changed after the
    build looked at it; the build stops rather than show a body that does not belong to the rest."""

    def __init__(self, path: str, shown: str, start: int, end: int, size: int):
        self.path, self.shown, self.start, self.end, self.size = path, shown, start, end, size

    def __call__(self) -> str:
        data = read_bytes(self.path, self.shown)
        try:
            if len(data) == self.size:
                return data[self.start:self.end].decode("utf-8") + "\n" if self.end > self.start else ""
        except UnicodeDecodeError:
            pass
        raise SiteError("the file changed while the site was being built; build again", path=self.shown)


def git_unchanged(content_dir: Path) -> dict[str, tuple[str, int | None]]:
    """git's blob id and the size of every content file that git tracks and that is unchanged in
    the working tree, by path relative to the content folder; empty when the folder is not in a git
    work tree (or git is not installed). Asking git costs a stat per file (it compares them with its
    index), not a read.

    The size is the one git's index holds (None where it holds none): for a file git reports
    unchanged, git compared that size with the file's (a size git does not know is 0, and then it
    compares the bytes instead), so the file has that size and needs no stat of its own."""
    # git finds the repository from the content folder (not from a GIT_DIR a hook may have set)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, "GIT_OPTIONAL_LOCKS": "0"}
    started: list[subprocess.Popen] = []

    def git(*args: str) -> subprocess.Popen:
        started.append(subprocess.Popen(["git", "-C", str(content_dir), "ls-files", "-z", *args, "--", "."],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env))
        return started[-1]

    def output(process: subprocess.Popen) -> bytes:
        out, _ = process.communicate(timeout=120)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)
        return out

    try:
        listing, modified = git("--stage", "-v", "--debug"), git("--modified")  # both at once
        entries = _index_entries(output(listing))
        if entries is None:  # a git whose --debug output is not the one known here: ids only
            entries = [(*entry, None) for entry in _PLAIN_ENTRY.findall(output(git("--stage", "-v")))]
        changed = {p.decode("utf-8", "surrogateescape") for p in output(modified).split(b"\0") if p}
    except (OSError, subprocess.SubprocessError):
        return {}
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    out = {}
    for tag, mode, blob, stage, rel, size in entries:
        # Only plain files in git's usual state ("H"): a file marked assume-unchanged or skip-worktree
        # may differ from git's copy unnoticed, and symlinks, submodules and files in a merge conflict
        # are read as usual.
        if tag != b"H" or mode not in (b"100644", b"100755") or stage != b"0":
            continue
        name = rel.decode("utf-8", "surrogateescape")
        if name not in changed:
            out[name] = (blob.decode("ascii"), int(size or 0) or None)
    return out


# An entry of `git ls-files -z --stage -v`: tag, mode, blob id, stage, path; with --debug, followed by
# the stat data git keeps for it.
_ENTRY = rb"([A-Za-z?]) ([0-7]{6}) ([0-9a-f]{40,64}) ([0-3])\t([^\0]*)\0"
_PLAIN_ENTRY = re.compile(_ENTRY)
_INDEX_ENTRY = re.compile(_ENTRY + rb"  ctime: \d+:\d+\n  mtime: \d+:\d+\n  dev: \d+\tino: \d+\n"
                                   rb"  uid: \d+\tgid: \d+\n  size: (\d+)\tflags: [0-9a-f]+\n")


def _index_entries(out: bytes) -> list[tuple[bytes, ...]] | None:
    """(tag, mode, blob id, stage, path, size) from `ls-files -z --stage -v --debug`; None if not every
    entry is in the expected form (each has one NUL, after its path; the pattern starts nowhere else)."""
    entries = _INDEX_ENTRY.findall(out)
    return entries if len(entries) == out.count(b"\0") else None


def body_span(data: bytes, text: str, body: str) -> list[int] | None:
    """Where the body is in the file's bytes, if it is exactly those bytes (plus a final line end):
    then a later build of the same file slices and decodes only the body. None for a file with a
    byte order mark or carriage returns, or whose body had control characters removed."""
    if b"\r" in data or data.startswith(b"\xef\xbb\xbf"):
        return None
    _, start, end = front_matter_bounds(text, "")
    if (text[start:end] + "\n" if end > start else "") != body:
        return None
    begin = len(text[:start].encode("utf-8"))
    return [begin, begin + len(text[start:end].encode("utf-8"))]


def article_to_json(article: Article) -> dict:
    """The checked front matter values (and path) of an article; its body is read from the file."""
    data = dataclasses.asdict(article)
    data["date"] = article.date.isoformat()
    del data["body"], data["source_key"], data["text_digest"]  # (the cache entry's key, and its _text)
    return data


def article_from_json(data: dict, body: "str | BodySlice", source_key: str = "", text_digest: str = "") -> Article:
    return Article(**{**data, "date": dt.date.fromisoformat(data["date"])}, body=body, source_key=source_key,
                   text_digest=text_digest)


# A parsed file in the build cache: article_to_json's values in this order, where its body is in the
# file ([start, end, file size], or None) and its text digest. Every build reads 100,000 of them at
# 100,000 articles: in marshal's format that takes a third of the time JSON takes.
ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in ("body", "source_key", "text_digest"))
# Article's fields are ENTRY_FIELDS with the body at _BODY_AT and the source key and text digest last:
# an article is made from an entry by position (a fifth of the time of keywords and dicts, at 100k).
_ALL_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_BODY_AT = _ALL_FIELDS.index("body")
_DATE_AT = ENTRY_FIELDS.index("date")
_BY_POSITION = _ALL_FIELDS == (*ENTRY_FIELDS[:_BODY_AT], "body", *ENTRY_FIELDS[_BODY_AT:], "source_key", "text_digest")


def cache_entry(article: Article, body: list[int] | None) -> bytes:
    values = article_to_json(article)
    return marshal.dumps((*[values[k] for k in ENTRY_FIELDS], body, article.text_digest))


def read_entry(data: bytes) -> tuple[tuple, list[int] | None, str] | None:
    """cache_entry's values (in ENTRY_FIELDS' order), body and digest; None for bytes not in its form
    (then the file is parsed)."""
    try:
        entry = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(entry, tuple) or len(entry) != len(ENTRY_FIELDS) + 2:
        return None
    return entry[:-2], entry[-2], entry[-1]


def article_from_entry(values: tuple, body: "str | BodySlice", source_key: str, text_digest: str) -> Article:
    """The article of read_entry's values."""
    if not _BY_POSITION:
        return article_from_json(dict(zip(ENTRY_FIELDS, values)), body, source_key, text_digest)
    fields = list(values)
    fields[_DATE_AT] = dt.date.fromisoformat(fields[_DATE_AT])
    fields.insert(_BODY_AT, body)
    return Article(*fields, source_key, text_digest)


# -- writing -----------------------------------------------------------------

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


def write_text_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
