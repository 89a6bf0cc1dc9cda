"""What `news-archive check` remembers between runs (`.cache/check-state.marshal`): the site's files
with their size and modification time from one walk, and what earlier checks found fine.

A verdict is trusted again only for a file whose size and time are unchanged and whose links all
still resolve to files that are there; see CheckMemory. A change to the rules (this package,
or the search decoders), the base URL, Python or html5lib starts from nothing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from array import array
from pathlib import Path

import html5lib

from generator.base.files import write_bytes_atomic

STATE = "check-state.marshal"
STATE_FORMAT = 1
# A file written this close before a check may change again without getting a new time: its time
# stamp's tick is the kernel's coarse clock (a few ms) where times have nanoseconds, up to 2 s where
# they are whole seconds (FAT; ext4 with small inodes).
RACY_NS, COARSE_RACY_NS = 100_000_000, 2_000_000_000


class SiteFiles:
    """Every file of the site with its (size, modification time in ns), and its folders: one walk,
    so that resolving a link costs no system call."""

    def __init__(self, root: Path):
        self.stats: dict[str, tuple[int, int]] = {}
        self.dirs: set[str] = {""}
        self.symlinks = False  # links are then resolved on disk, as the server would follow them
        # Depth first, each folder's entries by name: the order of a sorted pathlib walk (folder by folder).
        folders, prefixes = [iter(_entries(str(root)))], [""]
        while folders:
            entry = next(folders[-1], None)
            if entry is None:
                folders.pop()
                prefixes.pop()
                continue
            rel = prefixes[-1] + entry.name
            self.symlinks = self.symlinks or entry.is_symlink()
            if entry.is_dir(follow_symlinks=False):
                self.dirs.add(rel)
                folders.append(iter(_entries(entry.path)))
                prefixes.append(rel + "/")
            else:
                st = entry.stat(follow_symlinks=False)
                self.stats[rel] = (st.st_size, st.st_mtime_ns)

    def whole_seconds(self) -> bool:
        """Whether the file system keeps whole seconds only (no file's time has a fraction)."""
        return not any(mtime % 1_000_000_000 for _, mtime in self.stats.values())

    def in_order(self) -> list[str]:
        """The files in the order a sorted pathlib walk gives."""
        return list(self.stats)


def _entries(folder: str) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def normal_rel(rel: str) -> str | None:
    """A site-relative path with `.`, `..` and repeated slashes resolved; None if it leaves the site."""
    parts: list[str] = []
    for part in rel.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def rules_digest() -> str:
    """What a remembered verdict depends on besides the file: the check's rules, this memory and the
    search decoders (the source of this package and of the search files' codec)."""
    digest = hashlib.sha256()
    search = Path(__file__).parents[1] / "search"
    for path in (*sorted(Path(__file__).parent.glob("*.py")), search / "codec.py", search / "terms.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def memory_head(root: Path, base_url: str) -> tuple:
    """What a memory is valid for: this format, Python, marshal, html5lib, rules, site and base URL."""
    return (STATE_FORMAT, sys.version_info[:2], marshal.version, html5lib.__version__, rules_digest(),
            str(root), base_url)


class CheckMemory:
    """What earlier checks found fine. Pages, feeds and sitemaps: their size and time, whether the page
    is an article, and the links they resolved (ids into `links`, (key, file it resolved to)). A page
    is taken as fine again if it is unchanged and every file its links resolved to is still there.
    Result-row and facet chunks: their contents' summary. Search segments: a key of the manifest's
    entry and every file of the segment."""

    def __init__(self, body: dict | None = None):
        body = body or {}
        self.links: list[tuple[str, str]] = body.get("links", [])
        self.ids = {key: n for n, (key, _) in enumerate(self.links)}
        self.old_pages: dict[str, tuple] = body.get("pages", {})
        self.old_rows: dict[str, tuple] = body.get("rows", {})
        self.old_facets: dict[str, tuple] = body.get("facets", {})
        self.old_segments: dict[str, tuple] = body.get("segments", {})
        self.pages: dict[str, tuple] = {}
        self.rows: dict[str, tuple] = {}
        self.facets: dict[str, tuple] = {}
        self.segments: dict[str, tuple] = {}
        self.gone: set[int] = set()

    @classmethod
    def load(cls, path: Path, head: tuple, files: SiteFiles) -> "CheckMemory":
        try:
            data = marshal.loads(path.read_bytes())
            if data[:-1] != head or not isinstance(data[-1], dict):
                return cls()
            memory = cls(data[-1])
            tables = (memory.old_pages, memory.old_rows, memory.old_facets, memory.old_segments)
            if not isinstance(memory.links, list) or not all(isinstance(t, dict) for t in tables):
                return cls()
            memory.gone = {n for n, (_, target) in enumerate(memory.links) if target not in files.stats}
        except Exception:  # missing, damaged or another format: check everything
            return cls()
        return memory

    def save(self, path: Path, head: tuple) -> None:
        if len(self.links) > 2 * len(self.pages) + 10_000:
            self._drop_unused_links()
        body = {"links": self.links, "pages": self.pages, "rows": self.rows, "facets": self.facets,
                "segments": self.segments}
        try:
            write_bytes_atomic(path, marshal.dumps((*head, body)))
        except OSError:
            pass  # remembering is an optimisation: the next check checks everything

    def _drop_unused_links(self) -> None:
        used = sorted({n for _, _, _, ids in self.pages.values() for n in _ids(ids)})
        new_id = {old: new for new, old in enumerate(used)}
        self.links = [self.links[n] for n in used]
        self.ids = {key: n for n, (key, _) in enumerate(self.links)}
        self.pages = {rel: (size, mtime, article, array("I", (new_id[n] for n in _ids(ids))).tobytes())
                      for rel, (size, mtime, article, ids) in self.pages.items()}

    # -- pages, feeds, sitemaps --------------------------------------------
    def fine_page(self, rel: str, stat: tuple[int, int]) -> tuple | None:
        """(size, time, is an article, link ids) if the page was fine and nothing it links to went."""
        entry = self.old_pages.get(rel)
        if entry is None or entry[:2] != stat or (self.gone and not self.gone.isdisjoint(_ids(entry[3]))):
            return None
        self.pages[rel] = entry
        return entry

    def remember_page(self, rel: str, stat: tuple[int, int], article: bool, uses: dict[str, str]) -> None:
        ids = array("I")
        for key in sorted(uses):
            n = self.ids.get(key)
            if n is None or self.links[n][1] != uses[key]:
                n = self.ids[key] = len(self.links)
                self.links.append((key, uses[key]))
            ids.append(n)
        self.pages[rel] = (*stat, article, ids.tobytes())

    # -- search chunks and segments ----------------------------------------
    def summary(self, table: str, rel: str, key: tuple):
        """What was remembered of a search file for `key` (its stat and what it was read with), or None."""
        entry = getattr(self, f"old_{table}").get(rel)
        if entry is None or entry[0] != key:
            return None
        getattr(self, table)[rel] = entry
        return entry[1]

    def remember(self, table: str, rel: str, key: tuple, value) -> None:
        getattr(self, table)[rel] = (key, value)


def _ids(data: bytes) -> array:
    ids = array("I")
    ids.frombytes(data)
    return ids
