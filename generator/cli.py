"""A thin command line: each subcommand parses its options and calls one function."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator import __version__
from generator.errors import SiteError, display_path


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default="site.yaml", help="site configuration (default: site.yaml)")
    p.add_argument("--content", type=Path, help="content folder (default: paths.content in site.yaml)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--debug", action="store_true", help="show tracebacks")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="news-archive", description="Build a static archive of Liaocheng newspapers.")
    ap.add_argument("--version", action="version", version=f"news-archive {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="ingest new raw pages and build the site")
    _common(b)
    b.add_argument("--out", type=Path, help="output folder (default: paths.output, _site)")
    b.add_argument("--base-url", help="absolute URL the site is served from, e.g. https://user.github.io/repo/")
    b.add_argument("--no-ingest", action="store_true", help="build from content/ only")
    b.add_argument("--repository", metavar="OWNER/NAME",
                   help="the GitHub repository of the content, for the articles' correction links "
                        "(default: repository.name in site.yaml)")
    b.set_defaults(func=cmd_build)

    i = sub.add_parser("ingest", help="turn raw OCR pages into content files")
    _common(i)
    i.add_argument("paths", nargs="+", type=Path, help="raw page files or folders of them")
    i.add_argument("--force", action="store_true", help="overwrite existing content files")
    i.add_argument("--dry-run", action="store_true", help="write nothing, show what would change")
    i.set_defaults(func=cmd_ingest)

    c = sub.add_parser("classify", help="re-run county and topic classification on content files; "
                                        "values an editor set are kept")
    _common(c)
    c.add_argument("--dry-run", action="store_true", help="write nothing, show what would change")
    c.set_defaults(func=cmd_classify)

    k = sub.add_parser("check", help="verify a built site: HTML, links, external loads, feeds, sitemap, search")
    _common(k)
    k.add_argument("--out", type=Path, help="the built site (default: paths.output, _site)")
    k.add_argument("--base-url", help="the base URL the site was built for (default: the one its home page names, else base_url in site.yaml); another one is an error")
    k.add_argument("--full", action="store_true",
                   help="check every file again, not only those changed since a check found them fine")
    k.set_defaults(func=cmd_check)

    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    _common(s)
    s.add_argument("--out", type=Path)
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
    return ap


def _config(args, base_url: str | None = None, repository: str | None = None):
    from generator.config import load_config
    return load_config(args.config, base_url=base_url, repository=repository)


def _fail_on_warnings(args, warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.strict and warnings:
        raise SiteError(f"{len(warnings)} warning(s) and --strict is set")


def cmd_build(args) -> int:
    from generator.build import build
    from generator.base.lock import build_lock
    from generator.base.progress import Progress
    config = _config(args, args.base_url, args.repository)
    out = args.out or config.path("output")
    with build_lock(out):
        report = build(config, content_dir=args.content, out_dir=out, ingest=not args.no_ingest, strict=args.strict,
                       exit_after=args.exit_after, progress=Progress.on_stderr("build"))
    _fail_on_warnings(args, report.warnings)
    print(f"built {out}: {report.summary()}")
    return 0


def cmd_ingest(args) -> int:
    from generator.ingest.pipeline import ingest_paths, write_review
    config = _config(args)
    result = ingest_paths(config, args.paths, content_dir=args.content or config.path("content"),
                          force=args.force, dry_run=args.dry_run, strict=args.strict)
    for line in result.report:
        print(line)
    review = None if args.dry_run else write_review(config, result, args.content or config.path("content"))
    if review is not None:
        print(f"{len(result.doubts)} decisions to check in {display_path(review)}")
    _fail_on_warnings(args, result.warnings)
    return 0


def cmd_classify(args) -> int:
    from generator.analysis.classify import classify_content
    config = _config(args)
    content_dir = args.content or config.path("content")
    result = classify_content(config, content_dir, dry_run=args.dry_run)
    for line in result:
        print(line)
    return 0


def cmd_check(args) -> int:
    from generator.base.progress import Progress
    from generator.check.checker import SiteChecker, built_base_url
    from generator.check.memory import STATE
    config = _config(args, args.base_url)
    out = args.out or config.path("output")
    built = built_base_url(out)
    if args.base_url is None and built is not None:
        base_url = built  # the site's own: a site built with --base-url checks without repeating it
    elif built is not None and built != config.base_url:
        raise SiteError(f"the site was built for {built}, not {config.base_url}: check it without --base-url, "
                        f"or build it again with --base-url {config.base_url}", path=display_path(out))
    else:
        base_url = config.base_url
    checker = SiteChecker(out, base_url, state=config.path("cache") / STATE, full=args.full,
                          progress=Progress.on_stderr("check"))
    problems = checker.run()
    for problem in problems:
        print(problem)
    checked = f"{checker.checked} files checked, {checker.trusted} unchanged since a check found them fine"
    if problems:
        print(f"check: {len(problems)} problem(s) in {out} ({checked})", file=sys.stderr)
        return 1
    print(f"check: {out} is fine ({base_url}; {checked})")
    return 0


def cmd_serve(args) -> int:
    from generator.serve import serve
    config = _config(args)
    return serve(config, args)


def main(argv: list[str] | None = None, exit_after: bool = False) -> int:
    """Run one command; `exit_after`: the process exits right after it (see run)."""
    args = parser().parse_args(argv)
    args.exit_after = exit_after
    try:
        return args.func(args)
    except SiteError as err:
        if args.debug:
            raise
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`
        return 0


def run() -> None:
    """The `news-archive` program. A build leaves its data (millions of objects at 100,000 articles)
    for the exit to free at once; so the program ends with os._exit, once its output is flushed
    (everything it wrote to files is closed by then). An error that is a bug propagates as usual."""
    code = main(exit_after=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # output piped into a command that stopped reading
        pass
    os._exit(code)
