"""One folder per invalid input under tests/site/invalid/, each with the exact message it must give."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitebuild import STAGE_LINE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = sorted(p.name for p in (HERE / "invalid").iterdir() if p.is_dir())


def run_build(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", "build", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def generate_big_files(work: Path) -> None:
    """Files too big to keep in the repository, described in generate.yaml: {path: {bytes, fill}}."""
    spec = work / "generate.yaml"
    if not spec.exists():
        return
    for rel, how in yaml.safe_load(spec.read_text(encoding="utf-8")).items():
        chunk = how["fill"].encode("utf-8") * 4096
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            written = 0
            while written < how["bytes"]:
                part = chunk[: how["bytes"] - written]
                fh.write(part)
                written += len(part)
    spec.unlink()


@pytest.mark.parametrize("case", CASES)
def test_invalid_input_gives_its_message_and_keeps_previous_site(case, tmp_path):
    work = tmp_path / case
    shutil.copytree(HERE / "invalid" / case, work, symlinks=True)
    if not (work / "site.yaml").exists():
        shutil.copy(HERE / "site-min.yaml", work / "site.yaml")
    shutil.copytree(ROOT / "themes", work / "themes")
    generate_big_files(work)
    previous = work / "_site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("previous site")

    result = run_build(work)

    expected = (work / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if not STAGE_LINE.fullmatch(line)]  # (not the stages that finished)
    assert errors == [f"error: {line}" for line in expected]
    assert lines[len(lines) - len(errors):] == errors  # the errors come last
    assert "Traceback" not in result.stderr
    assert previous.read_text() == "previous site"
    assert sorted(p.name for p in (work / "_site").iterdir()) == ["index.html"]


def test_debug_shows_the_traceback(tmp_path):
    work = tmp_path / "w"
    shutil.copytree(HERE / "invalid" / "unknown-county", work)
    shutil.copy(HERE / "site-min.yaml", work / "site.yaml")
    result = run_build(work, "--debug")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "SiteError" in result.stderr
