"""--strict turns every warning into an error (CI builds with it)."""

import os
import shutil
import subprocess
import sys

from sitebuild import ROOT, make_project


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
