"""Helpers shared by the build tests and the golden-site command."""

import shutil
from pathlib import Path

from generator.build import build
from generator.config import load_config

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.org/archive/"


def make_project(where: Path, search_index: str | None = None) -> Path:
    """A copy of the sample project; `search_index` forces the search mode (single or sharded)."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "site.yaml", where / "site.yaml")
    if search_index:
        text = (where / "site.yaml").read_text(encoding="utf-8")
        assert "\n  index: auto\n" in text
        (where / "site.yaml").write_text(text.replace("\n  index: auto\n", f"\n  index: {search_index}\n"),
                                         encoding="utf-8")
    shutil.copytree(ROOT / "themes", where / "themes")
    shutil.copytree(ROOT / "seeds", where / "seeds")
    return where


def build_project(project: Path, out: Path | None = None, base_url: str = BASE_URL):
    config = load_config(project / "site.yaml", base_url=base_url)
    return build(config, out_dir=out)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def add_newer_issue(project):
    """A new issue arrives: one more raw page (a copy of a sample under a later date)."""
    manifest = project / "seeds" / "pages.yaml"
    shutil.copy(project / "seeds" / "000_34433e4ac3410385.txt", project / "seeds" / "100_new.txt")
    manifest.write_text(manifest.read_text(encoding="utf-8") + "100_new.txt: {paper: dzrb, date: 2024-10-05}\n",
                        encoding="utf-8")
