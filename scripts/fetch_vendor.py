"""Fetch third-party browser code from the npm registry at pinned versions, check integrity, vendor it.

    python scripts/fetch_vendor.py            # all packages
    python scripts/fetch_vendor.py lunr       # one

- lunr 2.3.9 (MIT): the search engine the built site ships, in themes/default/static/vendor/lunr/.
- axe-core (MPL-2.0): the accessibility checker the tests run in Chromium, in tests/browser/vendor/axe-core/;
  it is never part of the site.

Nothing is loaded from outside at build or browse time: these files are committed, and this script is
how they got there. To update one, change its version and integrity (from `npm view <pkg>@<v> dist`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "lunr": {
        "version": "2.3.9",
        "integrity": "sha512-zTU3DaZaF3Rt9rhN3uBMGQD3dD2/vFQqnvZCDv4dl5iOzq2IZQqTxu90r4E5J+nP70J3ilqVCrbho2eWaeW8Ow==",
        "files": {"package/lunr.min.js": "lunr.min.js", "package/LICENSE": "LICENSE"},
        "target": ROOT / "themes" / "default" / "static" / "vendor" / "lunr",
    },
    "axe-core": {
        "version": "4.14.1",
        "integrity": "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "files": {"package/axe.min.js": "axe.min.js", "package/LICENSE": "LICENSE"},
        "target": ROOT / "tests" / "browser" / "vendor" / "axe-core",
    },
}


def fetch(name: str) -> None:
    spec = PACKAGES[name]
    tarball = f"https://registry.npmjs.org/{name}/-/{name}-{spec['version']}.tgz"
    data = urllib.request.urlopen(tarball, timeout=60).read()
    algo, _, expected = spec["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"integrity mismatch for {tarball}: got {algo}-{actual}")
    target = spec["target"]
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member, filename in spec["files"].items():
            (target / filename).write_bytes(tar.extractfile(member).read())
    (target / "VERSION").write_text(f"{name} {spec['version']} from {tarball}\n{spec['integrity']}\n",
                                    encoding="utf-8")
    print(f"{name} {spec['version']}: wrote {', '.join(spec['files'].values())} to {target.relative_to(ROOT)}")


def main(names: list[str]) -> int:
    for name in names or sorted(PACKAGES):
        fetch(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
