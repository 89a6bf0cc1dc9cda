"""Regenerate the golden sample site: python tests/helpers/golden.py

The golden site is the sample pages built with base URL https://example.org/archive/.
test_golden.py compares a fresh build with it byte for byte.
"""

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from sitebuild import build_project, make_project  # noqa: E402

GOLDEN = HERE.parent / "site" / "golden" / "site"


def build_golden(into: Path) -> Path:
    project = make_project(into / "project")
    build_project(project)
    return project / "_site"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        site = build_golden(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(site, GOLDEN)
    print(f"wrote {GOLDEN}")
