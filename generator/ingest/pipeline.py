"""Ingest: raw OCR pages become content files, one per article.

read -> blocks -> (duplicates, furniture set aside) -> headlines -> articles -> metadata -> files,
and the editor's review list of the decisions it was least sure of.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.base.cache import Cache
from generator.analysis.classify import PlaceIndex, assign_county, assign_topics
from generator.config import SiteConfig
from generator.content.frontmatter import article_path, format_article
from generator.base.files import write_text_atomic
from generator.errors import Problem, SiteError, display_path
from generator.content.model import Article
from generator.ingest.assemble import Assembler
from generator.ingest.manifest import MANIFEST_NAME, PageMeta, infer_meta, load_manifest
from generator.ingest.read import read_raw
from generator.ingest.blocks import Dropped, page_blocks

from generator.ingest.layout import group_articles, mark_headlines

RAW_SUFFIXES = (".txt",)
CITY_SUBJECTS = ("聊城", "我市", "全市", "本市")


@dataclass(frozen=True)
class Doubt:
    """A decision ingest was not sure of, for an editor to check: the article's content file (in
    the content folder), its title, how doubtful (0-1) and what to check."""
    path: str
    title: str
    score: float
    reason: str


@dataclass(frozen=True)
class RawPage:
    """A raw page read and named: its text, and its manifest entry (or the one inferred from its text)."""
    path: Path
    shown: str  # the path as messages show it
    text: str
    meta: PageMeta
    warnings: tuple[str, ...] = ()


@dataclass
class PageResult:
    source: str
    meta: PageMeta
    articles: list[Article]
    dropped: list[Dropped]
    layout: str
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class PageFiles:
    """What a raw page becomes on disk: its content files (path in the content folder, text, and
    kind and title for the report) and what the report says of the page."""
    source: str
    paper: str
    date: str
    layout: str
    files: list[tuple[str, str, str, str]]
    dropped: list[tuple[int, str, str]]  # line, reason, text
    doubts: list[tuple[str, str, float, str]]  # Doubt's fields

    @classmethod
    def of(cls, page: PageResult) -> "PageFiles":
        return cls(page.source, page.meta.paper, page.meta.date.isoformat(), page.layout,
                   [(article_path(a), format_article(a), a.kind, a.title) for a in page.articles],
                   [(d.line_no, d.reason, d.text) for d in page.dropped],
                   [(d.path, d.title, d.score, d.reason) for d in page.doubts])

    def to_json(self) -> list:
        return [self.source, self.paper, self.date, self.layout, self.files, self.dropped, self.doubts]

    @classmethod
    def from_json(cls, data: object) -> "PageFiles | None":
        """None for an entry not in to_json's form (then the page is ingested again)."""
        try:
            source, paper, date, layout, files, dropped, doubts = data  # type: ignore[misc]
            page = cls(source, paper, date, layout, [tuple(f) for f in files], [tuple(d) for d in dropped],
                       [tuple(d) for d in doubts])
        except (TypeError, ValueError):
            return None
        shapes = ([(str, str, str, str)] * len(page.files) + [(int, str, str)] * len(page.dropped)
                  + [(str, str, float, str)] * len(page.doubts))
        values = [*page.files, *page.dropped, *page.doubts]
        if not all(isinstance(x, str) for x in (source, paper, date, layout)) or not all(
                len(v) == len(t) and all(isinstance(x, k) for x, k in zip(v, t)) for v, t in zip(values, shapes)):
            return None
        if not all(_CONTENT_PATH.fullmatch(rel) for rel, *_ in page.files):
            return None  # only where ingest itself writes (an entry is never trusted with a path)
        return page


_CONTENT_PATH = re.compile(r"[0-9]{4}/[0-9]{2}/[0-9]{2}/[a-z0-9][a-z0-9-]*\.md")  # article_path of an ingested id


@dataclass
class IngestResult:
    written: int = 0
    unchanged: int = 0
    kept: int = 0  # existing files left alone (no --force)
    written_paths: list[Path] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: list[PageResult] = field(default_factory=list)  # the pages segmented now (not from the cache)
    from_cache: int = 0  # pages whose files came from the build cache
    doubts: list[Doubt] = field(default_factory=list)  # of every page ingested, most doubtful first


