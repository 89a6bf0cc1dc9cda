"""`news-archive check`: verify a built site before it is published.

- every page is well-formed HTML (html5lib, the WHATWG parsing algorithm, reports parse errors);
- every internal link and asset resolves below the base path;
- no page loads anything from outside the site (scripts, styles, images, frames, media);
- feeds and sitemaps are well-formed XML and their URLs are pages of this site;
- the search files are consistent with the article pages.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib

from .shards import (columns_file, common_file, decode_facet_chunk, decode_field, decode_lengths, decode_runs,
                     fnv1a, is_dense, lengths_file, postings_file)


def listed_own_files(terms: list[str], buckets: int) -> list[tuple[str, int, int]]:
    """(term, bucket, number in the bucket) of each term a segment lists as having a file of its own,
    as search-shards.js derives them: numbered in each bucket in the list's order."""
    out, numbered = [], {}
    for term in terms:
        b = fnv1a(term) & (buckets - 1)
        numbered[b] = numbered.get(b, -1) + 1
        out.append((term, b, numbered[b]))
    return out


# Elements and attributes through which a page *loads* something (a plain <a href> only links).
LOADS = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
         ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"), ("video", "poster")}
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class SiteChecker:
    def __init__(self, site: Path, base_url: str):
        self.site = site
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"
        self.problems: list[str] = []
        self.article_pages: set[str] = set()
        self.root = site.resolve()
        self._targets: dict[str, Path | None] = {}  # a site links to the same pages from many pages

    def report(self, where: Path | str, message: str) -> None:
        shown = where.relative_to(self.site).as_posix() if isinstance(where, Path) else where
        self.problems.append(f"{shown}: {message}")

    # -- resolving ---------------------------------------------------------
    def target_of(self, path: str) -> Path | None:
        """The file a site path (starting with the base path) is served from, or None."""
        if path not in self._targets:
            self._targets[path] = self._find_target(path)
        return self._targets[path]

    def _find_target(self, path: str) -> Path | None:
        if not path.startswith(self.base_path):
            return None
        rel = unquote(path[len(self.base_path):])
        target = (self.site / rel).resolve()
        if not target.is_relative_to(self.root):
            return None
        if rel == "" or rel.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def absolute_resolves(self, url: str) -> bool:
        return url.startswith(self.base_url) and self.target_of(urlsplit(url).path) is not None

    # -- pages -------------------------------------------------------------
    def check_page(self, page: Path) -> None:
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        doc = parser.parse(page.read_bytes())
        for (line, col), code, data in parser.errors:
            self.report(page, f"line {line}: HTML parse error {code}{' ' + str(data) if data else ''}")
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "article" and el.get("data-article-id"):
                self.article_pages.add(page.relative_to(self.site).as_posix())
            for attr in ("href", "src", "data", "poster", "action"):
                url = el.get(attr)
                if url is not None:
                    self.check_url(page, el, attr, url.strip())

    def check_url(self, page: Path, el, attr: str, url: str) -> None:
        parts = urlsplit(url)
        rel = (el.get("rel") or "").lower().split()
        loads = (el.tag, attr) in LOADS or (el.tag == "link" and LOADING_RELS & set(rel))
        if parts.scheme in ("javascript", "vbscript", "data") and not (parts.scheme == "data" and el.tag == "img"):
            self.report(page, f"<{el.tag} {attr}={url[:60]!r}>: script or data URL")
            return
        if parts.scheme or parts.netloc:
            if loads:
                self.report(page, f"<{el.tag} {attr}={url!r}> loads a resource from outside the site")
            elif url.startswith(self.base_url) and not self.absolute_resolves(url):
                self.report(page, f"<{el.tag} {attr}={url!r}>: no such page in the site")
            return
        if not parts.path:
            return  # a fragment or query on the same page
        if not parts.path.startswith("/"):
            self.report(page, f"<{el.tag} {attr}={url!r}>: relative URL (the theme writes base-path URLs)")
            return
        if self.target_of(parts.path) is None:
            self.report(page, f"<{el.tag} {attr}={url!r}>: broken link (nothing at {parts.path})")

    # -- feeds, sitemaps, search -------------------------------------------
    def parse_xml(self, path: Path):
        try:
            return ET.parse(path).getroot()
        except ET.ParseError as exc:
            self.report(path, f"not well-formed XML ({exc})")
            return None

    def check_feed(self, path: Path) -> None:
        root = self.parse_xml(path)
        if root is None:
            return
        if root.tag != f"{ATOM}feed":
            self.report(path, f"not an Atom feed (root element {root.tag})")
            return
        for entry in root.iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link")
            href = link.get("href", "") if link is not None else ""
            if not self.absolute_resolves(href):
                self.report(path, f"entry link {href!r} is not a page of this site")

    def check_sitemap(self, path: Path) -> None:
        root = self.parse_xml(path)
        if root is None:
            return
        for loc in root.iter(f"{SITEMAP}loc"):
            url = (loc.text or "").strip()
            if root.tag == f"{SITEMAP}sitemapindex":
                if not (url.startswith(self.base_url) and (self.site / url[len(self.base_url):]).is_file()):
                    self.report(path, f"sitemap part {url!r} is missing")
            elif not self.absolute_resolves(url):
                self.report(path, f"URL {url!r} is not a page of this site")

    def check_search(self) -> None:
        if (self.site / "search" / "manifest.json").is_file():
            self.check_sharded_search()
            return
        docs_file, index_file = self.site / "search" / "docs.json", self.site / "search" / "index.json"
        if not docs_file.is_file() or not index_file.is_file():
            self.report("search/", "search files missing (manifest.json, or index.json and docs.json)")
            return
        try:
            docs = json.loads(docs_file.read_text(encoding="utf-8"))
            index = json.loads(index_file.read_text(encoding="utf-8"))
            rows, fields = docs["docs"], docs["fields"]
            refs = {v[0].split("/", 1)[1] for v in index["fieldVectors"]}  # "field/ref"
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            self.report("search/", f"search files are not readable ({exc})")
            return
        self.check_search_documents("search/docs.json", [row[fields.index("url")] for row in rows])
        if refs != {str(n) for n in range(len(rows))}:
            self.report("search/index.json", "index documents do not match docs.json")

    def check_search_documents(self, where: str, urls: list[str]) -> None:
        for url in urls:
            if self.target_of(self.base_path + url) is None:
                self.report(where, f"{url!r} is not a page of this site")
        pages = {u + "index.html" for u in urls}
        if pages != self.article_pages:
            missing = sorted(self.article_pages - pages)[:5]
            self.report(where, f"{len(urls)} documents but {len(self.article_pages)} article pages"
                               f"{' (not searchable: ' + ', '.join(missing) + ')' if missing else ''}")

    def check_sharded_search(self) -> None:
        """Every file the manifest names exists and parses; segments cover every document once;
        postings point inside their segment; the documents are the article pages."""
        folder = self.site / "search"

        def load(rel: str):
            try:
                return json.loads((folder / rel).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                self.report(f"search/{rel}", f"missing or not readable ({exc.__class__.__name__})")
                return None

        manifest = load("manifest.json")
        if not isinstance(manifest, dict):
            return
        try:
            n, segments = manifest["documents"], manifest["segments"]
            url_at = manifest["docFields"].index("url")
            expected_start = 0
            for seg in segments:
                if seg["start"] != expected_start:
                    self.report("search/manifest.json", f"segment at {seg['start']} leaves a gap or overlap")
                expected_start = seg["start"] + seg["count"]
                tables = {}
                for f in seg.get("lengths", []):
                    text = load(lengths_file(seg["postings"], f))
                    if text is None:
                        continue
                    try:
                        tables[f] = (decode_runs(text, seg["count"]) if f == seg.get("sortedBy")
                                     else decode_lengths(text, seg["count"]))
                    except (TypeError, ValueError, KeyError) as exc:
                        self.report(f"search/{lengths_file(seg['postings'], f)}", f"length table not readable ({exc})")
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
                                self.report(f"search/{rel}", f"postings of {term!r} not readable ({exc})")
                                continue
                            if not 0 <= last < seg["count"]:
                                self.report(f"search/{rel}", f"postings of {term!r} point outside their segment")
                if "own" in seg and sorted(listed_own_files(seg["own"], seg["buckets"])) != sorted(own_found):
                    self.report("search/manifest.json", f"segment at {seg['start']} lists other terms with "
                                "files of their own than its bucket files number")
                if seg.get("common"):  # the common file holds exactly the terms the manifest lists
                    rel = common_file(seg["postings"])
                    common = load(rel) or {}
                    if sorted(common) != sorted(seg["common"]):
                        self.report(f"search/{rel}", "holds other terms than the manifest lists as common")
                    for term, fields in common.items():
                        try:
                            last = max(decode_field(t, tables.get(f))[-1][0] for f, t in enumerate(fields) if t)
                        except (ValueError, TypeError) as exc:
                            self.report(f"search/{rel}", f"postings of {term!r} not readable ({exc})")
                            continue
                        if not 0 <= last < seg["count"]:
                            self.report(f"search/{rel}", f"postings of {term!r} point outside their segment")
                for b in range(seg["vocabBuckets"]):
                    load(f"v/{seg['vocab']}-{b}.json")
            if expected_start != n:
                self.report("search/manifest.json", f"segments cover {expected_start} of {n} documents")
            urls = []
            for k in range(manifest["docChunks"]):
                urls.extend(row[url_at] for row in load(f"d/{k}.json") or [])
            meta = 0
            for k in range(manifest["metaChunks"]):
                chunk = load(f"m/{k}.json")
                if chunk:
                    try:
                        meta += len(decode_facet_chunk(chunk, manifest["counties"], manifest["topics"],
                                                       manifest["papers"]))
                    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                        self.report(f"search/m/{k}.json", f"facet data not readable ({exc!r})")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            self.report("search/manifest.json", f"search files are not readable ({exc})")
            return
        if len(urls) != n or meta != n:
            self.report("search/manifest.json", f"{n} documents, but {len(urls)} result rows and {meta} facet rows")
        self.check_search_documents("search/d/", urls)

    def run(self) -> list[str]:
        if not self.site.is_dir():
            return [f"{self.site}: no built site here (run news-archive build first)"]
        for path in sorted(self.site.rglob("*")):
            if not path.is_file():
                continue
            if path.suffix == ".html":
                self.check_page(path)
            elif path.name.endswith("feed.xml"):
                self.check_feed(path)
            elif path.name.startswith("sitemap") and path.suffix == ".xml":
                self.check_sitemap(path)
        self.check_search()
        return self.problems


def check_site(site: Path, base_url: str) -> list[str]:
    return SiteChecker(site, base_url).run()
