"""Ingest: raw OCR pages become content files, one per article.

read -> blocks -> (duplicates, furniture set aside) -> headlines -> articles -> metadata -> files
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..classify import PlaceIndex, assign_county, assign_topics
from ..config import SiteConfig
from ..content import article_path, format_article, write_text_atomic
from ..errors import Problem, SiteError, display_path
from ..model import Article
from .assemble import Assembler
from .manifest import MANIFEST_NAME, PageMeta, infer_meta, load_manifest
from .read import read_raw
from .segment import Dropped, drop_duplicates, drop_furniture, group_articles, make_blocks, mark_headlines, \
    merge_vertical_titles

RAW_SUFFIXES = (".txt",)
CITY_SUBJECTS = ("聊城", "我市", "全市", "本市")


@dataclass
class PageResult:
    source: str
    meta: PageMeta
    articles: list[Article]
    dropped: list[Dropped]
    layout: str


@dataclass
class IngestResult:
    written: int = 0
    unchanged: int = 0
    kept: int = 0  # existing files left alone (no --force)
    written_paths: list[Path] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: list[PageResult] = field(default_factory=list)


def make_assembler(config: SiteConfig) -> Assembler:
    subjects = [*CITY_SUBJECTS]
    for county in config.counties:
        subjects += [county.name, *county.aliases]
    return Assembler([(c.wrong, c.right) for c in config.ocr_corrections], config.columns, subjects)


def segment_page(text: str, assembler: Assembler) -> tuple[list, list[Dropped], str]:
    """Raw page text -> (assembled article parts, dropped furniture, layout)."""
    blocks = make_blocks(text)
    blocks, duplicates = drop_duplicates(blocks, assembler.boundary_score)
    blocks, furniture = drop_furniture(blocks)
    blocks = merge_vertical_titles(blocks)
    layout = mark_headlines(blocks)
    parts = []
    dropped = duplicates + furniture
    for raw in group_articles(blocks, layout):
        assembled = assembler.assemble(raw)
        if not assembled.paragraphs:
            # a headline or byline with no story: furniture, reported rather than published
            dropped.extend(Dropped(b.line_no, "no story text", b.text) for b in raw.headline + raw.bylines)
            continue
        parts.append(assembled)
    return parts, sorted(dropped, key=lambda d: d.line_no), layout


def page_articles(text: str, source: str, meta: PageMeta, config: SiteConfig,
                  assembler: Assembler | None = None, places: PlaceIndex | None = None) -> PageResult:
    assembler = assembler or make_assembler(config)
    places = places or PlaceIndex(config)
    parts_list, dropped, layout = segment_page(text, assembler)
    page_key = f"p{meta.page:02d}" if meta.page else "s" + hashlib.sha1(source.encode()).hexdigest()[:6]
    articles = []
    for n, parts in enumerate(parts_list, start=1):
        body = "\n\n".join(escape_markdown(p) for p in parts.paragraphs)
        plain = "\n".join(parts.paragraphs)
        county = assign_county(config, places, parts.dateline, parts.title, plain)
        topics = assign_topics(config, parts.title, plain)
        c = parts.credits
        articles.append(Article(
            id=f"{meta.paper}-{meta.date:%Y%m%d}-{page_key}-{n:02d}",
            title=parts.title, kicker=parts.kicker, subtitle=parts.subtitle, column=parts.column,
            date=meta.date, paper=meta.paper, page=meta.page, kind=parts.kind,
            authors=c.authors, correspondents=c.correspondents, photographers=c.photographers,
            dateline=parts.dateline, county=county, topics=topics, source=source,
            truncated=parts.truncated, auto={"county": county, "topics": topics}, body=body,
        ))
    return PageResult(source, meta, articles, dropped, layout)


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#>]|[+-](?=\s|$))")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape_markdown(paragraph: str) -> str:
    """OCR text is literal text: nothing in it may become markdown syntax."""
    text = _MD_INLINE.sub(r"\\\1", paragraph)
    text = _MD_LINE_START.sub(r"\\\1", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


# -- files -----------------------------------------------------------------

def raw_files(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix in RAW_SUFFIXES))
        elif path.exists():
            out.append(path)
        else:
            raise SiteError("no such raw page or folder", path=display_path(path))
    return out


def ingest_paths(config: SiteConfig, paths: list[Path], *, content_dir: Path, force: bool = False,
                 dry_run: bool = False, skip_sources: set[str] | None = None, strict: bool = False) -> IngestResult:
    """Ingest raw pages; all pages are read and checked before any file is written."""
    result = IngestResult()
    manifests: dict[Path, dict[str, PageMeta]] = {}
    assembler = make_assembler(config)
    places = PlaceIndex(config)
    problems: list[Problem] = []
    for path in raw_files(paths):
        if skip_sources is not None and path.name in skip_sources:
            continue
        shown = display_path(path)
        try:
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = load_manifest(folder, config)
            text = read_raw(path, shown)
            meta = manifests[folder].get(path.name)
            if meta is None:
                meta = infer_meta(text, config)
                if meta is None:
                    raise SiteError(f"not in {MANIFEST_NAME} and its paper and date cannot be inferred "
                                    f"from the text; add it to {display_path(folder / MANIFEST_NAME)}", path=shown)
                result.warnings.append(f"{shown}: not in {MANIFEST_NAME}; inferred paper {meta.paper} "
                                       f"and date {meta.date} from the text")
            page = page_articles(text, path.name, meta, config, assembler, places)
        except SiteError as err:
            problems.extend(err.problems)
            continue
        if not page.articles:
            result.warnings.append(f"{shown}: no articles found")
        result.pages.append(page)
    if strict:  # a warning stops everything before any file is written
        problems.extend(Problem(f"{w} (an error with --strict)") for w in result.warnings)
    if problems:
        raise SiteError(problems=problems)
    for page in result.pages:
        _write_page(page, content_dir, force, dry_run, result)
    return result


def _write_page(page: PageResult, content_dir: Path, force: bool, dry_run: bool, result: IngestResult) -> None:
    counts = {"written": 0, "unchanged": 0, "kept": 0}
    verb = "would write" if dry_run else "wrote"
    details = []
    for article in page.articles:
        target = content_dir / article_path(article)
        text = format_article(article)
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                counts["unchanged"] += 1
                continue
            if not force:
                counts["kept"] += 1
                details.append(f"  kept {display_path(target)} (it differs; --force overwrites)")
                continue
        counts["written"] += 1
        details.append(f"  {verb} {display_path(target)}  {article.kind}: {article.title}")
        if not dry_run:
            write_text_atomic(target, text)
            result.written_paths.append(target)
    result.written += counts["written"] if not dry_run else 0
    result.unchanged += counts["unchanged"]
    result.kept += counts["kept"]
    dropped = len(page.dropped)
    result.report.append(
        f"{page.source}: {len(page.articles)} articles ({page.meta.paper} {page.meta.date}, headlines "
        f"{'after' if page.layout == 'after' else 'before'} stories); {counts['written']} {verb.split()[-1]}, "
        f"{counts['unchanged']} unchanged, {counts['kept']} kept; {dropped} furniture blocks set aside")
    result.report.extend(details)
    result.report.extend(f"  set aside line {d.line_no} ({d.reason}): {d.text[:40]}" for d in page.dropped)


def ingested_sources(content_dir: Path) -> set[str]:
    """The raw pages that content files already came from (read from their front matter)."""
    sources = set()
    if not content_dir.is_dir():
        return sources
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
                head = fh.read(4096)
            m = re.search(r"^source:\s*(.+?)\s*$", head, flags=re.M)
            if m:
                sources.add(m.group(1).strip("'\""))
    return sources


def ingest_pending(config: SiteConfig, content_dir: Path, strict: bool = False,
                   ingested: set[str] | None = None) -> IngestResult:
    """Ingest the raw pages in the seeds folder that no content file came from yet: those not in
    `ingested` (the `source` of every content file) when the caller has loaded the content already,
    else found by reading the start of every content file."""
    seeds = config.path("seeds")
    if not seeds.is_dir():
        return IngestResult()
    skip = ingested if ingested is not None else ingested_sources(content_dir)
    return ingest_paths(config, [seeds], content_dir=content_dir, skip_sources=skip, strict=strict)
