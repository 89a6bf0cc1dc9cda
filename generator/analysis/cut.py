"""jieba's default cut (accurate mode, with its HMM for unknown words), about 2.5x faster.

Segmentation is most of a cold build: jieba's `lcut` spends its time building a DAG of dictionary
words as a dict of lists, then taking `max` over generator expressions of tuples that call `log`
for every candidate word. This module computes the same route with the log-probabilities computed
once per dictionary word and the DAG walked in place. It takes those of jieba's own dictionary
(`FREQ` and `total` as they are when taken: see dictionaries.py) and hands unknown runs of characters
to jieba's own HMM (`jieba.finalseg`), so the words are the same as `jieba.lcut`'s; the tests compare
the two on the sample pages and on generated text.
"""

from __future__ import annotations

import re

# jieba's re_han_default and re_skip_default (jieba/__init__.py)
_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_SPACE = re.compile(r"(\r\n|\s)", re.U)


class Cutter:
    """Cuts text as `tokenizer.lcut(text)` (cut_all=False, HMM=True) does, from the log-probabilities
    of jieba's prefix dictionary (see dictionaries.log_probabilities)."""

    def __init__(self, logp: dict[str, float | None], unknown: float):
        from jieba import finalseg

        self._hmm_cut = finalseg.cut
        # every dictionary entry -> its word's log-probability, or None for a prefix that is not a
        # word itself (jieba keeps those with frequency 0)
        self._logp = logp
        self._unknown = unknown  # a character that is no word (jieba's `or 1`)

    @classmethod
    def of_tokenizer(cls, tokenizer) -> "Cutter":
        from generator.analysis.dictionaries import log_probabilities

        tokenizer.check_initialized()
        return cls(*log_probabilities(tokenizer))

    def lcut(self, text: str) -> list[str]:
        out: list[str] = []
        for block in _BLOCK.split(text):
            if not block:
                continue
            if _BLOCK.match(block):
                self._cut_block(block, out)
            else:  # punctuation and spaces: spaces as they are, anything else one character at a time
                for part in _SPACE.split(block):
                    if _SPACE.match(part):
                        out.append(part)
                    else:
                        out.extend(part)
        return out

    def _route(self, s: str) -> list[int]:
        """end[i]: where the word starting at i ends on the most probable path (jieba's calc over its
        DAG: the best log-probability from i to the end; ties go to the longer word, as max() over
        (score, end) tuples does)."""
        get, unknown = self._logp.get, self._unknown
        n = len(s)
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        missing = self._logp  # a sentinel no lookup returns
        for i in range(n - 1, -1, -1):
            p = get(s[i], missing)
            if p is missing:  # not even a prefix: a word of one character
                score[i] = unknown + score[i + 1]
                end[i] = i + 1
                continue
            best = None if p is None else p + score[i + 1]
            e = i + 1
            j = i + 2
            while j <= n:
                p = get(s[i:j], missing)
                if p is missing:  # no dictionary word starts with s[i:j]
                    break
                if p is not None:
                    candidate = p + score[j]
                    if best is None or candidate >= best:
                        best, e = candidate, j
                j += 1
            if best is None:
                best, e = unknown + score[i + 1], i + 1
            score[i] = best
            end[i] = e
        return end

    def _cut_block(self, s: str, out: list[str]) -> None:
        """jieba's __cut_DAG: the route's words; runs of single characters go to the HMM unless
        the run is itself a dictionary word."""
        end = self._route(s)
        single = ""
        i, n = 0, len(s)
        while i < n:
            j = end[i]
            if j - i == 1:
                single += s[i]
            else:
                if single:
                    self._cut_singles(single, out)
                    single = ""
                out.append(s[i:j])
            i = j
        if single:
            self._cut_singles(single, out)

    def _cut_singles(self, run: str, out: list[str]) -> None:
        if len(run) == 1:
            out.append(run)
        elif self._logp.get(run) is None:  # not a word of jieba's (jieba: `not FREQ.get(run)`)
            out.extend(self._hmm_cut(run))
        else:
            out.extend(run)
