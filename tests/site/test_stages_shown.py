"""What `build` and `check` show while they run: one line per finished stage in a log (stderr not a
terminal), moving bars on a terminal; the final summary on stdout stays as it was."""

import os
import pty
import re
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sitebuild import BASE_URL, STAGE_LINE, add_newer_issue, make_project

ROOT = Path(__file__).resolve().parents[2]


def command(project: Path, *args: str, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, env=env, text=True,
                          timeout=300, **kw)


def stage_lines(stderr: str, name: str) -> list[tuple[str, int | None, str]]:
    lines = stderr.strip().splitlines()
    found = [STAGE_LINE.fullmatch(line) for line in lines]
    assert all(found), [line for line, m in zip(lines, found) if not m]
    assert {m[1] for m in found} == {name}
    return [(m[2], m[3] and int(m[3].replace(",", "")), m[4]) for m in found]


def summary_stages(stdout: str) -> list[str]:
    """The stage names the final summary times (`load 27 ms, ...`), the process beside included."""
    return re.findall(r"(\w+) \d+ ms", stdout)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("progress") / "p")


def test_a_log_gets_one_line_per_stage_as_it_finishes(project):
    build = command(project, "build", "--base-url", BASE_URL, capture_output=True)
    assert build.returncode == 0, build.stderr
    stages = stage_lines(build.stderr, "build")
    assert build.stdout.startswith("built ") and build.stdout.count("\n") == 1  # the summary, as before
    assert list(dict.fromkeys(name for name, *_ in stages)) == summary_stages(build.stdout)  # (load: twice)
    counted = {name: (count, unit) for name, count, unit in stages}
    articles = int(re.search(r"(\d+) articles, \d+ pages", build.stdout)[1])
    assert counted["ingest"][1] == "articles" and counted["ingest"][0] > 0
    assert [count for name, count, _ in stages if name == "load"] == [0, counted["ingest"][0]]  # none yet, then the new
    assert counted["analyse"] == (articles, "articles") and counted["render"] == (articles, "pages")
    assert counted["search"] == (articles, "articles") and counted["model"] == (None, None)

    check = command(project, "check", capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    checked = {name: (count, unit) for name, count, unit in stage_lines(check.stderr, "check")}
    files = int(re.search(r"; (\d+) files checked", check.stdout)[1])
    assert list(checked) == ["list", "pages", "search"] and checked["pages"] == (files, "files")


def test_a_new_issue_shows_the_stages_of_the_process_beside_too(project):
    assert (project / "_site").is_dir()  # built by the test above
    add_newer_issue(project)
    build = command(project, "build", "--base-url", BASE_URL, capture_output=True)
    assert build.returncode == 0, build.stderr
    stages = stage_lines(build.stderr, "build")
    assert "beside links and render" in build.stdout  # the incremental build forked its second strand
    assert set(name for name, *_ in stages) == set(summary_stages(build.stdout))
    counted = {name: count for name, count, _ in stages}
    articles = int(re.search(r"(\d+) articles, \d+ pages", build.stdout)[1])
    assert counted["ingest"] > 0 and counted["render"] == counted["search"] == articles


def test_a_terminal_gets_moving_bars_and_no_stage_lines(tmp_path):
    project = make_project(tmp_path / "p")
    main, terminal = pty.openpty()
    import fcntl
    import termios
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # 40 rows, 120 columns
    shown = bytearray()

    def read():
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal's last holder closed it
                return
            if not data:
                return
            shown.extend(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
        build = subprocess.run([sys.executable, "-m", "generator", "build", "--base-url", BASE_URL], cwd=project,
                               env=env, stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=300)
    finally:
        os.close(terminal)
        reader.join(timeout=30)
        os.close(main)
    text = shown.decode("utf-8", "replace")
    assert build.returncode == 0, text
    assert build.stdout.startswith("built ") and "build: " not in text
    redraws = text.replace("\r\n", "\n").split("\r")
    assert len(redraws) > 10  # bars drawn again in place
    render = [part for part in redraws if part.startswith("render:")]
    assert render and "100%" in render[-1] and "pages/s" in render[-1], render[-1:]
    assert any(part.startswith("analyse:") and "articles/s" in part for part in redraws)
