"""The learned headline model: the committed file, and the script that trains it."""

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

from stories import STORIES

from generator.ingest.headlines import FEATURES_VERSION, MODEL_FILE, HeadlineModel, block_features
from generator.ingest.layout import headline_evidence

from generator.ingest.blocks import make_blocks

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest_eval import TruePage, lay_out, parse_article  # noqa: E402


def page_text(layout: str) -> str:
    page = TruePage(dt.date(2025, 3, 5), 4, tuple(parse_article(k, t) for k, t in STORIES.items()))
    return lay_out(layout, page, random.Random(0))[0]


def probabilities(model: HeadlineModel, text: str) -> tuple[list, list[float]]:
    blocks = make_blocks(text)
    return blocks, model.probabilities(block_features(blocks, headline_evidence(blocks)))


def test_the_committed_model_is_of_the_features_version_and_deterministic():
    assert MODEL_FILE.name == f"headlines-{FEATURES_VERSION}.crfsuite" and MODEL_FILE.is_file()
    assert MODEL_FILE.stat().st_size < 200_000  # small enough to commit and load at every ingest
    text = page_text("indented")
    blocks, first = probabilities(HeadlineModel(), text)
    assert probabilities(HeadlineModel(), text)[1] == first
    assert all(0.0 <= p <= 1.0 for p in first) and len(first) == len(blocks)
    titles = [p for b, p in zip(blocks, first) if b.text.startswith(("黄河滩区", "中学生机器人", "冰雪运动"))]
    assert len(titles) == 3 and min(titles) > 0.5


def test_the_script_trains_a_model_that_tells_headlines_from_body(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    for key, text in STORIES.items():
        (dump / f"{key}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "model.crfsuite"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_headlines.py"), str(dump),
                          "--months", "2025-03", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert out.is_file() and "1 printed pages" in run.stdout
    blocks, p = probabilities(HeadlineModel(out), page_text("plain"))
    heads = [x for b, x in zip(blocks, p) if len(b.text) < 20]
    body = [x for b, x in zip(blocks, p) if len(b.text) >= 40]
    assert min(heads) > max(body)
