"""Writing the site: new and changed files go to a staging folder first, and reach the site only
once the whole build has succeeded.

Must stay true: every path goes through one safe join that refuses paths escaping the output folder
and a path written twice; a file whose fingerprint matches the previous build's is kept as it is (the
bytes are the same by construction, so an incremental build equals a full one); and a journal written
before the first move lets the next build finish an interrupted commit, so the site is never left
half old, half new.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import marshal
import multiprocessing as mp
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Callable

from generator.base.files import write_bytes_atomic, write_text_atomic
from generator.errors import SiteError
from generator.base.workers import run_in_background

MANIFEST = "output-manifest.marshal"
OLD_MANIFEST = "output-manifest.json"  # (in JSON until format 3: removed when the new one is written)
JOURNAL = "output-journal.json"
MANIFEST_FORMAT = 3


# A path in its normal form that cannot escape: segments of letters, digits, "_", "-" and ".", none
# starting with "." (so no "." or ".."), one "/" between them. Nearly every path the site has (250,000
# at 100k articles, each build) is one, and matching it costs a tenth of the general checks below.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


def safe_relpath(rel: str) -> str:
    """Normalise a site-relative file path or refuse it."""
    if _PLAIN_PATH.fullmatch(rel):
        return rel
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise SiteError(f"refusing to write outside the output folder: {rel!r}")
    parts = [p for p in rel.split("/") if p]  # as PurePosixPath: repeated and trailing slashes go
    if any(p in ("..", ".") for p in parts) or not parts or ":" in parts[0]:
        raise SiteError(f"refusing to write outside the output folder: {rel!r}")
    return "/".join(parts)


def beside(out_dir: Path, what: str) -> Path:
    """A folder next to the output folder: its staging folder, or the old site during a swap."""
    return out_dir.parent / f".{out_dir.name}.{what}"


class SiteListing:
    """The files of the previous build's site, listed by a forked process while the build reads its
    content: an incremental build needs them, and walking 100,000 article folders costs a second of
    system time that the second core can spend. Without fork, or if the process fails, the files are
    listed here when asked for. Start it before anything moves files in the site (see `start`)."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._files: set[str] | None = None
        self._process = self._conn = None
        if "fork" in mp.get_all_start_methods():
            context = mp.get_context("fork")
            self._conn, sending = context.Pipe(duplex=False)
            self._process = context.Process(target=_send_listing, args=(str(self.root), sending), daemon=True)
            self._process.start()
            sending.close()

    @classmethod
    def start(cls, out_dir: Path, cache_dir: Path) -> "SiteListing | None":
        """A listing begun now, if the next Output will want one: there is a site and a manifest of it,
        and no interrupted commit to finish first (that would change the files)."""
        if (not out_dir.is_dir() or not (cache_dir / MANIFEST).exists() or (cache_dir / JOURNAL).exists()
                or beside(out_dir.resolve(), "old").exists()):
            return None
        return cls(out_dir)

    def files(self) -> set[str]:
        if self._files is None:
            if self._conn is not None:
                try:
                    data = self._conn.recv_bytes()
                    self._files = set(data.decode("utf-8", "surrogateescape").split("\0")) if data else set()
                except (EOFError, OSError):
                    pass  # the process failed: list here
            self.close()
            if self._files is None:
                self._files = _files_below(self.root)
        return self._files

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None

    def __enter__(self) -> "SiteListing":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _send_listing(root: str, conn) -> None:
    run_in_background()
    try:
        files = _files_below(Path(root))
        conn.send_bytes("\0".join(files).encode("utf-8", "surrogateescape"))
    except Exception:
        pass  # the parent sees the pipe closed and lists the files itself
    finally:
        conn.close()


