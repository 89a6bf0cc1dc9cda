"""--strict turns every warning into an error (CI builds with it)."""

import os
import re
import shutil
import subprocess
import sys

from sitebuild import ROOT, add_newer_issue, make_project, tree


def run(project, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", "build", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_warning_fails_a_strict_build_and_only_warns_otherwise(tmp_path):
    project = make_project(tmp_path / "p")
    for raw in sorted((project / "seeds").glob("*.txt"))[1:]:
        raw.unlink()
    shutil.copy(ROOT / "seeds" / "003_b4e0627ec94ce713.txt", project / "seeds" / "new-page.txt")  # not in pages.yaml
    strict = run(project, "--strict")
    assert strict.returncode == 1
    assert "error: seeds/new-page.txt: not in pages.yaml; inferred paper" in strict.stderr
    assert "(an error with --strict)" in strict.stderr
    assert not (project / "content").exists() and not (project / "_site").exists()  # nothing was written
    relaxed = run(project)
    assert relaxed.returncode == 0 and "warning: seeds/new-page.txt" in relaxed.stderr


def set_site_limit(project, megabytes):
    with open(project / "site.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"publish:\n  max_site_mb: {megabytes}\n")


def test_a_site_over_the_publishing_limit_warns_and_a_strict_build_keeps_the_previous_site(tmp_path):
    project = make_project(tmp_path / "p")
    set_site_limit(project, 0.5)  # the sample site is ~1.1 MB
    relaxed = run(project)
    assert relaxed.returncode == 0, relaxed.stderr
    warning = re.search(r"warning: _site: the site is (\d+) MB, over publish.max_site_mb \(0.5 MB\): GitHub Pages",
                        relaxed.stderr)
    assert warning and int(warning.group(1)) == round(size_of(project / "_site") / 1_000_000)
    before = tree(project / "_site")
    add_newer_issue(project)
    strict = run(project, "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "error: _site: the site is" in strict.stderr and "with --strict the site is not written" in strict.stderr
    assert tree(project / "_site") == before


def test_a_site_under_the_limit_or_with_no_limit_builds_without_a_size_warning(tmp_path):
    project = make_project(tmp_path / "p")
    set_site_limit(project, 0)
    no_limit = run(project, "--strict")
    assert no_limit.returncode == 0 and "max_site_mb" not in no_limit.stderr
    shown = re.search(r"\(\d+ rendered, \d+ unchanged\), ([\d.]+) MB;", no_limit.stdout)  # the size, always
    assert shown and float(shown.group(1)) == round(size_of(project / "_site") / 1_000_000, 1)
    default = make_project(tmp_path / "q")  # 1,000 MB
    under = run(default, "--strict")
    assert under.returncode == 0 and "max_site_mb" not in under.stderr


def size_of(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
