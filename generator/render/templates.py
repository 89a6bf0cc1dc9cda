"""Rendering: markdown to HTML, and pages through the theme's jinja2 templates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

import jinja2

from generator.base.output import Output, safe_relpath
from generator.base.workers import fork_map, fork_workers
from generator.config import SiteConfig
from generator.content.urls import page_file
from generator.errors import SiteError, display_path
from generator.render.page import Page
from generator.theme import theme_dirs


class Renderer:
    def __init__(self, config: SiteConfig, assets: dict[str, str]):
        self.config = config
        self.dirs = theme_dirs(config)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        base = config.base_path
        self.env.globals.update(
            site={"title": config.title, "description": config.description, "base_url": config.base_url,
                  "base_path": base, "language": config.language, "corrections": bool(config.repository.name),
                  "bulk_data": config.publish.bulk_data},
            u=lambda path="": base + path,
            asset=lambda name: base + assets[name],
        )
        self.env.filters["tojson_safe"] = json_for_script
        self.fingerprint = self._theme_fingerprint(assets)

    def _theme_fingerprint(self, assets: dict[str, str]) -> str:
        """Changes whenever any template, asset or site-wide setting changes."""
        h = hashlib.sha256()
        for d in self.dirs:
            for path in sorted(d.rglob("*.html")):
                h.update(path.relative_to(d).as_posix().encode() + b"\0" + path.read_bytes())
        h.update(json.dumps([self.env.globals["site"], assets], sort_keys=True).encode())
        return h.hexdigest()

    def page_fingerprint(self, page: Page) -> str:
        """A hash of everything the page is made from: its inputs if it has them, else its context.
        Both are plain dicts, lists, strings and numbers built in a fixed order (and LazyHtml, shown
        by its key), so their repr is stable; inputs may also come as one string, used as it is."""
        if isinstance(page.inputs, str):
            data = f"{page.template}\0{page.kind}\0{page.inputs}"
        else:
            data = repr((page.template, page.kind, page.context if page.inputs is None else page.inputs))
        return hashlib.sha256((self.fingerprint + data).encode()).hexdigest()

    def render(self, page: Page) -> bytes:
        try:
            template = self.env.get_template(page.template)
            html = template.render(page=page.data(), page_kind=page.kind, page_url=page.url)
        except jinja2.TemplateSyntaxError as exc:
            where = display_path(exc.filename) if exc.filename else exc.name
            raise SiteError(f"template error: {exc.message}", path=where, line=exc.lineno) from None
        except jinja2.TemplateNotFound as exc:
            raise SiteError(f"template {exc.name!r} not found in {', '.join(map(str, self.dirs))}") from None
        except Exception as exc:  # an error while rendering: name the template file and line
            where, line = _template_frame(exc.__traceback__)
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            raise SiteError(f"template error while rendering {page.url or 'the home page'}: {message}",
                            path=where or page.template, line=line) from None
        return html.encode("utf-8")


RENDER_BATCH = 2000  # pages collected before they are rendered on every core
PARALLEL_FROM = 200  # fewer pages than this render in this process


def render_pages(pages: Iterable[Page], renderer: "Renderer", output: Output) -> list[str]:
    """Render every page whose fingerprint changed into the output; returns every page's URL.

    Pages are generated one at a time; those to render are collected in batches, and a big batch is
    rendered by forked worker processes (one per core) that write straight into the staging folder."""
    urls: list[str] = []
    batch: list[tuple[str, str, Page]] = []
    for page in pages:
        urls.append(page.url)
        rel, fingerprint = safe_relpath(page_file(page.url)), renderer.page_fingerprint(page)
        if output.keep(rel, fingerprint, "html"):
            continue
        batch.append((rel, fingerprint, page))
        if len(batch) >= RENDER_BATCH:
            _render_batch(batch, renderer, output)
            batch = []
    _render_batch(batch, renderer, output)
    return urls


def _render_batch(batch: list[tuple[str, str, Page]], renderer: "Renderer", output: Output) -> None:
    workers = fork_workers(len(batch), PARALLEL_FROM)
    if not workers:
        for rel, fingerprint, page in batch:
            output.write_new(rel, fingerprint, renderer.render(page))
        return
    jobs = [(output.reserve(rel), page) for rel, _, page in batch]  # pages reach the workers by the fork
    sizes = fork_map(_render_job, (renderer, jobs), range(len(jobs)), workers, chunksize=16)
    for (rel, fingerprint, _), size in zip(batch, sizes):
        output.staged_by_worker(rel, fingerprint, size)


def _render_job(shared: tuple["Renderer", list[tuple[Path, Page]]], i: int) -> int:
    """In a forked worker: render page i and write it where the output reserved it."""
    renderer, jobs = shared
    target, page = jobs[i]
    data = renderer.render(page)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise SiteError(f"cannot write {target.name}: {exc.strerror}", path=str(target.parent)) from None
    return len(data)


def _template_frame(tb) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (jinja2 maps frames to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".j2")):
            found = (display_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def json_for_script(value) -> str:
    """JSON that is safe inside <script>: no '<', '>', '&' or line separators survive literally."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return jinja2.utils.markupsafe.Markup(text)
