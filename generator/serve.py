"""Local preview: build, serve on 127.0.0.1 under the site's base path, rebuild on change."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from generator.base.progress import Progress
from generator.build import build
from generator.config import SiteConfig, load_config
from generator.errors import SiteError


RELOAD_PATH = "__reload__"
# Added to HTML pages as they are served (never to the built files): asks which build is current
# and reloads the page when a rebuild finished.
RELOAD_SNIPPET = b"""<script>(function(){var seen=null;setInterval(function(){
fetch("%s",{cache:"no-store"}).then(function(r){return r.text();}).then(function(v){
if(seen!==null&&v!==seen)location.reload();seen=v;}).catch(function(){});},1000);})();</script>"""


class BuildCounter:
    """Counts finished builds; the browser reloads when the number changes."""

    value = 0


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == self.base_path + RELOAD_PATH:
            return self._send(b"%d" % BuildCounter.value, "text/plain")
        local = Path(self.translate_path(path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            snippet = RELOAD_SNIPPET % (self.base_path + RELOAD_PATH).encode()
            html = local.read_bytes().replace(b"</body>", snippet + b"</body>", 1)
            return self._send(html, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):  # keep the terminal for build messages
        pass


def _rebuild(args, out: Path) -> SiteConfig | None:
    try:
        config = load_config(args.config, base_url=None)
        config.base_url = f"http://127.0.0.1:{args.port}{config.base_path}"
        report = build(config, content_dir=args.content, out_dir=out, progress=Progress.on_stderr("build"))
        BuildCounter.value += 1
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
