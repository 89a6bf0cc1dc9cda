"""Add more new issues to a project left by run.py and time the build after each.

run.py with --runs 1 (the 100k size) measures one new issue; this gives a median of a few more on the
same project, built with the generator of this checkout:

    python benchmarks/more_issues.py /tmp/news-archive-bench/archive-100000 --issues 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import add_issue  # noqa: E402


def last_date(content: Path) -> dt.date:
    return max(dt.date(*map(int, p.relative_to(content).parts[:3])) for p in content.rglob("*.md"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path, help="a project folder run.py made (archive-<size>)")
    ap.add_argument("--issues", type=int, default=3)
    ap.add_argument("--seed", type=int, default=300)
    args = ap.parse_args()
    size = int(re.fullmatch(r"archive-(\d+)", args.project.name).group(1)) if re.fullmatch(
        r"archive-\d+", args.project.name) else 10_000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls = []
    for k in range(args.issues):
        add_issue(args.project / "content", last_date(args.project / "content"), seed=args.seed + k, size=size)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "generator", "build", "--no-ingest"], cwd=args.project,
                             env=env, capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - start)
        stages = ", ".join(f"{name} {int(ms) / 1000:.2f}" for name, ms in re.findall(r"(\w+) (\d+) ms", out))
        print(f"new issue {k + 1}: {walls[-1]:.1f} s ({stages})", flush=True)
    print(f"median of {len(walls)}: {statistics.median(walls):.1f} s")


if __name__ == "__main__":
    main()
