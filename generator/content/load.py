"""The content folder loaded: every article file parsed (frontmatter.py), or taken from the build cache
when its size and time, or git's blob id, are unchanged (entries.py, git_index.py).

Every error names the file and, where there is one, the line. Bodies are read only when used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING

from generator.base.cache import Cache
from generator.base.progress import Counter
from generator.config import SiteConfig
from generator.content.entries import BodySlice, article_from_entry, body_span, cache_entry, read_bytes, read_entry
from generator.content.frontmatter import parse_article, split_front_matter
from generator.content.git_index import git_unchanged
from generator.content.model import Article, text_digest
from generator.errors import Problem, SiteError
from generator.text import strip_controls

if TYPE_CHECKING:
    from collections.abc import Collection




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
                  only: Collection[Path] | None = None, counter: Counter | None = None) -> list[Article]:
    """Load every article (or `only` these files of the content folder: files just written, which git
    does not know); every bad file is reported together.

    With a build cache, a file parsed before (with the same papers, counties and topics in site.yaml)
    comes from the cache instead of being parsed again, and its body is read only if something uses
    it. A file is known by a hash of its bytes, or, when git tracks it and it is unchanged in the
    working tree, by git's id of its bytes and its size: then it is not read at all. `counter` counts
    the files as they are taken."""
    counter = counter or Counter()
    articles: list[Article] = []
    problems: list[Problem] = []
    root = content_dir.resolve()
    names = hashlib.sha256(f"{PARSE_VERSION} {marshal.version}{config.papers!r}{config.counties!r}{config.topics!r}".encode()).digest()
    known_to_git = git_unchanged(content_dir) if cache is not None and only is None else {}
    if only is None:
        listing = content_files(content_dir)
    else:  # files just written (by ingest, into this folder): no walk of the others
        listing = sorted((Path(p).relative_to(content_dir).as_posix(), Path(p).is_symlink()) for p in only)
    counter.expect(len(listing))
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
    for shown, path, data, key in counter.counting(files):
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


# -- writing -----------------------------------------------------------------


