"""`check` of a site's search files: every file the search manifest names exists and decodes, the
segments cover every document once, postings point inside their segment, and the documents are the
site's article pages. Reads the files with the codec the build wrote them with (search/codec.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from generator.check.memory import CheckMemory, SiteFiles
from generator.search.codec import (columns_file, common_file, decode_date_chunk, decode_facet_chunk, decode_field,
                                    decode_lengths, decode_runs, is_dense, lengths_file, postings_file)
from generator.search.terms import fnv1a


class Checking(Protocol):
    """What the search check uses of the whole site's check (checker.SiteChecker)."""
    site: Path
    base_path: str
    article_pages: set[str]
    files: SiteFiles | None
    memory: CheckMemory
    problems: list[str]
    segments_checked: int

    def report(self, where: Path | str, message: str) -> None: ...
    def target_of(self, path: str) -> str | None: ...
    def remembers(self, mtimes: list[int]) -> bool: ...


def listed_own_files(terms: list[str], buckets: int) -> list[tuple[str, int, int]]:
    """(term, bucket, number in the bucket) of each term a segment lists as having a file of its own,
    as search-shards.js derives them: numbered in each bucket in the list's order."""
    out, numbered = [], {}
    for term in terms:
        b = fnv1a(term) & (buckets - 1)
        numbered[b] = numbered.get(b, -1) + 1
        out.append((term, b, numbered[b]))
    return out


