"""`news-archive check`: verify a built site before it is published.

Every page is well-formed HTML (html5lib); every internal link and asset resolves below the base
path; no page loads anything from outside the site; feeds and sitemaps are well-formed and point at
pages of this site; the search files match the article pages (search_files.py). A check remembers
what it found fine (memory.py) and parses again only what changed, with the same verdict as a whole
check; `--full` ignores the memory.
"""

from __future__ import annotations

import html
import multiprocessing as mp
import os
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import html5lib

from generator.base.progress import Progress
from generator.check.memory import COARSE_RACY_NS, RACY_NS, CheckMemory, SiteFiles, memory_head, normal_rel
from generator.check.search_files import SearchCheck


# Elements and attributes through which a page *loads* something (a plain <a href> only links).
LOADS = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
         ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"), ("video", "poster")}
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class SiteChecker:
    def __init__(self, site: Path, base_url: str, state: Path | None = None, full: bool = False,
                 progress: Progress | None = None):
        self.site = site
        self.progress = progress or Progress.silent()  # what the check shows while it runs
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"
        self.problems: list[str] = []
        self.article_pages: set[str] = set()
        self.root = site.resolve()
        self.state = state  # where this check remembers what it found fine (None: nowhere)
        self.full = full  # check everything, whatever was remembered
        self.files: SiteFiles | None = None
        self.memory = CheckMemory()
        self.checked = self.trusted = 0  # files parsed, and files taken as fine from the memory
        self.segments_checked = 0  # search segments whose postings were decoded
        self.started = 0  # when the check began (ns since the epoch)
        self.racy_ns = COARSE_RACY_NS
        self._targets: dict[str, str | None] = {}  # a site links to the same pages from many pages
        self._uses: dict[str, str] | None = None  # the links of the file being checked, resolved

    def report(self, where: Path | str, message: str) -> None:
        shown = where.relative_to(self.site).as_posix() if isinstance(where, Path) else where
        self.problems.append(f"{shown}: {message}")

    # -- resolving ---------------------------------------------------------
    def target_of(self, path: str) -> str | None:
        """The file (site-relative) a site path starting with the base path is served from, or None."""
        if path not in self._targets:
            self._targets[path] = self._find_target(path)
        target = self._targets[path]
        if self._uses is not None and target is not None:
            self._uses[path] = target
        return target

    def _find_target(self, path: str) -> str | None:
        if not path.startswith(self.base_path):
            return None
        rel = unquote(path[len(self.base_path):])
        if self.files is None or self.files.symlinks:
            return self._find_target_on_disk(rel)
        target = normal_rel(rel)
        if target is None:
            return None
        if rel == "" or rel.endswith("/") or target in self.files.dirs:
            target = f"{target}/index.html" if target else "index.html"
        return target if target in self.files.stats else None

    def _find_target_on_disk(self, rel: str) -> str | None:
        try:
            target = (self.site / rel).resolve()
            if not target.is_relative_to(self.root):
                return None
            if rel == "" or rel.endswith("/") or target.is_dir():
                target = target / "index.html"
            return target.relative_to(self.root).as_posix() if target.is_file() else None
        except (OSError, ValueError):
            return None

    def file_exists(self, rel: str) -> bool:
        """Whether a site-relative path is a file (not a folder's index)."""
        if self.files is None or self.files.symlinks:
            found = (self.site / rel).is_file()
            target = rel
        else:
            target = normal_rel(rel)
            found = target is not None and target in self.files.stats
        if found and self._uses is not None:
            self._uses["\0" + rel] = target
        return found

    def absolute_resolves(self, url: str) -> bool:
        return url.startswith(self.base_url) and self.target_of(urlsplit(url).path) is not None

    # -- pages -------------------------------------------------------------
    def check_page(self, page: Path) -> None:
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        doc = parser.parse(page.read_bytes())
        for (line, col), code, data in parser.errors:
            self.report(page, f"line {line}: HTML parse error {code}{' ' + str(data) if data else ''}")
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "article" and el.get("data-article-id"):
                self.article_pages.add(page.relative_to(self.site).as_posix())
            for attr in ("href", "src", "data", "poster", "action"):
                url = el.get(attr)
                if url is not None:
                    self.check_url(page, el, attr, url.strip())

    def check_url(self, page: Path, el, attr: str, url: str) -> None:
        parts = urlsplit(url)
        rel = (el.get("rel") or "").lower().split()
        loads = (el.tag, attr) in LOADS or (el.tag == "link" and LOADING_RELS & set(rel))
        if parts.scheme in ("javascript", "vbscript", "data") and not (parts.scheme == "data" and el.tag == "img"):
            self.report(page, f"<{el.tag} {attr}={url[:60]!r}>: script or data URL")
            return
        if parts.scheme or parts.netloc:
            if loads:
                self.report(page, f"<{el.tag} {attr}={url!r}> loads a resource from outside the site")
            elif url.startswith(self.base_url) and not self.absolute_resolves(url):
                self.report(page, f"<{el.tag} {attr}={url!r}>: no such page in the site")
            return
        if not parts.path:
            return  # a fragment or query on the same page
        if not parts.path.startswith("/"):
            self.report(page, f"<{el.tag} {attr}={url!r}>: relative URL (the theme writes base-path URLs)")
            return
        if self.target_of(parts.path) is None:
            self.report(page, f"<{el.tag} {attr}={url!r}>: broken link (nothing at {parts.path})")

    # -- feeds, sitemaps, search -------------------------------------------
    def parse_xml(self, path: Path):
        try:
            return ET.parse(path).getroot()
        except ET.ParseError as exc:
            self.report(path, f"not well-formed XML ({exc})")
            return None

    def check_feed(self, path: Path) -> None:
        root = self.parse_xml(path)
        if root is None:
            return
        if root.tag != f"{ATOM}feed":
            self.report(path, f"not an Atom feed (root element {root.tag})")
            return
        for entry in root.iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link")
            href = link.get("href", "") if link is not None else ""
            if not self.absolute_resolves(href):
                self.report(path, f"entry link {href!r} is not a page of this site")

    def check_sitemap(self, path: Path) -> None:
        root = self.parse_xml(path)
        if root is None:
            return
        for loc in root.iter(f"{SITEMAP}loc"):
            url = (loc.text or "").strip()
            if root.tag == f"{SITEMAP}sitemapindex":
                if not (url.startswith(self.base_url) and self.file_exists(url[len(self.base_url):])):
                    self.report(path, f"sitemap part {url!r} is missing")
            elif not self.absolute_resolves(url):
                self.report(path, f"URL {url!r} is not a page of this site")

    def remembers(self, mtimes: list[int]) -> bool:
        """Whether a verdict on files of these modification times may be remembered: the check keeps a
        memory, and none was written so recently that it could change without getting a new time."""
        return self.state is not None and bool(mtimes) and max(mtimes) < self.started - self.racy_ns

    def run(self) -> list[str]:
        if not self.site.is_dir():
            return [f"{self.site}: no built site here (run news-archive build first)"]
        self.started = time.time_ns()
        with self.progress.stage("list", unit="files") as counter:
            self.files = SiteFiles(self.site)
            counter.advance(len(self.files.stats))
        self.racy_ns = COARSE_RACY_NS if self.files.whole_seconds() else RACY_NS
        if self.files.symlinks:
            self.state = None  # resolved on disk, where a link's target can change without the memory seeing it
        head = memory_head(self.root, self.base_url)
        if self.state is not None and not self.full:
            self.memory = CheckMemory.load(self.state, head, self.files)
        todo = []  # (path, kind) of the pages, feeds and sitemaps to parse
        for rel in self.files.in_order():
            kind = file_kind(rel)
            if kind is None:
                continue
            entry = self.memory.fine_page(rel, self.files.stats[rel])
            if entry is None:
                todo.append((rel, kind))
            else:  # unchanged since a check found it fine, and every file its links resolved to is there
                self.trusted += 1
                if entry[2]:
                    self.article_pages.add(rel)
        with self.progress.stage("pages", len(todo), unit="files") as counter:
            for (rel, _), (problems, article, uses) in zip(todo, counter.counting(self.check_files(todo))):
                self.checked += 1
                self.problems.extend(problems)
                if article:
                    self.article_pages.add(rel)
                stat = self.files.stats[rel]
                if not problems and self.remembers([stat[1]]):
                    self.memory.remember_page(rel, stat, article, uses)
        with self.progress.stage("search", unit="segments") as counter:
            SearchCheck(self).check_search()
            counter.advance(self.segments_checked)
        if self.state is not None:
            self.memory.save(self.state, head)
        return self.problems

    def check_files(self, todo: list[tuple[str, str]]) -> Iterator[tuple[list[str], bool, dict[str, str]]]:
        """check_one() of each, in order: in a process per core when there are many (html5lib parses
        ~70 pages a second on one core) and the platform forks (the workers share this checker)."""
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if len(todo) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
            yield from (self.check_one(rel, kind) for rel, kind in todo)
            return
        global _FORKED_CHECKER
        _FORKED_CHECKER = self
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                yield from pool.imap(_check_in_worker, todo, chunksize=16)
        finally:
            _FORKED_CHECKER = None

    def check_one(self, rel: str, kind: str) -> tuple[list[str], bool, dict[str, str]]:
        """A page's, feed's or sitemap's problems, whether it is an article page, and the links it
        resolved (site path -> file)."""
        problems, self.problems, self._uses = self.problems, [], {}
        try:
            getattr(self, kind)(self.site / rel)
            return self.problems, rel in self.article_pages, self._uses
        finally:
            self.problems, self._uses = problems, None


