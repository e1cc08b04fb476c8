"""The preview server: the HTML edition on 127.0.0.1, pages reloading themselves after a rebuild.

Standard library only (``http.server`` in a thread). Served HTML pages get a
small script that polls ``/__kzpublish/status`` and reloads the page when the
build generation changes, or shows the build's errors over the page; the
files on disk are never touched, so the built edition stays byte-identical.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

STATUS_PATH = "/__kzpublish/status"
MARKER = "kzpublish-live-reload"
_SCRIPT = """<script id="%(marker)s">(() => {
  const seen = %(generation)d;
  const show = (errors) => {
    let box = document.getElementById("%(marker)s-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "%(marker)s-errors";
      box.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:9999;margin:0;padding:1em;" +
        "background:#fee;color:#900;white-space:pre-wrap;font:14px monospace";
      document.body.prepend(box);
    }
    box.textContent = errors.join("\\n");
  };
  const poll = async () => {
    try {
      const status = await (await fetch("%(path)s", {cache: "no-store"})).json();
      if (status.generation !== seen) { location.reload(); return; }
      show(status.errors);
    } catch (error) { /* server restarting: try again */ }
    setTimeout(poll, %(interval)d);
  };
  setTimeout(poll, %(interval)d);
})();</script>
"""
POLL_MS = 100
_WAITING = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>kzpublish preview</title></head><body><p>Waiting for a successful "
            "build…</p></body></html>")


class Status:
    """The build generation (one more per rebuild) and the last build's errors; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self.errors: list[str] = []

    def publish(self, errors: list[str]) -> None:
        """A build finished: bump the generation so open pages reload."""
        with self._lock:
            self.generation += 1
            self.errors = list(errors)

    def snapshot(self) -> dict[str, Any]:
        """What the status endpoint answers."""
        with self._lock:
            return {"generation": self.generation, "errors": list(self.errors)}


def with_reload_script(html: str, generation: int) -> str:
    """The page with the live-reload script before ``</body>`` (or at its end)."""
    script = _SCRIPT % {"marker": MARKER, "generation": generation, "path": STATUS_PATH,
                        "interval": POLL_MS}
    at = html.rfind("</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script


class _Handler(SimpleHTTPRequestHandler):
    status: Status

    def __init__(self, *args: Any, status: Status, **kwargs: Any):
        self.status = status
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == STATUS_PATH:
            self._send(json.dumps(self.status.snapshot()).encode(), "application/json")
            return
        page = self._html_file(path)
        if page is None and path in ("/", "/index.html"):
            html = _WAITING
        elif page is None:
            super().do_GET()
            return
        else:
            html = page.read_text(encoding="utf-8")
        body = with_reload_script(html, self.status.snapshot()["generation"])
        self._send(body.encode("utf-8"), "text/html; charset=utf-8")

    def _html_file(self, path: str) -> Path | None:
        """The HTML file a request maps to, if it is one (directories map to index.html)."""
        local = Path(self.translate_path(path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        """Every answer uncached: a preview must show the latest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a preview server need not log every request."""


class Server:
    """Serves ``root`` on 127.0.0.1:``port`` (0: any free port) from a daemon thread."""

    def __init__(self, root: Path, status: Status, port: int = 0):
        handler = partial(_Handler, directory=str(root), status=status)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the edition is served."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        """Start serving in the background."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
