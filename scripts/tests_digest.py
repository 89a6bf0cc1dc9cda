"""Print a digest of everything the test suite's verdict depends on, for the Pages workflow.

    python scripts/tests_digest.py

The tests use the code, the theme, the tests themselves, the project's files, the sample raw pages
(those tests/expected/samples.yaml names, with their lines of seeds/pages.yaml) and the sample
articles (those tests/expected/labels.yaml labels), with this Python, these installed packages and
this browser. They do not use the issues published since, in seeds/ and content/. The workflow
remembers the digests whose tests passed and skips the tests when a new issue leaves the digest as
it is: publishing an issue then costs the build and the check, not ~5 minutes of tests again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ("seeds/", "content/")  # what publishing issues adds to


def tracked_files(root: Path) -> list[str]:
    """The files git tracks (as in the working tree), issues' raw pages and articles aside."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    return sorted(rel for rel in listed.decode("utf-8").split("\0") if rel and not rel.startswith(ARCHIVE))


def sample_files(root: Path) -> list[str]:
    """The sample raw pages and the sample articles' files (the tests check they are all there)."""
    expected = root / "tests" / "expected"
    pages = sorted(yaml.safe_load((expected / "samples.yaml").read_text(encoding="utf-8")))
    labelled = yaml.safe_load((expected / "labels.yaml").read_text(encoding="utf-8"))
    articles = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md") if p.stem in labelled)
    return [f"seeds/{name}" for name in pages] + articles


def sample_manifest(root: Path) -> str:
    """The samples' lines of seeds/pages.yaml, as data."""
    manifest = yaml.safe_load((root / "seeds" / "pages.yaml").read_text(encoding="utf-8")) or {}
    pages = yaml.safe_load((root / "tests" / "expected" / "samples.yaml").read_text(encoding="utf-8"))
    return repr(sorted((name, sorted(manifest.get(name, {}).items())) for name in pages))


def environment() -> str:
    """Python, every installed distribution with its version, and the browser the tests drive."""
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    browser = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    try:
        version = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = "none"
    return "\n".join([sys.version, *packages, f"browser {browser} {version}"])


def tests_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for rel in tracked_files(root) + sample_files(root):
        path = root / rel
        data = path.read_bytes() if path.is_file() else b"(missing)"
        digest.update(f"{rel}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    digest.update(sample_manifest(root).encode())
    digest.update(environment().encode())
    return digest.hexdigest()


if __name__ == "__main__":
    print(tests_digest(ROOT))
