"""One build at a time per output folder."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from generator.errors import SiteError


@contextmanager
def build_lock(out_dir: Path):
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SiteError(f"another build is writing {out_dir.name}/ (lock {lock_path.name}); try again when it ends",
                            path=str(out_dir)) from None
        yield
    finally:
        os.close(fd)
