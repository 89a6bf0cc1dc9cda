"""Add more new issues to a project left by run.py and time the build after each.

run.py with --runs 1 (the 100k size) measures one new issue; this gives a median of a few more on the
same project, built with the generator of this checkout:

    python benchmarks/more_issues.py /tmp/news-archive-bench/archive-100000 --issues 3 [--files]

With --files it also counts the existing output files each build changed or removed (by hashing the
whole site before and after, which takes a while at 100k): an issue that rebuilds a search segment
changes many more than the others, so a run of several issues shows the average as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import ARTICLE_CHARS, add_issue  # noqa: E402
from run import changed_kinds, snapshot  # noqa: E402


def last_date(content: Path) -> dt.date:
    return max(dt.date(*map(int, p.relative_to(content).parts[:3])) for p in content.rglob("*.md"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path, help="a project folder run.py made (archive-<size>)")
    ap.add_argument("--issues", type=int, default=3)
    ap.add_argument("--seed", type=int, default=300)
    ap.add_argument("--files", action="store_true", help="count the existing files each build changed")
    ap.add_argument("--chars", type=int, default=ARTICLE_CHARS, help="as given to run.py")
    ap.add_argument("--check", action="store_true",
                    help="run `news-archive check` after each build, as the Pages workflow does, and time it")
    args = ap.parse_args()
    size = int(re.fullmatch(r"archive-(\d+)", args.project.name).group(1)) if re.fullmatch(
        r"archive-\d+", args.project.name) else 10_000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, cpu, changed, checks = [], [], [], []
    before = snapshot(args.project / "_site") if args.files else {}
    for k in range(args.issues):
        add_issue(args.project / "content", last_date(args.project / "content"), seed=args.seed + k, size=size,
                  chars=args.chars)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "generator", "build", "--no-ingest"], cwd=args.project,
                             env=env, capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - start)
        now = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and every process it waited for
        cpu.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
        stages = ", ".join(f"{name} {int(ms) / 1000:.2f}" for name, ms in re.findall(r"(\w+) (\d+) ms", out))
        print(f"new issue {k + 1}: {walls[-1]:.2f} s, CPU {cpu[-1]:.1f} s ({stages})", flush=True)
        if args.check:
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=args.project, env=env,
                                  capture_output=True, text=True)
            checks.append(time.perf_counter() - start)
            said = (done.stdout + done.stderr).strip().splitlines()
            print(f"    check: {checks[-1]:.1f} s, exit {done.returncode}: {said[-1] if said else ''}", flush=True)
        if args.files:
            after = snapshot(args.project / "_site")
            changed.append(sum(after.get(p) != h for p, h in before.items()))
            removed = sum(p not in after for p in before)
            print(f"    existing files changed: {changed[-1]} (of which removed: {removed}), new files: "
                  f"{sum(p not in before for p in after)}; {changed_kinds(before, after)}", flush=True)
            before = after
    print(f"median of {len(walls)}: {statistics.median(walls):.2f} s, CPU {statistics.median(cpu):.1f} s")
    if checks:
        print(f"check: median {statistics.median(checks):.1f} s, most {max(checks):.1f} s")
    if changed:
        print(f"existing files changed: median {statistics.median(changed):.0f}, "
              f"mean {statistics.mean(changed):.0f}, most {max(changed)}")


if __name__ == "__main__":
    main()