class SearchCheck:
    """The search files of the site being checked; problems go to the check's report."""

    def __init__(self, checker: Checking):
        self.checker = checker

    def check_search(self) -> None:
        if (self.checker.site / "search" / "manifest.json").is_file():
            self.check_sharded_search()
            return
        docs_file, index_file = self.checker.site / "search" / "docs.json", self.checker.site / "search" / "index.json"
        if not docs_file.is_file() or not index_file.is_file():
            self.checker.report("search/", "search files missing (manifest.json, or index.json and docs.json)")
            return
        try:
            docs = json.loads(docs_file.read_text(encoding="utf-8"))
            index = json.loads(index_file.read_text(encoding="utf-8"))
            rows, fields = docs["docs"], docs["fields"]
            refs = {v[0].split("/", 1)[1] for v in index["fieldVectors"]}  # "field/ref"
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            self.checker.report("search/", f"search files are not readable ({exc})")
            return
        self.check_search_documents("search/docs.json", [row[fields.index("url")] for row in rows])
        if refs != {str(n) for n in range(len(rows))}:
            self.checker.report("search/index.json", "index documents do not match docs.json")

    def check_search_documents(self, where: str, urls: list[str]) -> None:
        for url in urls:
            if self.checker.target_of(self.checker.base_path + url) is None:
                self.checker.report(where, f"{url!r} is not a page of this site")
        pages = {u + "index.html" for u in urls}
        if pages != self.checker.article_pages:
            missing = sorted(self.checker.article_pages - pages)[:5]
            self.checker.report(where, f"{len(urls)} documents but {len(self.checker.article_pages)} article pages"
                               f"{' (not searchable: ' + ', '.join(missing) + ')' if missing else ''}")

    def load_search(self, rel: str):
        """A search file's JSON, or None (reported) if it is missing or not JSON."""
        try:
            return json.loads((self.checker.site / "search" / rel).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.checker.report(f"search/{rel}", f"missing or not readable ({exc.__class__.__name__})")
            return None

    def check_sharded_search(self) -> None:
        """Every file the manifest names exists and parses; segments cover every document once;
        postings point inside their segment; the documents are the article pages."""
        manifest = self.load_search("manifest.json")
        if not isinstance(manifest, dict):
            return
        try:
            n, segments = manifest["documents"], manifest["segments"]
            url_at = manifest["docFields"].index("url")
            expected_start = 0
            by_name = self.search_files_by_name()
            for seg in segments:
                if seg["start"] != expected_start:
                    self.checker.report("search/manifest.json", f"segment at {seg['start']} leaves a gap or overlap")
                expected_start = seg["start"] + seg["count"]
                entry = json.dumps(seg, sort_keys=True)  # (segments may share their files)
                files = (*by_name.get(seg["postings"], ()), *by_name.get(seg["vocab"], ()))
                if self.checker.memory.summary("segments", entry, files) is None:
                    before = len(self.checker.problems)
                    self.checker.segments_checked += 1
                    self.check_segment(seg)
                    if len(self.checker.problems) == before and self.checker.remembers([mtime for *_, mtime in files]):
                        self.checker.memory.remember("segments", entry, files, True)
            if expected_start != n:
                self.checker.report("search/manifest.json", f"segments cover {expected_start} of {n} documents")
            urls = []
            for k in range(manifest["docChunks"]):
                urls.extend(self.result_urls(f"d/{k}.json", url_at))
            facets = (manifest["counties"], manifest["topics"], manifest["papers"])
            meta = sum(self.facet_rows(f"m/{k}.json", facets) for k in range(manifest["metaChunks"]))
            spans = manifest["dateSpans"]
            dated = sum(self.facet_rows(f"t/{k}.json", tuple(span)) for k, span in enumerate(spans))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            self.checker.report("search/manifest.json", f"search files are not readable ({exc})")
            return
        if len(urls) != n or meta != n or dated != n or len(spans) != manifest["metaChunks"]:
            self.checker.report("search/manifest.json", f"{n} documents, but {len(urls)} result rows, {meta} facet "
                                                        f"rows and {dated} dates in {len(spans)} chunks")
        self.check_search_documents("search/d/", urls)

    def search_files_by_name(self) -> dict[str, list[tuple]]:
        """(path, size, time) of the search files, by the name of the segment or vocabulary they belong to."""
        out: dict[str, list[tuple]] = {}
        for rel, stat in self.checker.files.stats.items():  # (in order)
            folder, _, name = rel.rpartition("/")
            if folder in ("search/s", "search/l", "search/v"):
                out.setdefault(name.split("-", 1)[0], []).append((rel, *stat))
        return out

    def check_segment(self, seg: dict) -> None:
        load = self.load_search
        tables = {}
        for f in seg.get("lengths", []):
            text = load(lengths_file(seg["postings"], f))
            if text is None:
                continue
            try:
                tables[f] = (decode_runs(text, seg["count"]) if f == seg.get("sortedBy")
                             else decode_lengths(text, seg["count"]))
            except (TypeError, ValueError, KeyError) as exc:
                self.checker.report(f"search/{lengths_file(seg['postings'], f)}", f"length table not readable ({exc})")
        own_found: list[tuple] = []
        for b in range(seg["buckets"]):
            bucket = postings_file(seg["postings"], b)
            for term, fields in (load(bucket) or {}).items():
                rel, columns = bucket, []
                if isinstance(fields, int):  # a common term: its postings have a file of their own
                    own_found.append((term, b, fields))
                    rel = postings_file(seg["postings"], b, fields)
                    beside = columns_file(seg["postings"], b, fields)
                    fields = load(rel) or []
                    if any(isinstance(t, str) and t and is_dense(t) and f != seg.get("sortedBy")
                           for f, t in enumerate(fields)):
                        columns = load(beside) or []
                for f, encoded in enumerate(fields):
                    if not encoded:
                        continue
                    try:
                        if is_dense(encoded):  # its own lengths, and where the table has them
                            if f not in tables:
                                raise ValueError(f"no length table of field {f} was read")
                            if f != seg.get("sortedBy"):  # a sorted field's postings have no columns
                                decode_field(encoded, column=columns[f] if f < len(columns) else None)
                        last = decode_field(encoded, tables.get(f))[-1][0]
                    except (ValueError, TypeError) as exc:
                        self.checker.report(f"search/{rel}", f"postings of {term!r} not readable ({exc})")
                        continue
                    if not 0 <= last < seg["count"]:
                        self.checker.report(f"search/{rel}", f"postings of {term!r} point outside their segment")
        if "own" in seg and sorted(listed_own_files(seg["own"], seg["buckets"])) != sorted(own_found):
            self.checker.report("search/manifest.json", f"segment at {seg['start']} lists other terms with "
                        "files of their own than its bucket files number")
        if seg.get("common"):  # the common file holds exactly the terms the manifest lists
            rel = common_file(seg["postings"])
            common = load(rel) or {}
            if sorted(common) != sorted(seg["common"]):
                self.checker.report(f"search/{rel}", "holds other terms than the manifest lists as common")
            for term, fields in common.items():
                try:
                    last = max(decode_field(t, tables.get(f))[-1][0] for f, t in enumerate(fields) if t)
                except (ValueError, TypeError) as exc:
                    self.checker.report(f"search/{rel}", f"postings of {term!r} not readable ({exc})")
                    continue
                if not 0 <= last < seg["count"]:
                    self.checker.report(f"search/{rel}", f"postings of {term!r} point outside their segment")
        for b in range(seg["vocabBuckets"]):
            load(f"v/{seg['vocab']}-{b}.json")

    def result_urls(self, rel: str, url_at: int) -> list[str]:
        """The URLs of a chunk of result rows (remembered while the file is unchanged)."""
        key = self.checker.files.stats.get(f"search/{rel}"), url_at
        urls = self.checker.memory.summary("rows", rel, key)
        if urls is None:
            before = len(self.checker.problems)
            urls = [row[url_at] for row in self.load_search(rel) or []]
            if len(self.checker.problems) == before and key[0] and self.checker.remembers([key[0][1]]):
                self.checker.memory.remember("rows", rel, key, urls)
        return urls

    def facet_rows(self, rel: str, facets: tuple) -> int:
        """How many documents a facet chunk (m/) or date chunk (t/) describes, 0 if none or it is not
        readable. `facets`: the manifest's counties, topics and papers, or the date chunk's first and
        last date as the manifest gives them."""
        key = self.checker.files.stats.get(f"search/{rel}"), facets
        rows = self.checker.memory.summary("facets", rel, key)
        if rows is not None:
            return rows
        chunk, rows = self.load_search(rel), 0
        if chunk:
            try:
                if rel.startswith("t/"):
                    dates = decode_date_chunk(chunk)
                    if [min(dates).isoformat(), max(dates).isoformat()] != list(facets):
                        raise ValueError(f"dates {min(dates)} to {max(dates)}, the manifest says {facets[0]} to {facets[1]}")
                    rows = len(dates)
                else:
                    rows = len(decode_facet_chunk(chunk, *facets))
            except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                self.checker.report(f"search/{rel}", f"facet data not readable ({exc!r})")
                return 0
            if key[0] and self.checker.remembers([key[0][1]]):
                self.checker.memory.remember("facets", rel, key, rows)
        return rows
