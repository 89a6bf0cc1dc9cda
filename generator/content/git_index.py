"""What git knows of the content folder: the blob id of every file git's index says is unchanged on
disk, so that a fresh CI checkout (where every file's time is new) still finds its parsed articles in
the build cache without reading them.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


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