def make_assembler(config: SiteConfig) -> Assembler:
    subjects = [*CITY_SUBJECTS]
    for county in config.counties:
        subjects += [county.name, *county.aliases]
    return Assembler([(c.wrong, c.right) for c in config.ocr_corrections], config.columns, subjects)


def segment_page(text: str, assembler: Assembler) -> tuple[list, list[Dropped], str]:
    """Raw page text -> (assembled article parts, dropped furniture, layout)."""
    blocks, dropped = page_blocks(text, assembler.boundary_score)
    layout = mark_headlines(blocks, assembler.headline_model)
    parts = []
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
    doubts = []
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
            dateline=parts.dateline, agency=parts.agency, county=county, topics=topics, source=source,
            truncated=parts.truncated, auto={"county": county, "topics": topics}, body=body,
        ))
        doubts += [Doubt(article_path(articles[-1]), parts.title, score, reason) for score, reason in parts.doubts]
    return PageResult(source, meta, articles, dropped, layout, doubts)


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


# A raw page ingested before, with the same text, manifest entry and site.yaml, makes the same files:
# the build cache keeps them, so a build that finds the page pending again (in CI, a raw page pushed
# without its content files is pending in every fresh checkout) writes them without segmenting it.
INGEST_VERSION = "2"  # bump when page_articles or format_article makes other files from the same page
INGESTED = "ingested_pages"


def page_cache_key(config: SiteConfig, source: str, text: str, meta: PageMeta) -> str:
    signature = [INGEST_VERSION, source, text, meta.paper, meta.date.isoformat(), meta.page,
                 *map(repr, (config.papers, config.counties, config.topics, config.columns,
                             config.ocr_corrections, config.classify))]
    return hashlib.sha256(json.dumps(signature, ensure_ascii=False).encode()).hexdigest()


def ingest_paths(config: SiteConfig, paths: list[Path], *, content_dir: Path, force: bool = False,
                 dry_run: bool = False, skip_sources: set[str] | None = None, strict: bool = False,
                 cache: Cache | None = None) -> IngestResult:
    """Ingest raw pages; all pages are read and checked before any file is written. With a build
    cache, a page ingested before with the same inputs gets the files it made then."""
    result = IngestResult()
    problems: list[Problem] = []
    read = _read_pages(config, raw_files(paths), skip_sources)
    keys = {k: page_cache_key(config, entry.path.name, entry.text, entry.meta)
            for k, entry in enumerate(read) if cache is not None and isinstance(entry, RawPage)}
    known = cache.get_many(INGESTED, keys.values()) if cache is not None and keys else {}
    fresh: dict[str, list] = {}
    pages: list[PageFiles] = []
    assembler, places = None, None
    for k, entry in enumerate(read):
        if isinstance(entry, list):
            problems.extend(entry)
            continue
        result.warnings.extend(entry.warnings)
        files = PageFiles.from_json(known[keys[k]]) if k in keys and keys[k] in known else None
        if files is None:
            if assembler is None:
                assembler, places = make_assembler(config), PlaceIndex(config)
            try:
                page = page_articles(entry.text, entry.path.name, entry.meta, config, assembler, places)
            except SiteError as err:
                problems.extend(err.problems)
                continue
            result.pages.append(page)
            files = PageFiles.of(page)
            if k in keys:
                fresh[keys[k]] = files.to_json()
        else:
            result.from_cache += 1
        if not files.files:
            result.warnings.append(f"{entry.shown}: no articles found")
        pages.append(files)
    if strict:  # a warning stops everything before any file is written
        problems.extend(Problem(f"{w} (an error with --strict)") for w in result.warnings)
    if problems:
        raise SiteError(problems=problems)
    for files in pages:
        _write_page(files, content_dir, force, dry_run, result)
        result.doubts += [Doubt(*d) for d in files.doubts]
    result.doubts.sort(key=lambda d: (-d.score, d.path, d.reason))
    if cache is not None and fresh and not dry_run:
        cache.put_many(INGESTED, fresh)
    return result