PARALLEL_FROM = 64  # files to parse, below which one process does it
_FORKED_CHECKER: SiteChecker | None = None  # the checker a pool's workers were forked from


def _check_in_worker(todo: tuple[str, str]) -> tuple[list[str], bool, dict[str, str]]:
    return _FORKED_CHECKER.check_one(*todo)


def file_kind(rel: str) -> str | None:
    """The check a site file gets by its name (None: none of its own)."""
    name = rel.rpartition("/")[2]
    if name.endswith(".html"):
        return "check_page"
    if name.endswith("feed.xml"):
        return "check_feed"
    if name.startswith("sitemap") and name.endswith(".xml"):
        return "check_sitemap"
    return None


_CANONICAL = re.compile(r'<link\s+rel="canonical"\s+href="([^"]*)"')


def built_base_url(site: Path) -> str | None:
    """The base URL a site was built for: its home page's canonical link (the build writes the base URL
    there), or None if the home page has none."""
    try:
        with open(site / "index.html", encoding="utf-8", errors="replace") as fh:
            head = fh.read(16_384)
    except OSError:
        return None
    found = _CANONICAL.search(head)
    url = html.unescape(found.group(1)) if found else ""
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and url.endswith("/") else None


def check_site(site: Path, base_url: str, state: Path | None = None, full: bool = False) -> list[str]:
    """The problems of a built site (none: it may be published). With `state`, a file where the check
    remembers what it found fine, and reads what earlier checks found (unless `full`)."""
    return SiteChecker(site, base_url, state, full).run()
