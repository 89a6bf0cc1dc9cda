"""Serving a built site under a subpath and driving Debian's Chromium with Playwright."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

# Debian's Chromium (installed by .ci/run); the GitHub workflow points this at the runner's Chrome.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder at `base` only, like GitHub Pages serves a project site."""

    base = "/archive/"

    def translate_path(self, path):
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.base):])

    def log_message(self, *args):
        pass


class SiteServer:
    def __init__(self, folder: Path, base: str = "/archive/"):
        handler = functools.partial(type("H", (SubpathHandler,), {"base": base}), directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{base}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) "
                    f"or set CHROMIUM to a Chromium or Chrome binary")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


# lunr query syntax over index terms (jieba words): fields, presence, wildcards, fuzzy matches, boosts.
def ranked(results):
    return sorted((-round(score, 6), ref) for ref, score in results)


def assert_same_ranking(got, want, query, top=None):
    """The same documents in the same order with the same scores; equal scores may come in any order."""
    if top:
        cut = want[top - 1][1] if len(want) >= top else None
        want = [r for r in want if cut is None or r[1] >= cut - 1e-6]
        got = [r for r in got if cut is None or r[1] >= cut - 1e-6]
    assert ranked(got) == ranked(want), query