class Output:
    def __init__(self, out_dir: Path, cache_dir: Path, listing: SiteListing | None = None):
        self.out_dir = out_dir.resolve()
        self.listing = listing  # the site's files, listed in the background
        self.cache_dir = cache_dir
        self.staging = beside(self.out_dir, "staging")
        self.old = beside(self.out_dir, "old")
        self.previous: dict[str, list] = {}  # rel -> [fingerprint, size] of the previous build
        self.live: set[str] = set()  # files in the site now, when this build commits in place
        self.manifest: dict[str, list] = {}
        self.staged: list[str] = []  # files written into the staging folder
        self.reused = 0
        self.rendered = 0
        self.bytes_by_kind: dict[str, int] = {}

    # -- lifecycle -------------------------------------------------------
    def __enter__(self) -> "Output":
        self._recover()
        self.previous = self._read_manifest()
        if self.previous and self.out_dir.is_dir():
            usable = self.listing is not None and self.listing.root == self.out_dir
            self.live = self.listing.files() if usable else _files_below(self.out_dir)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        try:
            self.staging.mkdir(parents=True)
        except OSError as exc:
            raise SiteError(f"cannot create the output folder: {exc.strerror}", path=str(self.staging)) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and not self._journal_path().exists():
            shutil.rmtree(self.staging, ignore_errors=True)  # (a begun commit needs its staged files)

    def _recover(self) -> None:
        """Finish what a build killed while committing left: a journal to complete, or a swap
        stopped between its two renames (the site is in `.old`)."""
        journal = self._journal_path()
        if journal.exists():
            try:
                data = json.loads(journal.read_text(encoding="utf-8"))
                if data.get("output") == str(self.out_dir):
                    self._apply(data["moves"], data["deletes"])
            except (OSError, ValueError, KeyError):
                pass
            # Whatever the interrupted commit reached, this build trusts no file of the old site.
            self._manifest_path().unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
        if self.old.exists() and not self.out_dir.exists():
            os.replace(self.old, self.out_dir)
        elif self.old.exists():
            shutil.rmtree(self.old)

    def commit(self) -> None:
        """Put the staged files in place. Nothing in the site changes before this point."""
        if self.live:
            self._commit_in_place()
        else:
            self._swap()
        self._write_manifest(self.manifest)

    def _swap(self) -> None:
        # Forget the old manifest first: if we die after the swap, the next build renders everything.
        self._manifest_path().unlink(missing_ok=True)
        try:
            if self.out_dir.exists():
                os.replace(self.out_dir, self.old)
            os.replace(self.staging, self.out_dir)
        except OSError as exc:
            raise SiteError(f"cannot replace the output folder: {exc.strerror}", path=str(self.out_dir)) from None
        shutil.rmtree(self.old, ignore_errors=True)

    def _commit_in_place(self) -> None:
        deletes = sorted(self.live - self.manifest.keys())
        journal = {"output": str(self.out_dir), "moves": self.staged, "deletes": deletes}
        try:
            write_text_atomic(self._journal_path(), json.dumps(journal, sort_keys=True))
        except OSError as exc:
            raise SiteError(f"cannot write the build journal: {exc.strerror}", path=str(self.cache_dir)) from None
        self._manifest_path().unlink(missing_ok=True)
        try:
            self._apply(self.staged, deletes)
        except OSError as exc:
            raise SiteError(f"cannot update the output folder: {exc.strerror} (the next build finishes it)",
                            path=str(self.out_dir)) from None
        self._journal_path().unlink(missing_ok=True)

    def _apply(self, moves: list[str], deletes: list[str]) -> None:
        """Delete the files no longer made and move the staged ones into the site; safe to repeat.
        Deleting first clears the way where a file becomes a folder or a folder a file."""
        for rel in deletes:
            target = self.out_dir / rel
            try:
                target.unlink()
            except FileNotFoundError:
                pass
            _remove_empty_parents(target.parent, self.out_dir)
        for rel in moves:
            source = self.staging / rel
            if source.exists():
                target = self.out_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        shutil.rmtree(self.staging, ignore_errors=True)

    # -- writing -----------------------------------------------------------
    def write(self, rel: str, data: bytes, kind: str = "other", fingerprint: str | None = None) -> None:
        """Write a file, unless the previous build wrote the same bytes (or fingerprint) to it."""
        rel = safe_relpath(rel)
        fingerprint = fingerprint or "sha256:" + hashlib.sha256(data).hexdigest()
        if self.keep(rel, fingerprint, kind):
            return
        self._stage(rel, data, kind, fingerprint)

    def write_cached(self, rel: str, fingerprint: str, produce: Callable[[], bytes], kind: str = "html") -> None:
        """Write `produce()` unless the previous build wrote the same fingerprint to `rel`."""
        safe = safe_relpath(rel)
        if self.keep(safe, fingerprint, kind):
            return
        self.write_new(safe, fingerprint, produce(), kind)

    def write_new(self, safe: str, fingerprint: str, data: bytes, kind: str = "html") -> None:
        """Write a file that keep() said is not reusable (`safe`: a path from safe_relpath)."""
        self.rendered += kind == "html"
        self._stage(safe, data, kind, fingerprint)

    def reuse(self, rel: str, fingerprint: str, kind: str) -> bool:
        """Keep the previous build's file if it was written with this fingerprint; False if not."""
        return self.keep(safe_relpath(rel), fingerprint, kind)

    def keep(self, safe: str, fingerprint: str, kind: str) -> bool:
        """reuse() for a path that already went through safe_relpath (once per page is enough)."""
        if safe in self.manifest:
            raise SiteError(f"two outputs write the same file: {safe}")
        previous = self.previous.get(safe)
        if previous is None or previous[0] != fingerprint or safe not in self.live:
            return False
        self.manifest[safe] = previous
        self.bytes_by_kind[kind] = self.bytes_by_kind.get(kind, 0) + previous[1]
        self.reused += kind == "html"  # the report counts pages
        return True

    def reserve(self, rel: str) -> Path:
        """Where a worker process writes `rel` in the staging folder; `staged` records it after."""
        if rel in self.manifest:
            raise SiteError(f"two outputs write the same file: {rel}")
        self.manifest[rel] = ["", 0]
        return self.staging / rel

    def staged_by_worker(self, rel: str, fingerprint: str, size: int, kind: str = "html") -> None:
        self.rendered += kind == "html"
        self._record(rel, fingerprint, size, kind)

    def _stage(self, rel: str, data: bytes, kind: str, fingerprint: str) -> None:
        if rel in self.manifest:
            raise SiteError(f"two outputs write the same file: {rel}")
        target = self.staging / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise SiteError(f"cannot write {rel}: {exc.strerror}", path=str(self.out_dir)) from None
        self._record(rel, fingerprint, len(data), kind)

    def _record(self, rel: str, fingerprint: str, size: int, kind: str) -> None:
        self.manifest[rel] = [fingerprint, size]
        self.staged.append(rel)
        self.bytes_by_kind[kind] = self.bytes_by_kind.get(kind, 0) + size

    # -- from a forked process --------------------------------------------------
    def mark(self) -> tuple:
        """Where the output is now, for effects_since() in a process forked after this point."""
        return len(self.manifest), len(self.staged), dict(self.bytes_by_kind), self.rendered, self.reused

    def effects_since(self, mark: tuple) -> tuple:
        """What this process wrote and kept since `mark` (the files themselves are in the staging
        folder both processes share), for apply_effects() in the process it was forked from."""
        files, staged, kinds, rendered, reused = mark
        return (list(itertools.islice(self.manifest.items(), files, None)), self.staged[staged:],
                {k: v - kinds.get(k, 0) for k, v in self.bytes_by_kind.items()},
                self.rendered - rendered, self.reused - reused)

    def apply_effects(self, effects: tuple) -> None:
        files, staged, kinds, rendered, reused = effects
        for rel, entry in files:
            if rel in self.manifest:
                raise SiteError(f"two outputs write the same file: {rel}")
            self.manifest[rel] = entry
        self.staged.extend(staged)
        for kind, size in kinds.items():
            self.bytes_by_kind[kind] = self.bytes_by_kind.get(kind, 0) + size
        self.rendered += rendered
        self.reused += reused

    # -- manifest ----------------------------------------------------------
    def _manifest_path(self) -> Path:
        return self.cache_dir / MANIFEST

    def _journal_path(self) -> Path:
        return self.cache_dir / JOURNAL

    # Every build reads and writes the whole manifest (260,000 files at 100,000 articles): in marshal's
    # format that takes a tenth of the time JSON took (~1 s). marshal's format may change between
    # Python versions, so the version that wrote it is checked; anything unexpected reads as no manifest.

    def _read_manifest(self) -> dict[str, list]:
        try:
            data = marshal.loads(self._manifest_path().read_bytes())
            head, files = data[:-1], data[-1]
        except Exception:  # missing, damaged, or not marshal's: render everything
            return {}
        if head != self._manifest_head() or not isinstance(files, dict):
            return {}
        return files

    def _write_manifest(self, files: dict[str, list]) -> None:
        try:
            write_bytes_atomic(self._manifest_path(), marshal.dumps((*self._manifest_head(), files)))
            (self.cache_dir / OLD_MANIFEST).unlink(missing_ok=True)
        except OSError:
            pass  # the cache is an optimisation: a missing manifest means a full render next time

    def _manifest_head(self) -> tuple:
        return (MANIFEST_FORMAT, sys.version_info[:2], marshal.version, str(self.out_dir))


def _files_below(root: Path) -> set[str]:
    """Every file below root, as relative POSIX paths (a scandir walk: no stat per file)."""
    out: set[str] = set()
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    out.add(prefix + entry.name)
    return out


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent
