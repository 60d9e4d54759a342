"""The preview server's HTTP side: the built site on 127.0.0.1, live reload, the error overlay.

Every HTML response gets the live-reload script (never the files on disk); when a rebuild fails,
the last good site stays up and every page shows the diagnostics in an overlay until the file is
fixed.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import queue
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from watchdog.observers import Observer

from ..build.builder import Project
from ..diagnostics import Diagnostic, display_path
from ..speed.switch import Speedups
from .session import Preview
from .watch import Changes

PREFIX = "/__protokollarkiv/"
KEEPALIVE_SECONDS = 15.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LIVE_RELOAD_JS = files(__package__).joinpath("livereload.js").read_bytes()
OVERLAY_CSS = files(__package__).joinpath("overlay.css").read_text(encoding="utf-8")


def overlay_html(diagnostics: list[Diagnostic], root: Path) -> str:
    rows = "".join(
        "<li><code>{}:{}:{}</code> <strong>{}</strong>: {}{}</li>".format(
            html.escape(display_path(d.path, root)),
            d.line,
            d.column,
            d.severity.value,
            html.escape(d.message),
            f"<br><em>{html.escape(d.hint)}</em>" if d.hint else "",
        )
        for d in diagnostics
    )
    return (
        f'<div id="protokollarkiv-errors" role="alert" lang="sv"><style>{OVERLAY_CSS}</style>'
        "<p><strong>Bygget misslyckades – sidan visar den senaste fungerande versionen.</strong><br>"
        '<span lang="en">The build failed – this page shows the last good version.</span></p>'
        f"<ul>{rows}</ul></div>"
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path == PREFIX + "events":
            self._events(preview)
        elif path == PREFIX + "livereload.js":
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_RELOAD_JS, head)
        elif path == PREFIX + "status":
            body = json.dumps(
                {
                    "version": preview.version,
                    "errors": [d.format(preview.root) for d in preview.errors],
                }
            ).encode()
            self._send(HTTPStatus.OK, "application/json", body, head)
        else:
            self._file(path, head)

    def _resolve(self, path: str) -> Path | None:
        """The file under the site folder that `path` names, or None; nothing outside it."""
        root = self.server.preview.project.output.resolve()
        decoded = unquote(path)
        if "\0" in decoded or "\\" in decoded:
            return None
        parts = [part for part in decoded.split("/") if part]
        if any(part in (".", "..") for part in parts):
            return None
        target = root.joinpath(*parts).resolve()
        if target != root and root not in target.parents:
            return None  # a symlink leading out of the site
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _file(self, path: str, head: bool) -> None:
        target = self._resolve(path)
        if target is not None and target.name == "index.html" and not path.endswith(("/", ".html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # /natverk/x -> /natverk/x/
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if target is None:
            status = HTTPStatus.NOT_FOUND
            target = self._resolve("/404.html")
            if target is None:
                page = "<!doctype html><title>404</title><h1>404</h1>"
                self._send(status, "text/html; charset=utf-8", self._inject(page.encode()), head)
                return
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self._inject(data)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(status, kind, data, head)

    def _inject(self, page: bytes) -> bytes:
        preview = self.server.preview
        extra = ""
        if preview.errors:
            extra += overlay_html(preview.errors, preview.root)
        extra += f'<script src="{PREFIX}livereload.js" data-version="{preview.version}"></script>'
        text = page.decode("utf-8", "replace")
        cut = text.rfind("</body>")
        text = text[:cut] + extra + text[cut:] if cut >= 0 else text + extra
        return text.encode("utf-8")

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, preview: Preview) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        channel = preview.subscribe()
        try:
            hello = json.dumps({"version": preview.version})
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {hello}\n\n".encode())
            self.wfile.flush()
            while not self.server.stopping.is_set():
                try:
                    event, data = channel.get(timeout=KEEPALIVE_SECONDS)
                    message = f"event: {event}\ndata: {data}\n\n"
                except queue.Empty:
                    message = ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            preview.unsubscribe(channel)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        self.stopping = threading.Event()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that hangs up while it is answered (a reload, a click to another page) is
        part of previewing, not worth a traceback; anything else is printed as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _bind(host: str, port: int, preview: Preview) -> _Server:
    """Bind the requested port, or the next free one (said so); port 0 lets the system choose."""
    last: OSError | None = None
    for candidate in [port] if port == 0 else range(port, port + 20):
        try:
            server = _Server((host, candidate), preview)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            last = exc
            continue
        if candidate != port:
            print(f"Port {port} is in use; serving on port {candidate} instead.", flush=True)
        return server
    raise OSError(errno.EADDRINUSE, f"ports {port}-{port + 19} are all in use") from last


def serve(
    project: Project,
    *,
    host: str,
    port: int,
    include_drafts: bool,
    root: Path,
    jobs: int = 1,
    speedups: Speedups | None = None,
) -> int:
    """Build, then serve and rebuild on every change until Ctrl-C."""
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: anyone who can reach this machine can read the preview, "
            "drafts included",
            file=sys.stderr,
            flush=True,
        )
    preview = Preview(project, include_drafts=include_drafts, root=root, jobs=jobs, speedups=speedups)
    try:
        server = _bind(host, port, preview)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        preview.rebuild()
    except KeyboardInterrupt:
        server.server_close()
        return 0
    observer = Observer()
    changes = Changes(preview.want_rebuild)
    for folder in (project.content, project.templates):
        if folder.is_dir():
            observer.schedule(changes, str(folder), recursive=True)
    observer.start()
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"Serving {project.output} on http://{shown_host}:{server.server_address[1]}/ "
        f"(drafts {'shown' if include_drafts else 'hidden'}; Ctrl-C stops)",
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    finally:
        server.stopping.set()
        observer.stop()
        observer.join(timeout=5)
        server.server_close()
        preview.save_state()
    return 0
