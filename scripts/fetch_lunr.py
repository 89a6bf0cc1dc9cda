"""Fetch lunr.js from the npm registry at the pinned version, check its integrity, and vendor it.

    python scripts/fetch_lunr.py          # writes themes/default/static/vendor/lunr/

The built site never loads anything from outside itself: lunr.min.js and its LICENSE are committed,
and this script is how they got there (and how to update them: change VERSION and INTEGRITY).
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "2.3.9"
TARBALL = f"https://registry.npmjs.org/lunr/-/lunr-{VERSION}.tgz"
INTEGRITY = "sha512-zTU3DaZaF3Rt9rhN3uBMGQD3dD2/vFQqnvZCDv4dl5iOzq2IZQqTxu90r4E5J+nP70J3ilqVCrbho2eWaeW8Ow=="
FILES = {"package/lunr.min.js": "lunr.min.js", "package/LICENSE": "LICENSE"}
TARGET = Path(__file__).resolve().parent.parent / "themes" / "default" / "static" / "vendor" / "lunr"


def main() -> int:
    data = urllib.request.urlopen(TARBALL, timeout=60).read()
    algo, _, expected = INTEGRITY.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        print(f"integrity mismatch for {TARBALL}: got {algo}-{actual}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member, name in FILES.items():
            (TARGET / name).write_bytes(tar.extractfile(member).read())
    (TARGET / "VERSION").write_text(f"lunr {VERSION} from {TARBALL}\n{INTEGRITY}\n", encoding="utf-8")
    print(f"wrote {', '.join(FILES.values())} to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
