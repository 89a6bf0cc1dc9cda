"""The similarity sketch: a one-permutation MinHash of a text's 4-character shingles, and the
estimated overlap of two texts from their sketches (same story, related articles).
"""

from __future__ import annotations

import re
import zlib

from generator.analysis.record import Analysis

SHINGLE = 4  # characters per shingle
SKETCH_BINS = 64
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def minhash(text: str) -> tuple[list[int], int]:
    """One-permutation MinHash of the text's 4-character shingles (letters and digits only): a
    shingle's CRC-32 picks its bin (the low bits) and its value (the rest); a bin keeps its smallest."""
    chars = _NOT_TEXT.sub("", text).lower()
    shingles = {chars[i:i + SHINGLE] for i in range(max(len(chars) - SHINGLE + 1, 0))}
    bins = [-1] * SKETCH_BINS
    empty = SKETCH_BINS
    # in increasing order, the first hash of each bin is its smallest value
    for h in sorted(set(map(zlib.crc32, map(str.encode, shingles)))):
        b = h % SKETCH_BINS
        if bins[b] < 0:
            bins[b] = h // SKETCH_BINS
            empty -= 1
            if not empty:
                break
    return bins, len(shingles)


def similarity(a: Analysis, b: Analysis) -> float:
    """Estimated overlap of two texts' shingles: Jaccard, or containment of the shorter text in the
    longer when both are long enough for that to mean the same story shortened or extended."""
    both = [(x, y) for x, y in zip(a.sketch, b.sketch) if x >= 0 and y >= 0]
    if len(both) < 8:
        return 0.0
    jaccard = sum(x == y for x, y in both) / len(both)
    small, large = sorted((a.shingles, b.shingles))
    if small < 100:
        return jaccard
    shared = jaccard / (1 + jaccard) * (small + large)
    return max(jaccard, min(shared / small, 1.0))
