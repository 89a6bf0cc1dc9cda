"""Print what ingest makes of the sample pages, in the form of tests/expected/samples.yaml.

Used to draft that file; the file itself is checked and corrected by hand.
    python tests/helpers/dump_expected.py > /tmp/draft.yaml
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.ingest.pipeline import page_articles  # noqa: E402
from generator.ingest.manifest import load_manifest  # noqa: E402
from generator.ingest.read import read_raw  # noqa: E402

FIELDS = ("title", "kicker", "subtitle", "column", "kind", "authors", "correspondents", "photographers", "county")


def sentences(body: str) -> list[str]:
    text = re.sub(r"\\(.)", r"\1", body.replace("\n\n", ""))
    return [s for s in re.split(r"(?<=[。！？])(?![”’）])|(?<=[。！？][”’）])", text) if s.strip()]


def summarise(article) -> dict:
    d = {k: getattr(article, k) for k in FIELDS if getattr(article, k) or k in ("title", "kind", "county")}
    s = sentences(article.body)
    d["first"], d["last"] = s[0], s[-1]
    return d


def ingest_samples(seeds: Path, text_of=lambda p: None, names: list[str] | None = None) -> dict[str, list]:
    """The articles of each raw page in `seeds` (only those `names`, if given)."""
    cfg = load_config(ROOT / "site.yaml")
    manifest = load_manifest(seeds, cfg)
    out = {}
    for p in sorted(seeds / name for name in names) if names is not None else sorted(seeds.glob("*.txt")):
        text = text_of(p) or read_raw(p, p.name)
        out[p.name] = page_articles(text, p.name, manifest[p.name], cfg).articles
    return out


if __name__ == "__main__":
    data = {name: [summarise(a) for a in arts] for name, arts in ingest_samples(ROOT / "seeds").items()}
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=200)