REVIEW_NAME = "ingest-review.md"


def write_review(config: SiteConfig, result: IngestResult, content_dir: Path) -> Path | None:
    """The editor's review list of the pages just ingested, beside site.yaml; None (and the last
    list left as it is) when no page was ingested."""
    if not result.written and not result.unchanged and not result.kept:
        return None
    path = config.root / REVIEW_NAME
    shown = display_path(content_dir)
    lines = ["# Ingest: decisions to check", "",
             f"Decisions of the last ingest to check, most doubtful first: {len(result.doubts)}. "
             "Correct the content file, then build.", ""]
    lines += [f"- {d.score:.1f} `{shown}/{d.path}` {_md_text(d.title)}: {_md_text(d.reason)}" for d in result.doubts]
    write_text_atomic(path, "\n".join(lines) + "\n")
    return path


def _md_text(text: str) -> str:
    """OCR text in the review list stays text (it comes from the page: untrusted)."""
    return escape_markdown(text.replace("\n", " "))


def _read_pages(config: SiteConfig, raw: list[Path], skip_sources: set[str] | None) -> list[list[Problem] | RawPage]:
    """Per raw page not skipped, in order: the problems reading it, or the page."""
    manifests: dict[Path, dict[str, PageMeta]] = {}
    read: list[list[Problem] | RawPage] = []
    for path in raw:
        if skip_sources is not None and path.name in skip_sources:
            continue
        shown = display_path(path)
        try:
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = load_manifest(folder, config)
            text = read_raw(path, shown)
            meta = manifests[folder].get(path.name)
            warnings = []
            if meta is None:
                meta = infer_meta(text, config)
                if meta is None:
                    raise SiteError(f"not in {MANIFEST_NAME} and its paper and date cannot be inferred "
                                    f"from the text; add it to {display_path(folder / MANIFEST_NAME)}", path=shown)
                warnings.append(f"{shown}: not in {MANIFEST_NAME}; inferred paper {meta.paper} "
                                f"and date {meta.date} from the text")
        except SiteError as err:
            read.append(err.problems)
            continue
        read.append(RawPage(path, shown, text, meta, tuple(warnings)))
    return read


def _write_page(page: PageFiles, content_dir: Path, force: bool, dry_run: bool, result: IngestResult) -> None:
    counts = {"written": 0, "unchanged": 0, "kept": 0}
    verb = "would write" if dry_run else "wrote"
    details = []
    shown_dir = display_path(content_dir)  # (once: resolving every file's path costs more than writing it)
    for rel, text, kind, title in page.files:
        target = content_dir / rel
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                counts["unchanged"] += 1
                continue
            if not force:
                counts["kept"] += 1
                details.append(f"  kept {shown_dir}/{rel} (it differs; --force overwrites)")
                continue
        counts["written"] += 1
        details.append(f"  {verb} {shown_dir}/{rel}  {kind}: {title}")
        if not dry_run:
            write_text_atomic(target, text)
            result.written_paths.append(target)
    result.written += counts["written"] if not dry_run else 0
    result.unchanged += counts["unchanged"]
    result.kept += counts["kept"]
    result.report.append(
        f"{page.source}: {len(page.files)} articles ({page.paper} {page.date}, headlines "
        f"{'after' if page.layout == 'after' else 'before'} stories); {counts['written']} {verb.split()[-1]}, "
        f"{counts['unchanged']} unchanged, {counts['kept']} kept; {len(page.dropped)} furniture blocks set aside")
    result.report.extend(details)
    result.report.extend(f"  set aside line {line} ({reason}): {text[:40]}" for line, reason, text in page.dropped)


def ingest_pending(config: SiteConfig, content_dir: Path, ingested: set[str], strict: bool = False,
                   cache: Cache | None = None) -> IngestResult:
    """Ingest the raw pages in the seeds folder that no content file came from yet: those not in
    `ingested`, the `source` of every article loaded from content_dir."""
    seeds = config.path("seeds")
    if not seeds.is_dir():
        return IngestResult()
    return ingest_paths(config, [seeds], content_dir=content_dir, skip_sources=ingested, strict=strict, cache=cache)
