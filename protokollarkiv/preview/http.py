"""The preview server's HTTP side: the built site on 127.0.0.1, live reload, the error overlay.

Every HTML response gets the live-reload script (never the files on disk); when a rebuild fails,
the last good site stays up and every page shows the diagnostics in an overlay until the file is
fixed.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import logging
import mimetypes
import queue
import sys
import threading
import traceback
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

from ..build.builder import Project
from ..cms import LOCAL_API, with_local_backend
from ..diagnostics import debugging
from ..speed.switch import Speedups
from ..strings import translate
from . import stop
from .backend import MAX_REQUEST, LocalBackend, Refused
from .fault import Fault
from .overlay import OVERLAY_CSS, overlay_html
from .session import Preview
from .watch import Changes, Watcher

PREFIX = "/__protokollarkiv/"
KEEPALIVE_SECONDS = 15.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LIVE_RELOAD_JS = files(__package__).joinpath("livereload.js").read_bytes()


def _both(key: str, **values: object) -> str:
    """A text of the table in Swedish, then in English (the editor's language is not the site's)."""
    return (
        f"{html.escape(translate(key, 'sv', **values))}<br>"
        f'<span lang="en">{html.escape(translate(key, "en", **values))}</span>'
    )


def internal_overlay_html(internal: Fault, root: Path, debug: bool) -> str:
    """The overlay for a bug: what failed, in which file, how to report it (the traceback with `debug`)."""
    where = ""
    if internal.file is not None or internal.subject:
        where = f"<li>{_both('preview_internal_file', file=internal.where(root))}</li>"
    details = f"<pre>{html.escape(internal.details)}</pre>" if debug else ""
    return (
        '<div id="protokollarkiv-errors" class="internal" role="alert" lang="sv">'
        f"<style>{OVERLAY_CSS}</style>"
        f"<p><strong>{_both('preview_internal_error')}</strong></p>"
        f"<ul><li><code>{html.escape(internal.summary)}</code></li>{where}</ul>"
        f"<p>{_both('preview_internal_report')}</p>{details}</div>"
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    _answered = False  # the status line and headers of this request's answer are sent

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self._answered = True
        super().end_headers()

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_POST(self) -> None:
        """The web editor's local back end (preview.backend); nothing else takes a POST."""
        try:
            status, answer = HTTPStatus.OK, self.server.backend.answer(self._api_body())
        except Refused as refused:
            status, answer = refused.status, {"error": refused.message}
        self.close_connection = status != HTTPStatus.OK
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body, head=False)

    def _own_origins(self) -> set[str]:
        port = self.server.server_address[1]
        return {f"http://{host}:{port}" for host in ("127.0.0.1", "localhost")}

    def _api_body(self) -> bytes:
        """The request's body, once it is known to be for the back end, from this server's own
        pages, JSON, and not too large; else Refused (the body unread)."""
        own = self._own_origins()
        if self._path() != LOCAL_API:
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, f"only {LOCAL_API} takes a POST")
        if not local_client(self.client_address[0]):
            # `serve --host` can open the preview to others: the editor never writes for them
            raise Refused(HTTPStatus.FORBIDDEN, "the editor answers requests from this machine only")
        if self.headers.get("Origin") not in own or f"http://{self.headers.get('Host')}" not in own:
            raise Refused(
                HTTPStatus.FORBIDDEN, "the editor's requests must come from the preview's own pages"
            )
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "the request must be application/json")
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "the request must give its Content-Length") from None
        if not 0 <= length <= MAX_REQUEST:
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request is larger than {MAX_REQUEST} bytes"
            )
        return self.rfile.read(length)

    def _answer(self, head: bool) -> None:
        """Serve the request; a bug answers 500 (if it still can) with one line on the console."""
        self._answered = False
        try:
            self._serve(head)
        except (ConnectionError, TimeoutError):
            raise  # the browser hung up: handle_error says nothing
        except Exception as exc:
            self.server.report(exc, f"{self.command} {self.path[:200]}")
            self.close_connection = True
            if not self._answered:
                body = b"500 internal error\n"
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", body, head)

    def _serve(self, head: bool) -> None:
        preview = self.server.preview
        path = self._path()
        if path == PREFIX + "events":
            self._events(preview, head)
        elif path == PREFIX + "livereload.js":
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_RELOAD_JS, head)
        elif path == PREFIX + "status":
            internal = preview.internal
            body = json.dumps(
                {
                    "version": preview.version,
                    "errors": [d.format(preview.root) for d in preview.errors],
                    "warnings": [d.format(preview.root) for d in preview.warnings],
                    "internal": internal.line(preview.root, preview.debug) if internal else None,
                }
            ).encode()
            self._send(HTTPStatus.OK, "application/json", body, head)
        elif path.startswith("/admin/"):
            self._admin(path, head)
        else:
            self._file(path, head)

    def _admin(self, path: str, head: bool) -> None:
        """The web editor, without live reload (a rebuild after a save must not reload the form);
        its configuration with the local back end at this server's address."""
        data = self._read(self._resolve(path))
        if data is None:
            self._file(path, head)
        elif path.endswith("/config.yml"):
            own = self._own_origins()
            origin = f"http://{self.headers.get('Host')}"
            origin = origin if origin in own else min(own)  # never a Host header's text in YAML
            text = with_local_backend(data.decode("utf-8"), origin)
            self._send(HTTPStatus.OK, "text/yaml; charset=utf-8", text.encode("utf-8"), head)
        else:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", data, head)

    def _path(self) -> str:
        """The request's path: of an absolute URL (`GET http://host/a`) its path, else the target
        up to its query; always starting with one slash (`//a` is a path, not a host)."""
        target = self.path
        if not target.startswith("/") and "://" in target:  # absolute-form (a proxy's request)
            target = urlsplit(target).path
        path = target.split("?", 1)[0].split("#", 1)[0]
        return "/" + path.lstrip("/")

    def _resolve(self, path: str) -> Path | None:
        """The file under the site folder that `path` names, or None; nothing outside it."""
        root = self.server.preview.project.output.resolve()
        decoded = unquote(path)
        if "\0" in decoded or "\\" in decoded:
            return None
        parts = [part for part in decoded.split("/") if part]
        if any(part in (".", "..") for part in parts):
            return None
        try:
            target = root.joinpath(*parts).resolve()
            if target != root and root not in target.parents:
                return None  # a symlink leading out of the site
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, RuntimeError):  # a name too long for the system, a symlink loop
            return None

    def _file(self, path: str, head: bool) -> None:
        gone = self.server.gone.target(self.server.preview.project.output, path)
        if gone is not None and (data := self._read(self._resolve(gone))) is not None:
            self._send(HTTPStatus.GONE, "text/html; charset=utf-8", self._inject(data), head)
            return
        target = self._resolve(path)
        if target is not None and target.name == "index.html" and not path.endswith(("/", ".html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # /natverk/x -> /natverk/x/
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = self._read(target)
        status = HTTPStatus.OK
        if data is None:
            status = HTTPStatus.NOT_FOUND
            target = self._resolve("/404.html")
            data = self._read(target)
        if target is None or data is None:
            page = "<!doctype html><title>404</title><h1>404</h1>"
            self._send(status, "text/html; charset=utf-8", self._inject(page.encode()), head)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self._inject(data)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(status, kind, data, head)

    @staticmethod
    def _read(target: Path | None) -> bytes | None:
        """The file's bytes; None when there is none (a rebuild may just have removed it)."""
        if target is None:
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None

    def _inject(self, page: bytes) -> bytes:
        preview = self.server.preview
        extra = ""
        internal = preview.internal
        if internal is not None:
            extra += internal_overlay_html(internal, preview.root, preview.debug)
        else:
            extra += overlay_html(preview.problems, preview.root)
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

    def _events(self, preview: Preview, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:
            return  # the headers of the stream, and no stream
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


def local_client(address: str) -> bool:
    """Whether a request comes from this machine (a loopback address, IPv4 or IPv6)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return (mapped or ip).is_loopback


class GoneRules:
    """The site's `_redirects` rules that answer 410 Gone (minutes taken off publication), read
    again when the file changes: the preview answers as Netlify will."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._exact: dict[str, str] = {}
        self._prefixes: list[tuple[str, str]] = []

    def _load(self, site: Path) -> None:
        path = site / "_redirects"
        try:
            stat = path.stat()
            seen = (stat.st_mtime_ns, stat.st_size)
            if seen == self._seen:
                return
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            seen, lines = None, []
        exact: dict[str, str] = {}
        prefixes: list[tuple[str, str]] = []
        for line in lines:
            fields = line.split()
            if len(fields) == 3 and fields[2] in ("410", "410!"):
                source, target = fields[0], fields[1]
                if source.endswith("*"):
                    prefixes.append((source[:-1], target))
                else:
                    exact[source.rstrip("/") or "/"] = target
        self._seen, self._exact, self._prefixes = seen, exact, prefixes

    def target(self, site: Path, path: str) -> str | None:
        """The page to show with 410 for a request of `path`, or None when it is not gone."""
        with self._lock:
            self._load(site)
            found = self._exact.get(unquote(path).rstrip("/") or "/")
            if found is None:
                found = next((to for start, to in self._prefixes if unquote(path).startswith(start)), None)
            return found


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        self.stopping = threading.Event()
        self.gone = GoneRules()
        self.backend = LocalBackend(preview.project.content.parent, preview.project.content)
        super().__init__(address, _Handler)

    def report(self, exc: BaseException, doing: str) -> None:
        """One line about a bug in answering a request (and its traceback with `debug`)."""
        debug = self.preview is not None and self.preview.debug
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        print(
            f"error: internal error answering {doing}: {type(exc).__name__}: {exc} "
            "(a bug in Protokollarkiv, please report it)",
            file=sys.stderr,
            flush=True,
        )

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that hangs up while it is answered (a reload, a click to another page) is
        part of previewing, not worth a word; anything else is one line (see `report`)."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.report(error, f"a request from {client_address[0]}")


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
    debug: bool | None = None,
    today: date | None = None,
) -> int:
    """Build, then serve and rebuild on every change until Ctrl-C or SIGTERM.

    Returns 1 when it cannot listen. Ctrl-C (SIGINT) and SIGTERM end the process itself, with
    status 0, within moments, whatever it is doing (see `stop`). `debug` (default: the
    PROTOKOLLARKIV_DEBUG environment variable) prints the traceback of an internal error.
    """
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: anyone who can reach this machine can read the preview, "
            "drafts included",
            file=sys.stderr,
            flush=True,
        )
    debug = debugging() if debug is None else debug
    preview = Preview(
        project,
        include_drafts=include_drafts,
        root=root,
        jobs=jobs,
        speedups=speedups,
        debug=debug,
        today=today,
    )
    try:
        server = _bind(host, port, preview)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    stop.catch_signals()
    try:
        # Watching starts before the first build, so a save made while it runs is not lost.
        Watcher((project.content, project.templates), Changes(preview.want_rebuild)).start()
        preview.rebuild()
        shown_host = f"[{host}]" if ":" in host else host
        print(
            f"Serving {project.output} on http://{shown_host}:{server.server_address[1]}/ "
            f"(drafts {'shown' if include_drafts else 'hidden'}; Ctrl-C stops)",
            flush=True,
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:  # stop.Stopped: Ctrl-C or SIGTERM
        pass
    _stop(server, preview)


def _stop(server: _Server, preview: Preview) -> NoReturn:
    """End at once: no more answers or rebuilds, the build state saved if nothing is running,
    every child process ended (render workers, Pagefind), then the process (status 0)."""
    stop.stopping()
    logging.disable(logging.CRITICAL)  # asyncio's notes about the Pagefind process ended below
    print("\nStopping.", flush=True)
    preview.stop()
    server.stopping.set()
    server.server_close()
    if preview.busy():
        print("warning: the build state was not saved (the build thread was at work)", file=sys.stderr)
    else:
        preview.save_state(timeout=1.0)
    stop.end_children(grace=0.3)
    stop.leave(0)
