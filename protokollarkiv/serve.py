"""The preview server: watch the archive, rebuild what changed, reload open pages, show errors in them.

The built site is served from the output folder on 127.0.0.1; every HTML response gets a small
live-reload script (never the files on disk). When a rebuild fails, the last good site stays up
and every page shows the diagnostics in an overlay until the file is fixed.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import queue
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import quick
from .builder import Builder, BuildResult, Project
from .diagnostics import Diagnostic, display_path

PREFIX = "/__protokollarkiv/"
# Saves that come together (an atomic save, a `git checkout`) make one rebuild; short, as it is
# part of every save-to-reload time.
DEBOUNCE_SECONDS = 0.05
KEEPALIVE_SECONDS = 15.0
FULL_SETTLE_EVERY = 20  # see Preview._after_build
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Editors' temporary files: vim (.swp, 4913, backup~), emacs (.#lock), atomic-save temps.
TEMP_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload", ".kate-swp")
TEMP_NAMES = ("4913",)

LIVE_RELOAD_JS = """\
// Protokollarkiv preview: reload when the site is rebuilt, keeping the scroll position.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? Number(me.getAttribute("data-version")) : null;
  var key = "protokollarkiv-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    restore();
    window.addEventListener("load", restore);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function here() {
    try {
      return decodeURI(location.pathname).replace(/index\\.html$/, "");
    } catch (error) {
      return location.pathname;
    }
  }
  var events = new EventSource("/__protokollarkiv/events");
  events.addEventListener("hello", function (event) {
    if (version !== null && JSON.parse(event.data).version !== version) reload();
  });
  // `urls`, when sent, names the only pages that changed: the others stay as they are.
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    if (data.urls && data.urls.indexOf(here()) < 0) {
      version = data.version;
      return;
    }
    reload();
  });
  events.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.toString();
    });
  });
})();
"""

OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "background:#fff8f0;color:#1a1a1a;border-top:6px solid #b00020;padding:1rem 1.5rem;"
    "font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)"
)


def is_temporary(path: str) -> bool:
    name = PurePosixPath(path.replace("\\", "/")).name
    return name.endswith(TEMP_SUFFIXES) or name.startswith((".#", "#")) or name in TEMP_NAMES


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
        f'<div id="protokollarkiv-errors" role="alert" lang="sv" style="{OVERLAY_STYLE}">'
        "<p><strong>Bygget misslyckades – sidan visar den senaste fungerande versionen.</strong><br>"
        '<span lang="en">The build failed – this page shows the last good version.</span></p>'
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{rows}</ul></div>'
    )


class _Changes(FileSystemEventHandler):
    """Collects relevant file events; calls `fire` with their paths once a burst has been quiet a moment."""

    def __init__(self, fire: Callable[[set[str]], None]) -> None:
        self._fire = fire
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [str(event.src_path)]
        if event.event_type == "moved":
            paths.append(str(event.dest_path))
        relevant = {path for path in paths if not is_temporary(path)}
        if not relevant:
            return
        with self._lock:
            self._paths |= relevant
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._quiet)
            self._timer.daemon = True
            self._timer.start()

    def _quiet(self) -> None:
        with self._lock:
            paths, self._paths = self._paths, set()
        self._fire(paths)


class Preview:
    """Build state shared by the watcher, the rebuild thread and the request handlers."""

    def __init__(self, project: Project, *, include_drafts: bool, root: Path, jobs: int = 1) -> None:
        self.project = project
        self.root = root
        # The build state is saved once, at exit (see `stop`), not after every save of a file.
        self.builder = Builder(
            project, include_drafts=include_drafts, fingerprint=False, jobs=jobs, autosave=False
        )
        self._building = threading.Lock()
        self._waiting = threading.Event()  # a rebuild waits for the lock
        self.version = 0  # completed rebuilds
        self.errors: list[Diagnostic] = []
        self._clients: list[queue.Queue[tuple[str, str]]] = []
        self._clients_lock = threading.Lock()
        self._wanted = threading.Event()
        self._changed: set[str] = set()  # paths the watcher reported since the last rebuild
        self._changed_lock = threading.Lock()
        self._last_printed: list[str] = []
        self._search_lock = threading.Lock()
        self._search_pending = threading.Event()
        self._settles = 0

    # --- building ----------------------------------------------------------------------

    def rebuild(self, changed: set[str] | None = None) -> BuildResult | None:
        """Rebuild; with the paths that `changed`, first show edited meetings at once (`quick`)."""
        self._waiting.set()  # background work (warming memos) gives way
        with self._building:
            self._waiting.clear()
            shown = self._show_edited(changed) if changed and self.version and not self.errors else 0
            return self._rebuild(shown)

    def _show_edited(self, changed: set[str]) -> int:
        """Write and reload an edited meeting's own pages ahead of the rebuild; how many were written."""
        start = time.perf_counter()
        try:
            urls = quick.show_edited(self.builder, changed)
        except Exception as exc:  # a bug: the full rebuild still runs
            print(f"warning: could not show the edit before rebuilding: {exc}", file=sys.stderr, flush=True)
            return 0
        if not urls:
            return 0
        self._broadcast("reload", json.dumps({"version": self.version, "urls": urls}))
        seconds = time.perf_counter() - start
        print(f"Showed {', '.join(urls)} in {seconds * 1000:.0f} ms; rebuilding the rest", flush=True)
        return len(urls)

    def save_state(self) -> None:
        """Save the build state for the next process, unless a rebuild is still running."""
        if self._building.acquire(timeout=5):
            try:
                self.builder.save_state()
            finally:
                self._building.release()

    def _rebuild(self, shown: int = 0) -> BuildResult | None:
        """The full rebuild; `shown` pages were written just before it (`_show_edited`)."""
        start = time.perf_counter()
        had_errors = bool(self.errors)
        try:
            result = self.builder.build()
        except Exception as exc:  # a bug or an unwritable output: report, keep serving
            message = f"error: rebuild failed: {exc}"
            print(message, file=sys.stderr, flush=True)
            self.version += 1
            self._broadcast("reload", json.dumps({"version": self.version}))
            return None
        seconds = time.perf_counter() - start
        lines = result.diagnostics.format(self.root)
        if lines != self._last_printed:
            for line in lines:
                print(line, file=sys.stderr, flush=True)
            self._last_printed = lines
        self.version += 1
        if result.ok:
            self.errors = []
            stats = result.stats
            written = (stats.written if stats else 0) + shown
            print(
                f"{'Rebuilt' if self.version > 1 else 'Built'} in {seconds * 1000:.0f} ms: "
                f"{len(result.rendered)} pages rendered, "
                f"{written} files written (build {self.version})",
                flush=True,
            )
            news: dict[str, object] = {"version": self.version}
            if result.changed_urls is not None and not had_errors:  # else every open page reloads
                news["urls"] = result.changed_urls
            self._broadcast("css" if result.static_only else "reload", json.dumps(news))
            self._refresh_search(result)
            self._after_build(warm="render" in result.parallel)
        else:
            self.errors = result.diagnostics.errors
            print(
                f"Build failed ({result.diagnostics.summary()}); still serving the last good site "
                f"(build {self.version})",
                flush=True,
            )
            self._broadcast("reload", json.dumps({"version": self.version}))
        return result

    def _after_build(self, warm: bool) -> None:
        """Get ready for the next edit in the background; a rebuild waits for this, as for any build.

        `warm`: the pages were rendered in workers, so fill this process's memos, and the first
        edit is as quick as the ones after it. Then collect garbage and freeze the rest, so no
        rebuild pauses to scan the whole model. Only every FULL_SETTLE_EVERY-th time (the first
        included) are the frozen objects scanned again and replaced meetings' memoized pieces
        dropped: that takes ~0.8 s at 10,000 meetings, and a save in that time waits for it.
        """

        def work() -> None:
            with self._building:
                start = time.perf_counter()
                if warm:
                    pages = quick.warm(self.builder, stop=self._waiting.is_set)
                    seconds = time.perf_counter() - start
                    print(f"Prepared {pages} listing pages for quick rebuilds in {seconds:.1f} s", flush=True)
                if not self._waiting.is_set():
                    self._settle()

        threading.Thread(target=work, daemon=True).start()

    def _settle(self) -> None:
        """Collect and freeze (see `_after_build`); call with `_building` held."""
        from .workers import settle_memory

        full = self._settles % FULL_SETTLE_EVERY == 0
        if full:
            quick.tidy(self.builder)
        settle_memory(full)
        self._settles += 1

    def _refresh_search(self, result: BuildResult) -> None:
        """Re-index in the background, one run at a time; the reload does not wait for it."""
        self._search_pending.set()

        def work() -> None:
            with self._search_lock:
                if not self._search_pending.is_set():
                    return
                self._search_pending.clear()
                try:
                    found = self.builder.refresh_search(result)
                except Exception as exc:
                    self.builder.search_stale = True  # the next rebuild indexes, even writing nothing
                    print(f"warning: search index not refreshed: {exc}", file=sys.stderr, flush=True)
                    return
                if found is not None:
                    with self._building:  # indexing made many objects: settle them too, between builds
                        self._settle()
                    print(f"Search index refreshed in {found.seconds:.2f} s", flush=True)

        threading.Thread(target=work, daemon=True).start()

    def want_rebuild(self, paths: set[str]) -> None:
        with self._changed_lock:
            self._changed |= paths
        self._wanted.set()

    def rebuild_forever(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            with self._changed_lock:
                changed, self._changed = self._changed, set()
            self.rebuild(changed)

    # --- live reload clients -------------------------------------------------------------

    def subscribe(self) -> queue.Queue[tuple[str, str]]:
        channel: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._clients_lock:
            self._clients.append(channel)
        return channel

    def unsubscribe(self, channel: queue.Queue[tuple[str, str]]) -> None:
        with self._clients_lock:
            if channel in self._clients:
                self._clients.remove(channel)

    def _broadcast(self, event: str, data: str) -> None:
        with self._clients_lock:
            for channel in self._clients:
                channel.put((event, data))


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
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_RELOAD_JS.encode(), head)
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


def serve(project: Project, *, host: str, port: int, include_drafts: bool, root: Path, jobs: int = 1) -> int:
    """Build, then serve and rebuild on every change until Ctrl-C."""
    if host not in LOOPBACK:
        print(
            f"warning: serving on {host}: anyone who can reach this machine can read the preview, "
            "drafts included",
            file=sys.stderr,
            flush=True,
        )
    preview = Preview(project, include_drafts=include_drafts, root=root, jobs=jobs)
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
    changes = _Changes(preview.want_rebuild)
    for folder in (project.content, project.templates):
        if folder.is_dir():
            observer.schedule(changes, str(folder), recursive=True)
    observer.start()
    threading.Thread(target=preview.rebuild_forever, daemon=True).start()
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
