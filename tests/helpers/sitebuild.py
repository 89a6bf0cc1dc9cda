"""Helpers shared by the build tests and the golden-site command."""

import re
import shutil
from pathlib import Path

import yaml

from generator.build import build
from generator.config import load_config
from generator.search import postings, segments

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://example.org/archive/"
# What `build` and `check` print on stderr as each stage finishes, when stderr is not a terminal.
STAGE_LINE = re.compile(r"(build|check): (\w+)(?: ([\d,]+) (\w+))? in \d+\.\d\d s")
EXPECTED_SAMPLES = ROOT / "tests" / "expected" / "samples.yaml"  # the sample raw pages' articles
EXPECTED_LABELS = ROOT / "tests" / "expected" / "labels.yaml"  # the sample articles' counties and topics


def sample_pages() -> list[str]:
    """The names of the sample raw pages: those tests/expected/samples.yaml has the articles of."""
    return sorted(yaml.safe_load(EXPECTED_SAMPLES.read_text(encoding="utf-8")))


def sample_article_files() -> list[Path]:
    """The content files of the sample articles (those tests/expected/labels.yaml labels): content/
    also holds the articles of the issues published since, which the tests must not depend on."""
    labelled = yaml.safe_load(EXPECTED_LABELS.read_text(encoding="utf-8"))
    files = [p for p in sorted((ROOT / "content").rglob("*.md")) if p.stem in labelled]
    assert len(files) == len(labelled), "sample articles missing from content/"
    return files


def copy_samples(seeds: Path) -> None:
    """The sample raw pages and their lines of seeds/pages.yaml, into a seeds folder, and nothing else
    that seeds/ holds: a new issue is published by adding its raw pages there, and that must not
    change what the tests build (nor make them fail, which would stop the Pages workflow)."""
    names = sample_pages()
    manifest = yaml.safe_load((ROOT / "seeds" / "pages.yaml").read_text(encoding="utf-8")) or {}
    missing = [name for name in names if name not in manifest or not (ROOT / "seeds" / name).is_file()]
    assert not missing, f"sample pages missing from seeds/ or seeds/pages.yaml: {missing}"
    seeds.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(ROOT / "seeds" / name, seeds / name)
    (seeds / "pages.yaml").write_text(yaml.safe_dump({name: manifest[name] for name in names}, allow_unicode=True),
                                      encoding="utf-8")


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
    copy_samples(where / "seeds")
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


def sharded_project(where, monkeypatch):
    """The sample project with sharded search and tiny segment sizes, so that 51 articles make a
    sealed segment, a large one and a tail."""
    monkeypatch.setattr(segments, "LEVELS", (32, 16, 4))
    monkeypatch.setattr(postings, "POSTINGS_PER_FILE", 500)
    monkeypatch.setattr(postings, "OWN_FILE_FROM", 12)  # common terms get files of their own
    monkeypatch.setattr(postings, "DENSE_MIN_DOCS", 8)  # the sealed and large segments have length tables
    return make_project(where, search_index="sharded")
