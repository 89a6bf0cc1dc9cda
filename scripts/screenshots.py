"""Screenshots of the sample site for the README, taken with headless Chromium.

    python scripts/screenshots.py        # writes docs/screenshots/*.png

Builds the sample site into a temporary folder, serves it under /archive/ and photographs the home
page, an article, a county page and search results at a desktop and a phone width. Needs Debian's
chromium and a CJK font (apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import CHROMIUM, SiteServer  # noqa: E402
from sitebuild import build_project, make_project  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "site")
        shutil.copytree(ROOT / "content", project / "content")
        build_project(project)
        site = project / "_site"
        article = next(p for p in sorted(site.glob("2024/08/16/dzrb/*/index.html")))
        shots = {
            "home": "",
            "article": article.parent.relative_to(site).as_posix() + "/",
            "county": "county/chiping/",
            "search": "search/?q=" + "乡村振兴",
        }
        OUT.mkdir(parents=True, exist_ok=True)
        with SiteServer(site) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for device, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                for name, url in shots.items():
                    page.goto(server.url + url)
                    if name == "search":
                        page.wait_for_selector("[data-search-results] a")
                    target = OUT / f"{name}-{device}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(ROOT)}")
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
