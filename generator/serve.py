"""Local preview: build, serve on 127.0.0.1 under the site's base path, rebuild on change."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from .build import build
from .config import SiteConfig, load_config
from .errors import SiteError


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def log_message(self, fmt, *args):  # keep the terminal for build messages
        pass


def _rebuild(args, out: Path) -> SiteConfig | None:
    try:
        config = load_config(args.config, base_url=None)
        config.base_url = f"http://127.0.0.1:{args.port}{config.base_path}"
        report = build(config, content_dir=args.content, out_dir=out)
        print(f"built: {report.summary()}", flush=True)
        return config
    except SiteError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr, flush=True)
        return None


def serve(config: SiteConfig, args) -> int:
    from watchfiles import watch

    out = (args.out or config.path("output")).resolve()
    if _rebuild(args, out) is None and not out.exists():
        return 1
    handler = functools.partial(_Handler, directory=str(out))
    _Handler.base_path = config.base_path
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://127.0.0.1:{args.port}{config.base_path} (Ctrl-C stops)", flush=True)
    watched = [p for p in (Path(args.config), config.path("content"), config.path("seeds"), config.path("theme"),
                           config.path("templates")) if p.exists()]
    try:
        for _ in watch(*watched, stop_event=None):
            _rebuild(args, out)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
