"""Train the headline model (generator/ingest/headlines-<FEATURES_VERSION>.crfsuite).

    python3 -m pip install -e '.[bench]'
    python scripts/train_headlines.py /work/dump --months 2019-02,2019-10

DUMP is what benchmarks/ingest_eval.py reads (its docstring says where to get one). Every page of the
months is laid out in each of TRAINING_LAYOUTS (not markdown: a page with marked headings does not use
the model), cut into blocks as ingest cuts them, and each block labelled by the line it starts on:
H for a kicker, title or subtitle, B for anything else. The pages and the training are deterministic,
so the same dump gives the same model. Evaluate on other months with ingest_eval.py. The training data
is built in memory and never written: the dump's text is copyrighted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest_eval import LAYOUTS, lay_out, read_dump  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.ingest.pipeline import make_assembler  # noqa: E402
from generator.ingest.headlines import MODEL_FILE, block_features, labels_of  # noqa: E402
from generator.ingest.layout import headline_evidence, headings_mark_headlines  # noqa: E402
from generator.ingest.blocks import page_blocks  # noqa: E402

# The layouts but markdown (marked headings do not ask the model), and three of another hand's
# that put headline lines apart from each other or run the story in under them; the other variants
# stay out, to measure the model on layouts it never saw.
TRAINING_LAYOUTS = [*(n for n in LAYOUTS if n != "markdown"), "heads-run-in", "heads-spaced", "wrapped-heads"]

# L1 keeps the model small (most features get no weight); L2 keeps the weights that stay moderate.
PARAMS = {"c1": 0.2, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}


def sequences(pages, layouts: list[str], seed: int, assembler):
    for page in pages:
        for name in layouts:
            text, roles = lay_out(name, page, random.Random(f"train-{seed}-{name}-{page.date}-{page.page}"))
            blocks, _ = page_blocks(text, assembler.boundary_score)
            if not blocks or headings_mark_headlines(blocks):
                continue
            yield block_features(blocks, headline_evidence(blocks)), labels_of(blocks, roles)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", type=Path)
    ap.add_argument("--months", default="2019-02,2019-10")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args()
    import pycrfsuite
    pages = read_dump(args.dump, set(args.months.split(",")))
    if not pages:
        sys.exit(f"{args.dump}: no article files of {args.months}")
    assembler = make_assembler(load_config(ROOT / "site.yaml"))
    trainer = pycrfsuite.Trainer(verbose=False)
    start = time.perf_counter()
    count = items = 0
    for features, labels in sequences(pages, TRAINING_LAYOUTS, args.seed, assembler):
        trainer.append(features, labels)
        count += 1
        items += len(labels)
    trainer.set_params(PARAMS)
    trainer.train(str(args.out))
    print(f"{args.out}: {count} pages, {items} blocks of {len(pages)} printed pages ({args.months}); "
          f"{args.out.stat().st_size:,} bytes; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
