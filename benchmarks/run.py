"""Build benchmark on a synthetic archive.

    python benchmarks/run.py --sizes 1000 10000 --runs 3 [--work /tmp/bench]

For each size: a cold full build (no cache, no previous site), a full build with the previous build's
cache (site folder removed), a rebuild with nothing changed, and an incremental build after one new
issue (50 articles). Reports medians of the runs (wall time, peak RSS of the build process, time per
stage as the build reports it), bytes of the output (HTML, search files, everything) and how many
output files the incremental build changed. Builds run as separate processes
(`python -m generator build --no-ingest`), as CI runs them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import add_issue, generate  # noqa: E402


def make_project(work: Path, size: int) -> Path:
    project = work / f"archive-{size}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    shutil.copytree(ROOT / "themes", project / "themes")
    generate(project / "content", size)
    return project


def run_build(project: Path) -> dict:
    """One build in its own process: wall seconds, peak RSS (MB, the kernel's accounting of the child)
    and the stages it reports."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-ingest"], cwd=project, env=env,
                                stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if status != 0:
            err.seek(0)
            raise SystemExit(f"build failed in {project}:\n{err.read()}")
    stages = {name: int(ms) / 1000 for name, ms in re.findall(r"(\w+) (\d+) ms", out)}
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "stages": stages}


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def sizes_of(site: Path) -> dict[str, int]:
    out = {"html": 0, "search": 0, "all": 0}
    for p in site.rglob("*"):
        if p.is_file():
            n = p.stat().st_size
            out["all"] += n
            if p.suffix == ".html":
                out["html"] += n
            if p.relative_to(site).parts[0] == "search":
                out["search"] += n
    return out


def clean(project: Path, cache: bool) -> None:
    shutil.rmtree(project / "_site", ignore_errors=True)
    if cache:
        shutil.rmtree(project / ".cache", ignore_errors=True)


def median_runs(runs: list[dict]) -> dict:
    stages = sorted({k for r in runs for k in r["stages"]}, key=lambda k: list(runs[0]["stages"]).index(k)
                    if k in runs[0]["stages"] else 99)
    return {"wall": statistics.median(r["wall"] for r in runs),
            "stages": {k: statistics.median(r["stages"].get(k, 0) for r in runs) for k in stages}}


def bench(work: Path, size: int, runs: int) -> dict:
    project = make_project(work, size)
    result: dict = {"size": size}
    cold = []
    for _ in range(runs):
        clean(project, cache=True)
        cold.append(run_build(project))
    result["cold"] = median_runs(cold)
    result["peak_rss_mb"] = max(r["rss_mb"] for r in cold)
    warm = []
    for _ in range(runs):
        clean(project, cache=False)
        warm.append(run_build(project))
    result["cached"] = median_runs(warm)
    result["unchanged"] = median_runs([run_build(project) for _ in range(runs)])
    result["bytes"] = sizes_of(project / "_site")

    last = max(dt.date(*map(int, p.relative_to(project / "content").parts[:3]))
               for p in (project / "content").rglob("*.md"))
    incremental = []
    changed = []
    for k in range(runs):
        before = snapshot(project / "_site")
        new = add_issue(project / "content", last + dt.timedelta(days=k), seed=100 + k, size=size)
        incremental.append(run_build(project))
        after = snapshot(project / "_site")
        new_pages = {p for p in after if p not in before}
        changed.append(len({p for p in before if after.get(p) != before[p]}))
        result.setdefault("new_files", []).append(len(new_pages))
        assert len(new) == 50
    result["incremental"] = median_runs(incremental)
    result["incremental_changed_files"] = statistics.median(changed)
    return result


def report(r: dict) -> str:
    def stages(s):
        return ", ".join(f"{k} {v:.2f}" for k, v in s.items())
    b = r["bytes"]
    per_article = b["all"] / r["size"] / 1024
    return "\n".join([
        f"## {r['size']:,} articles",
        f"- cold full build: {r['cold']['wall']:.1f} s (stages, s: {stages(r['cold']['stages'])})",
        f"- full build with the cache (site removed): {r['cached']['wall']:.1f} s "
        f"(stages: {stages(r['cached']['stages'])})",
        f"- rebuild, nothing changed: {r['unchanged']['wall']:.1f} s",
        f"- one new issue (50 articles): {r['incremental']['wall']:.1f} s "
        f"(stages: {stages(r['incremental']['stages'])}); existing output files changed: "
        f"{r['incremental_changed_files']:.0f}, new files: {statistics.median(r['new_files']):.0f}",
        f"- peak RSS of a cold build: {r['peak_rss_mb']:.0f} MB",
        f"- output: HTML {b['html'] / 1e6:.1f} MB, search {b['search'] / 1e6:.1f} MB, all {b['all'] / 1e6:.1f} MB "
        f"({per_article:.1f} KB per article; search/HTML = {b['search'] / max(b['html'], 1):.2f})",
    ])


def main() -> int:
    ap = argparse.ArgumentParser(description="Benchmark builds on a synthetic archive.")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/news-archive-bench"))
    args = ap.parse_args()
    print(f"# benchmark {dt.date.today()} · {os.cpu_count()} cores · python {sys.version.split()[0]} · "
          f"medians of {args.runs} runs\n")
    for size in args.sizes:
        print(report(bench(args.work, size, args.runs)), flush=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
