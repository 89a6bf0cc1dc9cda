"""`news-archive serve`: the page in the browser reloads itself after a rebuild."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

from browser import launch_chromium
from sitebuild import ROOT, make_project


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def test_the_browser_reloads_after_an_edit_is_rebuilt(tmp_path):
    project = make_project(tmp_path / "p")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=project,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        home = f"http://127.0.0.1:{port}/"
        wait_for(home + "__reload__")
        built = (project / "_site")
        assert b"__reload__" not in (built / "index.html").read_bytes()  # only added while serving
        victim = sorted((project / "content").rglob("*.md"))[-1]  # content/YYYY/MM/DD/<paper>-....md
        day = victim.relative_to(project / "content").parent.as_posix()
        paper = victim.stem.split("-")[0]
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.goto(f"{home}{day}/{paper}/{victim.stem}/")
            old_title = page.text_content("h1")
            page.wait_for_timeout(1500)  # the page has seen the current build
            text = victim.read_text(encoding="utf-8")
            assert f"title: {old_title}\n" in text
            victim.write_text(text.replace(f"title: {old_title}\n", "title: 改过的标题\n", 1), encoding="utf-8")
            page.wait_for_function("document.querySelector('h1').textContent === '改过的标题'", timeout=60_000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
