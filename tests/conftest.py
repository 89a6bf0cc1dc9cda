import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # sitebuild, browser, golden, stories

from generator.config import load_config  # noqa: E402
from sitebuild import copy_samples  # noqa: E402


@pytest.fixture
def site_config(tmp_path):
    """The project's own site.yaml, with paths pointing into a temporary folder."""
    def make(**paths):
        cfg = load_config(ROOT / "site.yaml")
        cfg.root = tmp_path
        return cfg
    return make


@pytest.fixture
def project(tmp_path):
    """A copy of the project's site.yaml, theme and seeds in a temporary folder."""
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    copy_samples(tmp_path / "seeds")
    return tmp_path
