"""Writing the site: into a staging folder beside the output, swapped in only on success.

Every file goes through one safe join that refuses paths escaping the output
folder and refuses writing the same path twice. A page whose fingerprint
(template, theme and data) matches the previous build's is linked from the
previous output instead of rendered again: the bytes are the same by
construction, and an incremental build equals a full one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Callable

from .errors import SiteError

MANIFEST = "output-manifest.json"


def safe_relpath(rel: str) -> str:
    """Normalise a site-relative file path or refuse it."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise SiteError(f"refusing to write outside the output folder: {rel!r}")
    parts = PurePosixPath(rel).parts
    if any(p in ("..", ".", "") for p in parts) or ":" in parts[0]:
        raise SiteError(f"refusing to write outside the output folder: {rel!r}")
    return "/".join(parts)


class Output:
    def __init__(self, out_dir: Path, cache_dir: Path):
        self.out_dir = out_dir.resolve()
        self.cache_dir = cache_dir
        self.staging = self.out_dir.parent / f".{self.out_dir.name}.staging"
        self.old = self.out_dir.parent / f".{self.out_dir.name}.old"
        self.previous = self._read_manifest()
        self.manifest: dict[str, str] = {}
        self.reused = 0
        self.rendered = 0
        self.bytes_by_kind: dict[str, int] = {}

    # -- lifecycle -------------------------------------------------------
    def __enter__(self) -> "Output":
        self._recover()
        if self.staging.exists():
            shutil.rmtree(self.staging)
        try:
            self.staging.mkdir(parents=True)
        except OSError as exc:
            raise SiteError(f"cannot create the output folder: {exc.strerror}", path=str(self.staging)) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _recover(self) -> None:
        """A build killed between the two renames of a swap left the site in `.old`."""
        if self.old.exists() and not self.out_dir.exists():
            os.replace(self.old, self.out_dir)
        elif self.old.exists():
            shutil.rmtree(self.old)

    def commit(self) -> None:
        """Swap the staged site in; the previous site stays until the new one is complete."""
        # Forget the old manifest first: if we die after the swap, the next build renders everything.
        self._manifest_path().unlink(missing_ok=True)
        try:
            if self.out_dir.exists():
                os.replace(self.out_dir, self.old)
            os.replace(self.staging, self.out_dir)
        except OSError as exc:
            raise SiteError(f"cannot replace the output folder: {exc.strerror}", path=str(self.out_dir)) from None
        shutil.rmtree(self.old, ignore_errors=True)
        self._write_manifest()

    # -- writing -----------------------------------------------------------
    def write(self, rel: str, data: bytes, kind: str = "other", fingerprint: str | None = None) -> None:
        rel = safe_relpath(rel)
        if rel in self.manifest:
            raise SiteError(f"two outputs write the same file: {rel}")
        target = self.staging / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise SiteError(f"cannot write {rel}: {exc.strerror}", path=str(self.out_dir)) from None
        self.manifest[rel] = fingerprint or ""
        self.bytes_by_kind[kind] = self.bytes_by_kind.get(kind, 0) + len(data)

    def write_cached(self, rel: str, fingerprint: str, produce: Callable[[], bytes], kind: str = "html") -> None:
        """Write `produce()` unless the previous build wrote the same fingerprint to `rel`."""
        safe = safe_relpath(rel)
        if self.reuse(safe, fingerprint, kind):
            self.reused += kind == "html"  # the report counts pages
            return
        self.rendered += kind == "html"
        self.write(safe, produce(), kind, fingerprint)

    def reuse(self, rel: str, fingerprint: str, kind: str) -> bool:
        """Link the previous build's file if it was written with this fingerprint; False if not."""
        safe = safe_relpath(rel)
        if self.previous.get(safe) != fingerprint or not self._link_previous(safe):
            return False
        self.manifest[safe] = fingerprint
        self.bytes_by_kind[kind] = self.bytes_by_kind.get(kind, 0) + (self.staging / safe).stat().st_size
        return True

    def size_of(self, rel: str) -> int:
        return (self.staging / safe_relpath(rel)).stat().st_size

    def _link_previous(self, rel: str) -> bool:
        if rel in self.manifest:
            raise SiteError(f"two outputs write the same file: {rel}")
        source = self.out_dir / rel
        target = self.staging / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
        except OSError:
            return False
        return True

    # -- manifest ----------------------------------------------------------
    def _manifest_path(self) -> Path:
        return self.cache_dir / MANIFEST

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads(self._manifest_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("output") != str(self.out_dir):
            return {}
        return data.get("files", {})

    def _write_manifest(self) -> None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = self._manifest_path().with_suffix(".tmp")
            tmp.write_text(json.dumps({"output": str(self.out_dir), "files": self.manifest}, sort_keys=True),
                           encoding="utf-8")
            os.replace(tmp, self._manifest_path())
        except OSError:
            pass  # the cache is an optimisation: a missing manifest means a full render next time
