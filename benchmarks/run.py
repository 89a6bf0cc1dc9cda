"""Build benchmark on a synthetic archive.

    python benchmarks/run.py --sizes 1000 10000 --runs 3 [--work /tmp/bench]

For each size: a cold full build (no cache, no previous site), a full build with the previous build's
cache (site folder removed), a rebuild with nothing changed, and an incremental build after one new
issue (50 articles). Reports medians of the runs (wall time, peak RSS of the build process, time per
stage as the build reports it), bytes of the output (HTML, search files, everything, and the compressed
tar that GitHub's Pages workflow uploads and checks against its 1 GB limit) and how many
existing output files the incremental build changed or removed. Builds run as separate processes
(`python -m generator build --no-ingest`), as CI runs them. Side by side, on the same articles:
Hugo building them with a minimal theme and Pagefind indexing Hugo's output (hugo_pagefind.py),
with the ratios (`--no-hugo` skips it).

As in CI, where the archive is a git checkout, the generated content is committed to a git repository
in the project folder (not timed), so a build knows unchanged files by git's ids instead of reading
them; the new issue's files are left uncommitted. `--no-git` leaves the project outside git: every
build then reads and hashes every content file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import ARTICLE_CHARS, add_issue, generate  # noqa: E402
from hugo_pagefind import bench_hugo_pagefind  # noqa: E402


def make_project(work: Path, size: int, git: bool = True, chars: int = ARTICLE_CHARS) -> Path:
    project = work / f"archive-{size}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    shutil.copytree(ROOT / "themes", project / "themes")
    generate(project / "content", size, chars=chars)
    if git:
        for args in (["init", "-q"], ["add", "content", "site.yaml", "themes"], ["commit", "-q", "-m", "archive"]):
            subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                           cwd=project, check=True, capture_output=True)
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


class _Counter:
    """A file that only counts what is written to it."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def artifact_bytes(site: Path) -> int:
    """Bytes of the site as GitHub's Pages workflow uploads it: actions/upload-pages-artifact makes a tar
    of the folder, which is compressed (deflate, level 6) when uploaded; deploy-pages compares that size
    with the 1 GB limit. Files in sorted order, so the number is the same on every run."""
    sink = _Counter()
    with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w|", format=tarfile.GNU_FORMAT) as tar:
        for p in sorted(site.rglob("*")):
            tar.add(p, arcname=p.relative_to(site).as_posix(), recursive=False)
    return sink.bytes


def clean(project: Path, cache: bool) -> None:
    shutil.rmtree(project / "_site", ignore_errors=True)
    if cache:
        shutil.rmtree(project / ".cache", ignore_errors=True)


def median_runs(runs: list[dict]) -> dict:
    stages = sorted({k for r in runs for k in r["stages"]}, key=lambda k: list(runs[0]["stages"]).index(k)
                    if k in runs[0]["stages"] else 99)
    return {"wall": statistics.median(r["wall"] for r in runs),
            "stages": {k: statistics.median(r["stages"].get(k, 0) for r in runs) for k in stages}}


def bench(work: Path, size: int, runs: int, hugo: bool, git: bool = True, chars: int = ARTICLE_CHARS) -> dict:
    project = make_project(work, size, git, chars)
    result: dict = {"size": size, "git": git}
    if hugo:
        result["hugo"] = bench_hugo_pagefind(project / "content", work / f"hugo-{size}", runs)
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
    result["bytes"]["artifact"] = artifact_bytes(project / "_site")

    last = max(dt.date(*map(int, p.relative_to(project / "content").parts[:3]))
               for p in (project / "content").rglob("*.md"))
    incremental = []
    changed = []
    for k in range(runs):
        before = snapshot(project / "_site")
        new = add_issue(project / "content", last + dt.timedelta(days=k), seed=100 + k, size=size,
                        chars=chars)
        incremental.append(run_build(project))
        after = snapshot(project / "_site")
        new_pages = {p for p in after if p not in before}
        changed.append(len({p for p in before if after.get(p) != before[p]}))
        result.setdefault("removed_files", []).append(len({p for p in before if p not in after}))
        result.setdefault("new_files", []).append(len(new_pages))
        result.setdefault("changed_kinds", []).append(changed_kinds(before, after))
        assert len(new) == 50
    result["incremental"] = median_runs(incremental)
    result["incremental_changed_files"] = statistics.median(changed)
    return result


def changed_kinds(before: dict[str, str], after: dict[str, str]) -> dict[str, int]:
    """Existing files changed or removed, by the first folder of their path (search, 2024, county...)."""
    kinds: dict[str, int] = {}
    for p in before:
        if after.get(p) != before[p]:
            top = p.split("/")[0] if "/" in p else p
            kind = "articles" if top.isdigit() and p.count("/") >= 5 else "search" if top == "search" else \
                "dates" if top.isdigit() else top
            kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


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
        f"{r['incremental_changed_files']:.0f} (of which removed: {statistics.median(r['removed_files']):.0f}), "
        f"new files: {statistics.median(r['new_files']):.0f}; by run and kind: "
        f"{'; '.join(str(k) for k in r['changed_kinds'])}",
        f"- peak RSS of a cold build: {r['peak_rss_mb']:.0f} MB",
        f"- output: HTML {b['html'] / 1e6:.1f} MB, search {b['search'] / 1e6:.1f} MB, all {b['all'] / 1e6:.1f} MB "
        f"({per_article:.1f} KB per article; search/HTML = {b['search'] / max(b['html'], 1):.2f}); as the Pages "
        f"workflow uploads it (tar, compressed): {b['artifact'] / 1e6:.1f} MB ({b['artifact'] / r['size'] / 1024:.1f} "
        f"KB per article)",
    ] + (hugo_lines(r) if "hugo" in r else []))


def hugo_lines(r: dict) -> list[str]:
    h = r["hugo"]
    both = h["hugo"] + h["pagefind"]
    return [
        f"- Hugo + Pagefind on the same articles: {both:.1f} s (Hugo {h['hugo']:.1f} s, Pagefind {h['pagefind']:.1f} s); "
        f"peak RSS Hugo {h['hugo_rss_mb']:.0f} MB, Pagefind {h['pagefind_rss_mb']:.0f} MB; "
        f"HTML {h['html_bytes'] / 1e6:.1f} MB, Pagefind files {h['pagefind_bytes'] / 1e6:.1f} MB "
        f"(Pagefind/HTML = {h['pagefind_bytes'] / max(h['html_bytes'], 1):.2f})",
        f"- ratios to Hugo + Pagefind: cold {r['cold']['wall'] / both:.2f}x, with the cache "
        f"{r['cached']['wall'] / both:.2f}x, one new issue {r['incremental']['wall'] / both:.2f}x",
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description="Benchmark builds on a synthetic archive.")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/news-archive-bench"))
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo + Pagefind comparison")
    ap.add_argument("--no-git", action="store_true", help="leave the project outside git (every file is read)")
    ap.add_argument("--chars", type=int, default=ARTICLE_CHARS,
                    help=f"mean characters of an article's text (default {ARTICLE_CHARS}; the samples' is ~590)")
    args = ap.parse_args()
    print(f"# benchmark {dt.date.today()} · {os.cpu_count()} cores · python {sys.version.split()[0]} · "
          f"medians of {args.runs} runs · content {'outside git' if args.no_git else 'committed to git'} · "
          f"articles of ~{args.chars} characters\n")
    for size in args.sizes:
        print(report(bench(args.work, size, args.runs, not args.no_hugo, not args.no_git, args.chars)), flush=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
