"""Reading raw pages: encodings, line endings, and input that is not a page at all."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import SiteError

MAX_RAW_BYTES = 5 * 1024 * 1024  # a printed page is ~20 KB; anything this large is not one


def decode_raw(data: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM) or GB18030/GBK; CRLF and CR become LF."""
    if not data.strip():
        raise SiteError("empty raw page", path=shown)
    if b"\0" in data[:65536]:
        raise SiteError("binary file, not a raw text page", path=shown)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SiteError("cannot decode: not valid UTF-8 or GB18030 text", path=shown)
    if len(_CONTROLS.findall(text)) > max(8, len(text) // 100):
        raise SiteError("binary file, not a raw text page", path=shown)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _UNPRINTED.sub("", text)


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # below 32 but tab, line ends and form feed
_UNPRINTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and LF (CR and FF are LFs by then), DEL, C1


def read_raw(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_RAW_BYTES:
            raise SiteError(f"raw page is {size / 1024 / 1024:.1f} MB, over the limit of "
                            f"{MAX_RAW_BYTES // 1024 // 1024} MB for one page", path=shown)
        data = path.read_bytes()
    except OSError as exc:
        raise SiteError(f"cannot read: {exc.strerror}", path=shown) from None
    return decode_raw(data, shown)
